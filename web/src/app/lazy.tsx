/** Code-splitting helper: every page is its own chunk, loaded on first visit. */
import { type ComponentType, lazy, Suspense } from 'react';
import { PageLoader } from '../components/PageLoader.js';

/** Turns a dynamic import of a named export into a lazily loaded, suspended element. */
export function lazyPage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType, fullScreen = false) {
  const Page = lazy(async () => ({ default: pick(await load()) }));
  return (
    <Suspense fallback={<PageLoader fullScreen={fullScreen} />}>
      <Page />
    </Suspense>
  );
}

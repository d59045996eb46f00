/** A centred spinner shown while a page's code or data loads. */
import { Center, Loader } from '@mantine/core';
import { useT } from '../lib/i18n.js';

/** Full-area loading indicator with an accessible label. */
export function PageLoader({ fullScreen = false }: { fullScreen?: boolean }) {
  const t = useT();
  return (
    <Center mih={fullScreen ? '100dvh' : 200} role="status" aria-label={t('common.loading')}>
      <Loader />
    </Center>
  );
}

/** The My SIMs tab: the list at /sims and one SIM's detail at /sims/:iccid (its own chunk, with the charts). */
import { Route, Routes } from 'react-router';
import { lazyPage } from '../../../app/lazy.js';
import { SimListPage } from './SimListPage.js';

const detail = lazyPage(
  () => import('./SimDetailPage.js'),
  (m) => m.SimDetailPage,
);

/** Routes inside the tab. */
export function SimsPage() {
  return (
    <Routes>
      <Route index element={<SimListPage />} />
      <Route path=":iccid" element={detail} />
    </Routes>
  );
}

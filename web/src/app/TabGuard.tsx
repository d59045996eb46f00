/** Shows a tab's page only to users whose permissions include the tab's permission. */
import { type TabId, tabs } from '@contracts/permissions.js';
import type { ReactNode } from 'react';
import { NotAllowed } from '../components/NotAllowed.js';
import { useMe } from '../lib/session.js';

/** Renders `children` if the tab is visible to the user, else the "not allowed" state. */
export function TabGuard({ tabId, children }: { tabId: TabId; children: ReactNode }) {
  const me = useMe();
  const tab = tabs.find((t) => t.id === tabId);
  if (!tab || !me.permissions.includes(tab.permission)) return <NotAllowed />;
  return children;
}

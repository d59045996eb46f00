/** A whole tab whose capability comes later: page title plus the honest empty state. */
import type { TabId } from '@contracts/permissions.js';
import { useT } from '../lib/i18n.js';
import { NotYetAvailable } from './NotYetAvailable.js';
import { PageHeader } from './PageHeader.js';

/** Tabs that are still empty in this installation. */
export type ComingSoonTab = Exclude<TabId, 'account' | 'operator'>;

/** Renders the tab's title and what it will do; root carries `data-testid="page-<tabId>"`. */
export function ComingSoonPage({ tabId }: { tabId: ComingSoonTab }) {
  const t = useT();
  const title = t(`tabs.${tabId}`);
  return (
    <div data-testid={`page-${tabId}`}>
      <PageHeader title={title} />
      <NotYetAvailable title={title} description={t(`tabs.${tabId}.description`)} />
    </div>
  );
}

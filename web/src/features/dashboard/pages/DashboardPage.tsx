/** The dashboard tab. Its capability comes in a later release; until then it says so honestly. */
import { ComingSoonPage } from '../../../components/ComingSoonPage.js';

/** Renders the dashboard tab's empty state. */
export function DashboardPage() {
  return <ComingSoonPage tabId="dashboard" />;
}

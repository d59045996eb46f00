/** The sims tab. Its capability comes in a later release; until then it says so honestly. */
import { ComingSoonPage } from '../../../components/ComingSoonPage.js';

/** Renders the sims tab's empty state. */
export function SimsPage() {
  return <ComingSoonPage tabId="sims" />;
}

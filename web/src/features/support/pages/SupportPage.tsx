/** The support tab. Its capability comes in a later release; until then it says so honestly. */
import { ComingSoonPage } from '../../../components/ComingSoonPage.js';

/** Renders the support tab's empty state. */
export function SupportPage() {
  return <ComingSoonPage tabId="support" />;
}

/** The configuration tab. Its capability comes in a later release; until then it says so honestly. */
import { ComingSoonPage } from '../../../components/ComingSoonPage.js';

/** Renders the configuration tab's empty state. */
export function ConfigurationPage() {
  return <ComingSoonPage tabId="configuration" />;
}

/** The organisation tab. Its capability comes in a later release; until then it says so honestly. */
import { ComingSoonPage } from '../../../components/ComingSoonPage.js';

/** Renders the organisation tab's empty state. */
export function OrganisationPage() {
  return <ComingSoonPage tabId="organisation" />;
}

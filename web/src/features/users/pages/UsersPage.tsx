/** The users tab. Its capability comes in a later release; until then it says so honestly. */
import { ComingSoonPage } from '../../../components/ComingSoonPage.js';

/** Renders the users tab's empty state. */
export function UsersPage() {
  return <ComingSoonPage tabId="users" />;
}

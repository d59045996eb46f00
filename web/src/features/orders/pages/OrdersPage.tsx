/** The orders tab. Its capability comes in a later release; until then it says so honestly. */
import { ComingSoonPage } from '../../../components/ComingSoonPage.js';

/** Renders the orders tab's empty state. */
export function OrdersPage() {
  return <ComingSoonPage tabId="orders" />;
}

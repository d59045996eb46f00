/** The dashboard's SIM figures, read from the trigger-kept `sim_counts` (at most 144 rows per organisation). */
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { simCounts } from '../../db/schema/index.js';

/** One organisation's customer-visible SIM counts by status, session state and volume groups. */
export async function simCountRows(db: Db, orgId: string) {
  return db
    .select({
      status: simCounts.status,
      session: simCounts.sessionState,
      dataGroup: simCounts.dataGroup,
      smsGroup: simCounts.smsGroup,
      n: simCounts.n,
    })
    .from(simCounts)
    .where(and(eq(simCounts.orgId, orgId), ne(simCounts.status, 'stock')));
}

/** Queries of SIM cards. Every customer-facing query takes the organisation id. */
import { and, asc, count, desc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { SimFilter } from '../../../contracts/sims.js';
import type { Db } from '../../db/client.js';
import { simCounts, simDataLeft, sims } from '../../db/schema/index.js';

export type SimRow = typeof sims.$inferSelect;

/** The columns a list row shows: half of a SIM row, so a page of 100 parses faster. */
const summaryColumns = {
  iccid: sims.iccid,
  imsi: sims.imsi,
  msisdn: sims.msisdn,
  status: sims.status,
  sessionState: sims.sessionState,
  label: sims.label,
  imei: sims.imei,
  imeiLock: sims.imeiLock,
  ipAddress: sims.ipAddress,
  dataTotal: sims.dataTotal,
  dataUsed: sims.dataUsed,
  dataGroup: sims.dataGroup,
  smsTotal: sims.smsTotal,
  smsUsed: sims.smsUsed,
  smsGroup: sims.smsGroup,
  endOfLife: sims.endOfLife,
  autoTopUp: sims.autoTopUp,
};
export type SimSummaryRow = Pick<SimRow, keyof typeof summaryColumns>;

/** Escape LIKE wildcards in user input. */
function likeEscape(s: string): string {
  return s.replace(/[%_\\]/g, '\\$&');
}

/** The WHERE clause of a filter within one organisation; customers never see stock SIMs. */
export function filterWhere(orgId: string, f: SimFilter): SQL | undefined {
  const q = f.q?.trim().toLowerCase();
  return and(
    eq(sims.orgId, orgId),
    f.status ? inArray(sims.status, f.status) : sql`${sims.status} <> 'stock'`,
    f.session ? inArray(sims.sessionState, f.session) : undefined,
    f.dataVolume ? inArray(sims.dataGroup, f.dataVolume) : undefined,
    f.smsVolume ? inArray(sims.smsGroup, f.smsVolume) : undefined,
    q ? sql`${sims.searchText} LIKE ${`%${likeEscape(q)}%`}` : undefined,
  );
}

const sortColumns: Record<string, SQL | typeof sims.iccid> = {
  iccid: sql`${sims.iccid}`,
  imsi: sql`${sims.imsi}`,
  msisdn: sql`${sims.msisdn}`,
  status: sql`${sims.status}`,
  session: sql`${sims.sessionState}`,
  label: sql`${sims.label}`,
  imei: sql`${sims.imei}`,
  ip: sql`${sims.ipAddress}`,
  dataLeft: sql`${simDataLeft.dataLeft}`,
  smsLeft: sql`(${sims.smsTotal} - ${sims.smsUsed})`,
  endOfLife: sql`${sims.endOfLife}`,
};

/** One page of an organisation's SIMs, with the total the filter matches. */
export async function pageSims(
  db: Db,
  orgId: string,
  q: SimFilter & { sort: string; page: number; pageSize: number },
): Promise<{ items: SimSummaryRow[]; total: number }> {
  const where = filterWhere(orgId, q);
  const descending = q.sort.startsWith('-');
  const key = q.sort.replace(/^-/, '');
  const column = sortColumns[key] ?? sql`${sims.iccid}`;
  // data left is kept outside `sims` (decision 013): that sort walks sim_data_left's index
  const byDataLeft = key === 'dataLeft';
  const tieBreak = byDataLeft ? simDataLeft.iccid : sims.iccid;
  // ASC NULLS LAST and DESC NULLS FIRST are a forward and a backward scan of the same index
  const order = descending
    ? [sql`${column} DESC NULLS FIRST`, desc(tieBreak)]
    : [sql`${column} ASC NULLS LAST`, asc(tieBreak)];
  const from = db.select(summaryColumns).from(sims);
  const [items, total] = await Promise.all([
    (byDataLeft ? from.innerJoin(simDataLeft, eq(simDataLeft.iccid, sims.iccid)) : from)
      .where(byDataLeft ? and(where, eq(simDataLeft.orgId, orgId)) : where)
      .orderBy(...(key === 'iccid' ? order.slice(0, 1) : order))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countSims(db, orgId, q),
  ]);
  return { items, total };
}

/**
 * How many SIMs match a filter. Without a text search the answer comes from the trigger-kept
 * `sim_counts` (at most 144 rows per organisation); a search counts the matching rows.
 */
export async function countSims(db: Db, orgId: string, f: SimFilter): Promise<number> {
  if (f.q?.trim()) {
    const [row] = await db.select({ n: count() }).from(sims).where(filterWhere(orgId, f));
    return row?.n ?? 0;
  }
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(${simCounts.n}), 0)::text` })
    .from(simCounts)
    .where(
      and(
        eq(simCounts.orgId, orgId),
        f.status ? inArray(simCounts.status, f.status) : sql`${simCounts.status} <> 'stock'`,
        f.session ? inArray(simCounts.sessionState, f.session) : undefined,
        f.dataVolume ? inArray(simCounts.dataGroup, f.dataVolume) : undefined,
        f.smsVolume ? inArray(simCounts.smsGroup, f.smsVolume) : undefined,
      ),
    );
  return Number(row?.n ?? 0);
}

/** The ICCIDs matching a filter, in ICCID order. */
export async function matchingIccids(db: Db, orgId: string, f: SimFilter, limit: number): Promise<string[]> {
  const rows = await db
    .select({ iccid: sims.iccid })
    .from(sims)
    .where(filterWhere(orgId, f))
    .orderBy(asc(sims.iccid))
    .limit(limit);
  return rows.map((r) => r.iccid);
}

/** A batch of SIMs matching a filter after a given ICCID: keyset paging for exports. */
export async function simsAfter(db: Db, orgId: string, f: SimFilter, after: string | null, limit: number) {
  return db
    .select()
    .from(sims)
    .where(and(filterWhere(orgId, f), after ? gt(sims.iccid, after) : undefined))
    .orderBy(asc(sims.iccid))
    .limit(limit);
}

/** One of the organisation's SIMs (never a stock SIM). */
export async function findSim(db: Db, orgId: string, iccid: string): Promise<SimRow | undefined> {
  const [row] = await db
    .select()
    .from(sims)
    .where(and(eq(sims.iccid, iccid), eq(sims.orgId, orgId), sql`${sims.status} <> 'stock'`))
    .limit(1);
  return row;
}

/** Lock one of the organisation's SIMs for an update inside a transaction. */
export async function lockSim(db: Db, orgId: string, iccid: string): Promise<SimRow | undefined> {
  const [row] = await db
    .select()
    .from(sims)
    .where(and(eq(sims.iccid, iccid), eq(sims.orgId, orgId), sql`${sims.status} <> 'stock'`))
    .for('update')
    .limit(1);
  return row;
}

/** Change one of the organisation's SIMs. */
export async function updateSim(
  db: Db,
  orgId: string,
  iccid: string,
  values: Partial<typeof sims.$inferInsert>,
) {
  const [row] = await db
    .update(sims)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(sims.iccid, iccid), eq(sims.orgId, orgId)))
    .returning();
  return row;
}

/** Lock a batch of the organisation's SIMs by ICCID, in ICCID order (so concurrent batches never deadlock). */
export async function lockSims(db: Db, orgId: string, iccids: string[]): Promise<SimRow[]> {
  if (iccids.length === 0) return [];
  return db
    .select()
    .from(sims)
    .where(and(eq(sims.orgId, orgId), inArray(sims.iccid, iccids), sql`${sims.status} <> 'stock'`))
    .orderBy(asc(sims.iccid))
    .for('update');
}

/** Set the same values on a set of the organisation's SIMs. */
export async function updateSims(
  db: Db,
  orgId: string,
  iccids: string[],
  values: Partial<typeof sims.$inferInsert>,
) {
  if (iccids.length === 0) return;
  await db
    .update(sims)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(sims.orgId, orgId), inArray(sims.iccid, iccids)));
}

/** Queries of SIM cards. Every customer-facing query takes the organisation id. */
import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { SimFilter } from '../../../contracts/sims.js';
import { anyText, type Db, selectRows } from '../../db/client.js';
import { sims } from '../../db/schema/index.js';

export type SimRow = typeof sims.$inferSelect;

/** The columns a list row shows (the list itself reads them in sims.page.ts). */
export type SimSummaryRow = Pick<
  SimRow,
  | 'iccid'
  | 'imsi'
  | 'msisdn'
  | 'status'
  | 'sessionState'
  | 'label'
  | 'imei'
  | 'imeiLock'
  | 'ipAddress'
  | 'dataTotal'
  | 'dataUsed'
  | 'dataGroup'
  | 'smsTotal'
  | 'smsUsed'
  | 'smsGroup'
  | 'endOfLife'
  | 'autoTopUp'
>;

/** Escape LIKE wildcards in user input. */
function likeEscape(s: string): string {
  return s.replace(/[%_\\]/g, '\\$&');
}

/**
 * The WHERE clause of a filter within one organisation; customers never see stock SIMs. The list
 * page builds the same condition in SQL text (sims.page.ts); sims.page.test.ts keeps them in step.
 */
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

/** A query of the ICCIDs matching a filter (one column, `iccid`), at most `limit` in ICCID order. */
export function matchingIccidsQuery(orgId: string, f: SimFilter, limit: number): SQL {
  return sql`SELECT ${sims.iccid} FROM ${sims} WHERE ${filterWhere(orgId, f)} ORDER BY ${sims.iccid} LIMIT ${limit}`;
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
    .where(and(eq(sims.orgId, orgId), anyText(sims.iccid, iccids), sql`${sims.status} <> 'stock'`))
    .orderBy(asc(sims.iccid))
    .for('update');
}

/** Of these ICCIDs, those that are not SIMs of the organisation (unknown, another's, or stock), in ICCID order. */
export async function foreignIccids(db: Db, orgId: string, iccids: string[]): Promise<string[]> {
  if (iccids.length === 0) return [];
  const rows = await selectRows<{ iccid: string }>(
    db,
    sql`SELECT k.iccid FROM unnest(${sql.param(iccids)}::text[]) AS k(iccid)
        WHERE NOT EXISTS (SELECT 1 FROM ${sims} s
          WHERE s.iccid = k.iccid AND s.org_id = ${orgId} AND s.status <> 'stock')
        ORDER BY k.iccid`,
  );
  return rows.map((r) => r.iccid);
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
    .where(and(eq(sims.orgId, orgId), anyText(sims.iccid, iccids)));
}

/** Queries of an organisation's settings, its month-to-date usage and the limit notices. */
import { and, between, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { limitNotices, orgSettings, orgUsageDaily, simUsageDays } from '../../db/schema/index.js';

export type OrgSettingsRow = typeof orgSettings.$inferSelect;

export async function findSettings(db: Db, orgId: string): Promise<OrgSettingsRow | undefined> {
  const [row] = await db.select().from(orgSettings).where(eq(orgSettings.orgId, orgId));
  return row;
}

/** The settings of those organisations that have a monthly data limit (organisation-wide or per SIM). */
export async function findDataLimitSettings(db: Db, orgIds: string[]): Promise<OrgSettingsRow[]> {
  return db
    .select()
    .from(orgSettings)
    .where(
      and(
        inArray(orgSettings.orgId, orgIds),
        or(isNotNull(orgSettings.dataLimitBytes), isNotNull(orgSettings.simDataLimitBytes)),
      ),
    );
}

/** The settings of those organisations that have an organisation-wide monthly limit (data, MO or MT SMS). */
/** An `org_settings` row with an organisation-wide monthly limit (data, MO or MT SMS). */
export const hasOrgWideLimit = or(
  isNotNull(orgSettings.dataLimitBytes),
  isNotNull(orgSettings.smsMoLimit),
  isNotNull(orgSettings.smsMtLimit),
);

export async function findOrgLimitSettings(db: Db, orgIds: string[]): Promise<OrgSettingsRow[]> {
  if (orgIds.length === 0) return [];
  return db
    .select()
    .from(orgSettings)
    .where(and(inArray(orgSettings.orgId, orgIds), hasOrgWideLimit));
}

export async function upsertSettings(db: Db, values: typeof orgSettings.$inferInsert) {
  const [row] = await db
    .insert(orgSettings)
    .values(values)
    .onConflictDoUpdate({ target: orgSettings.orgId, set: { ...values, orgId: undefined } })
    .returning();
  return row;
}

/** The organisation's usage from the first of the month to `today`, from the daily rollup (≤ 31 days, their stripes summed). */
export async function orgMonthToDate(db: Db, orgId: string, first: string, today: string) {
  const [row] = await db
    .select({
      dataBytes: sql<string>`coalesce(sum(${orgUsageDaily.dataUp} + ${orgUsageDaily.dataDown}), 0)::text`,
      smsMo: sql<string>`coalesce(sum(${orgUsageDaily.smsMo}), 0)::text`,
      smsMt: sql<string>`coalesce(sum(${orgUsageDaily.smsMt}), 0)::text`,
    })
    .from(orgUsageDaily)
    .where(and(eq(orgUsageDaily.orgId, orgId), between(orgUsageDaily.day, first, today)));
  return {
    dataBytes: Number(row?.dataBytes ?? 0),
    smsMo: Number(row?.smsMo ?? 0),
    smsMt: Number(row?.smsMt ?? 0),
  };
}

/** Some SIMs' data this month, from their days (≤ 31 each, read through the tables' primary keys). */
export async function simsDataMonthToDate(
  db: Db,
  iccids: string[],
  first: string,
  today: string,
): Promise<Map<string, number>> {
  if (iccids.length === 0) return new Map();
  const rows = await db
    .select({
      iccid: simUsageDays.iccid,
      n: sql<string>`sum(${simUsageDays.dataUp} + ${simUsageDays.dataDown})::text`,
    })
    .from(simUsageDays)
    .where(and(inArray(simUsageDays.iccid, iccids), between(simUsageDays.day, first, today)))
    .groupBy(simUsageDays.iccid);
  return new Map(rows.map((r) => [r.iccid, Number(r.n)]));
}

/** One SIM's data this month, from its days (≤ 31, read through the tables' primary keys). */
export async function simDataMonthToDate(
  db: Db,
  iccid: string,
  first: string,
  today: string,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(${simUsageDays.dataUp} + ${simUsageDays.dataDown}), 0)::text` })
    .from(simUsageDays)
    .where(and(eq(simUsageDays.iccid, iccid), between(simUsageDays.day, first, today)));
  return Number(row?.n ?? 0);
}

/** Claim the notice of a reached limit for a month; true only for the first claim. */
export async function claimLimitNotice(
  db: Db,
  orgId: string,
  month: string,
  kind: 'data' | 'sms-mo' | 'sms-mt',
  at: Date,
): Promise<boolean> {
  const rows = await db
    .insert(limitNotices)
    .values({ orgId, month, kind, reachedAt: at })
    .onConflictDoNothing()
    .returning({ kind: limitNotices.kind });
  return rows.length > 0;
}

/** Per-SIM and per-organisation usage: the accounting batch's writes and the portal's reads. */
import { and, asc, between, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { type Db, preparedRows, selectRows } from '../../db/client.js';
import {
  orgSettings,
  orgUsageDaily,
  orgUsageStripes,
  sims,
  simUsageDaily,
  simUsageDays,
  simUsageHourly,
  simUsageLate,
  usageRollup,
} from '../../db/schema/index.js';
import { hasOrgWideLimit } from '../config/config.repository.js';

/** A volume group as PRODUCT.md §3 defines it (the generated columns of `sims` compute the same). */
export function volumeGroup(total: number, used: number): 'sufficient' | 'low' | 'none' {
  const left = total - used;
  if (left <= 0) return 'none';
  return left * 5 <= total ? 'low' : 'sufficient';
}

/** `volumeGroup` in SQL, as the generated columns `data_group` and `sms_group` of `sims` compute it. */
const volumeGroupSql = (total: SQL, used: SQL) =>
  sql`CASE WHEN ${total} - (${used}) <= 0 THEN 'none' WHEN (${total} - (${used})) * 5 <= ${total} THEN 'low' ELSE 'sufficient' END`;

/**
 * The SET of a usage upsert (`INSERT INTO … AS t … ON CONFLICT … DO UPDATE SET`): the new row's usage
 * (`excluded`) added to the stored one.
 */
export const addExcludedUsage = sql.raw(
  'data_up = t.data_up + excluded.data_up, data_down = t.data_down + excluded.data_down, ' +
    'sms_mo = t.sms_mo + excluded.sms_mo, sms_mt = t.sms_mt + excluded.sms_mt',
);

/** `addUsageWith`'s deltas (`u`) that match `where`, one row per SIM and day, in key order. */
const perSimDay = (where: SQL) =>
  sql`SELECT min(org_id::text)::uuid, iccid, day, sum(data_up), sum(data_down), sum(sms_mo), sum(sms_mt)
      FROM u WHERE ${where} GROUP BY iccid, day ORDER BY iccid, day`;

/** A SIM whose data or SMS volume just fell into the low (≤ 20 %) or none group. */
export interface VolumeCrossing {
  orgId: string;
  iccid: string;
  service: 'data' | 'sms';
  /** The group before this usage; from `sufficient` straight to `none` crosses both marks at once. */
  from: 'sufficient' | 'low';
  group: 'low' | 'none';
  total: number;
  used: number;
}

export interface UsageDelta {
  orgId: string;
  iccid: string;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  /**
   * The UTC hour of `day` (0–23) the usage belongs to, for the per-SIM hourly rows; null only for history
   * older than the hourly retention (the demo's backfill), which then has daily rows alone.
   */
  hour: number | null;
  dataUp: number;
  dataDown: number;
  smsMo: number;
  smsMt: number;
}

/** The UTC day and hour of an instant, as `UsageDelta` wants them. */
export function usageSlot(at: Date): { day: string; hour: number } {
  return { day: at.toISOString().slice(0, 10), hour: at.getUTCHours() };
}

/**
 * Add usage to the per-SIM hourly rows (upserts; usage without an hour to the daily rows, usage of a
 * day the roll-up closed to the late rows too: decision 026), to the SIMs' used volumes and to the
 * organisations' daily rollup: ONE statement of data-modifying CTEs over arrays, however many deltas
 * (it runs in the RADIUS accounting batch, 10,000 records a second). Rows are touched in key order so
 * concurrent batches cannot deadlock. The SIMs' rows are locked before the usage rows: PostgreSQL
 * runs the `used` UPDATE first, as the final SELECT reads it (the CTEs nothing reads run at the end of
 * the statement, the last written first). So an SMS, which locks its SIM and then adds its usage,
 * takes its locks in the same order as an accounting batch (hourly.test.ts holds it to that).
 *
 * Returns the SIMs whose volume crossed into low or none with this usage (each crossing once: the
 * row lock of the UPDATE orders concurrent batches); `applyVolumeEffects` turns them into events,
 * mails and top-ups.
 *
 * `seenAt`, for usage the network reported (accounting), is also the SIMs' last seen: written in the
 * same row version as the usage, where a separate update would rewrite each SIM's row again.
 */
export async function addUsage(
  db: Db,
  deltas: UsageDelta[],
  opts: { seenAt?: string } = {},
): Promise<VolumeCrossing[]> {
  return (await addUsageWith(db, deltas, { name: 'add-usage', ...opts })).crossings;
}

/** What `addUsageWith` did besides adding the usage. */
export interface UsageAdded {
  crossings: VolumeCrossing[];
  /** The deltas' organisations that have an organisation-wide monthly limit (`noteLimitsReached` reads them). */
  limitedOrgIds: string[];
}

/**
 * `addUsage`, and in the same statement the caller's own data-modifying CTEs (`with`, each ending in a
 * comma) and which of the deltas' organisations have a monthly limit: the accounting batch writes its
 * sessions and learns whether any limit needs a look without two more round trips, each a wait for a
 * CPU on a busy machine. `name` names the prepared statement, one per shape of `with`.
 */
export async function addUsageWith(
  db: Db,
  deltas: UsageDelta[],
  opts: { name: string; seenAt?: string; with?: SQL },
): Promise<UsageAdded> {
  if (deltas.length === 0) {
    // the caller's CTE would be lost without a word
    if (opts.with) throw new Error('addUsageWith: a statement of the caller needs usage to run with');
    return { crossings: [], limitedOrgIds: [] };
  }
  // one row per SIM, day and hour (an upsert may not touch a row twice)
  const slots = new Map<string, UsageDelta>();
  for (const d of deltas) {
    if (d.hour !== null && (!Number.isInteger(d.hour) || d.hour < 0 || d.hour > 23)) {
      throw new Error(`usage hour ${d.hour} is not 0–23`);
    }
    const key = `${d.iccid} ${d.day} ${d.hour ?? ''}`;
    const t = slots.get(key);
    if (!t) slots.set(key, { ...d });
    else {
      t.dataUp += d.dataUp;
      t.dataDown += d.dataDown;
      t.smsMo += d.smsMo;
      t.smsMt += d.smsMt;
    }
  }
  const rows = [...slots.values()];
  const col = <K extends keyof UsageDelta>(k: K) => sql.param(rows.map((r) => r[k]));
  const updated = await preparedRows<{
    // all null but org_id on an organisation's row
    iccid: string | null;
    org_id: string | null;
    data_total: string | null;
    data_used: string | null;
    data: string | null;
    sms_total: number | null;
    sms_used: number | null;
    sms: number | null;
  }>(
    db,
    opts.name,
    sql`
    WITH ${opts.with ?? sql``} u AS (
      SELECT * FROM unnest(${col('orgId')}::uuid[], ${col('iccid')}::text[], ${col('day')}::date[],
        ${col('hour')}::int[], ${col('dataUp')}::bigint[], ${col('dataDown')}::bigint[], ${col('smsMo')}::int[],
        ${col('smsMt')}::int[])
        AS u(org_id, iccid, day, hour, data_up, data_down, sms_mo, sms_mt)
    ), hourly AS (
      INSERT INTO ${simUsageHourly} AS t (iccid, hour, org_id, data_up, data_down, sms_mo, sms_mt)
      SELECT iccid, (day + hour * interval '1 hour') AT TIME ZONE 'UTC', org_id, data_up, data_down, sms_mo, sms_mt
      FROM u WHERE hour IS NOT NULL ORDER BY 1, 2
      ON CONFLICT (iccid, hour) DO UPDATE SET ${addExcludedUsage}
    ), late AS (
      -- usage of an hour of a day the roll-up closed (decision 026): counted apart, so the roll-up of
      -- the day, pending or not, does not count it twice
      INSERT INTO ${simUsageLate} AS t (org_id, iccid, day, data_up, data_down, sms_mo, sms_mt)
      ${perSimDay(sql`hour IS NOT NULL AND day < (SELECT usage_daily_from())`)}
      ON CONFLICT (iccid, day) DO UPDATE SET ${addExcludedUsage}
    ), daily AS (
      -- usage without an hour only: the daily rows of the other usage are summed from the hourly ones
      INSERT INTO ${simUsageDaily} AS t (org_id, iccid, day, data_up, data_down, sms_mo, sms_mt)
      ${perSimDay(sql`hour IS NULL`)}
      ON CONFLICT (iccid, day) DO UPDATE SET ${addExcludedUsage}
    ), org AS (
      INSERT INTO ${orgUsageDaily} AS t (org_id, day, stripe, data_up, data_down, sms_mo, sms_mt)
      SELECT org_id, day, floor(random() * ${orgUsageStripes})::smallint,
        sum(data_up), sum(data_down), sum(sms_mo), sum(sms_mt) FROM u
      GROUP BY org_id, day ORDER BY org_id, day
      ON CONFLICT (org_id, day, stripe) DO UPDATE SET ${addExcludedUsage}
    ), per_sim AS (
      SELECT iccid, sum(data_up + data_down)::bigint AS data, sum(sms_mo + sms_mt)::int AS sms
      FROM u GROUP BY iccid
    ), used AS (
      UPDATE ${sims} AS s
      SET data_used = s.data_used + p.data, sms_used = s.sms_used + p.sms,
        last_seen_at = greatest(s.last_seen_at, ${opts.seenAt ?? null}::timestamptz)
      FROM (SELECT * FROM per_sim ORDER BY iccid) AS p
      WHERE s.iccid = p.iccid
      RETURNING s.iccid, s.org_id, s.data_total, s.data_used, p.data, s.data_group, s.sms_total, s.sms_used,
        p.sms, s.sms_group
    )
    -- only the SIMs whose volume group this usage changed (the generated group against the group of
    -- the volume before it): a row per SIM back to the AAA's one thread cost more than the crossings
    SELECT iccid, org_id, data_total, data_used, data, sms_total, sms_used, sms FROM used
    WHERE data_group <> ${volumeGroupSql(sql`data_total`, sql`data_used - data`)}
      OR sms_group <> ${volumeGroupSql(sql`sms_total`, sql`sms_used - sms`)}
    UNION ALL
    -- an organisation with a limit: a row without an ICCID
    SELECT NULL, ${orgSettings.orgId}, NULL, NULL, NULL, NULL, NULL, NULL FROM ${orgSettings}
    WHERE ${orgSettings.orgId} IN (SELECT org_id FROM u) AND ${hasOrgWideLimit}`,
  );
  const crossings: VolumeCrossing[] = [];
  const limitedOrgIds: string[] = [];
  for (const r of updated) {
    if (!r.org_id) continue;
    if (r.iccid === null) {
      limitedOrgIds.push(r.org_id);
      continue;
    }
    const dataTotal = Number(r.data_total);
    const dataUsed = Number(r.data_used);
    const dataGroup = volumeGroup(dataTotal, dataUsed);
    const dataBefore = volumeGroup(dataTotal, dataUsed - Number(r.data));
    if (dataGroup !== 'sufficient' && dataBefore !== 'none' && dataBefore !== dataGroup) {
      crossings.push({
        orgId: r.org_id,
        iccid: r.iccid,
        service: 'data',
        from: dataBefore,
        group: dataGroup,
        total: dataTotal,
        used: dataUsed,
      });
    }
    const smsTotal = Number(r.sms_total);
    const smsUsed = Number(r.sms_used);
    const smsGroup = volumeGroup(smsTotal, smsUsed);
    const smsBefore = volumeGroup(smsTotal, smsUsed - Number(r.sms));
    if (smsGroup !== 'sufficient' && smsBefore !== 'none' && smsBefore !== smsGroup) {
      crossings.push({
        orgId: r.org_id,
        iccid: r.iccid,
        service: 'sms',
        from: smsBefore,
        group: smsGroup,
        total: smsTotal,
        used: smsUsed,
      });
    }
  }
  return { crossings, limitedOrgIds };
}

/** An organisation's usage per day in a date range (inclusive), its stripes added up; days without usage are absent. */
export async function orgDailyUsage(db: Db, orgId: string, from: string, to: string) {
  return db
    .select({
      day: orgUsageDaily.day,
      dataUp: sql<number>`sum(${orgUsageDaily.dataUp})::float8`,
      dataDown: sql<number>`sum(${orgUsageDaily.dataDown})::float8`,
      smsMo: sql<number>`sum(${orgUsageDaily.smsMo})::int`,
      smsMt: sql<number>`sum(${orgUsageDaily.smsMt})::int`,
    })
    .from(orgUsageDaily)
    .where(and(eq(orgUsageDaily.orgId, orgId), between(orgUsageDaily.day, from, to)))
    .groupBy(orgUsageDaily.day)
    .orderBy(asc(orgUsageDaily.day));
}

/** A SIM's usage per day in a date range (inclusive), whichever table holds each day (decision 026). */
export async function dailyUsage(db: Db, orgId: string, iccid: string, from: string, to: string) {
  return db
    .select()
    .from(simUsageDays)
    .where(
      and(eq(simUsageDays.orgId, orgId), eq(simUsageDays.iccid, iccid), between(simUsageDays.day, from, to)),
    )
    .orderBy(asc(simUsageDays.day));
}

/** A SIM's hourly rows from `from` (inclusive) to `to` (exclusive). */
export async function hourlyUsage(db: Db, orgId: string, iccid: string, from: Date, to: Date) {
  return db
    .select()
    .from(simUsageHourly)
    .where(
      and(
        eq(simUsageHourly.iccid, iccid),
        eq(simUsageHourly.orgId, orgId),
        gte(simUsageHourly.hour, from),
        lt(simUsageHourly.hour, to),
      ),
    )
    .orderBy(asc(simUsageHourly.hour));
}

/**
 * Delete hourly usage rows of hours that began before `cutoff`, but none of a day not yet summed into
 * the daily rows (a roll-up that fell behind keeps them); returns how many went.
 */
export async function deleteHourlyUsageBefore(db: Db, cutoff: Date): Promise<number> {
  const rows = await selectRows<{ n: number }>(
    db,
    sql`WITH gone AS (
          DELETE FROM ${simUsageHourly} WHERE hour < ${cutoff.toISOString()}::timestamptz
            AND hour < (SELECT coalesce(pending, daily_from)::timestamp AT TIME ZONE 'UTC' FROM ${usageRollup})
          RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

/** Delete daily (and late) usage rows before a day (YYYY-MM-DD); returns how many daily rows went. */
export async function deleteUsageBefore(db: Db, day: string): Promise<number> {
  const rows = await db
    .delete(simUsageDaily)
    .where(lt(simUsageDaily.day, day))
    .returning({ day: simUsageDaily.day });
  await db.delete(simUsageLate).where(lt(simUsageLate.day, day));
  await db.delete(orgUsageDaily).where(lt(orgUsageDaily.day, day));
  return rows.length;
}

/** Queries of per-SIM daily usage. */
import { and, asc, between, eq, gte, lt, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';
import { orgUsageDaily, sims, simUsageDaily, simUsageHourly } from '../../db/schema/index.js';

/** A volume group as PRODUCT.md §3 defines it (the generated columns of `sims` compute the same). */
export function volumeGroup(total: number, used: number): 'sufficient' | 'low' | 'none' {
  const left = total - used;
  if (left <= 0) return 'none';
  return left * 5 <= total ? 'low' : 'sufficient';
}

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

type Figures = Pick<UsageDelta, 'dataUp' | 'dataDown' | 'smsMo' | 'smsMt'>;

/** Add the deltas up per key (an INSERT … ON CONFLICT may touch each row once), sorted by key. */
function sumBy<K extends object>(
  deltas: UsageDelta[],
  key: (d: UsageDelta) => string | null,
  row: (d: UsageDelta) => K,
): (K & Figures)[] {
  const sums = new Map<string, K & Figures>();
  for (const d of deltas) {
    const k = key(d);
    if (k === null) continue;
    const t = sums.get(k);
    if (!t) {
      sums.set(k, { ...row(d), dataUp: d.dataUp, dataDown: d.dataDown, smsMo: d.smsMo, smsMt: d.smsMt });
      continue;
    }
    t.dataUp += d.dataUp;
    t.dataDown += d.dataDown;
    t.smsMo += d.smsMo;
    t.smsMt += d.smsMt;
  }
  return [...sums.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
}

function hourStart(d: UsageDelta): string | null {
  if (d.hour === null) return null;
  if (!Number.isInteger(d.hour) || d.hour < 0 || d.hour > 23)
    throw new Error(`usage hour ${d.hour} is not 0–23`);
  return `${d.day}T${String(d.hour).padStart(2, '0')}:00:00Z`;
}

/**
 * Add usage to the per-SIM hourly and daily rows (upserts), to the SIMs' used volumes and to the
 * organisations' daily rollup. Rows are touched in key order so concurrent batches cannot deadlock. Returns
 * the SIMs whose volume crossed into low or none with this usage (each crossing once: the row lock of the
 * UPDATE orders concurrent batches); `applyVolumeEffects` turns them into events, mails and top-ups.
 */
export async function addUsage(db: Db, deltas: UsageDelta[]): Promise<VolumeCrossing[]> {
  const daily = sumBy(
    deltas,
    (d) => `${d.iccid} ${d.day}`,
    (d) => ({ orgId: d.orgId, iccid: d.iccid, day: d.day }),
  );
  for (let i = 0; i < daily.length; i += 1000) {
    const chunk = daily.slice(i, i + 1000);
    await db
      .insert(simUsageDaily)
      .values(chunk)
      .onConflictDoUpdate({
        target: [simUsageDaily.iccid, simUsageDaily.day],
        set: {
          dataUp: sql`${simUsageDaily.dataUp} + excluded.data_up`,
          dataDown: sql`${simUsageDaily.dataDown} + excluded.data_down`,
          smsMo: sql`${simUsageDaily.smsMo} + excluded.sms_mo`,
          smsMt: sql`${simUsageDaily.smsMt} + excluded.sms_mt`,
        },
      });
  }
  // one statement for the whole batch: arrays, not one bind parameter per value
  const hourly = sumBy(
    deltas,
    (d) => {
      const h = hourStart(d);
      return h === null ? null : `${d.iccid} ${h}`;
    },
    (d) => ({ orgId: d.orgId, iccid: d.iccid, hour: hourStart(d) ?? '' }),
  );
  if (hourly.length > 0) {
    const col = <K extends keyof (typeof hourly)[number]>(k: K) => sql.param(hourly.map((r) => r[k]));
    await db.execute(sql`
      INSERT INTO ${simUsageHourly} (iccid, hour, org_id, data_up, data_down, sms_mo, sms_mt)
      SELECT * FROM unnest(${col('iccid')}::text[], ${col('hour')}::timestamptz[], ${col('orgId')}::uuid[],
        ${col('dataUp')}::bigint[], ${col('dataDown')}::bigint[], ${col('smsMo')}::int[], ${col('smsMt')}::int[])
      ON CONFLICT (iccid, hour) DO UPDATE SET
        data_up = ${simUsageHourly}.data_up + excluded.data_up,
        data_down = ${simUsageHourly}.data_down + excluded.data_down,
        sms_mo = ${simUsageHourly}.sms_mo + excluded.sms_mo,
        sms_mt = ${simUsageHourly}.sms_mt + excluded.sms_mt`);
  }
  const perSim = new Map<string, { data: number; sms: number }>();
  for (const d of deltas) {
    const t = perSim.get(d.iccid) ?? { data: 0, sms: 0 };
    t.data += d.dataUp + d.dataDown;
    t.sms += d.smsMo + d.smsMt;
    perSim.set(d.iccid, t);
  }
  const perOrgDay = new Map<string, UsageDelta>();
  for (const d of deltas) {
    const key = `${d.orgId} ${d.day}`;
    const t = perOrgDay.get(key) ?? {
      orgId: d.orgId,
      iccid: '',
      day: d.day,
      hour: null,
      dataUp: 0,
      dataDown: 0,
      smsMo: 0,
      smsMt: 0,
    };
    t.dataUp += d.dataUp;
    t.dataDown += d.dataDown;
    t.smsMo += d.smsMo;
    t.smsMt += d.smsMt;
    perOrgDay.set(key, t);
  }
  const entries = [...perSim.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const crossings: VolumeCrossing[] = [];
  for (let i = 0; i < entries.length; i += 1000) {
    const chunk = entries.slice(i, i + 1000);
    const iccids = chunk.map(([k]) => k);
    const data = chunk.map(([, v]) => v.data);
    const smsCounts = chunk.map(([, v]) => v.sms);
    const rows = await selectRows<{
      iccid: string;
      org_id: string | null;
      data_total: string;
      data_used: string;
      data: string;
      sms_total: number;
      sms_used: number;
      sms: number;
    }>(
      db,
      sql`
      UPDATE ${sims} AS s
      SET data_used = s.data_used + u.data, sms_used = s.sms_used + u.sms
      FROM unnest(${sql.param(iccids)}::text[], ${sql.param(data)}::bigint[], ${sql.param(smsCounts)}::int[]) AS u(iccid, data, sms)
      WHERE s.iccid = u.iccid
      RETURNING s.iccid, s.org_id, s.data_total, s.data_used, u.data, s.sms_total, s.sms_used, u.sms`,
    );
    for (const r of rows) {
      if (!r.org_id) continue;
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
      const smsGroup = volumeGroup(r.sms_total, r.sms_used);
      const smsBefore = volumeGroup(r.sms_total, r.sms_used - r.sms);
      if (smsGroup !== 'sufficient' && smsBefore !== 'none' && smsBefore !== smsGroup) {
        crossings.push({
          orgId: r.org_id,
          iccid: r.iccid,
          service: 'sms',
          from: smsBefore,
          group: smsGroup,
          total: r.sms_total,
          used: r.sms_used,
        });
      }
    }
  }
  const orgRows = [...perOrgDay.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
  for (let i = 0; i < orgRows.length; i += 1000) {
    await db
      .insert(orgUsageDaily)
      .values(
        orgRows.slice(i, i + 1000).map(({ orgId, day, dataUp, dataDown, smsMo, smsMt }) => ({
          orgId,
          day,
          dataUp,
          dataDown,
          smsMo,
          smsMt,
        })),
      )
      .onConflictDoUpdate({
        target: [orgUsageDaily.orgId, orgUsageDaily.day],
        set: {
          dataUp: sql`${orgUsageDaily.dataUp} + excluded.data_up`,
          dataDown: sql`${orgUsageDaily.dataDown} + excluded.data_down`,
          smsMo: sql`${orgUsageDaily.smsMo} + excluded.sms_mo`,
          smsMt: sql`${orgUsageDaily.smsMt} + excluded.sms_mt`,
        },
      });
  }
  return crossings;
}

/** An organisation's daily rollup rows in a date range (inclusive). */
export async function orgDailyUsage(db: Db, orgId: string, from: string, to: string) {
  return db
    .select()
    .from(orgUsageDaily)
    .where(and(eq(orgUsageDaily.orgId, orgId), between(orgUsageDaily.day, from, to)))
    .orderBy(asc(orgUsageDaily.day));
}

/** A SIM's daily rows in a date range (inclusive). */
export async function dailyUsage(db: Db, orgId: string, iccid: string, from: string, to: string) {
  return db
    .select()
    .from(simUsageDaily)
    .where(
      and(
        eq(simUsageDaily.orgId, orgId),
        eq(simUsageDaily.iccid, iccid),
        between(simUsageDaily.day, from, to),
      ),
    )
    .orderBy(asc(simUsageDaily.day));
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

/** Delete hourly usage rows of hours that began before `cutoff`; returns how many went. */
export async function deleteHourlyUsageBefore(db: Db, cutoff: Date): Promise<number> {
  const rows = await selectRows<{ n: number }>(
    db,
    sql`WITH gone AS (DELETE FROM ${simUsageHourly} WHERE hour < ${cutoff.toISOString()}::timestamptz RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

/** Delete daily usage rows before a day (YYYY-MM-DD); returns how many went. */
export async function deleteUsageBefore(db: Db, day: string): Promise<number> {
  const rows = await db
    .delete(simUsageDaily)
    .where(lt(simUsageDaily.day, day))
    .returning({ day: simUsageDaily.day });
  await db.delete(orgUsageDaily).where(lt(orgUsageDaily.day, day));
  return rows.length;
}

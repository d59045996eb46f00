/** Queries of per-SIM daily usage. */
import { and, asc, between, eq, lt, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';
import { orgUsageDaily, sims, simUsageDaily } from '../../db/schema/index.js';

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
  day: string;
  dataUp: number;
  dataDown: number;
  smsMo: number;
  smsMt: number;
}

/**
 * Add usage to the per-SIM daily rows (upsert), to the SIMs' used volumes and to the organisations'
 * daily rollup: ONE statement of three data-modifying CTEs over arrays, however many deltas (it runs
 * in the RADIUS accounting batch, 10,000 records a second). Rows are touched in key order so
 * concurrent batches cannot deadlock. Returns the SIMs whose volume crossed into low or none with
 * this usage (each crossing once: the row lock of the UPDATE orders concurrent batches);
 * `applyVolumeEffects` turns them into events, mails and top-ups.
 */
export async function addUsage(db: Db, deltas: UsageDelta[]): Promise<VolumeCrossing[]> {
  if (deltas.length === 0) return [];
  // one row per SIM and day (an upsert may not touch a row twice)
  const perSimDay = new Map<string, UsageDelta>();
  for (const d of deltas) {
    const key = `${d.iccid} ${d.day}`;
    const t = perSimDay.get(key);
    if (!t) perSimDay.set(key, { ...d });
    else {
      t.dataUp += d.dataUp;
      t.dataDown += d.dataDown;
      t.smsMo += d.smsMo;
      t.smsMt += d.smsMt;
    }
  }
  const rows = [...perSimDay.values()];
  const col = <K extends keyof UsageDelta>(k: K) => sql.param(rows.map((r) => r[k]));
  const updated = await selectRows<{
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
    WITH u AS (
      SELECT * FROM unnest(${col('orgId')}::uuid[], ${col('iccid')}::text[], ${col('day')}::date[],
        ${col('dataUp')}::bigint[], ${col('dataDown')}::bigint[], ${col('smsMo')}::int[], ${col('smsMt')}::int[])
        AS u(org_id, iccid, day, data_up, data_down, sms_mo, sms_mt)
    ), daily AS (
      INSERT INTO ${simUsageDaily} AS t (org_id, iccid, day, data_up, data_down, sms_mo, sms_mt)
      SELECT * FROM u ORDER BY iccid, day
      ON CONFLICT (iccid, day) DO UPDATE SET data_up = t.data_up + excluded.data_up,
        data_down = t.data_down + excluded.data_down, sms_mo = t.sms_mo + excluded.sms_mo,
        sms_mt = t.sms_mt + excluded.sms_mt
    ), org AS (
      INSERT INTO ${orgUsageDaily} AS t (org_id, day, data_up, data_down, sms_mo, sms_mt)
      SELECT org_id, day, sum(data_up), sum(data_down), sum(sms_mo), sum(sms_mt) FROM u
      GROUP BY org_id, day ORDER BY org_id, day
      ON CONFLICT (org_id, day) DO UPDATE SET data_up = t.data_up + excluded.data_up,
        data_down = t.data_down + excluded.data_down, sms_mo = t.sms_mo + excluded.sms_mo,
        sms_mt = t.sms_mt + excluded.sms_mt
    ), per_sim AS (
      SELECT iccid, sum(data_up + data_down)::bigint AS data, sum(sms_mo + sms_mt)::int AS sms
      FROM u GROUP BY iccid
    )
    UPDATE ${sims} AS s
    SET data_used = s.data_used + p.data, sms_used = s.sms_used + p.sms
    FROM (SELECT * FROM per_sim ORDER BY iccid) AS p
    WHERE s.iccid = p.iccid
    RETURNING s.iccid, s.org_id, s.data_total, s.data_used, p.data, s.sms_total, s.sms_used, p.sms`,
  );
  const crossings: VolumeCrossing[] = [];
  for (const r of updated) {
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

/** Delete daily usage rows before a day (YYYY-MM-DD); returns how many went. */
export async function deleteUsageBefore(db: Db, day: string): Promise<number> {
  const rows = await db
    .delete(simUsageDaily)
    .where(lt(simUsageDaily.day, day))
    .returning({ day: simUsageDaily.day });
  await db.delete(orgUsageDaily).where(lt(orgUsageDaily.day, day));
  return rows.length;
}

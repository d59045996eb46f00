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
 * daily rollup. Rows are touched in key order so concurrent batches cannot deadlock. Returns the SIMs
 * whose volume crossed into low or none with this usage (each crossing once: the row lock of the
 * UPDATE orders concurrent batches); `applyVolumeEffects` turns them into events, mails and top-ups.
 */
export async function addUsage(db: Db, deltas: UsageDelta[]): Promise<VolumeCrossing[]> {
  for (let i = 0; i < deltas.length; i += 1000) {
    const chunk = deltas.slice(i, i + 1000);
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

/** Delete daily usage rows before a day (YYYY-MM-DD); returns how many went. */
export async function deleteUsageBefore(db: Db, day: string): Promise<number> {
  const rows = await db
    .delete(simUsageDaily)
    .where(lt(simUsageDaily.day, day))
    .returning({ day: simUsageDaily.day });
  await db.delete(orgUsageDaily).where(lt(orgUsageDaily.day, day));
  return rows.length;
}

/** Queries of per-SIM daily usage. */
import { and, asc, between, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUsageDaily, sims, simUsageDaily } from '../../db/schema/index.js';

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
 * daily rollup. Rows are touched in key order so concurrent batches cannot deadlock.
 */
export async function addUsage(db: Db, deltas: UsageDelta[]) {
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
  for (let i = 0; i < entries.length; i += 1000) {
    const chunk = entries.slice(i, i + 1000);
    const iccids = chunk.map(([k]) => k);
    const data = chunk.map(([, v]) => v.data);
    const smsCounts = chunk.map(([, v]) => v.sms);
    await db.execute(sql`
      UPDATE ${sims} AS s
      SET data_used = s.data_used + u.data, sms_used = s.sms_used + u.sms
      FROM unnest(${sql.param(iccids)}::text[], ${sql.param(data)}::bigint[], ${sql.param(smsCounts)}::int[]) AS u(iccid, data, sms)
      WHERE s.iccid = u.iccid`);
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

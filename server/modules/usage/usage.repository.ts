/** Queries of per-SIM daily usage. */
import { and, asc, between, eq, lt, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';
import { sims, simUsageDaily } from '../../db/schema/index.js';

export interface UsageDelta {
  orgId: string;
  iccid: string;
  day: string;
  dataUp: number;
  dataDown: number;
  smsMo: number;
  smsMt: number;
}

/** A SIM's data volume before and after an addUsage, so callers can see the 20 % and exhaustion crossings. */
export interface UsageCrossing {
  iccid: string;
  orgId: string;
  dataTotal: number;
  dataUsedBefore: number;
  dataUsedAfter: number;
}

/** Add usage to the daily rows (upsert) and to the SIMs' used volumes; returns each SIM's data volume before and after. */
export async function addUsage(db: Db, deltas: UsageDelta[]): Promise<UsageCrossing[]> {
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
  const entries = [...perSim.entries()];
  const crossings: UsageCrossing[] = [];
  for (let i = 0; i < entries.length; i += 1000) {
    const chunk = entries.slice(i, i + 1000);
    const iccids = chunk.map(([k]) => k);
    const data = chunk.map(([, v]) => v.data);
    const smsCounts = chunk.map(([, v]) => v.sms);
    const rows = await selectRows<{
      iccid: string;
      org_id: string;
      total: string;
      before: string;
      after: string;
    }>(
      db,
      sql`
      UPDATE ${sims} AS s
      SET data_used = s.data_used + u.data, sms_used = s.sms_used + u.sms
      FROM unnest(${sql.param(iccids)}::text[], ${sql.param(data)}::bigint[], ${sql.param(smsCounts)}::int[]) AS u(iccid, data, sms)
      WHERE s.iccid = u.iccid
      RETURNING s.iccid, s.org_id::text, s.data_total::text AS total, (s.data_used - u.data)::text AS before,
                s.data_used::text AS after`,
    );
    for (const r of rows) {
      crossings.push({
        iccid: r.iccid,
        orgId: r.org_id,
        dataTotal: Number(r.total),
        dataUsedBefore: Number(r.before),
        dataUsedAfter: Number(r.after),
      });
    }
  }
  return crossings;
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
  return rows.length;
}

/** A SIM's usage per day for a range, with its current volume. */
import type { AppContext } from '../../context.js';
import { invalidField, notFound } from '../../lib/errors.js';
import { findSim } from '../sims/sims.repository.js';
import { dailyUsage } from './usage.repository.js';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Usage per day from `from` to `to` (default: the last 30 days), every day present, plus totals. */
export async function simUsage(
  ctx: AppContext,
  orgId: string,
  iccid: string,
  q: { from?: string; to?: string },
) {
  const sim = await findSim(ctx.db, orgId, iccid);
  if (!sim) throw notFound('SIM');
  const today = ctx.clock.now();
  const to = q.to ?? isoDay(today);
  const from = q.from ?? isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000));
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (span > 400) throw invalidField('from', 'the range may span at most 400 days');
  const rows = await dailyUsage(ctx.db, orgId, iccid, from, to);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = isoDay(new Date(t));
    const r = byDay.get(day);
    days.push({
      day,
      dataUp: r?.dataUp ?? 0,
      dataDown: r?.dataDown ?? 0,
      smsMo: r?.smsMo ?? 0,
      smsMt: r?.smsMt ?? 0,
    });
  }
  const totals = days.reduce(
    (a, d) => ({
      dataUp: a.dataUp + d.dataUp,
      dataDown: a.dataDown + d.dataDown,
      smsMo: a.smsMo + d.smsMo,
      smsMt: a.smsMt + d.smsMt,
    }),
    { dataUp: 0, dataDown: 0, smsMo: 0, smsMt: 0 },
  );
  return {
    from,
    to,
    days,
    totals,
    volume: {
      dataTotal: sim.dataTotal,
      dataUsed: sim.dataUsed,
      smsTotal: sim.smsTotal,
      smsUsed: sim.smsUsed,
    },
  };
}

/** Usage read from the rollups: a SIM's days, an organisation's days, weeks and months. */
import { maxHourlyDays, type SimUsage } from '../../../contracts/sims.js';
import type { OrgUsage, OrgUsageQuery, UsagePeriod } from '../../../contracts/usage.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { invalidField, notFound } from '../../lib/errors.js';
import { findSim } from '../sims/sims.repository.js';
import { dailyUsage, hourlyUsage, orgDailyUsage } from './usage.repository.js';

const dayMs = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const parseDay = (s: string) => new Date(`${s}T00:00:00Z`);
const addDays = (s: string, n: number) => isoDay(new Date(parseDay(s).getTime() + n * dayMs));

/** Monday of the ISO week holding a day. */
export function weekStart(day: string): string {
  const weekday = (parseDay(day).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The ISO week name of a day: `2026-W48` (the year is that of the week's Thursday). */
export function isoWeekName(day: string): string {
  const thursday = parseDay(addDays(weekStart(day), 3));
  const year = thursday.getUTCFullYear();
  const firstThursday = parseDay(addDays(weekStart(`${year}-01-04`), 3));
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * dayMs));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

function monthEnd(day: string): string {
  const d = parseDay(monthStart(day));
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
}

function monthsBack(day: string, n: number): string {
  const d = parseDay(monthStart(day));
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)));
}

type Granularity = OrgUsage['granularity'];
type DayRow = { day: string; dataUp: number; dataDown: number; smsMo: number; smsMt: number };

/** Every period from `from` to `to` (both already aligned to period bounds), with the rows added up. */
export function bucket(granularity: Granularity, from: string, to: string, rows: DayRow[]): UsagePeriod[] {
  const periods: UsagePeriod[] = [];
  const index = new Map<string, UsagePeriod>();
  for (let start = from; start <= to; ) {
    const end = granularity === 'day' ? start : granularity === 'week' ? addDays(start, 6) : monthEnd(start);
    const period =
      granularity === 'day' ? start : granularity === 'week' ? isoWeekName(start) : start.slice(0, 7);
    const p = { period, start, end, dataUp: 0, dataDown: 0, smsMo: 0, smsMt: 0 };
    periods.push(p);
    index.set(start, p);
    start = addDays(end, 1);
  }
  for (const r of rows) {
    const key = granularity === 'day' ? r.day : granularity === 'week' ? weekStart(r.day) : monthStart(r.day);
    const p = index.get(key);
    if (!p) continue;
    p.dataUp += r.dataUp;
    p.dataDown += r.dataDown;
    p.smsMo += r.smsMo;
    p.smsMt += r.smsMt;
  }
  return periods;
}

/** The longest range each granularity may ask for, in days. */
const maxSpanDays: Record<Granularity, number> = { day: 400, week: 800, month: 1100 };

/** Align a requested range to whole periods, with defaults: 30 days, 8 weeks or 6 months up to today. */
export function usageRange(q: OrgUsageQuery, today: string): { from: string; to: string } {
  const to = q.to ?? today;
  let from: string;
  let end: string;
  if (q.granularity === 'week') {
    from = weekStart(q.from ?? addDays(weekStart(to), -7 * 7));
    end = addDays(weekStart(to), 6);
  } else if (q.granularity === 'month') {
    from = monthStart(q.from ?? monthsBack(to, 5));
    end = monthEnd(to);
  } else {
    from = q.from ?? addDays(to, -29);
    end = to;
  }
  const span = (parseDay(end).getTime() - parseDay(from).getTime()) / dayMs;
  if (span > maxSpanDays[q.granularity]) {
    throw invalidField(
      'from',
      `a range by ${q.granularity} may span at most ${maxSpanDays[q.granularity]} days`,
      'range_too_long',
      { days: maxSpanDays[q.granularity] },
    );
  }
  return { from, to: end };
}

function totalsOf(periods: UsagePeriod[]) {
  return periods.reduce(
    (a, p) => ({
      dataUp: a.dataUp + p.dataUp,
      dataDown: a.dataDown + p.dataDown,
      smsMo: a.smsMo + p.smsMo,
      smsMt: a.smsMt + p.smsMt,
    }),
    { dataUp: 0, dataDown: 0, smsMo: 0, smsMt: 0 },
  );
}

/** An organisation's usage by day, week or month, from the daily rollup; every period present. */
export async function orgUsage(ctx: AppContext, orgId: string, q: OrgUsageQuery): Promise<OrgUsage> {
  const { from, to } = usageRange(q, isoDay(ctx.clock.now()));
  const periods = bucket(q.granularity, from, to, await orgDailyUsage(ctx.db, orgId, from, to));
  return { granularity: q.granularity, from, to, periods, totals: totalsOf(periods) };
}

/** The dashboard's charts: the last six months and the last eight weeks, read in one query. */
export async function recentUsage(db: Db, orgId: string, today: string) {
  const months = usageRange({ granularity: 'month' }, today);
  const weeks = usageRange({ granularity: 'week' }, today);
  // ISO dates order as strings: the earliest start and the latest end of both ranges
  const from = [months.from, weeks.from].sort()[0] ?? months.from;
  const to = [months.to, weeks.to].sort()[1] ?? months.to;
  const rows = await orgDailyUsage(db, orgId, from, to);
  return {
    months: bucket('month', months.from, months.to, rows),
    weeks: bucket('week', weeks.from, weeks.to, rows),
  };
}

/** The range of a SIM's hourly usage: whole UTC days, at most `maxHourlyDays`, within the hourly retention. */
export function hourlyRange(q: { from?: string; to?: string }, now: Date, retentionDays: number) {
  const today = isoDay(now);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -1);
  const days = (parseDay(to).getTime() - parseDay(from).getTime()) / dayMs + 1;
  if (days > maxHourlyDays) {
    throw invalidField(
      'from',
      `a range by hour may span at most ${maxHourlyDays} days; ask by day for longer ones`,
      'hourly_range_too_long',
      { days: maxHourlyDays },
    );
  }
  const kept = addDays(today, -retentionDays);
  if (from < kept) {
    throw invalidField(
      'from',
      `hourly usage is kept for ${retentionDays} days (from ${kept}); ask by day for older usage`,
      'hourly_retention',
      { days: retentionDays, from: kept },
    );
  }
  return { from, to };
}

type HourRow = { hour: Date; dataUp: number; dataDown: number; smsMo: number; smsMt: number };

/** Every hour from the start of `from` to the end of `to`, with the rows in place and zeros elsewhere. */
function fillHours(from: string, to: string, rows: HourRow[]) {
  const byHour = new Map(rows.map((r) => [r.hour.getTime(), r]));
  const hours = [];
  const end = parseDay(to).getTime() + dayMs;
  for (let t = parseDay(from).getTime(); t < end; t += 3_600_000) {
    const r = byHour.get(t);
    hours.push({
      hour: new Date(t).toISOString(),
      dataUp: r?.dataUp ?? 0,
      dataDown: r?.dataDown ?? 0,
      smsMo: r?.smsMo ?? 0,
      smsMt: r?.smsMt ?? 0,
    });
  }
  return hours;
}

/**
 * A SIM's usage per day from `from` to `to` (default: the last 30 days), every day present, plus totals;
 * by hour (default: yesterday and today) also every hour of those days, from the hourly rows.
 */
export async function simUsage(
  ctx: AppContext,
  orgId: string,
  iccid: string,
  q: { granularity?: 'hour' | 'day'; from?: string; to?: string },
): Promise<SimUsage> {
  const granularity = q.granularity ?? 'day';
  const now = ctx.clock.now();
  // validate before looking the SIM up: a bad range says so for any ICCID
  const { from, to } =
    granularity === 'hour'
      ? hourlyRange(q, now, ctx.config.OPENCMP_HOURLY_RETENTION_DAYS)
      : usageRange({ granularity: 'day', from: q.from, to: q.to }, isoDay(now));
  const sim = await findSim(ctx.db, orgId, iccid);
  if (!sim) throw notFound('SIM');
  const periods = bucket('day', from, to, await dailyUsage(ctx.db, orgId, iccid, from, to));
  const days = periods.map(({ start, dataUp, dataDown, smsMo, smsMt }) => ({
    day: start,
    dataUp,
    dataDown,
    smsMo,
    smsMt,
  }));
  const hours =
    granularity === 'hour'
      ? fillHours(
          from,
          to,
          await hourlyUsage(ctx.db, orgId, iccid, parseDay(from), new Date(parseDay(to).getTime() + dayMs)),
        )
      : undefined;
  const totals = totalsOf(periods);
  return {
    granularity,
    from,
    to,
    days,
    ...(hours ? { hours } : {}),
    totals,
    volume: {
      dataTotal: sim.dataTotal,
      dataUsed: sim.dataUsed,
      smsTotal: sim.smsTotal,
      smsUsed: sim.smsUsed,
    },
  };
}

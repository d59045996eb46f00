/**
 * The daily roll-up of per-SIM usage (decision 026). Accounting writes a SIM's usage to its hourly row
 * only; once a UTC day is over, this sums the day's hourly rows into `sim_usage_daily`, one day at a
 * time, and `sim_usage_days` then reads the day from there. Two steps per day:
 *
 * 1. close: move `daily_from` past the day and mark it `pending`, holding the roll-up's lock
 *    exclusively. Every writer that read the old `daily_from` holds the lock shared to its commit
 *    (`usage_daily_from()`), so once the lock is ours their usage is all in the hourly rows; every later
 *    writer reads the new `daily_from` and writes usage of the day to the late rows as well.
 * 2. sum: add the day's hourly rows less its late rows to the daily rows and clear `pending`, in one
 *    transaction: readers switch from the hourly rows to the daily (+ late) ones at its commit. It takes
 *    no lock writers wait for, however many SIMs the day has.
 *
 * A crash between the steps leaves `pending` set, and the next run sums it.
 */
import { sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';
import { sqlStateOf } from '../../db/retry.js';
import {
  organisations,
  simUsageDaily,
  simUsageHourly,
  simUsageLate,
  usageRollup,
} from '../../db/schema/index.js';
import { addExcludedUsage } from './usage.repository.js';

/** How long after a UTC day ends it is closed: usage a batch slotted just before midnight lands first. */
export const ROLLUP_GRACE_MS = 10 * 60_000;

const NEVER = '-infinity';
const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export interface RollupState {
  /** The first day not closed, YYYY-MM-DD, or '-infinity' before the first roll-up. */
  dailyFrom: string;
  /** A closed day not yet summed, or null. */
  pending: string | null;
}

export async function readRollupState(db: Db): Promise<RollupState> {
  const [row] = await db.select().from(usageRollup);
  if (!row) throw new Error('usage_rollup has no row (migration 0034)');
  return { dailyFrom: row.dailyFrom, pending: row.pending };
}

/** How long the close waits for the writers in flight; writers arriving meanwhile queue behind it. */
const CLOSE_LOCK_TIMEOUT = '100ms';

/** The close gave up waiting for the writers in flight (`CLOSE_LOCK_TIMEOUT`); try again later. */
export const isCloseTimeout = (err: unknown) => sqlStateOf(err) === '55P03';

/**
 * Step 1 for the first day not closed, if it ended `ROLLUP_GRACE_MS` before `now`. Before the first
 * roll-up (`-infinity`) it moves `daily_from` to the first day of the hourly rows, or to today when there
 * are none: no day before it has hourly rows to sum. Returns what moved: the day now pending, 'started'
 * for that first move, or null when nothing did.
 *
 * The exclusive lock is asked for only when there is a day to close, and waited for at most
 * `CLOSE_LOCK_TIMEOUT` (then it throws, `isCloseTimeout`): while the request waits, writers queue behind
 * it, and a writer holding rows another writer waits for could otherwise close a cycle that only
 * PostgreSQL's deadlock detection breaks, a second later.
 */
export async function closeDay(db: Db, now: Date): Promise<string | null> {
  const lastClosable = new Date(now.getTime() - ROLLUP_GRACE_MS - 86_400_000).toISOString().slice(0, 10);
  const today = now.toISOString().slice(0, 10);
  const due = (state: RollupState) =>
    state.pending === null && (state.dailyFrom === NEVER || state.dailyFrom <= lastClosable);
  if (!due(await readRollupState(db))) return null;
  return db.transaction(async (tx) => {
    // waits for the writers that read daily_from to commit; later ones wait for this transaction
    await tx.execute(sql.raw(`SET LOCAL lock_timeout = '${CLOSE_LOCK_TIMEOUT}'`));
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('usage-rollup'))`);
    const state = await readRollupState(tx);
    if (!due(state)) return null;
    if (state.dailyFrom === NEVER) {
      // least() passes over the null of no hourly rows; min(hour) reads the end of its index
      await tx.execute(sql`
        UPDATE ${usageRollup} SET daily_from = least(${today}::date,
          ((SELECT min(${simUsageHourly.hour}) FROM ${simUsageHourly}) AT TIME ZONE 'UTC')::date)`);
      return 'started';
    }
    await tx.execute(
      sql`UPDATE ${usageRollup} SET daily_from = ${nextDay(state.dailyFrom)}, pending = ${state.dailyFrom}`,
    );
    return state.dailyFrom;
  });
}

/**
 * Step 2: sum the pending day's hourly rows, less its late rows (usage written to both after the
 * close), into the daily rows, and clear `pending`. A SIM's day belongs to the organisation of its first
 * hour, as the daily row written with the first usage of the day did (a transfer during the day).
 * Rows of organisations deleted since are left out.
 * Returns the day and how many SIMs it had, or null when no day was pending.
 */
export async function sumPendingDay(db: Db): Promise<{ day: string; sims: number } | null> {
  return db.transaction(async (tx) => {
    // one summing at a time, and never a day another run already summed
    const [row] = await selectRows<{ pending: string | null }>(
      tx,
      sql`SELECT pending::text FROM ${usageRollup} FOR UPDATE`,
    );
    const day = row?.pending ?? null;
    if (day === null) return null;
    const [summed] = await selectRows<{ n: number }>(
      tx,
      sql`
      WITH summed AS (
        INSERT INTO ${simUsageDaily} AS t (org_id, iccid, day, data_up, data_down, sms_mo, sms_mt)
        SELECT (array_agg(x.org_id ORDER BY x.hour))[1], x.iccid, ${day}::date, sum(x.data_up),
          sum(x.data_down), sum(x.sms_mo), sum(x.sms_mt)
        FROM (
          SELECT org_id, iccid, hour, data_up, data_down, sms_mo, sms_mt FROM ${simUsageHourly}
          WHERE hour >= ${day}::timestamp AT TIME ZONE 'UTC'
            AND hour < (${day}::date + 1)::timestamp AT TIME ZONE 'UTC'
          UNION ALL
          SELECT org_id, iccid, NULL, -data_up, -data_down, -sms_mo, -sms_mt FROM ${simUsageLate}
          WHERE day = ${day}::date
        ) x
        WHERE x.org_id IN (SELECT ${organisations.id} FROM ${organisations})
        GROUP BY x.iccid ORDER BY x.iccid
        ON CONFLICT (iccid, day) DO UPDATE SET ${addExcludedUsage}
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM summed`,
    );
    await tx.execute(sql`UPDATE ${usageRollup} SET pending = NULL`);
    return { day, sims: summed?.n ?? 0 };
  });
}

/**
 * Close and sum every day that ended `ROLLUP_GRACE_MS` before `now` and is not summed yet (after a
 * stop, all the days missed). A close that timed out is tried again after a pause, a few times; then
 * the run fails and the next one tries again. Returns the days summed.
 */
export async function rollUpUsage(
  db: Db,
  now: Date,
  opts: { attempts?: number; pauseMs?: number } = {},
): Promise<{ day: string; sims: number }[]> {
  const { attempts = 5, pauseMs = 1_000 } = opts;
  const done: { day: string; sims: number }[] = [];
  for (let failed = 0; ; ) {
    const summed = await sumPendingDay(db);
    if (summed) done.push(summed);
    try {
      if ((await closeDay(db, now)) === null) return done;
    } catch (err) {
      if (!isCloseTimeout(err) || ++failed >= attempts) throw err;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}

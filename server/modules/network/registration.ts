/**
 * The `attached` session state: registered on the network, no data session (PRODUCT.md §3). RADIUS
 * only sees data sessions, so registration is inferred from what else the network reports of the SIM
 * (decision 023): an MO SMS it sent, or an MT SMS the SMS centre delivered to it. Either proves that
 * the device was registered at that moment; an offline SIM then shows `attached`, and its last seen moves.
 *
 * A registration the platform hears nothing more of ends without a word: the network detaches a
 * device that misses its periodic update (3GPP TS 24.301: T3412, 54 minutes by default, plus the
 * mobile reachable and implicit detach timers of 4 minutes each). So after `ATTACHED_SILENCE_MS`
 * without a sign of life an attached SIM goes offline again (`detachSilentSims`, every minute).
 * A data session (online) or a refusal of service (blocked) says more than a registration, and stays.
 *
 * `blocked` (decision 025) is the platform's word: it refused the SIM's data session. It ends with a
 * data session, with a change that may remove the cause (a trigger on `sims`, migration 0032; a higher
 * monthly data limit, `liftLimitBlocks`), or after the same time without a refusal (`refused_at`): a
 * device that keeps trying is refused again; one that stopped asking is no longer known to be refused,
 * however much it sends by SMS.
 */
import { sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';

/** How long an attached SIM stays attached without a sign of life. */
export const ATTACHED_SILENCE_MS = 62 * 60_000;

/** SIMs reset per statement by the sweep. */
const chunk = 1000;

/** A SIM heard from (an SMS to or from it) and when. */
export interface Heard {
  iccid: string;
  at: Date;
}

/**
 * These SIMs were heard from (an SMS to or from them), each at its `at`: every one's last seen is at
 * least that, and an offline one is attached — unless the sign of life is older than
 * `ATTACHED_SILENCE_MS` (a receipt the SMS centre queued while the ESME was away), after which the
 * network has detached a silent device anyway, or older than its last seen (a data session's Stop
 * since then took it offline, which says more). Call it last in its transaction: a change of session
 * state locks the organisation's counters (`sim_counts`), which accounting takes after its usage rows.
 * A SIM another transaction holds (an accounting batch, mostly of a SIM online anyway) is skipped,
 * not waited for: a hint of registration is not worth a deadlock with the AAA.
 */
export async function noteRegistered(db: Db, heard: Heard[], now: Date): Promise<void> {
  if (heard.length === 0) return;
  const latest = new Map<string, number>();
  for (const { iccid, at } of heard) latest.set(iccid, Math.max(latest.get(iccid) ?? 0, at.getTime()));
  const iccids = [...latest.keys()].sort();
  const ats = iccids.map((i) => new Date(latest.get(i) as number).toISOString());
  const attachSince = new Date(now.getTime() - ATTACHED_SILENCE_MS).toISOString();
  // offline, and the sign of life recent and not older than the last word of the network (a Stop
  // that took the SIM offline after the queued receipt's delivery says more)
  const attach = sql`(s.session_state = 'offline' AND h.at > ${attachSince}::timestamptz
    AND (s.last_seen_at IS NULL OR h.at >= s.last_seen_at))`;
  await db.execute(sql`
    WITH h AS (
      SELECT * FROM unnest(${sql.param(iccids)}::text[], ${sql.param(ats)}::timestamptz[]) AS h(iccid, at)
    ), heard AS (
      SELECT s.iccid, h.at, ${attach} AS attach
      FROM sims s JOIN h ON h.iccid = s.iccid
      WHERE s.org_id IS NOT NULL AND (${attach} OR s.last_seen_at IS NULL OR s.last_seen_at < h.at)
      ORDER BY s.iccid
      FOR UPDATE OF s SKIP LOCKED
    )
    UPDATE sims s SET
      session_state = CASE WHEN heard.attach THEN 'attached' ELSE s.session_state END,
      last_seen_at = greatest(s.last_seen_at, heard.at),
      updated_at = now()
    FROM heard WHERE s.iccid = heard.iccid`);
}

/**
 * How long the platform must have been listening before silence counts: after a restart the SMS
 * centre hands over what it queued (MOs, receipts) within minutes. Not the whole silence: a worker
 * restarted more often than that would otherwise never take a SIM offline.
 */
export const LISTENING_MS = 5 * 60_000;

/**
 * Attached SIMs not heard from since `cutoff`, and blocked SIMs not refused since, go offline (each
 * state read through its partial index, `sims_attached_idx` and `sims_blocked_idx`); returns how many.
 * Not before the platform has been listening for `LISTENING_MS` (since `listeningSince`: the worker's
 * start, which guards the refusals only when the AAA runs in the same process; a SIM taken offline
 * too early is blocked again by its next refusal), and skipping SIMs another transaction holds.
 */
export async function detachSilentSims(
  db: Db,
  cutoff: Date,
  listeningSince: Date,
  now: Date,
): Promise<number> {
  if (now.getTime() - listeningSince.getTime() < LISTENING_MS) return 0;
  let detached = 0;
  // the state as a literal, so that the planner matches the partial index's predicate
  const sweeps = [
    [sql.raw(`'attached'`), sql.raw('last_seen_at')],
    [sql.raw(`'blocked'`), sql.raw('refused_at')],
  ];
  for (const [state, since] of sweeps) {
    for (;;) {
      const rows = await selectRows<{ n: number }>(
        db,
        sql`WITH silent AS (
              SELECT iccid FROM sims
              WHERE session_state = ${state}
                AND (${since} IS NULL OR ${since} < ${cutoff.toISOString()}::timestamptz)
              ORDER BY iccid LIMIT ${chunk}
              FOR UPDATE SKIP LOCKED
            ), gone AS (
              UPDATE sims s SET session_state = 'offline', updated_at = now()
              FROM silent WHERE s.iccid = silent.iccid
              RETURNING 1
            )
            SELECT count(*)::int AS n FROM gone`,
      );
      const n = rows[0]?.n ?? 0;
      detached += n;
      if (n < chunk) break;
    }
  }
  return detached;
}

/**
 * The organisation's monthly data limits went up or away: its blocked SIMs are offline again, as
 * after any change that may remove the cause (the refusal does not say which; if another stands, the
 * next Access-Request blocks the SIM again). Locks them in ICCID order and waits for any held.
 */
export async function liftLimitBlocks(db: Db, orgId: string): Promise<void> {
  await db.execute(sql`
    WITH lifted AS (
      SELECT iccid FROM sims WHERE org_id = ${orgId} AND session_state = 'blocked'
      ORDER BY iccid FOR UPDATE
    )
    UPDATE sims s SET session_state = 'offline', updated_at = now()
    FROM lifted WHERE s.iccid = lifted.iccid`);
}

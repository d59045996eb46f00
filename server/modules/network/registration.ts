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
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { selectRows } from '../../db/client.js';

/** How long an attached SIM stays attached without a sign of life. */
export const ATTACHED_SILENCE_MS = 62 * 60_000;

/** SIMs reset per statement by the sweep. */
const chunk = 1000;

/**
 * These SIMs were heard from at `at` (an SMS to or from them): an offline one is attached now, and
 * every one's last seen is at least `at`.
 */
export async function noteRegistered(db: Db, iccids: string[], at: Date): Promise<void> {
  if (iccids.length === 0) return;
  await db.execute(sql`
    UPDATE sims SET
      session_state = CASE WHEN session_state = 'offline' THEN 'attached' ELSE session_state END,
      last_seen_at = greatest(last_seen_at, ${at.toISOString()}::timestamptz),
      updated_at = now()
    WHERE iccid = ANY(${sql.param([...new Set(iccids)].sort())}::text[]) AND org_id IS NOT NULL
      AND (session_state = 'offline' OR last_seen_at IS NULL OR last_seen_at < ${at.toISOString()}::timestamptz)`);
}

/**
 * Attached SIMs not heard from since `cutoff` go offline (they are read through the partial index of
 * attached SIMs, `sims_attached_idx`); returns how many. Only when the platform was there to hear
 * them since the cutoff (`listeningSince`): after a restart, silence is not the network's.
 */
export async function detachSilentSims(db: Db, cutoff: Date, listeningSince: Date): Promise<number> {
  if (listeningSince > cutoff) return 0;
  let detached = 0;
  for (;;) {
    const rows = await selectRows<{ n: number }>(
      db,
      sql`WITH silent AS (
            SELECT iccid FROM sims
            WHERE session_state = 'attached' AND (last_seen_at IS NULL OR last_seen_at < ${cutoff.toISOString()}::timestamptz)
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
    if (n < chunk) return detached;
  }
}

/**
 * Sessions the network stopped reporting. A Stop is one UDP datagram: a NAS that dies or reboots
 * without Accounting-On, or a Stop lost after all its retries, would leave the session — and its SIM —
 * "online" for ever, and the portal would no longer show what the network did. A session without
 * accounting for RADIUS_STALE_SESSION_SECONDS (16 minutes by default: three of the 5-minute Interims
 * the Access-Accept asks for, and a minute's grace) is closed with the cause `Accounting-Timeout`
 * (event 5); its SIM goes offline unless another of its sessions is open.
 *
 * A NAS that reports less often than asked is not punished with lost usage: its next Interim or
 * Stop reopens the session and counts the growth since its last record (accounting.service.ts).
 *
 * The time of last accounting is the session's `updated_at`, written by every record that changes
 * the session and, for an idle one, once a minute. There is deliberately no index on it: each
 * Interim changes it, and an index would take every accounting update off the heap-only path
 * (decision 013). The sweep reads the open sessions through their partial index instead, once a
 * minute.
 */
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { selectRows } from '../../db/client.js';
import { retryOnConflict } from '../../db/retry.js';
import { recordEvents } from '../events/events.service.js';
import { sessionEnded } from './accounting.service.js';
import { STALE_CAUSE } from './network-data.js';

/** Sessions closed per transaction. */
const chunk = 1000;

/**
 * Close every open session that has had no accounting for the timeout while the platform was there
 * to hear it (since `listeningSince`): after a restart, what the network sent while the AAA was down
 * is not the network's silence, and the NASes' retransmits are still on their way. Returns how many.
 */
export async function closeStaleSessions(ctx: AppContext, listeningSince: Date): Promise<number> {
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - ctx.config.RADIUS_STALE_SESSION_SECONDS * 1000);
  if (listeningSince > cutoff) return 0;
  let closed = 0;
  for (;;) {
    const n = await retryOnConflict(() =>
      ctx.db.transaction(async (tx) => {
        // sessions an accounting batch holds are being reported right now: skipped, not waited for
        const rows = await selectRows<{
          iccid: string;
          org_id: string;
          session_id: string;
          input_octets: string;
          output_octets: string;
          last_accounting: string;
        }>(
          tx,
          sql`WITH stale AS (
                SELECT nas_address, session_id, updated_at FROM radius_sessions
                WHERE stopped_at IS NULL AND updated_at < ${cutoff.toISOString()}::timestamptz
                ORDER BY nas_address, session_id LIMIT ${chunk}
                FOR UPDATE SKIP LOCKED
              )
              UPDATE radius_sessions r
              SET stopped_at = ${now.toISOString()}::timestamptz, stop_cause = ${STALE_CAUSE},
                reset_requested_at = NULL
              FROM stale WHERE r.nas_address = stale.nas_address AND r.session_id = stale.session_id
              RETURNING r.iccid, r.org_id::text, r.session_id, r.input_octets::text, r.output_octets::text,
                stale.updated_at AS last_accounting`,
        );
        if (rows.length === 0) return 0;
        await tx.execute(sql`
          UPDATE sims s SET session_state = 'offline', updated_at = ${now.toISOString()}::timestamptz
          WHERE s.iccid = ANY(${sql.param([...new Set(rows.map((r) => r.iccid))])}::text[])
            AND s.session_state = 'online'
            AND NOT EXISTS (SELECT 1 FROM radius_sessions o WHERE o.iccid = s.iccid AND o.stopped_at IS NULL)`);
        await recordEvents(
          tx,
          rows.map((r) =>
            sessionEnded(
              {
                orgId: r.org_id,
                iccid: r.iccid,
                sessionId: r.session_id,
                inputOctets: Number(r.input_octets),
                outputOctets: Number(r.output_octets),
              },
              STALE_CAUSE,
              now,
              { lastAccountingAt: new Date(r.last_accounting).toISOString() },
            ),
          ),
        );
        return rows.length;
      }),
    );
    closed += n;
    if (n < chunk) return closed;
  }
}

/** Queries of the network side: NAS clients, RADIUS sessions, the disconnect outbox, AAA counters. */
import { asc, eq, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';
import {
  disconnectRequests,
  nasClients,
  radiusCounters,
  type radiusSessions,
} from '../../db/schema/index.js';

export type NasClientRow = typeof nasClients.$inferSelect;
export type SessionRow = typeof radiusSessions.$inferSelect;
export type DisconnectRow = typeof disconnectRequests.$inferSelect;
export type DisconnectReason = DisconnectRow['reason'];

export async function listNasClients(db: Db): Promise<NasClientRow[]> {
  return db.select().from(nasClients).orderBy(asc(nasClients.name));
}

export async function findNasClient(db: Db, id: string): Promise<NasClientRow | undefined> {
  const [row] = await db.select().from(nasClients).where(eq(nasClients.id, id)).limit(1);
  return row;
}

export async function insertNasClient(db: Db, values: typeof nasClients.$inferInsert) {
  const [row] = await db.insert(nasClients).values(values).returning();
  return row as NasClientRow;
}

export async function updateNasClient(db: Db, id: string, values: Partial<typeof nasClients.$inferInsert>) {
  const [row] = await db
    .update(nasClients)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(nasClients.id, id))
    .returning();
  return row;
}

export async function deleteNasClient(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(nasClients).where(eq(nasClients.id, id)).returning({ id: nasClients.id });
  return rows.length > 0;
}

/** A cheap fingerprint of the NAS client table: changes whenever a client is added, changed or removed. */
export async function nasSignature(db: Db): Promise<string> {
  const [row] = await selectRows<{ n: string; t: string | null }>(
    db,
    sql`SELECT count(*)::text AS n, max(updated_at)::text AS t FROM nas_clients`,
  );
  return `${row?.n}:${row?.t}`;
}

/**
 * Queue a Disconnect-Request for every open session of the given SIMs and mark them "reset pending";
 * one statement, so a bulk deactivation of thousands of SIMs stays cheap. Returns how many were queued.
 */
export async function queueDisconnects(
  db: Db,
  iccids: string[],
  reason: DisconnectReason,
  at: Date,
): Promise<number> {
  if (iccids.length === 0) return 0;
  const rows = await selectRows<{ id: number }>(
    db,
    sql`WITH s AS (
          UPDATE radius_sessions SET reset_requested_at = coalesce(reset_requested_at, ${at.toISOString()}::timestamptz)
          WHERE iccid = ANY(${sql.param(iccids)}::text[]) AND stopped_at IS NULL
          RETURNING nas_address, session_id, iccid, org_id)
        INSERT INTO disconnect_requests (nas_address, session_id, iccid, org_id, reason)
        SELECT nas_address, session_id, iccid, org_id, ${reason} FROM s
        RETURNING id`,
  );
  return rows.length;
}

/** Whether a SIM has an open session waiting for the Stop that a Disconnect-Request asked for. */
export async function resetPending(db: Db, iccid: string): Promise<boolean> {
  const rows = await selectRows<{ one: number }>(
    db,
    sql`SELECT 1 AS one FROM radius_sessions
        WHERE iccid = ${iccid} AND stopped_at IS NULL AND reset_requested_at IS NOT NULL LIMIT 1`,
  );
  return rows.length > 0;
}

/** How many sessions are open right now. */
export async function openSessionCount(db: Db): Promise<number> {
  const [row] = await selectRows<{ n: string }>(
    db,
    sql`SELECT count(*)::text AS n FROM radius_sessions WHERE stopped_at IS NULL`,
  );
  return Number(row?.n ?? 0);
}

/** Claim up to `limit` pending disconnects (and ones a crashed process left in `sending`). */
export async function claimDisconnects(db: Db, limit: number, at: Date): Promise<DisconnectRow[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    sql`UPDATE disconnect_requests SET state = 'sending', claimed_at = ${at.toISOString()}::timestamptz
        WHERE id IN (
          SELECT id FROM disconnect_requests
          WHERE state = 'pending'
             OR (state = 'sending' AND claimed_at < ${new Date(at.getTime() - 60_000).toISOString()}::timestamptz)
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id, nas_address, session_id, iccid, org_id, reason`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    nasAddress: String(r.nas_address),
    sessionId: String(r.session_id),
    iccid: String(r.iccid),
    orgId: String(r.org_id),
    reason: r.reason as DisconnectReason,
    state: 'sending',
    errorCause: null,
    createdAt: at,
    claimedAt: at,
    finishedAt: null,
  }));
}

export async function finishDisconnect(
  db: Db,
  id: number,
  state: DisconnectRow['state'],
  errorCause: number | null,
  at: Date,
) {
  await db
    .update(disconnectRequests)
    .set({ state, errorCause, finishedAt: at })
    .where(eq(disconnectRequests.id, id));
}

export async function findSession(db: Db, nasAddress: string, sessionId: string) {
  const [row] = await selectRows<{
    user_name: string | null;
    framed_ip: string | null;
    calling_station_id: string | null;
    stopped_at: string | null;
  }>(
    db,
    sql`SELECT user_name, framed_ip, calling_station_id, stopped_at::text FROM radius_sessions
        WHERE nas_address = ${nasAddress} AND session_id = ${sessionId}`,
  );
  return row;
}

/** Clear "reset pending" (the NAS refused or did not answer); optionally close the session it no longer knows. */
export async function settleReset(
  db: Db,
  nasAddress: string,
  sessionId: string,
  close: string | null,
  at: Date,
) {
  await db.execute(sql`
    UPDATE radius_sessions SET reset_requested_at = NULL,
      stopped_at = CASE WHEN ${close}::text IS NULL THEN stopped_at ELSE coalesce(stopped_at, ${at.toISOString()}::timestamptz) END,
      stop_cause = CASE WHEN ${close}::text IS NULL THEN stop_cause ELSE coalesce(stop_cause, ${close}::text) END
    WHERE nas_address = ${nasAddress} AND session_id = ${sessionId}`);
}

/** Store this process's AAA counters. */
export async function saveCounters(db: Db, instance: string, counters: Record<string, number>, at: Date) {
  await db
    .insert(radiusCounters)
    .values({ instance, counters, updatedAt: at })
    .onConflictDoUpdate({ target: radiusCounters.instance, set: { counters, updatedAt: at } });
}

/** Counters of AAA processes that reported since `since`. */
export async function recentCounters(db: Db, since: Date) {
  return db
    .select()
    .from(radiusCounters)
    .where(sql`${radiusCounters.updatedAt} >= ${since.toISOString()}::timestamptz`);
}

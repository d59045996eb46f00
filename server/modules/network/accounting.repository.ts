/**
 * The statements of an accounting batch (accounting.service.ts): the batch's sessions locked and read,
 * its SIMs' network data read, and both written back — each one set-based statement over arrays,
 * however many packets the batch holds.
 */
import { sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';

/** A RADIUS session as the batch reads and changes it; `dirty` ones are written back. */
export interface SessionState {
  nasAddress: string;
  sessionId: string;
  iccid: string;
  orgId: string;
  userName: string | null;
  callingStationId: string | null;
  framedIp: string | null;
  inputOctets: number;
  outputOctets: number;
  startedAt: string;
  updatedAt: string;
  stoppedAt: string | null;
  stopCause: string | null;
  dirty: boolean;
}

/** A SIM's network data as the batch reads it. */
export interface SimNetRow {
  iccid: string;
  org_id: string;
  imsi: string;
  imei: string | null;
  bearer: string | null;
  mcc_mnc: string | null;
  operator_name: string | null;
  country: string | null;
  cell: string | null;
  session_state: string;
  last_seen_at: string | null;
  last_seen_ms: number | null;
}

/** A SIM's network data as the batch changes it; `dirty` ones are written back. */
export interface SimNet extends SimNetRow {
  dirty: boolean;
  /** offline requested by a Stop; online by a Start/Interim. */
  state: 'online' | 'offline' | null;
}

/**
 * Lock and read the batch's sessions, by (NAS address, Acct-Session-Id), plus every open session of
 * the NASes that sent Accounting-On/Off; keyed `nas\u0000session`.
 */
export async function lockSessions(
  tx: Db,
  keyNas: string[],
  keySid: string[],
  resetNas: string[],
  nowIso: string,
): Promise<Map<string, SessionState>> {
  // timestamps as text: they are only written back, and parsing a Date per row costs more than the rest
  const columns = sql`r.nas_address, r.session_id, r.iccid, r.org_id::text, r.user_name, r.calling_station_id,
    r.framed_ip, r.input_octets::text, r.output_octets::text, r.started_at::text, r.updated_at::text,
    r.stopped_at::text, r.stop_cause`;
  // Two statements, not one with OR: an OR of the key list and the NAS condition cannot use either
  // index, and the planner scanned the whole table for every batch (~30 ms at 100,000 sessions).
  const sessionRows =
    keyNas.length > 0
      ? await selectRows<Record<string, unknown>>(
          tx,
          sql`SELECT ${columns}
              FROM unnest(${sql.param(keyNas)}::text[], ${sql.param(keySid)}::text[]) AS k(nas, sid)
              JOIN radius_sessions r ON r.nas_address = k.nas AND r.session_id = k.sid
              FOR UPDATE OF r`,
        )
      : [];
  if (resetNas.length > 0) {
    sessionRows.push(
      ...(await selectRows<Record<string, unknown>>(
        tx,
        sql`SELECT ${columns} FROM radius_sessions r
            WHERE r.nas_address = ANY(${sql.param(resetNas)}::text[]) AND r.stopped_at IS NULL
            FOR UPDATE OF r`,
      )),
    );
  }
  const sessions = new Map<string, SessionState>();
  for (const r of sessionRows) {
    const s: SessionState = {
      nasAddress: String(r.nas_address),
      sessionId: String(r.session_id),
      iccid: String(r.iccid),
      orgId: String(r.org_id),
      userName: (r.user_name as string | null) ?? null,
      callingStationId: (r.calling_station_id as string | null) ?? null,
      framedIp: (r.framed_ip as string | null) ?? null,
      inputOctets: Number(r.input_octets),
      outputOctets: Number(r.output_octets),
      startedAt: (r.started_at as string | null) ?? nowIso,
      updatedAt: (r.updated_at as string | null) ?? nowIso,
      stoppedAt: (r.stopped_at as string | null) ?? null,
      stopCause: (r.stop_cause as string | null) ?? null,
      dirty: false,
    };
    sessions.set(`${s.nasAddress}\u0000${s.sessionId}`, s);
  }
  return sessions;
}

/** The customer SIMs of the batch (by IMSI or ICCID, and those of its sessions), keyed by both. */
export async function simsOfBatch(
  tx: Db,
  identities: string[],
  iccidsOfSessions: string[],
): Promise<Map<string, SimNet>> {
  const simRows = await selectRows<SimNetRow>(
    tx,
    sql`SELECT iccid, org_id::text, imsi, imei, bearer, mcc_mnc, operator_name, country, cell, session_state,
               last_seen_at::text, (extract(epoch FROM last_seen_at) * 1000)::float8 AS last_seen_ms
        FROM sims
        WHERE (imsi = ANY(${sql.param(identities)}::text[]) OR iccid = ANY(${sql.param([...identities, ...iccidsOfSessions])}::text[]))
          AND org_id IS NOT NULL`,
  );
  const simsByKey = new Map<string, SimNet>();
  for (const row of simRows) {
    const s: SimNet = {
      ...row,
      last_seen_ms: row.last_seen_ms === null ? null : Number(row.last_seen_ms),
      dirty: false,
      state: null,
    };
    simsByKey.set(row.iccid, s);
    simsByKey.set(row.imsi, s);
  }
  return simsByKey;
}

/** Write the changed sessions back (new ones inserted). */
export async function saveSessions(tx: Db, dirtySessions: SessionState[]) {
  const col = <K extends keyof SessionState>(k: K) => sql.param(dirtySessions.map((s) => s[k]));
  await tx.execute(sql`
    INSERT INTO radius_sessions (nas_address, session_id, iccid, org_id, user_name, calling_station_id, framed_ip,
      input_octets, output_octets, started_at, updated_at, stopped_at, stop_cause)
    SELECT * FROM unnest(${col('nasAddress')}::text[], ${col('sessionId')}::text[], ${col('iccid')}::text[],
      ${col('orgId')}::uuid[], ${col('userName')}::text[], ${col('callingStationId')}::text[], ${col('framedIp')}::text[],
      ${col('inputOctets')}::bigint[], ${col('outputOctets')}::bigint[], ${col('startedAt')}::timestamptz[],
      ${col('updatedAt')}::timestamptz[], ${col('stoppedAt')}::timestamptz[], ${col('stopCause')}::text[])
    ON CONFLICT (nas_address, session_id) DO UPDATE SET
      input_octets = excluded.input_octets, output_octets = excluded.output_octets,
      framed_ip = excluded.framed_ip, updated_at = excluded.updated_at,
      stopped_at = excluded.stopped_at, stop_cause = excluded.stop_cause,
      reset_requested_at = CASE WHEN excluded.stopped_at IS NULL THEN radius_sessions.reset_requested_at END`);
}

/**
 * Write the changed SIMs' network data back. A SIM asked to go offline stays online while another of
 * its sessions is open.
 */
export async function saveSimNetwork(tx: Db, dirtySims: SimNet[]) {
  const col = <K extends keyof SimNet>(k: K) => sql.param(dirtySims.map((s) => s[k]));
  await tx.execute(sql`
    UPDATE sims AS s SET
      session_state = CASE
        WHEN u.state = 'online' THEN 'online'
        WHEN u.state = 'offline' THEN
          CASE WHEN EXISTS (SELECT 1 FROM radius_sessions r WHERE r.iccid = s.iccid AND r.stopped_at IS NULL)
               THEN 'online' ELSE 'offline' END
        ELSE s.session_state END,
      last_seen_at = u.seen, imei = u.imei, bearer = u.bearer, mcc_mnc = u.mcc_mnc,
      operator_name = u.operator_name, country = u.country, cell = u.cell, updated_at = now()
    FROM unnest(${col('iccid')}::text[], ${col('state')}::text[], ${col('last_seen_at')}::timestamptz[],
      ${col('imei')}::text[], ${col('bearer')}::text[], ${col('mcc_mnc')}::text[], ${col('operator_name')}::text[],
      ${col('country')}::text[], ${col('cell')}::text[])
      AS u(iccid, state, seen, imei, bearer, mcc_mnc, operator_name, country, cell)
    WHERE s.iccid = u.iccid`);
}

/** The SIMs with an open session in these organisations. */
export async function openSessionIccids(tx: Db, orgIds: string[]): Promise<string[]> {
  const rows = await selectRows<{ iccid: string }>(
    tx,
    sql`SELECT DISTINCT iccid FROM radius_sessions WHERE org_id = ANY(${sql.param(orgIds)}::uuid[]) AND stopped_at IS NULL`,
  );
  return rows.map((r) => r.iccid);
}

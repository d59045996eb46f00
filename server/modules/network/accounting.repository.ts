/**
 * The statements of an accounting batch (accounting.service.ts): the batch's sessions locked and read,
 * its SIMs' network data read, and both written back — each one set-based statement over arrays,
 * however many packets the batch holds.
 */
import { sql } from 'drizzle-orm';
import { type Db, preparedRows, selectRows } from '../../db/client.js';

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
  /** `updatedAt` as read, in ms (null for a new session): an unchanged session's is refreshed once a minute. */
  updatedMs: number | null;
  stoppedAt: string | null;
  stopCause: string | null;
  /** Read from the table (updated when dirty), not new in this batch (inserted). */
  stored: boolean;
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

/** The key of a session in the batch's Map: NAS address and Acct-Session-Id. */
export const sessionKey = (nasAddress: string, sessionId: string) => `${nasAddress}\u0000${sessionId}`;

/** A nullable text column of a raw row. */
const textOrNull = (v: unknown) => (v as string | null) ?? null;

/** The SIM columns every read of the batch returns, as `SimNetRow`. */
const simColumns = sql`s.iccid AS sim_iccid, s.org_id::text AS sim_org_id, s.imsi, s.imei, s.bearer, s.mcc_mnc,
  s.operator_name, s.country, s.cell, s.session_state, s.last_seen_at::text AS last_seen_at,
  (extract(epoch FROM s.last_seen_at) * 1000)::float8 AS last_seen_ms`;

/** Add the SIM of a row to the batch's SIMs (keyed by ICCID and IMSI), once: sessions of one SIM share it. */
function addSim(sims: Map<string, SimNet>, row: Record<string, unknown>) {
  const iccid = textOrNull(row.sim_iccid);
  if (!iccid || sims.has(iccid)) return;
  const sim: SimNet = {
    iccid,
    org_id: String(row.sim_org_id),
    imsi: String(row.imsi),
    imei: textOrNull(row.imei),
    bearer: textOrNull(row.bearer),
    mcc_mnc: textOrNull(row.mcc_mnc),
    operator_name: textOrNull(row.operator_name),
    country: textOrNull(row.country),
    cell: textOrNull(row.cell),
    session_state: String(row.session_state),
    last_seen_at: textOrNull(row.last_seen_at),
    last_seen_ms:
      row.last_seen_ms === null || row.last_seen_ms === undefined ? null : Number(row.last_seen_ms),
    dirty: false,
    state: null,
  };
  sims.set(iccid, sim);
  sims.set(sim.imsi, sim);
}

/**
 * Lock and read the batch's sessions, by (NAS address, Acct-Session-Id), plus every open session of
 * the NASes that sent Accounting-On/Off, keyed by `sessionKey`; and with them, in the same
 * statement, their SIMs' network data (customer SIMs only), keyed by ICCID and IMSI.
 */
export async function lockSessions(
  tx: Db,
  keyNas: string[],
  keySid: string[],
  resetNas: string[],
  nowIso: string,
): Promise<{ sessions: Map<string, SessionState>; sims: Map<string, SimNet> }> {
  // timestamps as text: they are only written back, and parsing a Date per row costs more than the rest
  const columns = sql`r.nas_address, r.session_id, r.iccid, r.org_id::text, r.user_name, r.calling_station_id,
    r.framed_ip, r.input_octets::text, r.output_octets::text, r.started_at::text, r.updated_at::text,
    (extract(epoch FROM r.updated_at) * 1000)::float8 AS updated_ms, r.stopped_at::text, r.stop_cause, ${simColumns}`;
  // Two statements, not one with OR: an OR of the key list and the NAS condition cannot use either
  // index, and the planner scanned the whole table for every batch (~30 ms at 100,000 sessions).
  const sessionRows =
    keyNas.length > 0
      ? await preparedRows<Record<string, unknown>>(
          tx,
          'accounting-lock-sessions',
          sql`SELECT ${columns}
              FROM unnest(${sql.param(keyNas)}::text[], ${sql.param(keySid)}::text[]) AS k(nas, sid)
              JOIN radius_sessions r ON r.nas_address = k.nas AND r.session_id = k.sid
              LEFT JOIN sims s ON s.iccid = r.iccid AND s.org_id IS NOT NULL
              FOR UPDATE OF r`,
        )
      : [];
  if (resetNas.length > 0) {
    sessionRows.push(
      ...(await selectRows<Record<string, unknown>>(
        tx,
        sql`SELECT ${columns} FROM radius_sessions r
            LEFT JOIN sims s ON s.iccid = r.iccid AND s.org_id IS NOT NULL
            WHERE r.nas_address = ANY(${sql.param(resetNas)}::text[]) AND r.stopped_at IS NULL
            FOR UPDATE OF r`,
      )),
    );
  }
  const sessions = new Map<string, SessionState>();
  const sims = new Map<string, SimNet>();
  for (const r of sessionRows) {
    const s: SessionState = {
      nasAddress: String(r.nas_address),
      sessionId: String(r.session_id),
      iccid: String(r.iccid),
      orgId: String(r.org_id),
      userName: textOrNull(r.user_name),
      callingStationId: textOrNull(r.calling_station_id),
      framedIp: textOrNull(r.framed_ip),
      inputOctets: Number(r.input_octets),
      outputOctets: Number(r.output_octets),
      startedAt: textOrNull(r.started_at) ?? nowIso,
      updatedAt: textOrNull(r.updated_at) ?? nowIso,
      updatedMs: r.updated_ms === null || r.updated_ms === undefined ? null : Number(r.updated_ms),
      stoppedAt: textOrNull(r.stopped_at),
      stopCause: textOrNull(r.stop_cause),
      stored: true,
      dirty: false,
    };
    sessions.set(sessionKey(s.nasAddress, s.sessionId), s);
    addSim(sims, r);
  }
  return { sessions, sims };
}

/** Add the customer SIMs with these IMSIs or ICCIDs (the batch's new sessions) to the batch's SIMs. */
export async function addSimsByIdentity(tx: Db, identities: string[], sims: Map<string, SimNet>) {
  if (identities.length === 0) return;
  const rows = await selectRows<Record<string, unknown>>(
    tx,
    sql`SELECT ${simColumns} FROM sims s
        WHERE (s.imsi = ANY(${sql.param(identities)}::text[]) OR s.iccid = ANY(${sql.param(identities)}::text[]))
          AND s.org_id IS NOT NULL`,
  );
  for (const row of rows) addSim(sims, row);
}

/** Write the changed sessions back: new ones inserted, the others updated in what accounting changes. */
export async function saveSessions(tx: Db, dirtySessions: SessionState[]) {
  const fresh = dirtySessions.filter((s) => !s.stored);
  const known = dirtySessions.filter((s) => s.stored);
  if (fresh.length > 0) {
    const col = <K extends keyof SessionState>(k: K) => sql.param(fresh.map((s) => s[k]));
    // a session another AAA process inserted meanwhile is updated instead
    await preparedRows(
      tx,
      'accounting-insert-sessions',
      sql`
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
        reset_requested_at = CASE WHEN excluded.stopped_at IS NULL THEN radius_sessions.reset_requested_at END`,
    );
  }
  if (known.length > 0) {
    const col = <K extends keyof SessionState>(k: K) => sql.param(known.map((s) => s[k]));
    // locked by lockSessions: only what an Accounting-Request changes is sent back
    await preparedRows(
      tx,
      'accounting-update-sessions',
      sql`
      UPDATE radius_sessions AS r SET
        input_octets = u.input_octets, output_octets = u.output_octets, framed_ip = u.framed_ip,
        updated_at = u.updated_at, stopped_at = u.stopped_at, stop_cause = u.stop_cause,
        reset_requested_at = CASE WHEN u.stopped_at IS NULL THEN r.reset_requested_at END
      FROM unnest(${col('nasAddress')}::text[], ${col('sessionId')}::text[], ${col('inputOctets')}::bigint[],
        ${col('outputOctets')}::bigint[], ${col('framedIp')}::text[], ${col('updatedAt')}::timestamptz[],
        ${col('stoppedAt')}::timestamptz[], ${col('stopCause')}::text[])
        AS u(nas_address, session_id, input_octets, output_octets, framed_ip, updated_at, stopped_at, stop_cause)
      WHERE r.nas_address = u.nas_address AND r.session_id = u.session_id`,
    );
  }
}

/**
 * Write the changed SIMs' network data back. A SIM asked to go offline stays online while another of
 * its sessions is open.
 */
export async function saveSimNetwork(tx: Db, dirtySims: SimNet[]) {
  const col = <K extends keyof SimNet>(k: K) => sql.param(dirtySims.map((s) => s[k]));
  await preparedRows(
    tx,
    'accounting-save-sim-network',
    sql`
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
    WHERE s.iccid = u.iccid`,
  );
}

/** The SIMs with an open session in these organisations. */
export async function openSessionIccids(tx: Db, orgIds: string[]): Promise<string[]> {
  const rows = await selectRows<{ iccid: string }>(
    tx,
    sql`SELECT DISTINCT iccid FROM radius_sessions WHERE org_id = ANY(${sql.param(orgIds)}::uuid[]) AND stopped_at IS NULL`,
  );
  return rows.map((r) => r.iccid);
}

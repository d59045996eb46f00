/**
 * The statements of an accounting batch (accounting.service.ts): the batch's sessions locked and read,
 * its SIMs' network data read, and both written back — each one set-based statement over arrays,
 * however many packets the batch holds.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, preparedRows, selectRows } from '../../db/client.js';

/** A RADIUS session as the batch reads and changes it; `dirty` ones are written back. */
export interface SessionState {
  nasAddress: string;
  sessionId: string;
  iccid: string;
  orgId: string;
  /** What only a new session's insert writes: not read for a stored one (null). */
  userName: string | null;
  callingStationId: string | null;
  startedAt: string | null;
  framedIp: string | null;
  inputOctets: number;
  outputOctets: number;
  /** Written whenever the session is: set to the batch's time by every record that touches it. */
  updatedAt: string;
  /** `updated_at` as read, in ms (null for a new session): an unchanged session's is refreshed once a minute. */
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
  /** The new time last seen to write (ISO), or null to keep the stored one. */
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

/**
 * The rows of a read, as ONE JSON array of arrays (`json_agg(json_build_array(…))`) rather than a
 * row per session: node-postgres builds an object and a string per column of every row, which cost
 * the AAA's one thread 13–15 µs per record for the columns here; `JSON.parse` of the 21 values it
 * needs, 6–8 µs, while PostgreSQL spends 1–2 µs more (measured on the radius bench's database, decision 021).
 */
type JsonValue = string | number | null;
const jsonRows = (select: SQL) => sql`SELECT coalesce(json_agg(x.v), '[]')::text AS rows FROM (${select}) x`;
const parseRows = (rows: { rows: string }[]) => JSON.parse(rows[0]?.rows ?? '[]') as JsonValue[][];

/** A timestamp in ms since the epoch, as the batch compares them (SQL text). */
const msOf = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** The SIM values of a read row, in the order `addSim` takes them (11): `t` is the alias of the row. */
const simValues = (t: string, iccid: string, orgId: string) =>
  sql.raw(`${t}.${iccid}, ${t}.${orgId}, ${t}.imsi, ${t}.imei, ${t}.bearer, ${t}.mcc_mnc, ${t}.operator_name,
    ${t}.country, ${t}.cell, ${t}.session_state, ${msOf(`${t}.last_seen_at`)}`);

const text = (v: JsonValue | undefined) => (v === null || v === undefined ? null : String(v));
const numberOrNull = (v: JsonValue | undefined) => (v === null || v === undefined ? null : Number(v));

/** Add the SIM of a read row (from `at` on) to the batch's SIMs, keyed by ICCID and IMSI, once: sessions of one SIM share it. */
function addSim(sims: Map<string, SimNet>, v: JsonValue[], at: number) {
  const iccid = text(v[at]);
  if (!iccid || sims.has(iccid)) return;
  const sim: SimNet = {
    iccid,
    org_id: String(v[at + 1]),
    imsi: String(v[at + 2]),
    imei: text(v[at + 3]),
    bearer: text(v[at + 4]),
    mcc_mnc: text(v[at + 5]),
    operator_name: text(v[at + 6]),
    country: text(v[at + 7]),
    cell: text(v[at + 8]),
    session_state: String(v[at + 9]),
    last_seen_at: null,
    last_seen_ms: numberOrNull(v[at + 10]),
    dirty: false,
    state: null,
  };
  sims.set(iccid, sim);
  sims.set(sim.imsi, sim);
}

/**
 * Lock and read the batch's sessions, by (NAS address, Acct-Session-Id), plus every open session of
 * the NASes that sent Accounting-On/Off, keyed by `sessionKey`; and with them, in the same
 * statement, their SIMs' network data (customer SIMs only), keyed by ICCID and IMSI. Only what the
 * batch compares or writes back is read.
 */
export async function lockSessions(
  tx: Db,
  keyNas: string[],
  keySid: string[],
  resetNas: string[],
  nowIso: string,
): Promise<{ sessions: Map<string, SessionState>; sims: Map<string, SimNet> }> {
  // the lock in a subquery: FOR UPDATE is not allowed beside an aggregate
  const locked = (from: SQL) =>
    jsonRows(sql`SELECT json_build_array(l.nas_address, l.session_id, l.iccid, l.org_id, l.framed_ip,
        l.input_octets, l.output_octets, ${sql.raw(msOf('l.updated_at'))}, l.stopped_at::text, l.stop_cause,
        ${simValues('l', 'sim_iccid', 'sim_org_id')}) AS v
      FROM (SELECT r.nas_address, r.session_id, r.iccid, r.org_id, r.framed_ip, r.input_octets,
          r.output_octets, r.updated_at, r.stopped_at, r.stop_cause, s.iccid AS sim_iccid,
          s.org_id AS sim_org_id, s.imsi, s.imei, s.bearer, s.mcc_mnc, s.operator_name, s.country, s.cell,
          s.session_state, s.last_seen_at
        FROM ${from} FOR UPDATE OF r) AS l`);
  // Two statements, not one with OR: an OR of the key list and the NAS condition cannot use either
  // index, and the planner scanned the whole table for every batch (~30 ms at 100,000 sessions).
  const values: JsonValue[][] =
    keyNas.length > 0
      ? parseRows(
          await preparedRows<{ rows: string }>(
            tx,
            'accounting-lock-sessions',
            locked(sql`unnest(${sql.param(keyNas)}::text[], ${sql.param(keySid)}::text[]) AS k(nas, sid)
              JOIN radius_sessions r ON r.nas_address = k.nas AND r.session_id = k.sid
              LEFT JOIN sims s ON s.iccid = r.iccid AND s.org_id IS NOT NULL`),
          ),
        )
      : [];
  if (resetNas.length > 0) {
    values.push(
      ...parseRows(
        await selectRows<{ rows: string }>(
          tx,
          locked(sql`radius_sessions r LEFT JOIN sims s ON s.iccid = r.iccid AND s.org_id IS NOT NULL
            WHERE r.nas_address = ANY(${sql.param(resetNas)}::text[]) AND r.stopped_at IS NULL`),
        ),
      ),
    );
  }
  const sessions = new Map<string, SessionState>();
  const sims = new Map<string, SimNet>();
  for (const v of values) {
    const s: SessionState = {
      nasAddress: String(v[0]),
      sessionId: String(v[1]),
      iccid: String(v[2]),
      orgId: String(v[3]),
      userName: null,
      callingStationId: null,
      startedAt: null,
      framedIp: text(v[4]),
      inputOctets: Number(v[5]),
      outputOctets: Number(v[6]),
      updatedAt: nowIso,
      updatedMs: numberOrNull(v[7]),
      stoppedAt: text(v[8]),
      stopCause: text(v[9]),
      stored: true,
      dirty: false,
    };
    sessions.set(sessionKey(s.nasAddress, s.sessionId), s);
    addSim(sims, v, 10);
  }
  return { sessions, sims };
}

/** Add the customer SIMs with these IMSIs or ICCIDs (the batch's new sessions) to the batch's SIMs. */
export async function addSimsByIdentity(tx: Db, identities: string[], sims: Map<string, SimNet>) {
  if (identities.length === 0) return;
  const rows = await selectRows<{ rows: string }>(
    tx,
    jsonRows(sql`SELECT json_build_array(${simValues('s', 'iccid', 'org_id')}) AS v FROM sims s
        WHERE (s.imsi = ANY(${sql.param(identities)}::text[]) OR s.iccid = ANY(${sql.param(identities)}::text[]))
          AND s.org_id IS NOT NULL`),
  );
  for (const v of parseRows(rows)) addSim(sims, v, 0);
}

/** Insert the batch's new sessions; one another AAA process inserted meanwhile is updated instead. */
export async function insertSessions(tx: Db, fresh: SessionState[]) {
  if (fresh.length === 0) return;
  const col = <K extends keyof SessionState>(k: K) => sql.param(fresh.map((s) => s[k]));
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

/** The UPDATE of stored sessions (locked by lockSessions) in what an Accounting-Request changes. */
function sessionsUpdate(known: SessionState[]): SQL {
  const col = <K extends keyof SessionState>(k: K) => sql.param(known.map((s) => s[k]));
  return sql`
    UPDATE radius_sessions AS r SET
      input_octets = u.input_octets, output_octets = u.output_octets, framed_ip = u.framed_ip,
      updated_at = u.updated_at, stopped_at = u.stopped_at, stop_cause = u.stop_cause,
      reset_requested_at = CASE WHEN u.stopped_at IS NULL THEN r.reset_requested_at END
    FROM unnest(${col('nasAddress')}::text[], ${col('sessionId')}::text[], ${col('inputOctets')}::bigint[],
      ${col('outputOctets')}::bigint[], ${col('framedIp')}::text[], ${col('updatedAt')}::timestamptz[],
      ${col('stoppedAt')}::timestamptz[], ${col('stopCause')}::text[])
      AS u(nas_address, session_id, input_octets, output_octets, framed_ip, updated_at, stopped_at, stop_cause)
    WHERE r.nas_address = u.nas_address AND r.session_id = u.session_id`;
}

/** Update the stored sessions on their own (a batch that added no usage). */
export async function updateSessions(tx: Db, known: SessionState[]) {
  if (known.length > 0) await preparedRows(tx, 'accounting-update-sessions', sessionsUpdate(known));
}

/** The same update as a data-modifying CTE, for the usage statement of the batch (`addUsageWith`). */
export const sessionsUpdateCte = (known: SessionState[]) =>
  sql`sessions_written AS (${sessionsUpdate(known)}),`;

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
      last_seen_at = coalesce(u.seen, s.last_seen_at), imei = u.imei, bearer = u.bearer, mcc_mnc = u.mcc_mnc,
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

/**
 * The AAA's access decisions, one batch at a time (group commit): Access-Requests are decided against
 * the SIMs — state, lifetime, volume, monthly limits, IMEI lock — with one query for the batch; reject
 * events and first-attach IMEI bindings are written in one transaction.
 */
import { sql } from 'drizzle-orm';
import { type AccessRefusalCause, eventTypes } from '../../../contracts/events.js';
import { imeiFromImeisv } from '../../../contracts/ids.js';
import type { AppContext } from '../../context.js';
import { monthlyDataBlocks } from '../config/config.service.js';
import type { NewEvent } from '../events/events.repository.js';
import { event, recordEvents } from '../events/events.service.js';
import type { RadiusFields } from './radius-record.js';

export const network = { source: 'network' } as const;

/** Why an Access-Request was rejected (PRODUCT.md §6). */
export type RejectCause = AccessRefusalCause;

export type AccessDecision =
  | { accept: true; iccid: string; framedIp: string | null }
  | { accept: false; cause: RejectCause; iccid: string | null };

interface SimAuthRow {
  iccid: string;
  org_id: string;
  imsi: string;
  status: string;
  eol_ms: number | string | null;
  data_left: string;
  imei_lock: boolean;
  locked_imei: string | null;
  ip_address: string | null;
  data_limited: boolean;
  /** `updated_at` as read: a refusal blocks the SIM only if nothing changed it since (decision 025). */
  version: string;
}

/**
 * The batch's SIMs by IMSI or ICCID: a named statement on a generic plan (client.ts), as its plan —
 * the two unique indexes, OR-ed — is the same for every batch. Planned afresh for every batch it cost
 * PostgreSQL more than running it (sixteen indexes on sims), at 2,000 requests/s in batches of a few.
 */
const simsToDecideStatement = `SELECT iccid, org_id, imsi, status,
    (extract(epoch FROM end_of_life) * 1000)::float8 AS eol_ms, (data_total - data_used)::text AS data_left,
    imei_lock, locked_imei, host(ip_address) AS ip_address,
    EXISTS (SELECT 1 FROM org_settings o WHERE o.org_id = sims.org_id
              AND (o.data_limit_bytes IS NOT NULL OR o.sim_data_limit_bytes IS NOT NULL)) AS data_limited,
    updated_at::text AS version
  FROM sims WHERE (imsi = ANY($1::text[]) OR iccid = ANY($1::text[]))
    AND org_id IS NOT NULL AND status <> 'stock'`;

async function simsToDecide(ctx: AppContext, keys: string[]): Promise<SimAuthRow[]> {
  const rows = await ctx.database.arrays({
    name: 'radius_sims_to_decide',
    text: simsToDecideStatement,
    values: [keys],
    generic: true,
  });
  return rows.map(
    ([iccid, orgId, imsi, status, eolMs, dataLeft, imeiLock, lockedImei, ip, dataLimited, version]) => ({
      iccid: iccid as string,
      org_id: orgId as string,
      imsi: imsi as string,
      status: status as string,
      eol_ms: eolMs as number | null,
      data_left: dataLeft as string,
      imei_lock: imeiLock as boolean,
      locked_imei: lockedImei as string | null,
      ip_address: ip as string | null,
      data_limited: dataLimited as boolean,
      version: version as string,
    }),
  );
}

/** Which SIM a request names: 3GPP-IMSI first, then User-Name. */
export function identityOf(r: RadiusFields): string | undefined {
  return r.imsi ?? r.userName;
}

const causeText: Record<RejectCause, string> = {
  IMSI_NOT_FOUND: 'unknown IMSI',
  SIM_DEACTIVATED: 'the SIM is deactivated',
  QUOTA_EXHAUSTED: 'the data volume is used up',
  QUOTA_EXPIRED: 'the SIM lifetime has ended',
  MONTHLY_USAGE_LIMIT_EXCEEDED: 'the monthly data limit is reached',
  IMEI_LOCK_BREACHED: 'the device IMEI does not match the IMEI lock',
};

/** Decide a batch of Access-Requests; reject events and IMEI-lock bindings are written in one transaction. */
export async function decideAccess(ctx: AppContext, requests: RadiusFields[]): Promise<AccessDecision[]> {
  const now = ctx.clock.now();
  const keys = [...new Set(requests.map(identityOf).filter((k): k is string => Boolean(k)))];
  const rows = keys.length ? await simsToDecide(ctx, keys) : [];
  // monthly data limits (Configuration): no further query unless an organisation has one
  const limitedRows = rows.filter((r) => r.data_limited);
  const limited = limitedRows.length
    ? await monthlyDataBlocks(
        ctx.db,
        limitedRows.map((r) => ({ orgId: r.org_id, iccid: r.iccid })),
        now,
      )
    : new Set<string>();
  const byKey = new Map<string, SimAuthRow>();
  for (const r of rows) {
    byKey.set(r.imsi, r);
    byKey.set(r.iccid, r);
  }
  const events: NewEvent[] = [];
  const binds: { iccid: string; imei: string }[] = [];
  const blocked = new Map<string, string>();
  const decisions = requests.map((req): AccessDecision => {
    const key = identityOf(req);
    const sim = key ? byKey.get(key) : undefined;
    if (!sim) return { accept: false, cause: 'IMSI_NOT_FOUND', iccid: null };
    const owner = { orgId: sim.org_id, iccid: sim.iccid };
    const imei = imeiFromImeisv(req.imeisv);
    let cause: RejectCause | null = null;
    if (sim.status !== 'activated') cause = sim.status === 'expired' ? 'QUOTA_EXPIRED' : 'SIM_DEACTIVATED';
    else if (sim.eol_ms !== null && Number(sim.eol_ms) <= now.getTime()) cause = 'QUOTA_EXPIRED';
    else if (Number(sim.data_left) <= 0) cause = 'QUOTA_EXHAUSTED';
    else if (limited.has(sim.iccid)) cause = 'MONTHLY_USAGE_LIMIT_EXCEEDED';
    else if (sim.imei_lock && sim.locked_imei && sim.locked_imei !== imei) cause = 'IMEI_LOCK_BREACHED';
    if (cause) {
      if (cause !== 'SIM_DEACTIVATED') blocked.set(sim.iccid, sim.version);
      events.push(
        event(network, owner, now, {
          type: eventTypes.authenticationFailed,
          severity: 'warning',
          description: `Data session refused: ${causeText[cause]}`,
          details: { cause, imsi: sim.imsi, imei, sessionId: req.sessionId ?? null },
        }),
      );
      return { accept: false, cause, iccid: sim.iccid };
    }
    if (sim.imei_lock && !sim.locked_imei && imei) {
      sim.locked_imei = imei;
      binds.push({ iccid: sim.iccid, imei });
      events.push(
        event(network, owner, now, {
          type: eventTypes.imeiLockChanged,
          description: `IMEI lock bound to IMEI ${imei} at the first attach`,
          details: { imeiLock: true, imei, atFirstAttach: true },
        }),
      );
    }
    return { accept: true, iccid: sim.iccid, framedIp: sim.ip_address };
  });
  if (events.length > 0) {
    await ctx.db.transaction(async (tx) => {
      if (binds.length) {
        await tx.execute(sql`
          UPDATE sims AS s SET locked_imei = u.imei, updated_at = now()
          FROM unnest(${sql.param(binds.map((b) => b.iccid))}::text[], ${sql.param(binds.map((b) => b.imei))}::text[]) AS u(iccid, imei)
          WHERE s.iccid = u.iccid AND s.imei_lock AND s.locked_imei IS NULL`);
      }
      if (blocked.size) {
        // Blocked unless a session is still open; and the refused request is the network's word of the
        // SIM too, so its last seen and the time of refusal follow (at most once a minute, as accounting
        // refreshes last seen). Only if the SIM is as it was read: a top-up, an extension or a released
        // lock that committed meanwhile may have removed the cause (decision 025).
        const at = now.toISOString();
        await tx.execute(sql`
          WITH s AS (
            SELECT v.iccid, v.version, NOT EXISTS (
                SELECT 1 FROM radius_sessions r WHERE r.iccid = v.iccid AND r.stopped_at IS NULL) AS idle
            FROM unnest(${sql.param([...blocked.keys()])}::text[], ${sql.param([...blocked.values()])}::timestamptz[])
              AS v(iccid, version)
          )
          UPDATE sims SET session_state = CASE WHEN s.idle THEN 'blocked' ELSE sims.session_state END,
            last_seen_at = ${at}::timestamptz, refused_at = ${at}::timestamptz, updated_at = now()
          FROM s
          WHERE sims.iccid = s.iccid AND sims.updated_at = s.version
            AND ((s.idle AND sims.session_state <> 'blocked')
              OR sims.last_seen_at IS NULL OR sims.last_seen_at < ${at}::timestamptz - interval '1 minute'
              OR sims.refused_at IS NULL OR sims.refused_at < ${at}::timestamptz - interval '1 minute')`);
      }
      await recordEvents(tx, events);
    });
  }
  return decisions;
}

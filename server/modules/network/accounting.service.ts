/**
 * The AAA's accounting, one batch at a time (group commit): Accounting-Requests become sessions, usage,
 * network data and events — each batch in ONE transaction with a handful of set-based statements,
 * however many packets. Usage is the growth of the cumulative counters, so retransmits count nothing.
 */
import { eventTypes } from '../../../contracts/events.js';
import { imeiFromImeisv } from '../../../contracts/ids.js';
import { formatBytes } from '../../../contracts/units.js';
import type { AppContext } from '../../context.js';
import { operatorOf } from '../../lib/operators.js';
import { noteLimitsReached } from '../config/config.service.js';
import type { NewEvent } from '../events/events.repository.js';
import { event, recordEvents } from '../events/events.service.js';
import { noteDataUsed } from '../usage/data-left.js';
import { addUsageWith, type UsageDelta } from '../usage/usage.repository.js';
import { applyVolumeEffects } from '../usage/volume.service.js';
import { identityOf, network } from './access.service.js';
import {
  addSimsByIdentity,
  insertSessions,
  lockSessions,
  openSessionIccids,
  type SessionState,
  type SimNet,
  saveSimNetwork,
  sessionKey,
  sessionsUpdateCte,
  updateSessions,
} from './accounting.repository.js';
import { queueDisconnects } from './network.repository.js';
import { cellOf, STALE_CAUSE, TERMINATE_CAUSES } from './network-data.js';
import { AcctStatus, type RadiusFields } from './radius-record.js';

/** An Accounting-Request and the NAS it came from. */
export interface AccountingItem {
  nasAddress: string;
  request: RadiusFields;
}

const big = (v: bigint | undefined) => (v === undefined ? undefined : Number(v));

/** Event 5 for a session that ended, with what it used. */
export function sessionEnded(
  s: Pick<SessionState, 'orgId' | 'iccid' | 'sessionId' | 'inputOctets' | 'outputOctets'>,
  cause: string,
  now: Date,
  extra: Record<string, unknown> = {},
): NewEvent {
  return event(network, { orgId: s.orgId, iccid: s.iccid }, now, {
    type: eventTypes.deletePdpContext,
    description: `Data session ended (${cause}): ${formatBytes(s.inputOctets + s.outputOctets)} used`,
    details: {
      sessionId: s.sessionId,
      inputOctets: s.inputOctets,
      outputOctets: s.outputOctets,
      cause,
      ...extra,
    },
  });
}

/** What one accounting batch did, for the counters. */
export interface AccountingOutcome {
  /** Packets that changed nothing (retransmits, Interim after Stop, unknown SIM). */
  ignored: number;
  unknownSim: number;
  disconnectsQueued: number;
}

/**
 * Store a batch of Accounting-Requests in one transaction. Counters are cumulative per session, so
 * usage is the growth over the session's stored counters: a retransmit or duplicate adds nothing,
 * and an Interim or Stop after the Stop is ignored.
 */
export async function storeAccounting(ctx: AppContext, items: AccountingItem[]): Promise<AccountingOutcome> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const day = nowIso.slice(0, 10);
  const outcome: AccountingOutcome = { ignored: 0, unknownSim: 0, disconnectsQueued: 0 };
  const usage = new Map<string, UsageDelta>();
  await ctx.db.transaction(async (tx) => {
    const keyNas: string[] = [];
    const keySid: string[] = [];
    const resetNas = new Set<string>();
    for (const { nasAddress, request: r } of items) {
      if (r.statusType === AcctStatus.AccountingOn || r.statusType === AcctStatus.AccountingOff) {
        resetNas.add(nasAddress);
      } else if (r.sessionId) {
        keyNas.push(nasAddress);
        keySid.push(r.sessionId);
      }
    }
    const { sessions, sims: simsByKey } = await lockSessions(tx, keyNas, keySid, [...resetNas], nowIso);
    // a known session names its SIM (read with it); only a new one is looked up by IMSI or User-Name
    const identities = new Set<string>();
    for (const { nasAddress, request: r } of items) {
      if (!r.sessionId || sessions.has(sessionKey(nasAddress, r.sessionId))) continue;
      const id = identityOf(r);
      if (id) identities.add(id);
    }
    await addSimsByIdentity(tx, [...identities], simsByKey);
    const events: NewEvent[] = [];
    const addDelta = (s: SessionState, input: number, output: number) => {
      const dIn = Math.max(0, input - s.inputOctets);
      const dOut = Math.max(0, output - s.outputOctets);
      s.inputOctets = Math.max(s.inputOctets, input);
      s.outputOctets = Math.max(s.outputOctets, output);
      if (dIn === 0 && dOut === 0) return false;
      const u = usage.get(s.iccid) ?? {
        orgId: s.orgId,
        iccid: s.iccid,
        day,
        hour: now.getUTCHours(),
        dataUp: 0,
        dataDown: 0,
        smsMo: 0,
        smsMt: 0,
      };
      u.dataUp += dIn;
      u.dataDown += dOut;
      usage.set(s.iccid, u);
      return true;
    };
    const stop = (s: SessionState, cause: string, sim: SimNet | undefined) => {
      s.stoppedAt = nowIso;
      s.stopCause = cause;
      s.updatedAt = nowIso;
      s.dirty = true;
      if (sim) {
        sim.state = 'offline';
        sim.last_seen_at = nowIso;
        sim.last_seen_ms = now.getTime();
        sim.dirty = true;
      }
      events.push(sessionEnded(s, cause, now));
    };

    for (const { nasAddress, request: r } of items) {
      if (r.statusType === AcctStatus.AccountingOn || r.statusType === AcctStatus.AccountingOff) {
        const cause = r.statusType === AcctStatus.AccountingOn ? 'Accounting-On' : 'Accounting-Off';
        for (const s of sessions.values()) {
          if (s.nasAddress === nasAddress && !s.stoppedAt) stop(s, cause, simsByKey.get(s.iccid));
        }
        continue;
      }
      if (!r.sessionId || !r.statusType) {
        outcome.ignored++;
        continue;
      }
      const key = sessionKey(nasAddress, r.sessionId);
      let s = sessions.get(key);
      const id = identityOf(r);
      const sim = s ? simsByKey.get(s.iccid) : id ? simsByKey.get(id) : undefined;
      if (!s) {
        if (!sim) {
          outcome.unknownSim++;
          continue;
        }
        s = {
          nasAddress,
          sessionId: r.sessionId,
          iccid: sim.iccid,
          orgId: sim.org_id,
          userName: r.userName ?? null,
          callingStationId: r.callingStationId ?? null,
          framedIp: r.framedIp ?? null,
          inputOctets: 0,
          outputOctets: 0,
          startedAt: nowIso,
          updatedAt: nowIso,
          updatedMs: null,
          stoppedAt: null,
          stopCause: null,
          stored: false,
          dirty: true,
        };
        sessions.set(key, s);
        events.push(
          event(network, s, now, {
            type: eventTypes.createPdpContext,
            description: `Data session started${r.framedIp ? ` with IP ${r.framedIp}` : ''}`,
            details: {
              sessionId: r.sessionId,
              framedIp: r.framedIp ?? null,
              apn: r.calledStationId ?? null,
              bearer: r.bearer ?? null,
              mccMnc: r.sgsnMccMnc ?? null,
              imei: imeiFromImeisv(r.imeisv),
            },
          }),
        );
      } else if (s.stoppedAt && (s.stopCause !== STALE_CAUSE || r.statusType === AcctStatus.Start)) {
        // Interim or Stop after the Stop (or a retransmitted Stop): stored already, nothing to count.
        outcome.ignored++;
        continue;
      } else if (s.stoppedAt) {
        // closed for want of accounting, yet its NAS reports it: it lives on, and its growth since the
        // last record it sent is counted now
        events.push(
          event(network, s, now, {
            type: eventTypes.updatePdpContext,
            description: `Data session reported again after it was closed (${STALE_CAUSE})`,
            details: { sessionId: s.sessionId, closedAt: s.stoppedAt },
          }),
        );
        s.stoppedAt = null;
        s.stopCause = null;
        s.dirty = true;
      }
      const grew = addDelta(s, big(r.inputOctets) ?? s.inputOctets, big(r.outputOctets) ?? s.outputOctets);
      if (grew) s.dirty = true;
      if (r.framedIp && r.framedIp !== s.framedIp) {
        s.framedIp = r.framedIp;
        s.dirty = true;
      }
      s.updatedAt = nowIso;
      // an unchanged session's time of last accounting is still written once a minute (stale-sessions.ts)
      if (s.updatedMs === null || now.getTime() - s.updatedMs > 60_000) s.dirty = true;
      if (sim) {
        // what an Interim changed, by aspect, with the new value (event 4)
        const changed: { bearer?: string; operator?: string; cell?: string } = {};
        const imei = imeiFromImeisv(r.imeisv);
        if (imei && imei !== sim.imei) {
          sim.imei = imei;
          sim.dirty = true;
        }
        if (r.bearer && r.bearer !== sim.bearer) {
          if (sim.bearer) changed.bearer = r.bearer;
          sim.bearer = r.bearer;
          sim.dirty = true;
        }
        if (r.sgsnMccMnc && r.sgsnMccMnc !== sim.mcc_mnc) {
          const op = operatorOf(r.sgsnMccMnc);
          const before = sim.operator_name;
          sim.mcc_mnc = r.sgsnMccMnc;
          sim.operator_name = op?.name ?? null;
          sim.country = op?.country ?? null;
          sim.dirty = true;
          changed.operator = op?.name ?? r.sgsnMccMnc;
          events.push(
            event(network, s, now, {
              type: eventTypes.updateLocation,
              description: `Location update: now on ${op ? `${op.name} (${op.country})` : `network ${r.sgsnMccMnc}`}`,
              details: {
                mccMnc: r.sgsnMccMnc,
                operator: op?.name ?? null,
                country: op?.country ?? null,
                before,
              },
            }),
          );
        }
        const cell = cellOf(r.userLocation);
        if (cell && cell !== sim.cell) {
          const before = sim.cell;
          sim.cell = cell;
          sim.dirty = true;
          changed.cell = cell;
          events.push(
            event(network, s, now, {
              type: eventTypes.updateGprsLocation,
              description: `GPRS location update: cell ${cell}`,
              details: { cell, before, location: r.userLocation ?? null },
            }),
          );
        }
        const aspects = Object.entries(changed);
        if (r.statusType === AcctStatus.InterimUpdate && aspects.length > 0) {
          events.push(
            event(network, s, now, {
              type: eventTypes.updatePdpContext,
              description: `Data session updated: ${aspects.map(([k, v]) => `${k} ${v}`).join(', ')}`,
              details: {
                sessionId: s.sessionId,
                bearer: sim.bearer,
                mccMnc: sim.mcc_mnc,
                cell: sim.cell,
                changed,
              },
            }),
          );
        }
        if (r.statusType !== AcctStatus.Stop) {
          const stale = sim.last_seen_ms === null || now.getTime() - sim.last_seen_ms > 60_000;
          if (sim.session_state !== 'online' || sim.state === 'offline') {
            sim.state = 'online';
            sim.session_state = 'online';
            sim.dirty = true;
          }
          // last seen once a minute at least; a SIM with usage gets it with the usage (addUsageWith)
          if (stale && !usage.has(sim.iccid)) sim.dirty = true;
          if (stale || sim.dirty) {
            sim.last_seen_at = nowIso;
            sim.last_seen_ms = now.getTime();
          }
        }
      }
      if (r.statusType === AcctStatus.Stop) {
        stop(s, TERMINATE_CAUSES[r.terminateCause ?? 0] ?? `cause ${r.terminateCause ?? 'unknown'}`, sim);
      }
    }

    const dirtySessions = [...sessions.values()].filter((s) => s.dirty);
    await insertSessions(
      tx,
      dirtySessions.filter((s) => !s.stored),
    );
    const known = dirtySessions.filter((s) => s.stored);

    const exhausted: string[] = [];
    const limitReached: string[] = [];
    if (usage.size > 0) {
      // the stored sessions are written by the usage statement, which also names the organisations
      // with a monthly limit: two round trips fewer per batch
      const { crossings, limitedOrgIds } = await addUsageWith(tx, [...usage.values()], {
        name: known.length > 0 ? 'accounting-usage-sessions' : 'accounting-usage',
        seenAt: nowIso,
        ...(known.length > 0 ? { with: sessionsUpdateCte(known) } : {}),
      });
      // crossings of 20 % and of nothing left: events, volume mail and auto top-up once each
      // (applyVolumeEffects); what still stands exhausted is disconnected below
      const standing = await applyVolumeEffects(ctx, tx, crossings, now);
      for (const c of standing) if (c.service === 'data') exhausted.push(c.iccid);
      if (limitedOrgIds.length > 0) {
        for (const r of await noteLimitsReached(ctx, tx, limitedOrgIds, now))
          if (r.kind === 'data') limitReached.push(r.orgId);
      }
    } else {
      await updateSessions(tx, known);
    }

    const dirtySims = [...new Set(simsByKey.values())].filter((s) => s.dirty);
    if (dirtySims.length > 0) await saveSimNetwork(tx, dirtySims);
    if (exhausted.length > 0)
      outcome.disconnectsQueued = await queueDisconnects(tx, exhausted, 'exhausted', now);
    if (limitReached.length > 0) {
      // an organisation's monthly data limit blocks data for all its SIMs: end their open sessions
      const open = await openSessionIccids(tx, limitReached);
      outcome.disconnectsQueued += await queueDisconnects(tx, open, 'limit', now);
    }
    await recordEvents(tx, events);
  });
  // the sort by data left follows within the refresh's interval (decision 022)
  noteDataUsed(ctx.database, usage.keys());
  return outcome;
}

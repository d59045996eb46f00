/** My SIMs: list, detail and the changes a person or API client makes to one SIM. */
import { eventTypes } from '../../../contracts/events.js';
import type { SimFilter, SimListQuery, UpdateSimRequest } from '../../../contracts/sims.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { retryOnConflict } from '../../db/retry.js';
import type { sims } from '../../db/schema/index.js';
import { AppError, conflict, notFound } from '../../lib/errors.js';
import { auditChange } from '../audit/audit.context.js';
import { allowed, type Principal, whoIs } from '../auth/auth.service.js';
import type { NewEvent } from '../events/events.repository.js';
import { type Actor, event, recordEvents } from '../events/events.service.js';
import { wakeDrainers } from '../network/disconnect-signal.js';
import { queueDisconnects, resetPending } from '../network/network.repository.js';
import { countSims, simPageJson } from './sims.page.js';
import { presentDetail } from './sims.presenter.js';
import { findSim, lockSim, type SimRow, updateSim } from './sims.repository.js';

/** The actor of a principal for events: a person (source user) or an API client (source api). */
export function actorOf(p: Principal): Actor {
  if (p.kind === 'client') return { source: 'api', id: p.clientRowId, name: p.clientId };
  return { source: 'user', id: p.userId, name: `${p.user.firstName} ${p.user.lastName}` };
}

/** A page of My SIMs as the JSON text of `simPage` (the database writes the rows, see sims.page.ts). */
export function listSimsJson(ctx: AppContext, orgId: string, q: SimListQuery): Promise<string> {
  return simPageJson(ctx.database, orgId, q);
}

/** Every SIM of the organisation a filter matches, counted (the list page counts a search only so far). */
export function countMatchingSims(ctx: AppContext, orgId: string, filter: SimFilter): Promise<number> {
  return countSims(ctx.database, orgId, filter);
}

export async function getSim(ctx: AppContext, orgId: string, iccid: string) {
  const sim = await findSim(ctx.db, orgId, iccid);
  if (!sim) throw notFound('SIM');
  return presentDetail(sim, ctx.clock.now(), await resetPending(ctx.db, sim.iccid));
}

/** What one change does to a SIM: the new column values and the events it raises. */
export interface Change {
  values: Partial<typeof sims.$inferInsert>;
  events: NewEvent[];
  changed: boolean;
  /** Open data sessions must end: the SIM was deactivated, or its IMEI lock enabled. */
  disconnect?: 'deactivated' | 'imei_lock';
}

/**
 * Plan a change to one SIM without writing it: shared by the single-SIM PATCH and the bulk jobs,
 * so both apply exactly the same rules and record the same events.
 */
export function planChange(sim: SimRow, req: UpdateSimRequest, actor: Actor, at: Date): Change {
  const values: Partial<typeof sims.$inferInsert> = {};
  const events: NewEvent[] = [];
  const owner = { orgId: sim.orgId ?? '', iccid: sim.iccid };
  let disconnect: Change['disconnect'];
  const on = (type: number, description: string, details: Record<string, unknown> = {}) =>
    events.push(event(actor, owner, at, { type, description, details }));

  if (req.status !== undefined && req.status !== sim.status) {
    if (sim.status === 'expired') {
      throw conflict(
        'sim_expired',
        { iccid: sim.iccid },
        `SIM ${sim.iccid} is expired: only a lifetime extension can bring it back.`,
      );
    }
    values.status = req.status;
    if (req.status === 'deactivated') {
      values.sessionState = 'offline';
      disconnect = 'deactivated';
    }
    if (req.status === 'activated') on(eventTypes.simActivation, 'SIM activated');
    else on(eventTypes.simSuspension, 'SIM deactivated');
  }
  if (req.label !== undefined && (req.label || null) !== sim.label) {
    values.label = req.label || null;
    on(eventTypes.labelChanged, `Label changed to "${req.label ?? ''}"`, {
      before: sim.label,
      after: req.label || null,
    });
  }
  const lockImei = req.imei !== undefined ? req.imei : undefined;
  if (req.imeiLock !== undefined && req.imeiLock !== sim.imeiLock) {
    values.imeiLock = req.imeiLock;
    values.lockedImei = req.imeiLock ? (lockImei ?? null) : null;
    if (req.imeiLock) disconnect ??= 'imei_lock';
    on(
      eventTypes.imeiLockChanged,
      req.imeiLock
        ? lockImei
          ? `IMEI lock enabled for IMEI ${lockImei}`
          : 'IMEI lock enabled: binds to the device at its next attach'
        : 'IMEI lock disabled',
      { imeiLock: req.imeiLock, imei: values.lockedImei },
    );
  } else if (lockImei !== undefined && lockImei !== sim.lockedImei) {
    if (!sim.imeiLock && req.imeiLock !== true) {
      throw new AppError(
        'validation_failed',
        'imei: can only be set while the IMEI lock is on (send imeiLock: true)',
        {
          errors: [
            {
              field: 'imei',
              message: 'can only be set while the IMEI lock is on',
              reason: 'imei_needs_lock',
            },
          ],
        },
      );
    }
    values.lockedImei = lockImei;
    on(
      eventTypes.imeiLockChanged,
      lockImei ? `IMEI lock bound to IMEI ${lockImei}` : 'IMEI lock released its IMEI',
      {
        imeiLock: true,
        imei: lockImei,
      },
    );
  }
  if (req.autoTopUp !== undefined && req.autoTopUp !== sim.autoTopUp) {
    values.autoTopUp = req.autoTopUp;
    on(eventTypes.autoTopUpChanged, req.autoTopUp ? 'Auto top-up enabled' : 'Auto top-up disabled', {
      autoTopUp: req.autoTopUp,
    });
  }
  return { values, events, changed: Object.keys(values).length > 0, ...(disconnect ? { disconnect } : {}) };
}

/** Apply a planned change inside a transaction. */
export async function applyChange(db: Db, sim: SimRow, change: Change) {
  if (!change.changed) return sim;
  const updated = await updateSim(db, sim.orgId ?? '', sim.iccid, change.values);
  await recordEvents(db, change.events);
  if (change.disconnect) await queueDisconnects(db, [sim.iccid], change.disconnect, new Date());
  return updated ?? sim;
}

const audited = (s: SimRow) => ({
  label: s.label,
  status: s.status,
  imeiLock: s.imeiLock,
  lockedImei: s.lockedImei,
  autoTopUp: s.autoTopUp,
});

/** Change one SIM (label, state, IMEI lock, auto top-up); top-up settings need the billing permission. */
export async function changeSim(ctx: AppContext, principal: Principal, iccid: string, req: UpdateSimRequest) {
  if (req.autoTopUp !== undefined && !allowed(principal, 'sims:billing')) {
    throw new AppError('forbidden', `${whoIs(principal)} may not change auto top-up.`);
  }
  const now = ctx.clock.now();
  let disconnect = false;
  // a deactivation or IMEI lock locks the SIM, then its sessions: it can deadlock with an accounting
  // batch (sessions, then SIMs), and is run again when PostgreSQL chose it to break the cycle
  const updated = await retryOnConflict(() =>
    ctx.db.transaction(async (tx) => {
      const sim = await lockSim(tx, principal.orgId, iccid);
      if (!sim) throw notFound('SIM');
      const change = planChange(sim, req, actorOf(principal), now);
      const result = await applyChange(tx, sim, change);
      disconnect = Boolean(change.disconnect);
      auditChange(audited(sim), audited(result));
      return result;
    }),
  );
  if (disconnect) wakeDrainers();
  return presentDetail(updated, now, await resetPending(ctx.db, updated.iccid));
}

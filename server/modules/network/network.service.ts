/** NAS clients (operator console), the AAA status, and reset connection. */
import { eventTypes } from '../../../contracts/events.js';
import type { NasClientRequest } from '../../../contracts/network.js';
import type { AppContext } from '../../context.js';
import { conflict, fieldsInUse, notFound } from '../../lib/errors.js';
import type { Principal } from '../auth/auth.service.js';
import { event, recordEvents } from '../events/events.service.js';
import { findSim } from '../sims/sims.repository.js';
import { actorOf } from '../sims/sims.service.js';
import { localAaa, responseStats, sumSnapshots } from './aaa-registry.js';
import { canonicalCidr } from './cidr.js';
import { wakeDrainers } from './disconnect-signal.js';
import { nasClientsChanged } from './nas-signal.js';
import {
  deleteNasClient,
  findNasClient,
  insertNasClient,
  listNasClients,
  type NasClientRow,
  openSessionCount,
  queueDisconnects,
  recentCounters,
  updateNasClient,
} from './network.repository.js';

/** Show a secret without revealing it: its length as dots and its last two characters. */
export function maskSecret(secret: string): string {
  return `${'•'.repeat(Math.max(4, secret.length - 2))}${secret.slice(-2)}`;
}

function present(r: NasClientRow) {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    secretMasked: maskSecret(r.secret),
    daePort: r.daePort,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function nasClients(ctx: AppContext) {
  return { items: (await listNasClients(ctx.db)).map(present) };
}

async function checkUnique(ctx: AppContext, values: { name?: string; address?: string }, id?: string) {
  const all = await listNasClients(ctx.db);
  const errors = [];
  if (values.name && all.some((c) => c.id !== id && c.name.toLowerCase() === values.name?.toLowerCase()))
    errors.push({ field: 'name', message: 'another NAS client has this name', reason: 'nas_name_in_use' });
  if (values.address && all.some((c) => c.id !== id && c.address === values.address))
    errors.push({
      field: 'address',
      message: 'another NAS client has this address',
      reason: 'nas_address_in_use',
    });
  if (errors.length) throw fieldsInUse(errors);
}

export async function createNasClient(ctx: AppContext, req: NasClientRequest) {
  const address = canonicalCidr(req.address) ?? req.address;
  await checkUnique(ctx, { name: req.name, address });
  const row = await insertNasClient(ctx.db, {
    name: req.name,
    address,
    secret: req.secret,
    daePort: Number(req.daePort ?? 3799),
  });
  nasClientsChanged();
  return present(row);
}

export async function changeNasClient(ctx: AppContext, id: string, req: Partial<NasClientRequest>) {
  if (!(await findNasClient(ctx.db, id))) throw notFound('NAS client');
  const address = req.address ? (canonicalCidr(req.address) ?? req.address) : undefined;
  await checkUnique(ctx, { name: req.name, address }, id);
  const row = await updateNasClient(ctx.db, id, {
    ...(req.name !== undefined ? { name: req.name } : {}),
    ...(address !== undefined ? { address } : {}),
    ...(req.secret !== undefined ? { secret: req.secret } : {}),
    ...(req.daePort !== undefined ? { daePort: Number(req.daePort) } : {}),
  });
  if (!row) throw notFound('NAS client');
  nasClientsChanged();
  return present(row);
}

export async function removeNasClient(ctx: AppContext, id: string) {
  if (!(await deleteNasClient(ctx.db, id))) throw notFound('NAS client');
  nasClientsChanged();
}

function group(snapshot: Record<string, number>, prefix: string) {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(snapshot))
    if (k.startsWith(`${prefix}.`)) out[k.slice(prefix.length + 1)] = v;
  return out;
}

/** Counters of every AAA process that reported in the last 30 s (this process's live), and open sessions. */
export async function networkStatus(ctx: AppContext) {
  const now = ctx.clock.now();
  const live = localAaa();
  const stored = await recentCounters(ctx.db, new Date(now.getTime() - 30_000));
  const snapshots = stored.filter((r) => r.instance !== live?.instance).map((r) => r.counters);
  if (live) snapshots.push(live.counters.snapshot());
  const total = sumSnapshots(snapshots);
  return {
    aaaRunning: snapshots.length > 0,
    requests: group(total, 'requests'),
    accepts: total['accepts.access'] ?? 0,
    rejects: group(total, 'rejects'),
    accounting: group(total, 'accounting'),
    drops: group(total, 'drops'),
    disconnects: group(total, 'disconnects'),
    responseTimes: {
      access: responseStats(total, 'access'),
      accounting: responseStats(total, 'accounting'),
    },
    openSessions: await openSessionCount(ctx.db),
    at: now.toISOString(),
  };
}

/** Reset a SIM's data connection: queue a Disconnect-Request for each open session (202); 409 without one. */
export async function resetConnection(ctx: AppContext, principal: Principal, iccid: string) {
  const sim = await findSim(ctx.db, principal.orgId, iccid);
  if (!sim) throw notFound('SIM');
  const now = ctx.clock.now();
  const sessions = await ctx.db.transaction(async (tx) => {
    const n = await queueDisconnects(tx, [sim.iccid], 'reset', now);
    if (n === 0) return 0;
    await recordEvents(tx, [
      event(actorOf(principal), { orgId: principal.orgId, iccid: sim.iccid }, now, {
        type: eventTypes.connectionReset,
        description: 'Connection reset requested',
        details: { sessions: n },
      }),
    ]);
    return n;
  });
  if (sessions === 0) {
    throw conflict(
      'no_open_session',
      { iccid: sim.iccid },
      `SIM ${sim.iccid} has no open data session to reset.`,
    );
  }
  wakeDrainers();
  return { iccid: sim.iccid, sessions, resetPending: true as const };
}

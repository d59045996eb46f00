/**
 * The demo's packet gateway in the recent past: the devices behind the demo SIMs attach with
 * Access-Requests decided by the AAA's `decideAccess`, account for their sessions with Start,
 * Interim-Update (growing cumulative counters) and Stop through `storeAccounting`, move between cells
 * and operators, and obey the disconnects the platform queues. Every step is one batch at one moment.
 */
import type { AppContext } from '../context.js';
import { operators } from '../lib/operators.js';
import { decideAccess } from '../modules/network/access.service.js';
import { type AccountingItem, storeAccounting } from '../modules/network/accounting.service.js';
import { claimDisconnects, finishDisconnect } from '../modules/network/network.repository.js';
import { AcctStatus } from '../network/radius/attributes.js';
import { buildAccessRequest, buildAccountingRequest } from '../network/radius/builders.js';
import type { RadiusFields } from '../network/radius/fields.js';
import { decodeRequest, type RadiusRequest } from '../network/radius/request.js';
import {
  drawCell,
  makeImei,
  neighbourCell,
  nextOperator,
  pick,
  type Rng,
  timeZoneOf,
  userLocation,
} from '../network/simulator/devices.js';
import { TerminateCause } from '../network/simulator/pgw.js';
import { DAY, type DemoSim, HOUR } from './plan.js';
import { allowBytes } from './usage.js';

/**
 * The simulator's packet gateway (it goes on serving these SIMs when the demo runs with it: its
 * Accounting-On at start ends the sessions the history left open).
 */
const NAS = '127.0.0.1';
const SECRET = 'demo-history';
const APN = 'iot.opencmp';

interface Session {
  id: string;
  framedIp: string | null;
  input: bigint;
  output: bigint;
  startedAt: number;
  lastAt: number;
  /** For devices that are not always on: how many more steps the session lasts. */
  stepsLeft: number;
}

interface Device {
  sim: DemoSim;
  session: Session | null;
  /** Stop at the next step: the platform asked for a disconnect. */
  reset: boolean;
  swapped: boolean;
  nextAttempt: number;
  rejects: number;
}

/** The gateway's devices and what it still has to do. */
export interface Gateway {
  devices: Device[];
  bySession: Map<string, Device>;
  /** Set when the platform may have queued disconnects since the last step. */
  disconnectsQueued: boolean;
  sequence: number;
  rnd: Rng;
}

/** The gateway with a device behind each demo SIM, none attached yet. */
export function openGateway(sims: DemoSim[], rnd: Rng): Gateway {
  return {
    devices: sims.map((sim) => ({
      sim,
      session: null,
      reset: false,
      swapped: false,
      nextAttempt: 0,
      rejects: 0,
    })),
    bySession: new Map(),
    disconnectsQueued: false,
    sequence: 0,
    rnd,
  };
}

function decoded(packet: Buffer): RadiusRequest {
  const r = decodeRequest(packet);
  if (!r.ok) throw new Error(`demo gateway: bad packet (${r.error.detail})`);
  return r.value;
}

/** What every request of a device carries: who, where, on which radio. */
function deviceFields(sim: DemoSim): RadiusFields {
  return {
    userName: sim.imsi,
    imsi: sim.imsi,
    callingStationId: sim.msisdn,
    calledStationId: APN,
    nasIp: NAS,
    nasIdentifier: 'opencmp-simulator-pgw',
    imeisv: sim.imeisv,
    bearer: sim.bearer,
    sgsnMccMnc: sim.operator.mccMnc,
    userLocation: userLocation(sim.bearer, sim.operator.mccMnc, sim.cell),
    msTimeZone: timeZoneOf(sim.operator.country),
  };
}

function accounting(g: Gateway, d: Device, s: Session, status: number, t: number, cause?: number) {
  const fields: RadiusFields = {
    ...deviceFields(d.sim),
    statusType: status,
    sessionId: s.id,
    eventTimestamp: new Date(t),
    sessionTime: Math.floor((t - s.startedAt) / 1000),
    ...(s.framedIp ? { framedIp: s.framedIp } : {}),
    ...(status === AcctStatus.Start ? {} : { inputOctets: s.input, outputOctets: s.output }),
    ...(cause === undefined ? {} : { terminateCause: cause }),
  };
  g.sequence++;
  const request = decoded(buildAccountingRequest({ identifier: g.sequence & 0xff, secret: SECRET, fields }));
  return { nasAddress: NAS, request };
}

/** Traffic since the last record, at the device's rate while online; moving devices change cells. */
function advance(g: Gateway, d: Device, s: Session, t: number) {
  const { sim } = d;
  const online = sim.alwaysOn ? 0.9 : 0.27;
  const hours = (t - s.lastAt) / HOUR;
  const bytes = allowBytes(sim, (sim.dailyBytes / 24 / online) * hours * (0.4 + g.rnd() * 1.2), t);
  sim.sentBytes += bytes;
  const up = BigInt(Math.round(bytes * sim.upShare));
  s.input += up;
  s.output += BigInt(bytes) - up;
  s.lastAt = t;
  const roll = g.rnd();
  if (roll < (sim.mobile ? 0.02 : 0.002)) {
    sim.operator = sim.mobile
      ? nextOperator(g.rnd, sim.operator)
      : pick(
          g.rnd,
          operators.filter((o) => o.country === sim.operator.country),
        );
    sim.cell = drawCell(g.rnd);
  } else if (roll < (sim.mobile ? 0.3 : 0.02)) {
    sim.cell = neighbourCell(g.rnd, sim.cell);
  }
}

function end(g: Gateway, d: Device, s: Session, t: number, cause: number): AccountingItem {
  advance(g, d, s, t);
  d.session = null;
  d.reset = false;
  g.bySession.delete(s.id);
  d.nextAttempt = t + (d.sim.alwaysOn ? 0 : 2 * HOUR);
  return accounting(g, d, s, AcctStatus.Stop, t, cause);
}

/** The disconnects the platform queued: the gateway ends those sessions at this step and acknowledges. */
async function takeDisconnects(ctx: AppContext, g: Gateway, now: Date) {
  if (!g.disconnectsQueued) return;
  g.disconnectsQueued = false;
  for (const row of await claimDisconnects(ctx.db, 10_000, now)) {
    const d = g.bySession.get(row.sessionId);
    if (d) d.reset = true;
    await finishDisconnect(ctx.db, row.id, 'acked', null, now);
  }
}

/** Access-Requests of `devices` through the AAA's decision; the accepted ones start a session (their Starts are returned). */
async function attach(ctx: AppContext, g: Gateway, devices: Device[], t: number): Promise<AccountingItem[]> {
  if (devices.length === 0) return [];
  const requests = devices.map((d) => {
    g.sequence++;
    const fields: RadiusFields = { ...deviceFields(d.sim), serviceType: 2, framedProtocol: 7 };
    return decoded(buildAccessRequest({ identifier: g.sequence & 0xff, secret: SECRET, fields }));
  });
  const decisions = await decideAccess(ctx, requests);
  const starts: AccountingItem[] = [];
  devices.forEach((d, i) => {
    const decision = decisions[i];
    if (!decision?.accept) {
      // refused: try again a day later, after a few refusals every third day
      d.rejects++;
      d.nextAttempt = t + (d.rejects < 3 ? DAY : 3 * DAY) - HOUR;
      return;
    }
    d.rejects = 0;
    const s: Session = {
      id: `D${(++g.sequence).toString(16).toUpperCase().padStart(8, '0')}`,
      framedIp: decision.framedIp,
      input: 0n,
      output: 0n,
      startedAt: t,
      lastAt: t,
      stepsLeft: 1 + Math.floor(g.rnd() * 2),
    };
    d.session = s;
    g.bySession.set(s.id, d);
    starts.push(accounting(g, d, s, AcctStatus.Start, t));
  });
  return starts;
}

async function store(ctx: AppContext, g: Gateway, items: AccountingItem[]) {
  if (items.length === 0) return;
  const outcome = await storeAccounting(ctx, items);
  if (outcome.disconnectsQueued > 0) g.disconnectsQueued = true;
}

/** The first attach of newly installed devices, at the context's moment: the SIMs get their network data. */
export async function installDevices(ctx: AppContext, g: Gateway, sims: DemoSim[]) {
  const wanted = new Set(sims);
  const devices = g.devices.filter((d) => wanted.has(d.sim));
  await store(ctx, g, await attach(ctx, g, devices, ctx.clock.now().getTime()));
}

/** The end of the installation sessions: what the devices moved then (planned with the usage, usage.ts). */
export async function endInstallation(ctx: AppContext, g: Gateway, sims: DemoSim[]) {
  const t = ctx.clock.now().getTime();
  const wanted = new Set(sims);
  const items: AccountingItem[] = [];
  for (const d of g.devices) {
    const s = d.session;
    if (!s || !wanted.has(d.sim)) continue;
    const up = BigInt(Math.round(d.sim.commissionBytes * d.sim.upShare));
    s.input = up;
    s.output = BigInt(d.sim.commissionBytes) - up;
    s.lastAt = t;
    d.session = null;
    g.bySession.delete(s.id);
    items.push(accounting(g, d, s, AcctStatus.Stop, t, TerminateCause.UserRequest));
  }
  await store(ctx, g, items);
}

/** One step of the network window at the context's moment: Stops and Interims, then new attaches. */
export async function gatewayStep(ctx: AppContext, g: Gateway) {
  const now = ctx.clock.now();
  const t = now.getTime();
  await takeDisconnects(ctx, g, now);
  const items: AccountingItem[] = [];
  const attaching: Device[] = [];
  for (const d of g.devices) {
    const { sim } = d;
    if (sim.assignedAt >= t) continue;
    const retired = sim.retiredAt !== null && sim.retiredAt <= t;
    const s = d.session;
    if (sim.swappedAt !== null && sim.swappedAt <= t && !d.swapped) {
      // a new device in the SIM's place, with another IMEI: the old one's session ends with it
      d.swapped = true;
      if (s) items.push(end(g, d, s, t, TerminateCause.LostCarrier));
      sim.imei = makeImei(g.rnd);
      sim.imeisv = `${sim.imei.slice(0, 14)}01`;
      continue;
    }
    if (s) {
      if (d.reset) items.push(end(g, d, s, t, TerminateCause.AdminReset));
      else if (retired) items.push(end(g, d, s, t, TerminateCause.UserRequest));
      else if (sim.alwaysOn ? g.rnd() < 1 / 12 : --s.stepsLeft <= 0) {
        const cause = sim.alwaysOn
          ? pick(g.rnd, [
              TerminateCause.SessionTimeout,
              TerminateCause.LostCarrier,
              TerminateCause.UserRequest,
            ])
          : sim.bearer === 'NB-IoT'
            ? TerminateCause.IdleTimeout
            : TerminateCause.UserRequest;
        items.push(end(g, d, s, t, cause));
      } else {
        advance(g, d, s, t);
        items.push(accounting(g, d, s, AcctStatus.InterimUpdate, t));
      }
      continue;
    }
    if (!retired && t >= d.nextAttempt && (sim.alwaysOn || g.rnd() < 0.3)) attaching.push(d);
  }
  items.push(...(await attach(ctx, g, attaching, t)));
  await store(ctx, g, items);
}

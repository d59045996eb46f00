/**
 * The demo's bulk usage, before the network window: days older than the hourly retention as daily rows
 * (hour null, as the retention job leaves them), later days in a few active hours. It goes through
 * `addUsage` with its volume crossings through `applyVolumeEffects` — threshold and used-up events,
 * auto top-ups — at the moment each crossing happens: a SIM's usage is cut into batches that end at its
 * crossings, and the rest of it is written in one batch, as the network window begins. Every SMS the
 * usage counts is stored as a message, in the same transaction: the devices' reports (MO) and the demo
 * user's commands (MT, delivered), so a SIM's SMS tab shows what its usage says it sent.
 */
import { countSegments } from '../../contracts/sms-encoding.js';
import type { AppContext } from '../context.js';
import type { Actor } from '../modules/events/events.service.js';
import { insertSmsHistory, type NewSms } from '../modules/sms/sms.repository.js';
import { addUsage, type UsageDelta, volumeGroup } from '../modules/usage/usage.repository.js';
import { applyVolumeEffects } from '../modules/usage/volume.service.js';
import { mulberry32, type Rng } from '../network/simulator/devices.js';
import { DEVICE_MO_TEXTS, SERVICE_NUMBER } from '../network/simulator/smsc.js';
import { DAY, type DemoSim, HOUR, MB, type PlannedChange } from './plan.js';

const MINUTE = 60_000;

/** One SMS behind a usage piece's SMS count: its SIM, its direction and its moment (ms). */
export interface DemoSms {
  orgId: string;
  iccid: string;
  msisdn: string;
  direction: 'MO' | 'MT';
  at: number;
}

/** Usage to write in one go, and the messages its SMS counts stand for. */
export interface DemoUsage {
  deltas: UsageDelta[];
  sms: DemoSms[];
}

/** What the fleet's operators send their devices (the devices' answers are the simulator's MO texts). */
const OPERATOR_COMMANDS = [
  'STATUS?',
  'SET INTERVAL 300',
  'REBOOT',
  'GPS ON',
  'FW CHECK',
  'SET APN iot.opencmp',
];

/**
 * The messages behind `counts` of one SIM, at moments between `from` and `to` (ms), one SMS each: every
 * SMS the usage counts is a message in the SIM's SMS tab. `jitter` is a stream of its own, so the
 * messages leave the plan's other draws as they were.
 */
function messagesFor(
  sim: DemoSim,
  counts: { smsMo: number; smsMt: number },
  from: number,
  to: number,
  jitter: Rng,
): DemoSms[] {
  const out: DemoSms[] = [];
  const one = (direction: 'MO' | 'MT') => ({
    orgId: sim.orgId,
    iccid: sim.iccid,
    msisdn: sim.msisdn,
    direction,
    at: Math.round(from + jitter() * Math.max(0, to - from)),
  });
  for (let i = 0; i < counts.smsMo; i++) out.push(one('MO'));
  for (let i = 0; i < counts.smsMt; i++) out.push(one('MT'));
  return out;
}

/** The rows of the demo's messages: MO as the SMSC delivers them, MT sent by `sender` and delivered. */
function smsRows(messages: DemoSms[], sender: Actor, mtSource: string): NewSms[] {
  return messages.map((m, i) => {
    const text =
      m.direction === 'MO'
        ? (DEVICE_MO_TEXTS[(Math.floor(m.at / MINUTE) + i) % DEVICE_MO_TEXTS.length] as string)
        : (OPERATOR_COMMANDS[(Math.floor(m.at / MINUTE) + i) % OPERATOR_COMMANDS.length] as string);
    const { encoding, segments } = countSegments(text);
    const at = new Date(m.at);
    const common = { orgId: m.orgId, iccid: m.iccid, text, encoding, segments, status: 'delivered' as const };
    if (m.direction === 'MO')
      return {
        ...common,
        direction: 'MO',
        peer: SERVICE_NUMBER,
        sourceAddress: m.msisdn,
        source: 'network',
        createdAt: at,
        doneAt: at,
      };
    return {
      ...common,
      direction: 'MT',
      peer: m.msisdn,
      sourceAddress: mtSource,
      source: sender.source === 'api' ? 'api' : 'user',
      actorId: sender.id ?? null,
      actorName: sender.name ?? null,
      attempts: 1,
      // delivered, so every part was (the list shows each part's state; no SMSC ids: none issued them)
      partStates: Array.from({ length: segments }, () => 'delivered'),
      createdAt: at,
      submittedAt: new Date(m.at + 1000),
      doneAt: new Date(m.at + 2500),
    };
  });
}

/** A count with mean `rate`, for a day's SMS. */
function draw(rnd: Rng, rate: number): number {
  const r = rate * (0.5 + rnd());
  const whole = Math.floor(r);
  return whole + (rnd() < r - whole ? 1 : 0);
}

/**
 * The bytes a device moves of the `bytes` it would at `t`: one with a cap slows down near it; the two
 * that run dry hold back until their moment, then flood past their volume until the platform stops them.
 */
export function allowBytes(sim: DemoSim, bytes: number, t: number): number {
  if (sim.runsDryAt !== null) {
    if (t >= sim.runsDryAt) return Math.round(Math.max(bytes, sim.dataTotal - sim.sentBytes + 2 * MB));
    const left = 0.985 * 500 * MB - sim.sentBytes;
    return Math.max(0, Math.round(Math.min(bytes, left)));
  }
  if (sim.dataCap === null) return Math.round(bytes);
  const left = sim.dataCap - sim.sentBytes;
  return Math.max(0, Math.round(bytes <= left * 0.5 ? bytes : left * 0.3));
}

/** SMS a device sends and receives; none once its SMS volume is used up, and no more than its own cap. */
export function drawSms(sim: DemoSim, rnd: Rng, share: number) {
  let mo = draw(rnd, sim.smsPerDay.mo * share);
  let mt = draw(rnd, sim.smsPerDay.mt * share);
  const left = Math.max(0, Math.min(sim.smsTotal, sim.smsCap ?? sim.smsTotal) - sim.sentSms);
  mo = Math.min(mo, left);
  mt = Math.min(mt, left - mo);
  return { smsMo: mo, smsMt: mt };
}

/** Whether the device is kept off the network at `t`: its SIM deactivated, the device retired or swapped. */
function offAt(sim: DemoSim, off: [number, number][], t: number): boolean {
  if (sim.retiredAt !== null && sim.retiredAt <= t) return true;
  if (sim.swappedAt !== null && sim.swappedAt <= t) return true;
  return off.some(([from, to]) => from <= t && t < to);
}

/** The periods each SIM is deactivated, from the planned changes. */
function deactivations(changes: PlannedChange[]): Map<number, [number, number][]> {
  const out = new Map<number, [number, number][]>();
  for (const c of [...changes].sort((a, b) => a.at - b.at)) {
    if (!c.req.status) continue;
    const list = out.get(c.n) ?? [];
    if (c.req.status === 'deactivated') list.push([c.at, Number.POSITIVE_INFINITY]);
    else {
      const open = list.at(-1);
      if (open) open[1] = c.at;
    }
    out.set(c.n, list);
  }
  return out;
}

/** When a SIM's auto top-up was switched on, from the planned changes. */
function autoTopUpFrom(changes: PlannedChange[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const c of changes) if (c.req.autoTopUp) out.set(c.n, Math.min(out.get(c.n) ?? c.at, c.at));
  return out;
}

/** Add one piece of usage to the SIM as the platform will count it; true when it crosses a volume mark. */
function count(sim: DemoSim, piece: UsageDelta, at: number, autoFrom: number | undefined, topUp: TopUp) {
  const bytes = piece.dataUp + piece.dataDown;
  const sms = piece.smsMo + piece.smsMt;
  const crosses = (total: number, used: number, add: number) => {
    const before = volumeGroup(total, used);
    const after = volumeGroup(total, used + add);
    return add > 0 && after !== 'sufficient' && before !== 'none' && before !== after;
  };
  const crossed = crosses(sim.dataTotal, sim.sentBytes, bytes) || crosses(sim.smsTotal, sim.sentSms, sms);
  sim.sentBytes += bytes;
  sim.sentSms += sms;
  if (crossed && autoFrom !== undefined && autoFrom <= at) {
    sim.dataTotal += topUp.dataBytes;
    sim.smsTotal += topUp.sms;
  }
  return crossed;
}

interface TopUp {
  dataBytes: number;
  sms: number;
}

/**
 * The usage of every SIM from its assignment until `until` (where the network window begins), by the
 * moment it is to be written: batches that end at a SIM's volume crossing at that moment, and the rest
 * at `until`.
 */
export function planBulkUsage(
  sims: DemoSim[],
  changes: PlannedChange[],
  window: { hourlyFrom: number; until: number },
  topUp: TopUp,
  rnd: Rng,
): Map<number, DemoUsage> {
  const batches = new Map<number, DemoUsage>();
  const add = (at: number, usage: DemoUsage) => {
    const batch = batches.get(at) ?? { deltas: [], sms: [] };
    batch.deltas.push(...usage.deltas);
    batch.sms.push(...usage.sms);
    batches.set(at, batch);
  };
  const jitter = mulberry32(0x5a5a);
  const off = deactivations(changes);
  const auto = autoTopUpFrom(changes);
  const { hourlyFrom, until } = window;
  for (const sim of sims) {
    // the first session when the device was installed (network.ts) counts too
    sim.sentBytes += sim.commissionBytes;
    let open: DemoUsage = { deltas: [], sms: [] };
    for (let day = Math.floor(sim.assignedAt / DAY) * DAY; day < until; day += DAY) {
      const from = Math.max(day, sim.assignedAt + 3 * HOUR);
      const to = Math.min(day + DAY, until);
      if (to <= from || offAt(sim, off.get(sim.n) ?? [], (from + to) / 2)) continue;
      const share = (to - from) / DAY;
      const idle = rnd() < 0.25;
      const used = sim.sentBytes >= sim.dataTotal;
      let bytes = idle || used ? 0 : allowBytes(sim, (sim.dailyBytes / 0.75) * share * (0.5 + rnd()), from);
      let sms = drawSms(sim, rnd, share);
      // older than the hourly retention: the day's row; later: a few active hours, each written after its hour
      const slots: { hour: number | null; at: number }[] = [];
      if (day < hourlyFrom) slots.push({ hour: null, at: Math.min(day + 23 * HOUR, to - MINUTE) });
      else {
        const first = Math.ceil(from / HOUR);
        const last = Math.floor((to - 50 * MINUTE) / HOUR);
        const hours = new Set<number>();
        for (let i = 1 + Math.floor(rnd() * 4); i > 0 && last >= first; i--)
          hours.add(first + Math.floor(rnd() * (last - first + 1)));
        for (const h of [...hours].sort((a, b) => a - b))
          slots.push({ hour: h % 24, at: h * HOUR + 50 * MINUTE });
      }
      const date = new Date(day).toISOString().slice(0, 10);
      slots.forEach((slot, i) => {
        const part = i === slots.length - 1 ? 1 : 1 / (slots.length - i);
        const pieceBytes = Math.round(bytes * part);
        const up = Math.round(pieceBytes * sim.upShare);
        const piece: UsageDelta = {
          orgId: sim.orgId,
          iccid: sim.iccid,
          day: date,
          hour: slot.hour,
          dataUp: up,
          dataDown: pieceBytes - up,
          ...(i === 0 ? sms : { smsMo: 0, smsMt: 0 }),
        };
        bytes -= pieceBytes;
        sms = { smsMo: 0, smsMt: 0 };
        if (piece.dataUp + piece.dataDown + piece.smsMo + piece.smsMt === 0) return;
        open.deltas.push(piece);
        // an hour's messages in its first 50 minutes; a day row's over the day, once the SIM was in use
        const span = slot.hour === null ? 14 * HOUR : 49 * MINUTE;
        open.sms.push(...messagesFor(sim, piece, Math.max(from, slot.at - span), slot.at - MINUTE, jitter));
        if (count(sim, piece, slot.at, auto.get(sim.n), topUp)) {
          add(slot.at, open);
          open = { deltas: [], sms: [] };
        }
      });
    }
    if (open.deltas.length > 0) add(until - MINUTE, open);
  }
  return batches;
}

/**
 * Write a batch of usage, apply its volume crossings at the context's moment, and store the messages
 * its SMS counts stand for (MT sent by `sender` from the default sender), in one transaction.
 */
export async function recordUsage(ctx: AppContext, usage: DemoUsage, sender: Actor) {
  if (usage.deltas.length === 0) return;
  await ctx.db.transaction(async (tx) => {
    const crossings = await addUsage(tx, usage.deltas);
    await applyVolumeEffects(ctx, tx, crossings, ctx.clock.now());
    await insertSmsHistory(tx, smsRows(usage.sms, sender, ctx.config.SMPP_SOURCE_ADDR));
  });
}

/** A day's SMS in the network window, counted in the hour of the context's moment as the SMS service counts them. */
export async function smsDay(ctx: AppContext, sims: DemoSim[], rnd: Rng, sender: Actor) {
  const now = ctx.clock.now();
  const t = now.getTime();
  const slot = { day: now.toISOString().slice(0, 10), hour: now.getUTCHours() };
  const deltas: UsageDelta[] = [];
  const messages: DemoSms[] = [];
  const jitter = mulberry32(t);
  for (const sim of sims) {
    const retired = sim.retiredAt !== null && sim.retiredAt <= t;
    if (sim.assignedAt >= t || sim.deactivated || retired) continue;
    const sms = drawSms(sim, rnd, 1);
    if (sms.smsMo + sms.smsMt === 0) continue;
    sim.sentSms += sms.smsMo + sms.smsMt;
    deltas.push({ orgId: sim.orgId, iccid: sim.iccid, ...slot, dataUp: 0, dataDown: 0, ...sms });
    // within the hour counted, done (an MT's receipt after 2.5 s) by now
    messages.push(...messagesFor(sim, sms, t - (t % HOUR), Math.max(t - (t % HOUR), t - 5000), jitter));
  }
  await recordUsage(ctx, { deltas, sms: messages }, sender);
}

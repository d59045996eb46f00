/**
 * The demo's bulk usage, before the network window: days older than the hourly retention as daily rows
 * (hour null, as the retention job leaves them), later days in a few active hours. It goes through
 * `addUsage` with its volume crossings through `applyVolumeEffects` — threshold and used-up events,
 * auto top-ups — at the moment each crossing happens: a SIM's usage is cut into batches that end at its
 * crossings, and the rest of it is written in one batch, as the network window begins.
 */
import type { AppContext } from '../context.js';
import { addUsage, type UsageDelta, volumeGroup } from '../modules/usage/usage.repository.js';
import { applyVolumeEffects } from '../modules/usage/volume.service.js';
import type { Rng } from '../network/simulator/devices.js';
import { DAY, type DemoSim, HOUR, MB, type PlannedChange } from './plan.js';

const MINUTE = 60_000;

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
): Map<number, UsageDelta[]> {
  const batches = new Map<number, UsageDelta[]>();
  const add = (at: number, pieces: UsageDelta[]) => batches.set(at, [...(batches.get(at) ?? []), ...pieces]);
  const off = deactivations(changes);
  const auto = autoTopUpFrom(changes);
  const { hourlyFrom, until } = window;
  for (const sim of sims) {
    // the first session when the device was installed (network.ts) counts too
    sim.sentBytes += sim.commissionBytes;
    let open: UsageDelta[] = [];
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
        open.push(piece);
        if (count(sim, piece, slot.at, auto.get(sim.n), topUp)) {
          add(slot.at, open);
          open = [];
        }
      });
    }
    if (open.length > 0) add(until - MINUTE, open);
  }
  return batches;
}

/** Write a batch of usage and apply its volume crossings at the context's moment, in one transaction. */
export async function recordUsage(ctx: AppContext, deltas: UsageDelta[]) {
  if (deltas.length === 0) return;
  await ctx.db.transaction(async (tx) => {
    const crossings = await addUsage(tx, deltas);
    await applyVolumeEffects(ctx, tx, crossings, ctx.clock.now());
  });
}

/** A day's SMS in the network window, counted in the hour of the context's moment as the SMS service counts them. */
export async function smsDay(ctx: AppContext, sims: DemoSim[], rnd: Rng) {
  const now = ctx.clock.now();
  const t = now.getTime();
  const slot = { day: now.toISOString().slice(0, 10), hour: now.getUTCHours() };
  const deltas: UsageDelta[] = [];
  for (const sim of sims) {
    const retired = sim.retiredAt !== null && sim.retiredAt <= t;
    if (sim.assignedAt >= t || sim.deactivated || retired) continue;
    const sms = drawSms(sim, rnd, 1);
    if (sms.smsMo + sms.smsMt === 0) continue;
    sim.sentSms += sms.smsMo + sms.smsMt;
    deltas.push({ orgId: sim.orgId, iccid: sim.iccid, ...slot, dataUp: 0, dataDown: 0, ...sms });
  }
  await recordUsage(ctx, deltas);
}

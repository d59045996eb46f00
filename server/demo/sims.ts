/**
 * The demo fleet: stock, ~250 SIMs of the demo customer in varied states, volumes, networks and
 * countries, and months of events and usage, written through the same services as real traffic.
 */
import { eq, sql } from 'drizzle-orm';
import { eventTypes } from '../../contracts/events.js';
import { luhnDigit } from '../../contracts/ids.js';
import type { AppContext } from '../context.js';
import { type bearers, simEvents, sims } from '../db/schema/index.js';
import { operators } from '../lib/operators.js';
import type { NewEvent } from '../modules/events/events.repository.js';
import { type Actor, event, recordEvents } from '../modules/events/events.service.js';
import { addPool, assignStock, importStock } from '../modules/stock/stock.service.js';
import { addUsage, type UsageDelta } from '../modules/usage/usage.repository.js';

const MB = 1024 * 1024;
const DAY = 86_400_000;

/** A small deterministic PRNG (mulberry32), so the demo looks the same on every machine. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ICCID, IMSI and MSISDN of demo SIM number n. */
export function demoIdentifiers(n: number) {
  const serial = String(n).padStart(7, '0');
  return { iccid: `894902012300${serial}`, imsi: `26201990${serial}`, msisdn: `4915199${serial}` };
}

function stockCsv(from: number, count: number): string {
  const lines = ['iccid,imsi,msisdn,pin1,puk1,pin2,puk2,form_factor'];
  const factors = ['3FF', '4FF', 'MFF2', '2FF'];
  for (let n = from; n < from + count; n++) {
    const id = demoIdentifiers(n);
    const pin = String(1000 + (n % 9000));
    lines.push(
      `${id.iccid},${id.imsi},${id.msisdn},${pin},${String(10000000 + n * 7).slice(0, 8)},${pin},${String(20000000 + n * 3).slice(0, 8)},${factors[n % 4]}`,
    );
  }
  return lines.join('\n');
}

const labels = [
  'Cold-chain tracker',
  'Smart meter',
  'Vending machine',
  'E-bike',
  'Parking sensor',
  'Gateway',
  'Pump controller',
  'Fleet telematics',
];
const cities = [
  'Berlin',
  'Hamburg',
  'Munich',
  'Vienna',
  'Paris',
  'Amsterdam',
  'London',
  'Madrid',
  'Milan',
  'Warsaw',
];
const bearerMix: (typeof bearers)[number][] = [
  '4G',
  '4G',
  'LTE-M',
  'LTE-M',
  'NB-IoT',
  'NB-IoT',
  '5G',
  '3G',
  '2G',
];

/** Seed the demo fleet for the demo customer and its sub-organisation. */
export async function seedDemoFleet(
  ctx: AppContext,
  operator: Actor,
  orgs: { customerId: string; subId: string },
  count = 250,
) {
  const rnd = random(42);
  const now = ctx.clock.now();
  await importStock(ctx, stockCsv(1, count + 80));
  await addPool(ctx, orgs.customerId, '10.64.0.0/16');
  await addPool(ctx, orgs.subId, '10.65.0.0/20');
  const first = demoIdentifiers(1).iccid;
  const last = demoIdentifiers(count).iccid;
  await assignStock(ctx, operator, {
    orgId: orgs.customerId,
    iccidFrom: first,
    iccidTo: last,
    contractMonths: 120,
    dataMb: 500,
    sms: 250,
  });
  await assignStock(ctx, operator, {
    orgId: orgs.subId,
    iccidFrom: demoIdentifiers(count + 1).iccid,
    iccidTo: demoIdentifiers(count + 20).iccid,
    contractMonths: 120,
    dataMb: 500,
    sms: 250,
  });

  const network: Actor = { source: 'network' };
  const customer: Actor = { source: 'user', id: null, name: 'Olivia Owner' };
  const events: NewEvent[] = [];
  const usage: UsageDelta[] = [];
  const hourlyDays = ctx.config.OPENCMP_HOURLY_RETENTION_DAYS;
  for (let n = 1; n <= count; n++) {
    const { iccid } = demoIdentifiers(n);
    const sim = { orgId: orgs.customerId, iccid };
    const ageDays = 30 + Math.floor(rnd() * 150);
    const activatedAt = new Date(now.getTime() - ageDays * DAY);
    const op = operators[Math.floor(rnd() * operators.length)] ?? operators[0];
    const bearer = bearerMix[Math.floor(rnd() * bearerMix.length)] ?? '4G';
    const roll = rnd();
    const status = n % 23 === 0 ? 'deactivated' : n === 7 || n === 77 ? 'expired' : 'activated';
    const session =
      status !== 'activated'
        ? 'offline'
        : roll < 0.45
          ? 'online'
          : roll < 0.7
            ? 'attached'
            : roll < 0.95
              ? 'offline'
              : 'blocked';
    const heavy = n % 11 === 0 ? 1.4 : n % 17 === 0 ? 1.1 : 0;
    const imei = `35${String(100000000000 + n * 7919).slice(0, 12)}`;
    const imeiBody = imei.slice(0, 14);
    const values: Partial<typeof sims.$inferInsert> = {
      activatedAt,
      endOfLife:
        status === 'expired'
          ? new Date(now.getTime() - 3 * DAY)
          : new Date(activatedAt.getTime() + 120 * 30.44 * DAY),
      status,
      sessionState: session,
      label: n % 7 === 3 ? null : `${labels[n % labels.length]} ${cities[n % cities.length]} #${n}`,
      imei: status === 'activated' && session !== 'offline' ? `${imeiBody}${luhnDigit(imeiBody)}` : null,
      imeiLock: n % 9 === 0,
      lockedImei: n % 9 === 0 ? `${imeiBody}${luhnDigit(imeiBody)}` : null,
      autoTopUp: n % 13 === 0,
      country: op?.country ?? null,
      operatorName: op?.name ?? null,
      mccMnc: op?.mccMnc ?? null,
      cell: `${op?.mccMnc ?? ''}-${1000 + Math.floor(rnd() * 8000)}-${Math.floor(rnd() * 200000)}`,
      bearer,
      lastSeenAt: new Date(now.getTime() - Math.floor(rnd() * 3 * DAY)),
    };
    await ctx.db.update(sims).set(values).where(eq(sims.iccid, iccid));
    if (status === 'deactivated') {
      events.push(
        event(customer, sim, new Date(now.getTime() - 5 * DAY), {
          type: eventTypes.simSuspension,
          description: 'SIM deactivated',
        }),
      );
    }
    // daily usage: a base rate per device class, heavier for some, so volume groups vary
    const dailyData = heavy ? (heavy * 500 * MB) / ageDays : (rnd() * 80 * MB) / Math.max(ageDays, 60);
    for (let d = ageDays; d >= 0; d--) {
      if (rnd() < 0.25) continue;
      const dayDate = new Date(now.getTime() - d * DAY);
      const total = Math.round(dailyData * (0.5 + rnd()));
      const up = Math.round(total * (0.2 + rnd() * 0.3));
      const day = dayDate.toISOString().slice(0, 10);
      const smsMo = rnd() < 0.08 ? 1 : 0;
      const smsMt = rnd() < 0.05 ? 1 : 0;
      if (d > hourlyDays) {
        // older than the hourly retention: daily rows alone, as the retention job would leave them
        usage.push({
          orgId: orgs.customerId,
          iccid,
          day,
          hour: null,
          dataUp: up,
          dataDown: total - up,
          smsMo,
          smsMt,
        });
      } else {
        // recent days come in a few active hours (none later than now), adding up to the day's figures
        const lastHour = d === 0 ? now.getUTCHours() : 23;
        const pieces = 1 + Math.floor(rnd() * 5);
        const hours = [...new Set(Array.from({ length: pieces }, () => Math.floor(rnd() * (lastHour + 1))))];
        let upLeft = up;
        let downLeft = total - up;
        hours.forEach((hour, i) => {
          const last = i === hours.length - 1;
          const pieceUp = last ? upLeft : Math.floor(upLeft / (hours.length - i));
          const pieceDown = last ? downLeft : Math.floor(downLeft / (hours.length - i));
          upLeft -= pieceUp;
          downLeft -= pieceDown;
          usage.push({
            orgId: orgs.customerId,
            iccid,
            day,
            hour,
            dataUp: pieceUp,
            dataDown: pieceDown,
            smsMo: i === 0 ? smsMo : 0,
            smsMt: i === 0 ? smsMt : 0,
          });
        });
      }
      if (d % 7 === 0) {
        // a session of an hour that ended at least an hour before this moment of the day: never in the future
        const at = new Date(dayDate.getTime() - (2 + Math.floor(rnd() * 8)) * 3_600_000);
        events.push(
          event(network, sim, at, {
            type: eventTypes.createPdpContext,
            description: `Data session started on ${op?.name} (${bearer})`,
            details: { mccMnc: op?.mccMnc, bearer },
          }),
          event(network, sim, new Date(at.getTime() + 3_600_000), {
            type: eventTypes.deletePdpContext,
            description: `Data session ended: ${((total / MB) * 0.3).toFixed(2)} MB`,
            details: { bytes: Math.round(total * 0.3) },
          }),
        );
      }
    }
    if (heavy) {
      events.push(
        event({ source: 'policy' }, sim, new Date(now.getTime() - 2 * DAY), {
          type: eventTypes.dataThreshold,
          severity: 'warning',
          description: 'Less than 20 % of the data volume left',
        }),
      );
    }
  }
  // cap each SIM's data so a few run dry and some run low, as a real fleet does
  usage.sort((a, b) => a.day.localeCompare(b.day));
  const used = new Map<string, number>();
  const capped = usage.filter((u) => {
    const total = (used.get(u.iccid) ?? 0) + u.dataUp + u.dataDown;
    if (total > 500 * MB) return false;
    used.set(u.iccid, total);
    return true;
  });
  await addUsage(ctx.db, capped);
  await recordEvents(ctx.db, events);
  // a couple of SIMs with their volume used up
  for (const n of [22, 44]) {
    const { iccid } = demoIdentifiers(n);
    await ctx.db
      .update(sims)
      .set({ dataUsed: 500 * MB, sessionState: 'blocked' })
      .where(eq(sims.iccid, iccid));
  }
  await ctx.db
    .update(sims)
    .set({ smsUsed: 250 })
    .where(eq(sims.iccid, demoIdentifiers(33).iccid));
  // the assignment happened when each SIM was activated, not at seeding time
  await ctx.db.execute(sql`
    UPDATE ${simEvents} e SET occurred_at = s.activated_at FROM ${sims} s
    WHERE e.iccid = s.iccid AND e.type = ${eventTypes.simAssigned} AND s.org_id = ${orgs.customerId}`);
}

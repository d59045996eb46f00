/**
 * The demo fleet's plan: which SIMs are assigned when, what their devices are and how much they use,
 * and what the demo users do to them over the months. Deterministic for a given "now", so the demo
 * looks the same on every machine; `seedDemoFleet` (sims.ts) plays it through the real services.
 */
import type { UpdateSimRequest } from '../../contracts/sims.js';
import type { NetworkOperator } from '../lib/operators.js';
import { operators } from '../lib/operators.js';
import type { Bearer } from '../network/radius/attributes.js';
import {
  type Cell,
  deviceProfile,
  drawCell,
  mulberry32,
  pick,
  type Rng,
} from '../network/simulator/devices.js';

export const MB = 1024 * 1024;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The demo users who act on SIMs (Olivia Owner, Adam Admin, Ursula User). */
export type DemoUser = 'owner' | 'admin' | 'user';

/** The ICCID, IMSI and MSISDN of demo SIM number n. */
export function demoIdentifiers(n: number) {
  const serial = String(n).padStart(7, '0');
  return { iccid: `894902012300${serial}`, imsi: `26201990${serial}`, msisdn: `4915199${serial}` };
}

/** One demo SIM: its plan (fixed) and the state of its device while the history plays (mutable). */
export interface DemoSim {
  n: number;
  iccid: string;
  imsi: string;
  msisdn: string;
  orgId: string;
  assignedAt: number;
  /** Mean data per day the device moves, in bytes. */
  dailyBytes: number;
  /** Data the device moves at most in all (it slows down near it); null: no limit of its own. */
  dataCap: number | null;
  /** For the two that run dry: from when the device floods data until the volume is used up. */
  runsDryAt: number | null;
  /** What the device moves in its first session, when it is installed. */
  commissionBytes: number;
  smsPerDay: { mo: number; mt: number };
  /** SMS at most in all; for SIM 33 its whole volume, so it runs out. */
  smsCap: number | null;
  /** Always-on devices hold long sessions; the others attach now and then for a short one. */
  alwaysOn: boolean;
  mobile: boolean;
  bearer: Bearer;
  upShare: number;
  /** The device is switched off for good (a pilot SIM at the end of its lifetime). */
  retiredAt: number | null;
  /** The device is swapped for one with another IMEI: the IMEI lock then refuses it. */
  swappedAt: number | null;
  // the device as the history goes on
  imei: string;
  imeisv: string;
  operator: NetworkOperator;
  cell: Cell;
  sentBytes: number;
  sentSms: number;
  /** The volumes as the platform will have them (auto top-ups add to them). */
  dataTotal: number;
  smsTotal: number;
  deactivated: boolean;
}

/** An assignment of a stock range, as the operator console makes it. */
export interface Assignment {
  orgId: string;
  from: number;
  to: number;
  at: number;
  months: number;
}

/** A change a demo user makes to one SIM through the SIM service. */
export interface PlannedChange {
  at: number;
  n: number;
  by: DemoUser;
  req: UpdateSimRequest;
}

export interface FleetPlan {
  sims: DemoSim[];
  assignments: Assignment[];
  changes: PlannedChange[];
  /** When the lifetime job runs: just after each end of life that falls into the history. */
  lifetimeRuns: number[];
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

/** Per device class (the label's kind, n % 8): its radios, whether it moves, whether it stays online. */
const classes: { bearers: Bearer[]; mobile: boolean; alwaysOn: boolean }[] = [
  { bearers: ['LTE-M', '4G'], mobile: true, alwaysOn: true },
  { bearers: ['NB-IoT'], mobile: false, alwaysOn: false },
  { bearers: ['LTE-M', '2G'], mobile: false, alwaysOn: false },
  { bearers: ['LTE-M'], mobile: true, alwaysOn: true },
  { bearers: ['NB-IoT', 'LTE-M'], mobile: false, alwaysOn: false },
  { bearers: ['4G', '5G'], mobile: false, alwaysOn: true },
  { bearers: ['LTE-M', '2G', '3G'], mobile: false, alwaysOn: false },
  { bearers: ['4G', '3G'], mobile: true, alwaysOn: true },
];

/** The label a demo SIM ends up with: "E-bike Hamburg #11"; every seventh has none. */
export function demoLabel(n: number): string | null {
  return n % 7 === 3 ? null : `${labels[n % labels.length]} ${cities[n % cities.length]} #${n}`;
}

/**
 * Ranges assigned together, like orders: [first, last, days ago, contract months]; the last two SIMs
 * were a 6-month pilot whose lifetime ended a few days ago.
 */
function cohorts(count: number): [number, number, number, number][] {
  const last = count - 2;
  const orders: [number, number, number][] = [
    [1, 40, 170],
    [41, 110, 130],
    [111, 190, 90],
    [191, last, 48],
  ];
  return [
    ...orders
      .map(([from, to, ago]): [number, number, number, number] => [from, Math.min(to, last), ago, 120])
      .filter(([from, to]) => from <= to),
    [count - 1, count, 186, 6],
  ];
}

/** The end of life assignStock gives a SIM assigned at `at` for `months`. */
function endOfLife(at: number, months: number): number {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

const german = operators.filter((o) => o.country === 'DE');

function planSim(n: number, orgId: string, assignedAt: number, now: number, rnd: Rng): DemoSim {
  const id = demoIdentifiers(n);
  const kind = classes[n % classes.length] ?? { bearers: ['4G'], mobile: false, alwaysOn: true };
  const bearer = pick(rnd, kind.bearers);
  const profile = deviceProfile(42, id.imsi, { bearer });
  const days = (now - assignedAt) / DAY;
  let dataCap: number | null = null;
  let dailyBytes: number;
  let runsDryAt: number | null = null;
  if (n === 22 || n === 44) {
    // these two run dry, one weeks ago and one since yesterday; then the AAA refuses them
    runsDryAt = n === 22 ? now - 16 * DAY : now - 26 * HOUR;
    dailyBytes = (500 * MB) / ((runsDryAt - assignedAt) / DAY);
  } else {
    const share = n % 11 === 0 ? 0.84 + rnd() * 0.12 : n % 17 === 0 ? 0.6 + rnd() * 0.3 : 0.02 + rnd() * 0.3;
    dataCap = Math.round(share * 500 * MB);
    dailyBytes = dataCap / (days * (share > 0.5 ? 0.85 : 1));
  }
  let smsCap: number | null = null;
  let mo = 0.08;
  if (n === 33) {
    // a device that texts too much: its SMS volume runs out some weeks ago
    smsCap = 250;
    mo = 250 / (days - 40);
  } else if (n % 37 === 0) {
    smsCap = Math.round(250 * (0.82 + rnd() * 0.13));
    mo = smsCap / (days * 0.85);
  }
  return {
    n,
    ...id,
    orgId,
    assignedAt,
    dailyBytes,
    dataCap,
    runsDryAt,
    commissionBytes: Math.round((0.2 + rnd() * 1.8) * MB),
    smsPerDay: { mo, mt: 0.05 },
    smsCap,
    alwaysOn: kind.alwaysOn || runsDryAt !== null,
    mobile: kind.mobile,
    bearer,
    upShare: profile.upShare,
    retiredAt: null,
    swappedAt: n === 90 ? now - 6 * DAY : n === 162 ? now - 2 * DAY - 3 * HOUR : null,
    imei: profile.imei,
    imeisv: profile.imeisv,
    // a German customer: most devices at home, the rest spread over Europe and the US
    operator: rnd() < 0.4 ? pick(rnd, german) : profile.operator,
    cell: drawCell(rnd),
    sentBytes: 0,
    sentSms: 0,
    dataTotal: 500 * MB,
    smsTotal: 250,
    deactivated: false,
  };
}

/** What the demo users do: labels, auto top-up, IMEI locks, deactivations (PRODUCT.md §3, §6). */
function planChanges(sims: DemoSim[], now: number): PlannedChange[] {
  const changes: PlannedChange[] = [];
  const by: DemoUser[] = ['owner', 'admin', 'user'];
  for (const s of sims) {
    const { n, assignedAt: a } = s;
    const who = by[n % 3] ?? 'owner';
    const label = demoLabel(n);
    if (n % 25 === 4) {
      // labelled as a spare first, renamed (or cleared) when it went into service
      changes.push({ at: a + (4 + 3 * (n % 3)) * HOUR, n, by: who, req: { label: `Spare unit #${n}` } });
      changes.push({ at: now - (2 + (n % 20)) * DAY - 5 * HOUR, n, by: 'user', req: { label } });
    } else if (label) {
      // the delivery is labelled in three sittings, one per person
      changes.push({ at: a + (4 + 3 * (n % 3)) * HOUR, n, by: who, req: { label } });
    }
    if (n % 13 === 0) changes.push({ at: a + 2 * DAY + 3 * HOUR, n, by: 'owner', req: { autoTopUp: true } });
    if (n % 18 === 0) {
      changes.push({ at: a + 3 * DAY, n, by: 'admin', req: { imeiLock: true, imei: s.imei } });
    } else if (n % 18 === 9) {
      // no IMEI given: the lock binds to the device at its next attach
      changes.push({
        at: now - (18 + 4 * (n % 3)) * DAY + 10 * HOUR,
        n,
        by: 'admin',
        req: { imeiLock: true },
      });
    }
    if (n % 23 === 0) {
      changes.push({
        at: now - (1 + (n % 17)) * DAY + 7 * HOUR,
        n,
        by: 'admin',
        req: { status: 'deactivated' },
      });
    }
    if (n === 50) {
      changes.push({ at: now - 26 * DAY - 3 * HOUR, n, by: 'admin', req: { status: 'deactivated' } });
      changes.push({ at: now - 19 * DAY + 2 * HOUR, n, by: 'owner', req: { status: 'activated' } });
    }
  }
  return changes;
}

/** The plan of `count` SIMs of the customer and 20 of its sub-organisation, as of `now`. */
export function planFleet(
  now: number,
  count: number,
  orgs: { customerId: string; subId: string },
): FleetPlan {
  const rnd = mulberry32(42);
  const day = (ago: number, hour: number) => Math.floor((now - ago * DAY) / DAY) * DAY + hour * HOUR;
  const assignments: Assignment[] = [];
  cohorts(count).forEach(([from, to, ago, months], i) => {
    if (from <= to) assignments.push({ orgId: orgs.customerId, from, to, at: day(ago, 8 + i), months });
  });
  assignments.push({ orgId: orgs.subId, from: count + 1, to: count + 20, at: day(60, 11), months: 120 });
  const sims: DemoSim[] = [];
  const lifetimeRuns: number[] = [];
  for (const a of assignments) {
    for (let n = a.from; n <= a.to; n++) {
      const sim = planSim(n, a.orgId, a.at, now, rnd);
      const end = endOfLife(a.at, a.months);
      if (end < now) {
        sim.retiredAt = end;
        lifetimeRuns.push(end + 15 * 60_000);
      }
      sims.push(sim);
    }
  }
  return {
    sims,
    assignments,
    changes: planChanges(
      sims.filter((s) => s.orgId === orgs.customerId),
      now,
    ),
    lifetimeRuns,
  };
}

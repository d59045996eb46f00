/**
 * What a simulated device looks like to the network: a stable IMEI, a bearer from a realistic mix,
 * a serving operator in one of several countries, a cell, and how much data it moves. Everything is
 * drawn from a seeded PRNG per device, so a seed gives the same fleet on every run.
 */
import { luhnDigit } from '../../../contracts/ids.js';
import { type NetworkOperator, operators } from '../../lib/operators.js';
import type { Bearer } from '../radius/attributes.js';
import type { UserLocation } from '../radius/uli.js';

/** A deterministic PRNG (mulberry32) returning floats in [0, 1). */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash (FNV-1a) of a string, to derive a device's PRNG from the seed and its IMSI. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** Share of IoT devices per bearer: mostly LTE, LTE-M and NB-IoT, some legacy 2G/3G, a few on 5G. */
export const bearerMix: readonly (readonly [Bearer, number])[] = [
  ['4G', 0.3],
  ['LTE-M', 0.2],
  ['NB-IoT', 0.2],
  ['2G', 0.12],
  ['3G', 0.1],
  ['5G', 0.08],
];

/**
 * Average traffic per hour of session, octets up and down, per bearer: NB-IoT meters send a few
 * hundred bytes, LTE-M trackers a few kilobytes, LTE gateways and 5G routers megabytes.
 */
export const trafficPerHour: Readonly<Record<Bearer, number>> = {
  'NB-IoT': 6_000,
  'LTE-M': 60_000,
  '2G': 40_000,
  '3G': 400_000,
  '4G': 4_000_000,
  '5G': 20_000_000,
};

/** UTC offset in minutes of each operator country (standard time), for 3GPP-MS-TimeZone. */
const utcOffset: Readonly<Record<string, number>> = { GB: 0, US: -300 };

export function timeZoneOf(country: string): { offsetMinutes: number; dstHours: number } {
  return { offsetMinutes: utcOffset[country] ?? 60, dstHours: 0 };
}

/** A simulated device behind a SIM: identity, radio and traffic profile. */
export interface DeviceProfile {
  imei: string;
  /** IMEI without its check digit plus a 2-digit software version (TS 23.003 §6.2.2). */
  imeisv: string;
  bearer: Bearer;
  operator: NetworkOperator;
  /** Share of the traffic that goes up (device to network). */
  upShare: number;
  /** Average octets per hour of session. */
  octetsPerHour: number;
}

/** Known network data of the SIM (from earlier sessions), reused so a device keeps its identity. */
export interface DeviceHints {
  imei?: string | null;
  bearer?: string | null;
  mccMnc?: string | null;
}

const bearers = new Set<string>(bearerMix.map(([b]) => b));

/** Type allocation codes of common IoT modules (Quectel, u-blox, Telit, Sierra Wireless, SIMCom). */
const tacs = ['86753903', '35896710', '35346211', '35226406', '86445104', '35408210'];

function drawBearer(rng: Rng): Bearer {
  let roll = rng();
  for (const [bearer, share] of bearerMix) {
    roll -= share;
    if (roll < 0) return bearer;
  }
  return '4G';
}

/** A valid 15-digit IMEI: a module's TAC, a 6-digit serial, the Luhn check digit. */
export function makeImei(rng: Rng): string {
  const body = `${pick(rng, tacs)}${String(Math.floor(rng() * 1_000_000)).padStart(6, '0')}`;
  return `${body}${luhnDigit(body)}`;
}

/** The device profile of one SIM, the same for the same seed, IMSI and hints. */
export function deviceProfile(seed: number, imsi: string, hints: DeviceHints = {}): DeviceProfile {
  const rng = mulberry32(seed ^ hash32(imsi));
  const drawnImei = makeImei(rng);
  const imei = hints.imei && /^\d{15}$/.test(hints.imei) ? hints.imei : drawnImei;
  const sv = String(1 + Math.floor(rng() * 98)).padStart(2, '0');
  const drawnBearer = drawBearer(rng);
  const bearer = hints.bearer && bearers.has(hints.bearer) ? (hints.bearer as Bearer) : drawnBearer;
  const drawnOperator = pick(rng, operators);
  const operator = operators.find((o) => o.mccMnc === hints.mccMnc) ?? drawnOperator;
  const upShare = 0.15 + rng() * 0.6;
  const octetsPerHour = trafficPerHour[bearer] * (0.3 + rng() * 1.4);
  return { imei, imeisv: `${imei.slice(0, 14)}${sv}`, bearer, operator, upShare, octetsPerHour };
}

/** Split an MCC-MNC such as "26201" or "310410" into its PLMN parts. */
export function plmnOf(mccMnc: string): { mcc: string; mnc: string } {
  return { mcc: mccMnc.slice(0, 3), mnc: mccMnc.slice(3) };
}

/** Where the device is: identifiers of its cell under the serving operator. */
export interface Cell {
  tac: number;
  eci: number;
}

export function drawCell(rng: Rng): Cell {
  // eNB ids up to 2^20, cells 1..6 per eNB, as operators number them
  const enb = 1 + Math.floor(rng() * 0xfffff);
  return { tac: 1 + Math.floor(rng() * 0xfffe), eci: enb * 256 + 1 + Math.floor(rng() * 6) };
}

/** A neighbouring cell: usually the same tracking area, another eNB close by. */
export function neighbourCell(rng: Rng, cell: Cell): Cell {
  const enb = Math.min(0xfffff, Math.max(1, (cell.eci >>> 8) + Math.floor(rng() * 21) - 10));
  const tac = rng() < 0.8 ? cell.tac : Math.min(0xfffe, Math.max(1, cell.tac + Math.floor(rng() * 5) - 2));
  return { tac, eci: enb * 256 + 1 + Math.floor(rng() * 6) };
}

/**
 * 3GPP-User-Location-Info for the bearer: TAI+ECGI on LTE, LTE-M, NB-IoT and 5G non-standalone
 * (anchored on LTE), SAI on 3G, CGI on 2G — the identities a packet gateway gets from each RAN.
 */
export function userLocation(bearer: Bearer, mccMnc: string, cell: Cell): UserLocation {
  const plmn = plmnOf(mccMnc);
  if (bearer === '2G') return { type: 'CGI', plmn, lac: cell.tac, ci: cell.eci & 0xffff };
  if (bearer === '3G') return { type: 'SAI', plmn, lac: cell.tac, sac: cell.eci & 0xffff };
  return {
    type: 'TAI+ECGI',
    plmn,
    tac: cell.tac,
    ecgiPlmn: plmn,
    eci: cell.eci,
    enbId: cell.eci >>> 8,
    cellId: cell.eci & 0xff,
  };
}

/** Another operator for a device that moves: usually one in the same country, sometimes abroad. */
export function nextOperator(rng: Rng, current: NetworkOperator): NetworkOperator {
  const domestic = operators.filter((o) => o.country === current.country && o.mccMnc !== current.mccMnc);
  const abroad = operators.filter((o) => o.country !== current.country);
  return domestic.length > 0 && rng() < 0.6 ? pick(rng, domestic) : pick(rng, abroad);
}

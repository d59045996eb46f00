/** 3GPP-User-Location-Info (TS 29.061 §16.4.7; layouts of TS 29.060 §7.7.51 and TS 29.274 §8.21). */
import type { Plmn, UserLocation } from '../../modules/network/radius-record.js';
import { fail, ok, type RadiusResult } from './packet.js';

// the location's shape belongs to the AAA's services (server/modules/network/radius-record.ts)
export type { Plmn, UserLocation } from '../../modules/network/radius-record.js';

const TYPE_CODE = { CGI: 0, SAI: 1, RAI: 2, TAI: 128, ECGI: 129, 'TAI+ECGI': 130 } as const;
const VALUE_LENGTH: ReadonlyMap<number, number> = new Map([
  [0, 7],
  [1, 7],
  [2, 7],
  [128, 5],
  [129, 7],
  [130, 12],
]);

/** Decode a PLMN id from 3 octets of swapped BCD (`MCC2 MCC1 | MNC3 MCC3 | MNC2 MNC1`, MNC3 = F for 2 digits). */
export function decodePlmn(octets: Buffer): RadiusResult<Plmn> {
  if (octets.length !== 3) return fail('bad_attribute', `PLMN is ${octets.length} octets, expected 3`);
  const a = octets[0] as number;
  const b = octets[1] as number;
  const c = octets[2] as number;
  const digits = [a & 0x0f, a >> 4, b & 0x0f, c & 0x0f, c >> 4];
  const mnc3 = b >> 4;
  if (mnc3 !== 0x0f) digits.push(mnc3);
  for (const d of digits)
    if (d > 9) return fail('bad_attribute', `PLMN ${octets.toString('hex')} is not BCD`);
  const mcc = `${digits[0]}${digits[1]}${digits[2]}`;
  const mnc = mnc3 !== 0x0f ? `${digits[3]}${digits[4]}${mnc3}` : `${digits[3]}${digits[4]}`;
  return ok({ mcc, mnc });
}

/** Encode a PLMN id as 3 octets of swapped BCD; throws RangeError on a malformed MCC or MNC. */
export function encodePlmn(plmn: Plmn): Buffer {
  if (!/^\d{3}$/.test(plmn.mcc) || !/^\d{2,3}$/.test(plmn.mnc)) {
    throw new RangeError(`MCC ${plmn.mcc} / MNC ${plmn.mnc} is not a PLMN id`);
  }
  const d = (s: string, i: number): number => (i < s.length ? Number(s[i]) : 0x0f);
  return Buffer.from([
    (d(plmn.mcc, 1) << 4) | d(plmn.mcc, 0),
    (d(plmn.mnc, 2) << 4) | d(plmn.mcc, 2),
    (d(plmn.mnc, 1) << 4) | d(plmn.mnc, 0),
  ]);
}

/** Split a 28-bit E-UTRAN cell id into its eNB id and the cell within the eNB. */
export function splitEci(eci: number): { eci: number; enbId: number; cellId: number } {
  return { eci, enbId: eci >>> 8, cellId: eci & 0xff };
}

/** Decode 3GPP-User-Location-Info; unknown location types come back as 'unknown' with their octets. */
export function decodeUserLocation(value: Buffer): RadiusResult<UserLocation> {
  if (value.length < 1) return fail('bad_attribute', '3GPP-User-Location-Info is empty');
  const code = value.readUInt8(0);
  const expected = VALUE_LENGTH.get(code);
  if (expected === undefined) return ok({ type: 'unknown', code, raw: value.toString('hex') });
  if (value.length !== expected + 1) {
    return fail(
      'bad_attribute',
      `3GPP-User-Location-Info type ${code} is ${value.length} octets, expected ${expected + 1}`,
    );
  }
  const plmn = decodePlmn(value.subarray(1, 4));
  if (!plmn.ok) return plmn;
  const p = plmn.value;
  switch (code) {
    case 0:
      return ok({ type: 'CGI', plmn: p, lac: value.readUInt16BE(4), ci: value.readUInt16BE(6) });
    case 1:
      return ok({ type: 'SAI', plmn: p, lac: value.readUInt16BE(4), sac: value.readUInt16BE(6) });
    case 2:
      // RAC is one octet followed by 0xFF filler (TS 29.060 §7.7.51).
      return ok({ type: 'RAI', plmn: p, lac: value.readUInt16BE(4), rac: value.readUInt8(6) });
    case 128:
      return ok({ type: 'TAI', plmn: p, tac: value.readUInt16BE(4) });
    case 129:
      return ok({ type: 'ECGI', plmn: p, ...splitEci(value.readUInt32BE(4) & 0x0fffffff) });
    default: {
      const ecgiPlmn = decodePlmn(value.subarray(6, 9));
      if (!ecgiPlmn.ok) return ecgiPlmn;
      const eci = splitEci(value.readUInt32BE(9) & 0x0fffffff);
      return ok({ type: 'TAI+ECGI', plmn: p, tac: value.readUInt16BE(4), ecgiPlmn: ecgiPlmn.value, ...eci });
    }
  }
}

function u16(n: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(n, 0);
  return out;
}

function eciOctets(eci: number): Buffer {
  if (!Number.isInteger(eci) || eci < 0 || eci > 0x0fffffff)
    throw new RangeError(`ECI ${eci} exceeds 28 bits`);
  const out = Buffer.alloc(4);
  out.writeUInt32BE(eci, 0);
  return out;
}

/** Encode 3GPP-User-Location-Info (the simulator reports cells with it); throws RangeError on bad fields. */
export function encodeUserLocation(location: UserLocation): Buffer {
  if (location.type === 'unknown') return Buffer.from(location.raw, 'hex');
  const head = Buffer.concat([Buffer.from([TYPE_CODE[location.type]]), encodePlmn(location.plmn)]);
  switch (location.type) {
    case 'CGI':
      return Buffer.concat([head, u16(location.lac), u16(location.ci)]);
    case 'SAI':
      return Buffer.concat([head, u16(location.lac), u16(location.sac)]);
    case 'RAI':
      return Buffer.concat([head, u16(location.lac), Buffer.from([location.rac, 0xff])]);
    case 'TAI':
      return Buffer.concat([head, u16(location.tac)]);
    case 'ECGI':
      return Buffer.concat([head, eciOctets(location.eci)]);
    case 'TAI+ECGI':
      return Buffer.concat([head, u16(location.tac), encodePlmn(location.ecgiPlmn), eciOctets(location.eci)]);
  }
}

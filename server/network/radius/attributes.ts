/** Attribute numbers and value codecs (text, integer, IPv4, Vendor-Specific, 3GPP values) used by OpenCMP. */
import type { Bearer, MsTimeZone } from '../../modules/network/radius-record.js';
import { fail, ok, type RadiusResult, type RawAttribute } from './packet.js';

// the value shapes belong to the AAA's services (server/modules/network/radius-record.ts)
export { AcctStatus, type Bearer, type MsTimeZone } from '../../modules/network/radius-record.js';

/** Standard attribute types (RFC 2865, 2866, 2869, 5176). */
export const Attr = {
  UserName: 1,
  UserPassword: 2,
  NasIpAddress: 4,
  ServiceType: 6,
  FramedProtocol: 7,
  FramedIpAddress: 8,
  ReplyMessage: 18,
  Class: 25,
  VendorSpecific: 26,
  SessionTimeout: 27,
  CalledStationId: 30,
  CallingStationId: 31,
  NasIdentifier: 32,
  AcctStatusType: 40,
  AcctInputOctets: 42,
  AcctOutputOctets: 43,
  AcctSessionId: 44,
  AcctSessionTime: 46,
  AcctInputPackets: 47,
  AcctOutputPackets: 48,
  AcctTerminateCause: 49,
  AcctInputGigawords: 52,
  AcctOutputGigawords: 53,
  EventTimestamp: 55,
  NasPortType: 61,
  MessageAuthenticator: 80,
  AcctInterimInterval: 85,
  ErrorCause: 101,
} as const;

/** The 3GPP vendor id (TS 29.061 §16.4.7). */
export const VENDOR_3GPP = 10415;

/** 3GPP vendor-specific sub-attribute types. */
export const TgppAttr = {
  Imsi: 1,
  ChargingId: 2,
  SgsnMccMnc: 18,
  Imeisv: 20,
  RatType: 21,
  UserLocationInfo: 22,
  MsTimeZone: 23,
} as const;

/** Error-Cause values used in Disconnect-NAK (RFC 5176 §3.5). */
export const ErrorCause = {
  ResidualSessionContextRemoved: 201,
  UnsupportedAttribute: 401,
  MissingAttribute: 402,
  NasIdentificationMismatch: 403,
  InvalidRequest: 404,
  UnsupportedService: 405,
  AdministrativelyProhibited: 501,
  SessionContextNotFound: 503,
  ResourcesUnavailable: 506,
} as const;

const RAT_TO_BEARER: ReadonlyMap<number, Bearer> = new Map<number, Bearer>([
  [1, '3G'],
  [2, '2G'],
  [5, '3G'],
  [6, '4G'],
  [8, 'NB-IoT'],
  [9, 'LTE-M'],
  [10, '5G'],
]);

const BEARER_TO_RAT: Readonly<Record<Bearer, number>> = {
  '2G': 2,
  '3G': 1,
  '4G': 6,
  '5G': 10,
  'NB-IoT': 8,
  'LTE-M': 9,
};

/** Map a 3GPP-RAT-Type value to a bearer; undefined for values OpenCMP does not show (WLAN, GAN, …). */
export function ratTypeToBearer(ratType: number): Bearer | undefined {
  return RAT_TO_BEARER.get(ratType);
}

/** The 3GPP-RAT-Type a simulated device on this bearer reports. */
export function bearerToRatType(bearer: Bearer): number {
  return BEARER_TO_RAT[bearer];
}

/** Encode text as UTF-8 octets. */
export function encodeText(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

/** Decode a text value; RFC 2865 text is 1..253 octets of UTF-8. */
export function decodeText(value: Buffer, name: string): RadiusResult<string> {
  if (value.length === 0) return fail('bad_attribute', `${name} is empty`);
  const text = value.toString('utf8');
  if (text.includes('\ufffd')) return fail('bad_attribute', `${name} is not valid UTF-8`);
  return ok(text);
}

/** Encode a 32-bit unsigned integer. */
export function encodeInteger(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value, 0);
  return out;
}

/** Decode a 32-bit unsigned integer; exactly 4 octets. */
export function decodeInteger(value: Buffer, name: string): RadiusResult<number> {
  if (value.length !== 4) return fail('bad_attribute', `${name} is ${value.length} octets, expected 4`);
  return ok(value.readUInt32BE(0));
}

/** Encode a dotted-quad IPv4 address; throws RangeError on anything else. */
export function encodeIpv4(address: string): Buffer {
  const parts = address.split('.');
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) {
    throw new RangeError(`${address} is not an IPv4 address`);
  }
  return Buffer.from(octets);
}

/** Decode an IPv4 address; exactly 4 octets. */
export function decodeIpv4(value: Buffer, name: string): RadiusResult<string> {
  if (value.length !== 4) return fail('bad_attribute', `${name} is ${value.length} octets, expected 4`);
  return ok(`${value[0]}.${value[1]}.${value[2]}.${value[3]}`);
}

/** Encode a Vendor-Specific value: vendor id then sub-attributes of type, length, value. */
export function encodeVendorSpecific(vendorId: number, subAttributes: readonly RawAttribute[]): Buffer {
  const parts: Buffer[] = [encodeInteger(vendorId)];
  for (const sub of subAttributes) {
    if (sub.value.length > 247) throw new RangeError(`vendor attribute ${sub.type} is too long`);
    parts.push(Buffer.from([sub.type, sub.value.length + 2]), sub.value);
  }
  const out = Buffer.concat(parts);
  if (out.length > 253) throw new RangeError(`Vendor-Specific value is ${out.length} octets, at most 253`);
  return out;
}

/** Decode a Vendor-Specific value into its vendor id and sub-attributes (RFC 2865 §5.26 suggested format). */
export function decodeVendorSpecific(
  value: Buffer,
): RadiusResult<{ vendorId: number; subAttributes: RawAttribute[] }> {
  if (value.length < 4)
    return fail('bad_attribute', `Vendor-Specific is ${value.length} octets, expected at least 4`);
  const vendorId = value.readUInt32BE(0);
  const subAttributes: RawAttribute[] = [];
  let offset = 4;
  while (offset < value.length) {
    const length = value[offset + 1];
    if (length === undefined || length < 2 || offset + length > value.length) {
      return fail('bad_attribute', `vendor ${vendorId} sub-attribute at octet ${offset} has a bad length`);
    }
    subAttributes.push({
      type: value.readUInt8(offset),
      value: value.subarray(offset + 2, offset + length),
    });
    offset += length;
  }
  return ok({ vendorId, subAttributes });
}

/** Decode 3GPP-MS-TimeZone (TS 29.061, TS 24.008 §10.5.3.8: swapped-BCD quarter hours, sign bit, DST octet). */
export function decodeMsTimeZone(value: Buffer): RadiusResult<MsTimeZone> {
  if (value.length !== 2)
    return fail('bad_attribute', `3GPP-MS-TimeZone is ${value.length} octets, expected 2`);
  const zone = value.readUInt8(0);
  const tens = zone & 0x07;
  const units = zone >> 4;
  if (units > 9) return fail('bad_attribute', '3GPP-MS-TimeZone is not BCD');
  const quarters = tens * 10 + units;
  const sign = zone & 0x08 ? -1 : 1;
  return ok({ offsetMinutes: sign * quarters * 15 || 0, dstHours: value.readUInt8(1) & 0x03 });
}

/** Encode 3GPP-MS-TimeZone from an offset in minutes (multiple of 15, within ±19h45) and DST hours. */
export function encodeMsTimeZone(zone: MsTimeZone): Buffer {
  const quarters = Math.abs(zone.offsetMinutes) / 15;
  if (!Number.isInteger(quarters) || quarters > 79)
    throw new RangeError(`${zone.offsetMinutes} is not a time zone`);
  const sign = zone.offsetMinutes < 0 ? 0x08 : 0;
  return Buffer.from([((quarters % 10) << 4) | Math.floor(quarters / 10) | sign, zone.dstHours & 0x03]);
}

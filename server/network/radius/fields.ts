/** Typed attribute values: decode a packet's attributes into named fields and encode them back. */
import type { MsTimeZone, RadiusFields, UserLocation } from '../../modules/network/radius-record.js';
import {
  Attr,
  bearerToRatType,
  decodeInteger,
  decodeIpv4,
  decodeMsTimeZone,
  decodeText,
  decodeVendorSpecific,
  encodeInteger,
  encodeIpv4,
  encodeMsTimeZone,
  encodeText,
  encodeVendorSpecific,
  ratTypeToBearer,
  TgppAttr,
  VENDOR_3GPP,
} from './attributes.js';
import { fail, ok, type RadiusError, type RadiusResult, type RawAttribute } from './packet.js';
import { decodeUserLocation, encodeUserLocation } from './uli.js';

// the fields' shape belongs to the AAA's services (server/modules/network/radius-record.ts)
export type { RadiusFields } from '../../modules/network/radius-record.js';

interface Codec<T> {
  decode(value: Buffer, name: string): RadiusResult<T>;
  encode(value: T): Buffer;
}

interface FieldSpec {
  type: number;
  read(value: Buffer, into: RadiusFields): RadiusError | undefined;
  write(from: RadiusFields): Buffer | undefined;
}

function field<K extends keyof RadiusFields>(
  type: number,
  key: K,
  name: string,
  codec: Codec<NonNullable<RadiusFields[K]>>,
): FieldSpec {
  return {
    type,
    read(value, into) {
      const decoded = codec.decode(value, name);
      if (!decoded.ok) return decoded.error;
      into[key] = decoded.value;
      return undefined;
    },
    write(from) {
      const value = from[key];
      return value === undefined ? undefined : codec.encode(value as NonNullable<RadiusFields[K]>);
    },
  };
}

function pattern(re: RegExp, what: string): Codec<string> {
  return {
    decode: (v, name) => {
      const text = decodeText(v, name);
      return text.ok && !re.test(text.value) ? fail('bad_attribute', `${name} is not ${what}`) : text;
    },
    encode: encodeText,
  };
}

const TEXT: Codec<string> = { decode: decodeText, encode: encodeText };
const INTEGER: Codec<number> = { decode: decodeInteger, encode: encodeInteger };
const IPV4: Codec<string> = { decode: decodeIpv4, encode: encodeIpv4 };
const OCTETS: Codec<Buffer> = {
  decode: (v, name) => (v.length === 0 ? fail('bad_attribute', `${name} is empty`) : ok(Buffer.from(v))),
  encode: (v) => v,
};
const TIMESTAMP: Codec<Date> = {
  decode: (v, name) => {
    const seconds = decodeInteger(v, name);
    return seconds.ok ? ok(new Date(seconds.value * 1000)) : seconds;
  },
  encode: (d) => encodeInteger(Math.floor(d.getTime() / 1000)),
};
const RAT: Codec<number> = {
  decode: (v, name) =>
    v.length === 1 ? ok(v.readUInt8(0)) : fail('bad_attribute', `${name} is not 1 octet`),
  encode: (n) => Buffer.from([n]),
};
/** 3GPP-IMEISV is UTF-8 digits (TS 29.061); some gateways send 8 octets of TBCD instead. */
const IMEISV: Codec<string> = {
  decode: (v, name) => {
    const text = v.toString('latin1');
    if (/^\d{14,16}$/.test(text)) return ok(text);
    if (v.length !== 8) return fail('bad_attribute', `${name} is neither digits nor 8 octets of TBCD`);
    const digits = Array.from(v).flatMap((o) => [o & 0x0f, o >> 4]);
    const end = digits[15] === 0x0f ? 15 : 16;
    if (digits.slice(0, end).some((d) => d > 9)) return fail('bad_attribute', `${name} is not TBCD`);
    return ok(digits.slice(0, end).join(''));
  },
  encode: encodeText,
};
const LOCATION: Codec<UserLocation> = { decode: decodeUserLocation, encode: encodeUserLocation };
const TIME_ZONE: Codec<MsTimeZone> = { decode: decodeMsTimeZone, encode: encodeMsTimeZone };

const STANDARD: readonly FieldSpec[] = [
  field(Attr.UserName, 'userName', 'User-Name', TEXT),
  field(Attr.UserPassword, 'userPassword', 'User-Password', OCTETS),
  field(Attr.NasIpAddress, 'nasIp', 'NAS-IP-Address', IPV4),
  field(Attr.ServiceType, 'serviceType', 'Service-Type', INTEGER),
  field(Attr.FramedProtocol, 'framedProtocol', 'Framed-Protocol', INTEGER),
  field(Attr.FramedIpAddress, 'framedIp', 'Framed-IP-Address', IPV4),
  field(Attr.ReplyMessage, 'replyMessage', 'Reply-Message', TEXT),
  field(Attr.Class, 'class', 'Class', OCTETS),
  field(Attr.SessionTimeout, 'sessionTimeout', 'Session-Timeout', INTEGER),
  field(Attr.CalledStationId, 'calledStationId', 'Called-Station-Id', TEXT),
  field(Attr.CallingStationId, 'callingStationId', 'Calling-Station-Id', TEXT),
  field(Attr.NasIdentifier, 'nasIdentifier', 'NAS-Identifier', TEXT),
  field(Attr.AcctStatusType, 'statusType', 'Acct-Status-Type', INTEGER),
  field(Attr.AcctSessionId, 'sessionId', 'Acct-Session-Id', TEXT),
  field(Attr.AcctSessionTime, 'sessionTime', 'Acct-Session-Time', INTEGER),
  field(Attr.AcctInputPackets, 'inputPackets', 'Acct-Input-Packets', INTEGER),
  field(Attr.AcctOutputPackets, 'outputPackets', 'Acct-Output-Packets', INTEGER),
  field(Attr.AcctTerminateCause, 'terminateCause', 'Acct-Terminate-Cause', INTEGER),
  field(Attr.EventTimestamp, 'eventTimestamp', 'Event-Timestamp', TIMESTAMP),
  field(Attr.NasPortType, 'nasPortType', 'NAS-Port-Type', INTEGER),
  field(Attr.AcctInterimInterval, 'interimInterval', 'Acct-Interim-Interval', INTEGER),
  field(Attr.ErrorCause, 'errorCause', 'Error-Cause', INTEGER),
];

const TGPP: readonly FieldSpec[] = [
  field(TgppAttr.Imsi, 'imsi', '3GPP-IMSI', pattern(/^\d{5,15}$/, 'an IMSI')),
  field(TgppAttr.ChargingId, 'chargingId', '3GPP-Charging-ID', INTEGER),
  field(TgppAttr.SgsnMccMnc, 'sgsnMccMnc', '3GPP-SGSN-MCC-MNC', pattern(/^\d{5,6}$/, 'an MCC-MNC')),
  field(TgppAttr.Imeisv, 'imeisv', '3GPP-IMEISV', IMEISV),
  field(TgppAttr.RatType, 'ratType', '3GPP-RAT-Type', RAT),
  field(TgppAttr.UserLocationInfo, 'userLocation', '3GPP-User-Location-Info', LOCATION),
  field(TgppAttr.MsTimeZone, 'msTimeZone', '3GPP-MS-TimeZone', TIME_ZONE),
];

/** The field specs by attribute type, for decoding. */
const byType = (specs: readonly FieldSpec[]) => new Map(specs.map((s) => [s.type, s]));
const STANDARD_BY_TYPE = byType(STANDARD);
const TGPP_BY_TYPE = byType(TGPP);

/** Octet counters are cumulative: octets + gigawords × 2^32 (RFC 2869 §5.1). */
const COUNTERS = [
  {
    key: 'inputOctets',
    octets: Attr.AcctInputOctets,
    gigawords: Attr.AcctInputGigawords,
    name: 'Acct-Input',
  },
  {
    key: 'outputOctets',
    octets: Attr.AcctOutputOctets,
    gigawords: Attr.AcctOutputGigawords,
    name: 'Acct-Output',
  },
] as const;

/** Combine Acct-*-Octets and Acct-*-Gigawords into one 64-bit count. */
export function combineOctets(octets: number, gigawords: number): bigint {
  return (BigInt(gigawords) << 32n) + BigInt(octets);
}

function readOnce(
  specs: ReadonlyMap<number, FieldSpec>,
  attrs: readonly RawAttribute[],
  into: RadiusFields,
): RadiusError | null {
  const seen = new Set<number>();
  for (const attr of attrs) {
    const spec = specs.get(attr.type);
    if (!spec || seen.has(attr.type)) continue;
    seen.add(attr.type);
    const error = spec.read(attr.value, into);
    if (error) return error;
  }
  return null;
}

/** Decode the attributes OpenCMP knows (first occurrence wins); malformed known attributes are refused. */
export function decodeAttributes(attributes: readonly RawAttribute[]): RadiusResult<RadiusFields> {
  const fields: RadiusFields = {};
  const standardError = readOnce(STANDARD_BY_TYPE, attributes, fields);
  if (standardError) return { ok: false, error: standardError };
  for (const counter of COUNTERS) {
    const octets = attributes.find((a) => a.type === counter.octets);
    const gigawords = attributes.find((a) => a.type === counter.gigawords);
    if (!octets && !gigawords) continue;
    const low = octets ? decodeInteger(octets.value, `${counter.name}-Octets`) : ok(0);
    if (!low.ok) return low;
    const high = gigawords ? decodeInteger(gigawords.value, `${counter.name}-Gigawords`) : ok(0);
    if (!high.ok) return high;
    fields[counter.key] = combineOctets(low.value, high.value);
  }
  const tgpp: RawAttribute[] = [];
  for (const attr of attributes) {
    if (
      attr.type !== Attr.VendorSpecific ||
      attr.value.length < 4 ||
      attr.value.readUInt32BE(0) !== VENDOR_3GPP
    )
      continue;
    const vsa = decodeVendorSpecific(attr.value);
    if (!vsa.ok) return vsa;
    tgpp.push(...vsa.value.subAttributes);
  }
  const tgppError = readOnce(TGPP_BY_TYPE, tgpp, fields);
  if (tgppError) return { ok: false, error: tgppError };
  if (fields.ratType !== undefined) {
    const bearer = ratTypeToBearer(fields.ratType);
    if (bearer) fields.bearer = bearer;
  }
  return ok(fields);
}

/** Encode named fields as attributes (3GPP ones as Vendor-Specific 10415); throws RangeError on unencodable values. */
export function encodeAttributes(fields: RadiusFields): RawAttribute[] {
  const out: RawAttribute[] = [];
  for (const spec of STANDARD) {
    const value = spec.write(fields);
    if (value) out.push({ type: spec.type, value });
  }
  for (const counter of COUNTERS) {
    const total = fields[counter.key];
    if (total === undefined) continue;
    if (total < 0n || total >= 1n << 64n)
      throw new RangeError(`${counter.key} ${total} does not fit 64 bits`);
    out.push({ type: counter.octets, value: encodeInteger(Number(total & 0xffffffffn)) });
    if (total >> 32n > 0n) out.push({ type: counter.gigawords, value: encodeInteger(Number(total >> 32n)) });
  }
  const tgppFields: RadiusFields =
    fields.ratType === undefined && fields.bearer
      ? { ...fields, ratType: bearerToRatType(fields.bearer) }
      : fields;
  // One Vendor-Specific per sub-attribute, as packet gateways send them.
  for (const spec of TGPP) {
    const value = spec.write(tgppFields);
    if (value) {
      out.push({
        type: Attr.VendorSpecific,
        value: encodeVendorSpecific(VENDOR_3GPP, [{ type: spec.type, value }]),
      });
    }
  }
  return out;
}

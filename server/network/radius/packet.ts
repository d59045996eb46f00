/** RADIUS packet framing (RFC 2865 §3): decode and encode the header and the attribute list. */

/** Packet codes OpenCMP sends or receives. */
export const RadiusCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  StatusServer: 12,
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
} as const;

export type RadiusCodeValue = (typeof RadiusCode)[keyof typeof RadiusCode];

const KNOWN_CODES: ReadonlySet<number> = new Set(Object.values(RadiusCode));

export const HEADER_LENGTH = 20;
export const MAX_PACKET_LENGTH = 4096;
export const AUTHENTICATOR_LENGTH = 16;
export const MAX_ATTRIBUTE_VALUE_LENGTH = 253;

/** Why a packet was refused; the server counts drops by this reason. */
export type RadiusErrorReason =
  | 'short'
  | 'too_long'
  | 'bad_length'
  | 'bad_code'
  | 'bad_attribute'
  | 'missing_attribute'
  | 'bad_authenticator'
  | 'bad_message_authenticator'
  | 'missing_message_authenticator'
  | 'bad_password';

/** A refusal with its reason and a human-readable detail naming what was wrong. */
export interface RadiusError {
  reason: RadiusErrorReason;
  detail: string;
}

/** Either a value or a typed refusal; decoders never throw on bad input. */
export type RadiusResult<T> = { ok: true; value: T } | { ok: false; error: RadiusError };

/** One attribute as it appears on the wire (the value excludes the type and length octets). */
export interface RawAttribute {
  type: number;
  value: Buffer;
}

/**
 * A decoded packet; `raw` holds exactly `length` octets as received, for authenticator checks. The
 * authenticator and attribute values are views into `raw`: read them, never write to them.
 */
export interface RadiusPacket {
  code: RadiusCodeValue;
  identifier: number;
  authenticator: Buffer;
  attributes: RawAttribute[];
  raw: Buffer;
}

/** The fields needed to put a packet on the wire. */
export interface PacketFields {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: readonly RawAttribute[];
}

/** Build a successful result. */
export function ok<T>(value: T): RadiusResult<T> {
  return { ok: true, value };
}

/** Build a refusal with a reason and detail. */
export function fail<T>(reason: RadiusErrorReason, detail: string): RadiusResult<T> {
  return { ok: false, error: { reason, detail } };
}

/** Walk the attribute area of a packet; returns offsets of each attribute or a 'bad_attribute' refusal. */
export function walkAttributes(
  packet: Buffer,
  end: number,
): RadiusResult<Array<{ offset: number; length: number }>> {
  const found: Array<{ offset: number; length: number }> = [];
  let offset = HEADER_LENGTH;
  while (offset < end) {
    if (offset + 2 > end) return fail('bad_attribute', `attribute header at octet ${offset} is truncated`);
    const length = packet[offset + 1] ?? 0;
    if (length < 2)
      return fail('bad_attribute', `attribute ${packet[offset]} at octet ${offset} has length ${length}`);
    if (offset + length > end) {
      return fail('bad_attribute', `attribute ${packet[offset]} at octet ${offset} overruns the packet`);
    }
    found.push({ offset, length });
    offset += length;
  }
  return ok(found);
}

/** Decode and validate a datagram; octets beyond the Length field are padding and ignored (RFC 2865 §3). */
export function decodePacket(datagram: Buffer): RadiusResult<RadiusPacket> {
  if (datagram.length < HEADER_LENGTH) return fail('short', `${datagram.length} octets, at least 20 needed`);
  if (datagram.length > MAX_PACKET_LENGTH) return fail('too_long', `${datagram.length} octets, at most 4096`);
  const code = datagram.readUInt8(0);
  if (!KNOWN_CODES.has(code)) return fail('bad_code', `code ${code} is not supported`);
  const length = datagram.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > MAX_PACKET_LENGTH) {
    return fail('bad_length', `length field ${length} is outside 20..4096`);
  }
  if (length > datagram.length) {
    return fail('bad_length', `length field ${length} exceeds the ${datagram.length} octets received`);
  }
  // One copy of the packet, the caller's datagram left alone; the authenticator and the attribute
  // values are views into that copy, which nothing writes to (every signing works on a copy of its own).
  const raw = Buffer.from(datagram.subarray(0, length));
  const walked = walkAttributes(raw, length);
  if (!walked.ok) return walked;
  return ok({
    code: code as RadiusCodeValue,
    identifier: raw.readUInt8(1),
    authenticator: raw.subarray(4, HEADER_LENGTH),
    attributes: walked.value.map(({ offset, length: l }) => ({
      type: raw.readUInt8(offset),
      value: raw.subarray(offset + 2, offset + l),
    })),
    raw,
  });
}

/** Encode a packet; throws RangeError on programmer mistakes (oversized values, bad header fields). */
export function encodePacket(fields: PacketFields): Buffer {
  if (fields.authenticator.length !== AUTHENTICATOR_LENGTH)
    throw new RangeError('authenticator must be 16 octets');
  if (!Number.isInteger(fields.identifier) || fields.identifier < 0 || fields.identifier > 255) {
    throw new RangeError(`identifier ${fields.identifier} is outside 0..255`);
  }
  let length = HEADER_LENGTH;
  for (const attribute of fields.attributes) {
    if (attribute.value.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
      throw new RangeError(
        `attribute ${attribute.type} value is ${attribute.value.length} octets, at most 253`,
      );
    }
    length += 2 + attribute.value.length;
  }
  if (length > MAX_PACKET_LENGTH) throw new RangeError(`packet would be ${length} octets, at most 4096`);
  // one buffer, written in place: every answer of the AAA is encoded here
  const packet = Buffer.allocUnsafe(length);
  packet.writeUInt8(fields.code, 0);
  packet.writeUInt8(fields.identifier, 1);
  packet.writeUInt16BE(length, 2);
  fields.authenticator.copy(packet, 4);
  let offset = HEADER_LENGTH;
  for (const attribute of fields.attributes) {
    packet[offset] = attribute.type;
    packet[offset + 1] = attribute.value.length + 2;
    attribute.value.copy(packet, offset + 2);
    offset += 2 + attribute.value.length;
  }
  return packet;
}

/** The first attribute of a type, if any. */
export function findAttribute(attributes: readonly RawAttribute[], type: number): Buffer | undefined {
  return attributes.find((a) => a.type === type)?.value;
}

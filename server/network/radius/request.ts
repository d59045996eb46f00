/** Decode a RADIUS packet into a typed request (Access, Accounting, Disconnect) or response. */
import { decodeAttributes, type RadiusFields } from './fields.js';
import { decodePacket, ok, type RadiusCodeValue, type RadiusPacket, type RadiusResult } from './packet.js';

/** A decoded packet with its header and typed fields; `packet` keeps the raw form for authenticator checks. */
export interface RadiusRequest extends RadiusFields {
  code: RadiusCodeValue;
  identifier: number;
  authenticator: Buffer;
  packet: RadiusPacket;
}

/** Decode a datagram (or an already framed packet) into typed fields; never throws on bad input. */
export function decodeRequest(input: Buffer | RadiusPacket): RadiusResult<RadiusRequest> {
  const framed = Buffer.isBuffer(input) ? decodePacket(input) : ok(input);
  if (!framed.ok) return framed;
  const packet = framed.value;
  const fields = decodeAttributes(packet.attributes);
  if (!fields.ok) return fields;
  // the header joins the fields object decodeAttributes just made (copying its keys cost more than decoding)
  const request = fields.value as RadiusRequest;
  request.code = packet.code;
  request.identifier = packet.identifier;
  request.authenticator = packet.authenticator;
  request.packet = packet;
  return ok(request);
}

/** Build signed RADIUS packets: requests for the simulator and tests, responses and Disconnect-Request for the AAA. */
import { randomBytes } from 'node:crypto';
import { Attr } from './attributes.js';
import { type Secret, signPacket } from './authenticator.js';
import { encodeAttributes, type RadiusFields } from './fields.js';
import { AUTHENTICATOR_LENGTH, encodePacket, RadiusCode, type RawAttribute } from './packet.js';
import { hidePassword } from './password.js';

/** The parts of a request a response must echo: its identifier and authenticator. */
export interface RequestRef {
  identifier: number;
  authenticator: Buffer;
}

/** Options for building a request. */
export interface RequestOptions {
  identifier: number;
  secret: Secret;
  fields?: RadiusFields;
  /** Add a Message-Authenticator (always on for Access-Request). */
  messageAuthenticator?: boolean;
}

const MESSAGE_AUTHENTICATOR: RawAttribute = {
  type: Attr.MessageAuthenticator,
  value: Buffer.alloc(AUTHENTICATOR_LENGTH),
};

function withMessageAuthenticator(attributes: RawAttribute[], include: boolean): RawAttribute[] {
  // First in the packet, as the BlastRADIUS (CVE-2024-3596) mitigations recommend.
  return include ? [MESSAGE_AUTHENTICATOR, ...attributes] : attributes;
}

/** Encode and sign a response to `request`; the Message-Authenticator is included unless turned off. */
export function encodeResponse(
  code: number,
  request: RequestRef,
  secret: Secret,
  fields: RadiusFields = {},
  messageAuthenticator = true,
): Buffer {
  const attributes = withMessageAuthenticator(encodeAttributes(fields), messageAuthenticator);
  const unsigned = encodePacket({
    code,
    identifier: request.identifier,
    authenticator: request.authenticator,
    attributes,
  });
  return signPacket(unsigned, secret, request.authenticator);
}

/** Encode and sign a request; Access-Request and Status-Server get a random authenticator. */
export function encodeRequest(code: number, options: RequestOptions, authenticator?: Buffer): Buffer {
  const attributes = withMessageAuthenticator(
    encodeAttributes(options.fields ?? {}),
    options.messageAuthenticator ?? true,
  );
  const unsigned = encodePacket({
    code,
    identifier: options.identifier,
    authenticator: authenticator ?? Buffer.alloc(AUTHENTICATOR_LENGTH),
    attributes,
  });
  return signPacket(unsigned, options.secret);
}

/** Access-Request with Message-Authenticator and, when given, a PAP password hidden per RFC 2865 §5.2. */
export function buildAccessRequest(
  options: RequestOptions & { password?: string; authenticator?: Buffer },
): Buffer {
  const authenticator = options.authenticator ?? randomBytes(AUTHENTICATOR_LENGTH);
  const fields: RadiusFields = { ...options.fields };
  if (options.password !== undefined) {
    fields.userPassword = hidePassword(options.password, options.secret, authenticator);
  }
  return encodeRequest(
    RadiusCode.AccessRequest,
    { ...options, fields, messageAuthenticator: true },
    authenticator,
  );
}

/** Accounting-Request (Start, Interim-Update, Stop, Accounting-On/Off) with the RFC 2866 authenticator. */
export function buildAccountingRequest(options: RequestOptions): Buffer {
  return encodeRequest(RadiusCode.AccountingRequest, { messageAuthenticator: false, ...options });
}

/** Disconnect-Request (RFC 5176) naming the session by Acct-Session-Id, User-Name, Framed-IP, Calling-Station-Id. */
export function buildDisconnectRequest(
  options: RequestOptions & {
    fields: Pick<
      RadiusFields,
      | 'sessionId'
      | 'userName'
      | 'framedIp'
      | 'callingStationId'
      | 'eventTimestamp'
      | 'nasIp'
      | 'nasIdentifier'
    >;
  },
): Buffer {
  return encodeRequest(RadiusCode.DisconnectRequest, options);
}

/** Access-Accept with the SIM's Framed-IP-Address and Acct-Interim-Interval, plus any other reply fields. */
export function buildAccept(
  request: RequestRef,
  secret: Secret,
  reply: { framedIp?: string; interimInterval?: number } & RadiusFields = {},
): Buffer {
  return encodeResponse(RadiusCode.AccessAccept, request, secret, reply);
}

/** Access-Reject with an optional Reply-Message naming the cause. */
export function buildReject(request: RequestRef, secret: Secret, replyMessage?: string): Buffer {
  return encodeResponse(RadiusCode.AccessReject, request, secret, replyMessage ? { replyMessage } : {});
}

/** Accounting-Response: sent only once the record is durably stored. */
export function buildAccountingResponse(request: RequestRef, secret: Secret): Buffer {
  return encodeResponse(RadiusCode.AccountingResponse, request, secret, {}, false);
}

/** Disconnect-ACK: the NAS ended the session. */
export function buildDisconnectAck(request: RequestRef, secret: Secret): Buffer {
  return encodeResponse(RadiusCode.DisconnectAck, request, secret);
}

/** Disconnect-NAK with an Error-Cause (e.g. 503 Session-Context-Not-Found). */
export function buildDisconnectNak(request: RequestRef, secret: Secret, errorCause: number): Buffer {
  return encodeResponse(RadiusCode.DisconnectNak, request, secret, { errorCause });
}

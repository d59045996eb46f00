import { describe, expect, it } from 'vitest';
import { AcctStatus, Attr, ErrorCause } from './attributes.js';
import { verifyRequest, verifyResponse } from './authenticator.js';
import {
  buildAccept,
  buildAccessRequest,
  buildAccountingRequest,
  buildAccountingResponse,
  buildDisconnectAck,
  buildDisconnectNak,
  buildDisconnectRequest,
  buildReject,
} from './builders.js';
import type { RadiusFields } from './fields.js';
import { RadiusCode } from './packet.js';
import { readPassword } from './password.js';
import { decodeRequest, type RadiusRequest } from './request.js';

const secret = 'testing123';

function decode(wire: Buffer): RadiusRequest {
  const result = decodeRequest(wire);
  if (!result.ok) throw new Error(`built packet did not decode: ${result.error.detail}`);
  return result.value;
}

const SESSION: RadiusFields = {
  statusType: AcctStatus.Stop,
  sessionId: 'pgw-0001',
  userName: '262019876543210',
  nasIp: '127.0.0.1',
  nasIdentifier: 'sim-pgw',
  framedIp: '100.64.1.2',
  callingStationId: '4915112345678',
  calledStationId: 'iot.apn',
  sessionTime: 3600,
  inputOctets: 5n * 2n ** 32n + 123n,
  outputOctets: 987654321n,
  inputPackets: 10,
  outputPackets: 20,
  terminateCause: 1,
  eventTimestamp: new Date(1_750_000_000_000),
  imsi: '262019876543210',
  chargingId: 4242,
  sgsnMccMnc: '26201',
  imeisv: '3534560012345601',
  ratType: 8,
  bearer: 'NB-IoT',
  userLocation: {
    type: 'TAI+ECGI',
    plmn: { mcc: '262', mnc: '01' },
    tac: 6699,
    ecgiPlmn: { mcc: '262', mnc: '01' },
    eci: 19088743,
    enbId: 74565,
    cellId: 103,
  },
  msTimeZone: { offsetMinutes: -330, dstHours: 0 },
};

describe('builders round trip through decode', () => {
  it('when an Access-Request is built with a password, then it decodes, verifies and the password unhides', () => {
    const wire = buildAccessRequest({
      identifier: 11,
      secret,
      password: 'pap-pw',
      fields: { imsi: '262010000000001' },
    });
    const request = decode(wire);
    expect(request.code).toBe(RadiusCode.AccessRequest);
    expect(request.imsi).toBe('262010000000001');
    expect(request.packet.attributes[0]?.type).toBe(Attr.MessageAuthenticator);
    expect(verifyRequest(request.packet, secret, { requireMessageAuthenticator: true }).ok).toBe(true);
    expect(readPassword(request, secret)).toEqual({ ok: true, value: 'pap-pw' });
  });

  it('when an Accounting-Request carries every session field, then decoding gives back exactly those fields', () => {
    const request = decode(buildAccountingRequest({ identifier: 12, secret, fields: SESSION }));
    const { code, identifier, authenticator, packet, ...fields } = request;
    expect([code, identifier]).toEqual([RadiusCode.AccountingRequest, 12]);
    expect(fields).toEqual(SESSION);
    expect(verifyRequest(packet, secret).ok).toBe(true);
    expect(authenticator.length).toBe(16);
  });

  it('when an Access-Accept is built, then it carries Framed-IP, interim interval and a valid Message-Authenticator', () => {
    const request = decode(buildAccessRequest({ identifier: 13, secret, fields: { userName: 'u' } }));
    const accept = decode(buildAccept(request, secret, { framedIp: '10.9.8.7', interimInterval: 600 }));
    expect(accept).toMatchObject({
      code: RadiusCode.AccessAccept,
      identifier: 13,
      framedIp: '10.9.8.7',
      interimInterval: 600,
    });
    expect(accept.packet.attributes.some((a) => a.type === Attr.MessageAuthenticator)).toBe(true);
    expect(verifyResponse(accept.packet, request.authenticator, secret).ok).toBe(true);
  });

  it('when an Access-Reject is built, then it carries the Reply-Message and a valid Message-Authenticator', () => {
    const request = decode(buildAccessRequest({ identifier: 14, secret, fields: { userName: 'u' } }));
    const reject = decode(buildReject(request, secret, 'SIM not activated'));
    expect(reject).toMatchObject({
      code: RadiusCode.AccessReject,
      identifier: 14,
      replyMessage: 'SIM not activated',
    });
    expect(reject.packet.attributes.some((a) => a.type === Attr.MessageAuthenticator)).toBe(true);
    expect(verifyResponse(reject.packet, request.authenticator, secret).ok).toBe(true);
  });

  it('when an Accounting-Response is built, then it has no attributes and verifies against the request', () => {
    const request = decode(
      buildAccountingRequest({ identifier: 15, secret, fields: { statusType: 1, sessionId: 's' } }),
    );
    const response = decode(buildAccountingResponse(request, secret));
    expect([response.code, response.identifier, response.packet.attributes.length]).toEqual([5, 15, 0]);
    expect(verifyResponse(response.packet, request.authenticator, secret).ok).toBe(true);
  });

  it('when a Disconnect-Request is built, then it names the session and both NAS answers verify against it', () => {
    const target = {
      sessionId: 'pgw-0001',
      userName: '262019876543210',
      framedIp: '100.64.1.2',
      callingStationId: '4915112345678',
      eventTimestamp: new Date(1_750_000_000_000),
    };
    const request = decode(buildDisconnectRequest({ identifier: 16, secret, fields: target }));
    expect(request).toMatchObject({ code: RadiusCode.DisconnectRequest, ...target });
    expect(verifyRequest(request.packet, secret).ok).toBe(true);
    const ack = decode(buildDisconnectAck(request, secret));
    expect(ack.code).toBe(RadiusCode.DisconnectAck);
    expect(verifyResponse(ack.packet, request.authenticator, secret).ok).toBe(true);
    const nak = decode(buildDisconnectNak(request, secret, ErrorCause.SessionContextNotFound));
    expect([nak.code, nak.errorCause]).toEqual([RadiusCode.DisconnectNak, 503]);
    expect(verifyResponse(nak.packet, request.authenticator, secret).ok).toBe(true);
  });

  it('when a counter does not fit 64 bits, then building throws a RangeError', () => {
    expect(() =>
      buildAccountingRequest({ identifier: 1, secret, fields: { inputOctets: 2n ** 64n } }),
    ).toThrow(RangeError);
  });
});

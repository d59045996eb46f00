import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeAccountingAuthenticator,
  computeMessageAuthenticator,
  signPacket,
  verifyAccountingAuthenticator,
  verifyMessageAuthenticator,
  verifyRequest,
  verifyResponse,
  verifyResponseAuthenticator,
} from './authenticator.js';
import {
  buildAccept,
  buildAccessRequest,
  buildAccountingRequest,
  buildDisconnectRequest,
} from './builders.js';
import { decodePacket, encodePacket, type RadiusPacket } from './packet.js';
import { hidePassword, readPassword, unhidePassword } from './password.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const RFC_SECRET = 'xyzzy5461';
// RFC 2865 §7.1: Access-Request for "nemo" / "arctangent" and its Access-Accept.
const RFC2865_REQUEST = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f
  02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`);
const RFC2865_ACCEPT = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01
  0f 06 00 00 00 00 0e 06 c0 a8 01 03`);
// RFC 5997 §6: Status-Server with a Message-Authenticator, and the Access-Accept answering it.
const RFC5997_STATUS = hex('0cda00268a54f4686fb394c52866e302185d062350125a665e2e1e8411f3e243822097c84fa3');
const RFC5997_ACCEPT = hex('02da0014ef0d552a4bf2d693ec2b6fe8b5411d66');

function decoded(wire: Buffer): RadiusPacket {
  const result = decodePacket(wire);
  if (!result.ok) throw new Error(`test packet did not decode: ${result.error.detail}`);
  return result.value;
}

describe('authenticators against RFC vectors', () => {
  it('when the RFC 2865 §7.1 password is unhidden, then it reads "arctangent", and hiding it gives the same octets', () => {
    const requestAuth = RFC2865_REQUEST.subarray(4, 20);
    const hidden = RFC2865_REQUEST.subarray(28, 44);
    const plain = unhidePassword(hidden, RFC_SECRET, requestAuth);
    expect(plain.ok && plain.value.toString()).toBe('arctangent');
    expect(hidePassword('arctangent', RFC_SECRET, requestAuth)).toEqual(hidden);
  });

  it('when the RFC 2865 §7.1 Access-Accept is checked, then its Response Authenticator verifies', () => {
    const requestAuth = RFC2865_REQUEST.subarray(4, 20);
    expect(verifyResponseAuthenticator(RFC2865_ACCEPT, requestAuth, RFC_SECRET)).toBe(true);
    expect(verifyResponseAuthenticator(RFC2865_ACCEPT, requestAuth, 'wrong')).toBe(false);
    const unsigned = Buffer.from(RFC2865_ACCEPT);
    unsigned.fill(0, 4, 20);
    expect(signPacket(unsigned, RFC_SECRET, requestAuth)).toEqual(RFC2865_ACCEPT);
  });

  it('when the RFC 5997 Status-Server is checked, then its Message-Authenticator verifies and re-signing reproduces it', () => {
    expect(verifyMessageAuthenticator(RFC5997_STATUS, RFC_SECRET)).toBe(true);
    expect(verifyMessageAuthenticator(RFC5997_STATUS, 'xyzzy5462')).toBe(false);
    const zeroed = Buffer.from(RFC5997_STATUS);
    zeroed.fill(0, 22, 38);
    expect(signPacket(zeroed, RFC_SECRET)).toEqual(RFC5997_STATUS);
    expect(verifyResponse(decoded(RFC5997_ACCEPT), RFC5997_STATUS.subarray(4, 20), RFC_SECRET).ok).toBe(true);
  });
});

describe('authenticators on packets we build', () => {
  const secret = 's3cret';

  it('when an Access-Request is built, then its Message-Authenticator verifies and tampering breaks it', () => {
    const wire = buildAccessRequest({ identifier: 1, secret, password: 'pw', fields: { userName: 'u' } });
    expect(verifyRequest(decoded(wire), secret, { requireMessageAuthenticator: true })).toEqual({
      ok: true,
      value: true,
    });
    const tampered = Buffer.from(wire);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    expect(verifyRequest(decoded(tampered), secret).ok).toBe(false);
    const other = verifyRequest(decoded(wire), 'other');
    expect(!other.ok && other.error.reason).toBe('bad_message_authenticator');
  });

  it('when an Access-Request has no Message-Authenticator, then a server requiring one refuses it', () => {
    const wire = encodePacket({
      code: 1,
      identifier: 2,
      authenticator: Buffer.alloc(16, 1),
      attributes: [{ type: 1, value: Buffer.from('u') }],
    });
    const result = verifyRequest(decoded(wire), secret, { requireMessageAuthenticator: true });
    expect(!result.ok && result.error.reason).toBe('missing_message_authenticator');
  });

  it('when an Accounting-Request is built, then its RFC 2866 authenticator verifies only with the right secret', () => {
    const wire = buildAccountingRequest({ identifier: 3, secret, fields: { statusType: 1, sessionId: 'a' } });
    expect(verifyAccountingAuthenticator(wire, secret)).toBe(true);
    expect(computeAccountingAuthenticator(wire, secret)).toEqual(wire.subarray(4, 20));
    expect(verifyAccountingAuthenticator(wire, 'other')).toBe(false);
    const result = verifyRequest(decoded(wire), 'other');
    expect(!result.ok && result.error.reason).toBe('bad_authenticator');
  });

  it('when a Disconnect-Request is built with a Message-Authenticator, then both authenticators verify (RFC 5176)', () => {
    const wire = buildDisconnectRequest({ identifier: 4, secret, fields: { sessionId: 'x', userName: 'u' } });
    expect(verifyAccountingAuthenticator(wire, secret)).toBe(true);
    expect(verifyMessageAuthenticator(wire, secret)).toBe(true);
    expect(verifyRequest(decoded(wire), secret).ok).toBe(true);
  });

  it('when an Access-Accept is built, then its Message-Authenticator uses the request authenticator', () => {
    const request = { identifier: 9, authenticator: Buffer.alloc(16, 7) };
    const wire = buildAccept(request, secret, { framedIp: '10.0.0.1', interimInterval: 300 });
    expect(verifyMessageAuthenticator(wire, secret, request.authenticator)).toBe(true);
    expect(verifyMessageAuthenticator(wire, secret, Buffer.alloc(16))).toBe(false);
    expect(verifyMessageAuthenticator(wire, secret)).toBe(false);
    expect(computeMessageAuthenticator(wire, secret, request.authenticator)).toEqual(wire.subarray(22, 38));
    expect(verifyResponse(decoded(wire), request.authenticator, secret).ok).toBe(true);
    const wrong = verifyResponse(decoded(wire), Buffer.alloc(16), secret);
    expect(!wrong.ok && wrong.error.reason).toBe('bad_authenticator');
  });

  it('when a password of 16, 17 or 128 octets is hidden, then it unhides to itself in blocks of 16', () => {
    const auth = Buffer.alloc(16, 3);
    for (const length of [1, 16, 17, 128]) {
      const password = 'p'.repeat(length);
      const hidden = hidePassword(password, secret, auth);
      expect(hidden.length).toBe(Math.max(16, Math.ceil(length / 16) * 16));
      const plain = unhidePassword(hidden, secret, auth);
      expect(plain.ok && plain.value.toString()).toBe(password);
    }
    expect(() => hidePassword('p'.repeat(129), secret, auth)).toThrow(RangeError);
  });

  it('when a hidden password is not 16..128 octets in blocks of 16, then it is refused as bad_password', () => {
    for (const length of [0, 15, 17, 144]) {
      const result = unhidePassword(Buffer.alloc(length), secret, Buffer.alloc(16));
      expect(!result.ok && result.error.reason).toBe('bad_password');
    }
  });

  it('when a request carries no User-Password, then reading it is refused as missing_attribute', () => {
    const result = readPassword({ authenticator: Buffer.alloc(16) }, secret);
    expect(!result.ok && result.error.reason).toBe('missing_attribute');
  });
});

describe('Message-Authenticator HMAC', () => {
  it('when the secret is short, a block long, or longer than a block, then it equals createHmac-md5 over the zeroed packet', () => {
    const secrets: (string | Buffer)[] = [
      'k',
      'bench-radius-secret',
      'x'.repeat(64),
      'y'.repeat(65),
      'z'.repeat(200),
      Buffer.from('00ff10', 'hex'),
      'ünïcödé-secret',
    ];
    for (const secret of secrets) {
      const wire = buildAccessRequest({
        identifier: 9,
        secret,
        fields: { userName: 'user', imsi: '262011234567890' },
      });
      const zeroed = Buffer.from(wire);
      // the Message-Authenticator is the first attribute: type 80, length 18, value at octet 22
      expect(zeroed[20]).toBe(80);
      zeroed.fill(0, 22, 38);
      const expected = createHmac('md5', secret).update(zeroed).digest();
      expect(computeMessageAuthenticator(wire, secret)).toEqual(expected);
      expect(wire.subarray(22, 38)).toEqual(expected);
      expect(verifyMessageAuthenticator(wire, secret)).toBe(true);
    }
  });
});

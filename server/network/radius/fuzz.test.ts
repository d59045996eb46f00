import { describe, expect, it } from 'vitest';
import { decodeVendorSpecific } from './attributes.js';
import {
  hasMessageAuthenticator,
  verifyMessageAuthenticator,
  verifyRequest,
  verifyResponse,
} from './authenticator.js';
import {
  buildAccept,
  buildAccessRequest,
  buildAccountingRequest,
  buildDisconnectNak,
  buildDisconnectRequest,
} from './builders.js';
import { decodePacket, encodePacket, type RadiusErrorReason } from './packet.js';
import { unhidePassword } from './password.js';
import { decodeRequest } from './request.js';
import { decodeUserLocation } from './uli.js';

const REASONS: ReadonlySet<RadiusErrorReason> = new Set<RadiusErrorReason>([
  'short',
  'too_long',
  'bad_length',
  'bad_code',
  'bad_attribute',
  'missing_attribute',
  'bad_authenticator',
  'bad_message_authenticator',
  'missing_message_authenticator',
  'bad_password',
]);

/** Deterministic PRNG (mulberry32) so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const secret = 'fuzz';
const request = { identifier: 1, authenticator: Buffer.alloc(16, 5) };
const SEEDS: Buffer[] = [
  buildAccessRequest({
    identifier: 1,
    secret,
    password: 'pw',
    fields: { userName: 'u', imsi: '262010000000001' },
  }),
  buildAccountingRequest({
    identifier: 2,
    secret,
    fields: {
      statusType: 3,
      sessionId: 's',
      inputOctets: 2n ** 40n,
      imeisv: '3534560012345601',
      ratType: 6,
      sgsnMccMnc: '26201',
      chargingId: 1,
      userLocation: { type: 'TAI', plmn: { mcc: '262', mnc: '01' }, tac: 1 },
      msTimeZone: { offsetMinutes: 60, dstHours: 0 },
    },
  }),
  buildDisconnectRequest({ identifier: 3, secret, fields: { sessionId: 's', framedIp: '10.0.0.1' } }),
  buildAccept(request, secret, { framedIp: '10.0.0.1', interimInterval: 60 }),
  buildDisconnectNak(request, secret, 503),
];

function mutate(next: () => number): Buffer {
  const int = (n: number): number => Math.floor(next() * n);
  const seed = SEEDS[int(SEEDS.length)] ?? Buffer.alloc(0);
  const out = Buffer.from(seed);
  switch (int(7)) {
    case 0:
      return Buffer.from(Array.from({ length: int(4200) }, () => int(256)));
    case 1:
      for (let i = 0, n = 1 + int(8); i < n; i++) out[int(out.length)] = int(256);
      return out;
    case 2:
      return out.subarray(0, int(out.length));
    case 3:
      out.writeUInt16BE(int(65536), 2);
      return out;
    case 4: {
      const extended = Buffer.concat([out, Buffer.from(Array.from({ length: int(64) }, () => int(256)))]);
      extended.writeUInt16BE(extended.length, 2);
      return extended;
    }
    case 5: {
      // Keep the framing valid but give one attribute random contents, to reach the typed decoders.
      const decoded = decodePacket(seed);
      if (!decoded.ok) return out;
      const attributes = decoded.value.attributes.map((a) => ({ ...a }));
      const victim = attributes[int(attributes.length)];
      if (victim) victim.value = Buffer.from(Array.from({ length: int(30) }, () => int(256)));
      return encodePacket({ ...decoded.value, attributes });
    }
    default: {
      for (let i = 20; i < out.length; i++) if (next() < 0.05) out[i] = int(256);
      return out;
    }
  }
}

describe('decoding random and mutated packets', () => {
  it('when 10,000 random or mutated buffers are decoded and verified, then nothing throws and every refusal has a known reason', () => {
    const next = prng(20240601);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const datagram = mutate(next);
      let outcome: string;
      try {
        const result = decodeRequest(datagram);
        if (result.ok) {
          const packet = result.value.packet;
          verifyRequest(packet, secret, { requireMessageAuthenticator: true });
          verifyResponse(packet, request.authenticator, secret);
          if (result.value.userPassword)
            unhidePassword(result.value.userPassword, secret, packet.authenticator);
          outcome = 'ok';
        } else {
          expect(REASONS.has(result.error.reason)).toBe(true);
          outcome = result.error.reason;
        }
        hasMessageAuthenticator(datagram);
        verifyMessageAuthenticator(datagram, secret, request.authenticator);
        decodeUserLocation(datagram.subarray(20, 20 + ((datagram[0] ?? 0) % 16)));
        decodeVendorSpecific(datagram.subarray(0, (datagram[1] ?? 0) % 40));
      } catch (error) {
        throw new Error(`case ${i} threw on ${datagram.toString('hex')}: ${String(error)}`);
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    for (const expected of ['ok', 'short', 'bad_length', 'bad_attribute', 'bad_code']) {
      expect(
        outcomes.get(expected) ?? 0,
        `outcome ${expected} in ${JSON.stringify([...outcomes])}`,
      ).toBeGreaterThan(50);
    }
  });
});

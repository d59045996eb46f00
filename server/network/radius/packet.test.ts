import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, RadiusCode, type RadiusErrorReason } from './packet.js';

const AUTH = Buffer.alloc(16, 0xab);

function valid(): Buffer {
  return encodePacket({
    code: RadiusCode.AccountingRequest,
    identifier: 7,
    authenticator: AUTH,
    attributes: [
      { type: 1, value: Buffer.from('alice') },
      { type: 44, value: Buffer.from('s-1') },
    ],
  });
}

function reasonOf(datagram: Buffer): RadiusErrorReason | 'ok' {
  const result = decodePacket(datagram);
  return result.ok ? 'ok' : result.error.reason;
}

describe('packet framing', () => {
  it('when a packet is encoded and decoded, then header and attributes come back unchanged', () => {
    const wire = valid();
    const decoded = decodePacket(wire);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.code).toBe(4);
    expect(decoded.value.identifier).toBe(7);
    expect(decoded.value.authenticator).toEqual(AUTH);
    expect(decoded.value.attributes.map((a) => [a.type, a.value.toString()])).toEqual([
      [1, 'alice'],
      [44, 's-1'],
    ]);
    expect(decoded.value.raw).toEqual(wire);
    expect(wire.readUInt16BE(2)).toBe(wire.length);
  });

  it('when octets follow the Length field, then they are ignored as padding', () => {
    const padded = Buffer.concat([valid(), Buffer.from([0, 0, 0])]);
    const decoded = decodePacket(padded);
    expect(decoded.ok && decoded.value.raw.length).toBe(valid().length);
  });

  it('when the datagram is under 20 octets, then it is refused as short', () => {
    expect(reasonOf(valid().subarray(0, 19))).toBe('short');
    expect(reasonOf(Buffer.alloc(0))).toBe('short');
  });

  it('when the datagram exceeds 4096 octets, then it is refused as too_long', () => {
    expect(reasonOf(Buffer.concat([valid(), Buffer.alloc(4100)]))).toBe('too_long');
  });

  it('when the Length field exceeds the octets received (truncated), then it is refused as bad_length', () => {
    const wire = valid();
    expect(reasonOf(wire.subarray(0, wire.length - 1))).toBe('bad_length');
  });

  it('when the Length field is under 20 or over 4096, then it is refused as bad_length', () => {
    const low = valid();
    low.writeUInt16BE(19, 2);
    expect(reasonOf(low)).toBe('bad_length');
    const high = Buffer.concat([valid(), Buffer.alloc(100)]);
    high.writeUInt16BE(4097, 2);
    expect(reasonOf(high)).toBe('bad_length');
  });

  it('when an attribute has length 0 or 1, then it is refused as bad_attribute', () => {
    for (const length of [0, 1]) {
      const wire = valid();
      wire[21] = length;
      expect(reasonOf(wire)).toBe('bad_attribute');
    }
  });

  it('when an attribute overruns the packet, then it is refused as bad_attribute', () => {
    const wire = valid();
    wire[wire.length - 4] = 10;
    expect(reasonOf(wire)).toBe('bad_attribute');
    const dangling = Buffer.concat([valid(), Buffer.from([1])]);
    dangling.writeUInt16BE(dangling.length, 2);
    expect(reasonOf(dangling)).toBe('bad_attribute');
  });

  it('when the code is not one OpenCMP handles, then it is refused as bad_code', () => {
    const wire = valid();
    wire[0] = 99;
    expect(reasonOf(wire)).toBe('bad_code');
  });

  it('when an attribute value exceeds 253 octets or the packet 4096, then encoding throws a RangeError', () => {
    const big = { type: 18, value: Buffer.alloc(254) };
    expect(() => encodePacket({ code: 2, identifier: 1, authenticator: AUTH, attributes: [big] })).toThrow(
      RangeError,
    );
    const many = Array.from({ length: 20 }, () => ({ type: 18, value: Buffer.alloc(253) }));
    expect(() => encodePacket({ code: 2, identifier: 1, authenticator: AUTH, attributes: many })).toThrow(
      RangeError,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { decodePlmn, decodeUserLocation, encodePlmn, encodeUserLocation, type UserLocation } from './uli.js';

describe('3GPP-User-Location-Info', () => {
  it('when the PRODUCT.md §11 vector is decoded, then it is TAI+ECGI 262/01, TAC 6699, ECI 19088743 (eNB 74565, cell 103)', () => {
    const result = decodeUserLocation(Buffer.from('8262f2101a2b62f21001234567', 'hex'));
    expect(result).toEqual({
      ok: true,
      value: {
        type: 'TAI+ECGI',
        plmn: { mcc: '262', mnc: '01' },
        tac: 6699,
        ecgiPlmn: { mcc: '262', mnc: '01' },
        eci: 19088743,
        enbId: 74565,
        cellId: 103,
      },
    });
  });

  it('when the vector is re-encoded, then the octets are identical', () => {
    const wire = Buffer.from('8262f2101a2b62f21001234567', 'hex');
    const decoded = decodeUserLocation(wire);
    expect(decoded.ok && encodeUserLocation(decoded.value)).toEqual(wire);
  });

  it('when a 3-digit MNC is encoded, then MNC3 takes the filler nibble and decodes back', () => {
    const plmn = { mcc: '310', mnc: '410' };
    expect(encodePlmn(plmn).toString('hex')).toBe('130014');
    expect(decodePlmn(encodePlmn(plmn))).toEqual({ ok: true, value: plmn });
    expect(encodePlmn({ mcc: '262', mnc: '01' }).toString('hex')).toBe('62f210');
  });

  it('when every location type is encoded, then it decodes to the same value', () => {
    const plmn = { mcc: '208', mnc: '15' };
    const cases: UserLocation[] = [
      { type: 'CGI', plmn, lac: 0x1234, ci: 0xbeef },
      { type: 'SAI', plmn, lac: 1, sac: 65535 },
      { type: 'RAI', plmn, lac: 500, rac: 17 },
      { type: 'TAI', plmn, tac: 4242 },
      { type: 'ECGI', plmn, eci: 0x0fffffff, enbId: 0x0fffff, cellId: 0xff },
      { type: 'TAI+ECGI', plmn, tac: 1, ecgiPlmn: { mcc: '310', mnc: '260' }, eci: 256, enbId: 1, cellId: 0 },
      { type: 'unknown', code: 136, raw: '88aabb' },
    ];
    for (const location of cases) {
      expect(decodeUserLocation(encodeUserLocation(location))).toEqual({ ok: true, value: location });
    }
  });

  it('when the ECI field has its 4 spare bits set, then they are ignored', () => {
    const result = decodeUserLocation(Buffer.from('8162f210f1234567', 'hex'));
    expect(result.ok && result.value.type === 'ECGI' && result.value.eci).toBe(0x01234567);
  });

  it('when a location is empty, too short for its type or not BCD, then it is refused as bad_attribute', () => {
    for (const bad of ['', '8262f2101a2b62f210012345', '00', '0062f21000010002ff', '80aaaaaa0001']) {
      const result = decodeUserLocation(Buffer.from(bad, 'hex'));
      expect(!result.ok && result.error.reason).toBe('bad_attribute');
    }
  });

  it('when an ECI exceeds 28 bits or a PLMN is malformed, then encoding throws a RangeError', () => {
    const plmn = { mcc: '262', mnc: '01' };
    expect(() => encodeUserLocation({ type: 'ECGI', plmn, eci: 0x10000000, enbId: 0, cellId: 0 })).toThrow(
      RangeError,
    );
    expect(() => encodePlmn({ mcc: '26', mnc: '01' })).toThrow(RangeError);
  });
});

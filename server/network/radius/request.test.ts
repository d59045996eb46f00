import { describe, expect, it } from 'vitest';
import {
  AcctStatus,
  Attr,
  bearerToRatType,
  encodeInteger,
  ratTypeToBearer,
  TgppAttr,
  VENDOR_3GPP,
} from './attributes.js';
import { combineOctets, type RadiusFields } from './fields.js';
import { encodePacket, type RawAttribute } from './packet.js';
import { decodeRequest } from './request.js';

const AUTH = Buffer.alloc(16);

function accounting(attributes: RawAttribute[]): Buffer {
  return encodePacket({ code: 4, identifier: 1, authenticator: AUTH, attributes });
}

function vsa(type: number, value: Buffer): RawAttribute {
  return {
    type: Attr.VendorSpecific,
    value: Buffer.concat([encodeInteger(VENDOR_3GPP), Buffer.from([type, value.length + 2]), value]),
  };
}

function fieldsOf(wire: Buffer): RadiusFields {
  const result = decodeRequest(wire);
  if (!result.ok) throw new Error(`expected a request, got ${result.error.reason}: ${result.error.detail}`);
  return result.value;
}

describe('typed request decoding', () => {
  it('when input octets are 5 with 2 gigawords, then the counter is 8589934597n', () => {
    const fields = fieldsOf(
      accounting([
        { type: Attr.AcctInputOctets, value: encodeInteger(5) },
        { type: Attr.AcctInputGigawords, value: encodeInteger(2) },
        { type: Attr.AcctOutputOctets, value: encodeInteger(0xffffffff) },
      ]),
    );
    expect(fields.inputOctets).toBe(8589934597n);
    expect(fields.outputOctets).toBe(4294967295n);
    expect(combineOctets(0xffffffff, 0xffffffff)).toBe(2n ** 64n - 1n);
  });

  it('when only gigawords are present, then the counter is gigawords × 2^32', () => {
    expect(
      fieldsOf(accounting([{ type: Attr.AcctOutputGigawords, value: encodeInteger(1) }])).outputOctets,
    ).toBe(4294967296n);
  });

  it('when no counters are present, then the counters are undefined rather than zero', () => {
    expect(fieldsOf(accounting([])).inputOctets).toBeUndefined();
  });

  it('when each 3GPP-RAT-Type arrives, then the bearer is 3G, 2G, 3G, 4G, NB-IoT, LTE-M or 5G', () => {
    const expected: Array<[number, string | undefined]> = [
      [1, '3G'],
      [2, '2G'],
      [5, '3G'],
      [6, '4G'],
      [8, 'NB-IoT'],
      [9, 'LTE-M'],
      [10, '5G'],
      [3, undefined],
    ];
    for (const [rat, bearer] of expected) {
      const fields = fieldsOf(accounting([vsa(TgppAttr.RatType, Buffer.from([rat]))]));
      expect([fields.ratType, fields.bearer]).toEqual([rat, bearer]);
      expect(ratTypeToBearer(rat)).toBe(bearer);
    }
    expect(bearerToRatType('NB-IoT')).toBe(8);
  });

  it('when a packet gateway sends a full Interim-Update, then every field is typed', () => {
    const fields = fieldsOf(
      accounting([
        { type: Attr.AcctStatusType, value: encodeInteger(AcctStatus.InterimUpdate) },
        { type: Attr.AcctSessionId, value: Buffer.from('sess-1') },
        { type: Attr.UserName, value: Buffer.from('262011234567890') },
        { type: Attr.NasIpAddress, value: Buffer.from([10, 1, 2, 3]) },
        { type: Attr.FramedIpAddress, value: Buffer.from([100, 64, 0, 7]) },
        { type: Attr.CallingStationId, value: Buffer.from('491701234567') },
        { type: Attr.CalledStationId, value: Buffer.from('iot.opencmp') },
        { type: Attr.AcctSessionTime, value: encodeInteger(600) },
        { type: Attr.EventTimestamp, value: encodeInteger(1_700_000_000) },
        vsa(TgppAttr.Imsi, Buffer.from('262011234567890')),
        vsa(TgppAttr.ChargingId, encodeInteger(77)),
        vsa(TgppAttr.SgsnMccMnc, Buffer.from('26201')),
        vsa(TgppAttr.Imeisv, Buffer.from('3534560123456701')),
        vsa(TgppAttr.UserLocationInfo, Buffer.from('8262f2101a2b62f21001234567', 'hex')),
        vsa(TgppAttr.MsTimeZone, Buffer.from([0x40, 0x01])),
      ]),
    );
    expect(fields).toMatchObject({
      statusType: 3,
      sessionId: 'sess-1',
      userName: '262011234567890',
      nasIp: '10.1.2.3',
      framedIp: '100.64.0.7',
      callingStationId: '491701234567',
      calledStationId: 'iot.opencmp',
      sessionTime: 600,
      eventTimestamp: new Date(1_700_000_000_000),
      imsi: '262011234567890',
      chargingId: 77,
      sgsnMccMnc: '26201',
      imeisv: '3534560123456701',
      userLocation: { type: 'TAI+ECGI', tac: 6699, enbId: 74565, cellId: 103 },
      msTimeZone: { offsetMinutes: 60, dstHours: 1 },
    });
  });

  it('when 3GPP-IMEISV arrives as 8 octets of TBCD, then it is read as 16 digits', () => {
    const fields = fieldsOf(accounting([vsa(TgppAttr.Imeisv, Buffer.from('5343650021436510', 'hex'))]));
    expect(fields.imeisv).toBe('3534560012345601');
  });

  it('when a known attribute has the wrong size or format, then the request is refused as bad_attribute', () => {
    const bad: RawAttribute[] = [
      { type: Attr.FramedIpAddress, value: Buffer.from([1, 2, 3]) },
      { type: Attr.AcctInputOctets, value: Buffer.alloc(8) },
      { type: Attr.AcctStatusType, value: Buffer.alloc(0) },
      { type: Attr.UserName, value: Buffer.alloc(0) },
      { type: Attr.UserName, value: Buffer.from([0xff, 0xfe]) },
      vsa(TgppAttr.Imsi, Buffer.from('26201abc')),
      vsa(TgppAttr.RatType, Buffer.from([6, 0])),
      vsa(TgppAttr.UserLocationInfo, Buffer.from('8262', 'hex')),
      { type: Attr.VendorSpecific, value: Buffer.from([0, 0, 0x28, 0xaf, 1, 9, 0x31]) },
    ];
    for (const attribute of bad) {
      const result = decodeRequest(accounting([attribute]));
      expect(!result.ok && result.error.reason).toBe('bad_attribute');
    }
  });

  it('when another vendor sends a VSA or an unknown attribute arrives, then it is ignored', () => {
    const other = { type: Attr.VendorSpecific, value: Buffer.from([0, 0, 0, 9, 1, 0xff]) };
    expect(fieldsOf(accounting([other, { type: 200, value: Buffer.from('x') }]))).toMatchObject({ code: 4 });
  });
});

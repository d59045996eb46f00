import { describe, expect, it } from 'vitest';
import { countSegments, smsEncodingOf, splitSms } from '../../../contracts/sms-encoding.js';
import { maskSmppUrl, parseSmppUrl } from '../../modules/sms/smsc-url.js';
import { decodeGsm7, decodeText, decodeUcs2, encodeGsm7, encodeSms, encodeUcs2, parseUdh } from './codec.js';

describe('encoding detection', () => {
  it.each([
    ['Hello world', 'gsm7'],
    ['Grüße aus Köln — heute', 'ucs2'], // em dash is not GSM-7
    ['Grüße aus Köln', 'gsm7'], // ü, ö and ß are in the GSM-7 table
    ['Temp {21} [ok] ~ | ^ € \\', 'gsm7'],
    ['Ça va? ¿Qué tal? äöüÄÖÜ§', 'gsm7'],
    ['Привет', 'ucs2'],
    ['Pump 😀', 'ucs2'],
    ['', 'gsm7'],
  ])('when the text is %j, then it is %s', (text, enc) => {
    expect(smsEncodingOf(text)).toBe(enc);
  });

  it('when a text has extension characters, then each costs two septets', () => {
    expect(countSegments('{}[]~|^€\\')).toMatchObject({
      encoding: 'gsm7',
      characters: 9,
      units: 18,
      segments: 1,
    });
    expect([...encodeGsm7('€')]).toEqual([0x1b, 0x65]);
    expect([...encodeGsm7('@A{')]).toEqual([0x00, 0x41, 0x1b, 0x28]);
  });
});

describe('segment counting', () => {
  it('when a GSM-7 text has 160 characters, then one part; at 161, two parts of 153 and 8', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({ segments: 1, perSegment: 160, remaining: 0 });
    const c = countSegments('a'.repeat(161));
    expect(c).toMatchObject({ segments: 2, perSegment: 153, remaining: 153 - 8 });
    expect(splitSms('a'.repeat(161)).parts.map((p) => p.length)).toEqual([153, 8]);
  });

  it('when 159 plain characters plus one extension character, then 161 septets need two parts', () => {
    expect(countSegments(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
    expect(countSegments(`${'a'.repeat(158)}€`)).toMatchObject({ units: 160, segments: 1 });
  });

  it('when a UCS-2 text has 70 characters, then one part; at 71, two parts of 67 and 4', () => {
    expect(countSegments('ж'.repeat(70))).toMatchObject({ encoding: 'ucs2', segments: 1, perSegment: 70 });
    expect(countSegments('ж'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(splitSms('ж'.repeat(71)).parts.map((p) => p.length)).toEqual([67, 4]);
  });

  it('when an escape pair would straddle a part boundary, then it moves whole into the next part', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const { parts } = splitSms(text);
    expect(parts[0]).toBe('a'.repeat(152));
    expect(parts[1]?.startsWith('€')).toBe(true);
    expect(parts.join('')).toBe(text);
    for (const p of encodeSms(text, 1).parts) expect(p.shortMessage.length - 6).toBeLessThanOrEqual(153);
    // the first part's body does not end with a lone escape
    const first = encodeSms(text, 1).parts[0]?.shortMessage ?? Buffer.alloc(0);
    expect(first[first.length - 1]).not.toBe(0x1b);
  });

  it('when a surrogate pair would straddle a part boundary, then it moves whole into the next part', () => {
    const text = `${'ж'.repeat(66)}😀${'ж'.repeat(10)}`;
    const { parts } = splitSms(text);
    expect(parts[0]).toBe('ж'.repeat(66));
    expect(parts[1]?.startsWith('😀')).toBe(true);
    const encoded = encodeSms(text, 9).parts;
    for (const p of encoded) {
      const body = p.shortMessage.subarray(6);
      const last = body.readUInt16BE(body.length - 2);
      expect(last >= 0xd800 && last <= 0xdbff).toBe(false); // no high surrogate left dangling
    }
    expect(encoded.map((p) => decodeUcs2(p.shortMessage.subarray(6))).join('')).toBe(text);
  });

  it('when the text is empty, then one empty part', () => {
    expect(countSegments('')).toMatchObject({ segments: 1, characters: 0, remaining: 160 });
  });
});

describe('submit parts', () => {
  it('when a three-part message is encoded, then each part has UDH 05 00 03 ref 03 seq and esm_class 0x40', () => {
    const text = 'x'.repeat(153 * 2 + 10);
    const { encoding, parts } = encodeSms(text, 0x2a);
    expect(encoding).toBe('gsm7');
    expect(parts).toHaveLength(3);
    parts.forEach((p, i) => {
      expect(p.esmClass).toBe(0x40);
      expect(p.dataCoding).toBe(0);
      expect([...p.shortMessage.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0x2a, 0x03, i + 1]);
      expect(parseUdh(p.shortMessage, p.esmClass).concat).toEqual({ ref: 0x2a, total: 3, seq: i + 1 });
    });
    expect(parts.map((p) => decodeGsm7(parseUdh(p.shortMessage, 0x40).body)).join('')).toBe(text);
  });

  it('when a message fits one part, then no UDH, esm_class 0 and data_coding 8 for UCS-2', () => {
    const { parts } = encodeSms('Привет', 1);
    expect(parts).toEqual([expect.objectContaining({ esmClass: 0, dataCoding: 8, total: 1 })]);
    expect(parts[0]?.shortMessage).toEqual(encodeUcs2('Привет'));
  });

  it('when decoding, then GSM-7 and UCS-2 round-trip and junk decodes without throwing', () => {
    const gsm = 'Hello @£$ {x} €5 \\ ÄÖÜß';
    expect(decodeGsm7(encodeGsm7(gsm))).toBe(gsm);
    expect(decodeText(encodeUcs2('Grüße 😀'), 8)).toBe('Grüße 😀');
    expect(decodeGsm7(Buffer.from([0x1b]))).toBe('');
    expect(decodeGsm7(Buffer.from([0xff, 0x1b, 0x01]))).toBe('  ');
    expect(decodeUcs2(Buffer.from([0x00]))).toBe('');
    expect(parseUdh(Buffer.from([0x09, 0x00, 0x03]), 0x40).concat).toBeUndefined();
    expect(parseUdh(Buffer.from([0x05, 0x00, 0x03, 1, 2, 3, 0x41]), 0x40).concat).toBeUndefined(); // seq > total
  });
});

describe('SMPP URL', () => {
  it('when the URL is complete, then host, port and credentials come out and the mask hides the password', () => {
    expect(parseSmppUrl('smpp://opencmp:secret@10.0.0.5:2776')).toEqual({
      host: '10.0.0.5',
      port: 2776,
      systemId: 'opencmp',
      password: 'secret',
    });
    expect(parseSmppUrl('smpp://a:b@smsc.example').port).toBe(2775);
    expect(maskSmppUrl('smpp://opencmp:secret@10.0.0.5:2776')).toBe('smpp://opencmp:***@10.0.0.5:2776');
  });

  it('when the URL names the time zone of its receipts, then it comes out and the mask keeps it', () => {
    const url = 'smpp://opencmp:secret@10.0.0.5:2776?receipt_zone=America/New_York';
    expect(parseSmppUrl(url)).toMatchObject({ host: '10.0.0.5', receiptZone: 'America/New_York' });
    expect(parseSmppUrl('smpp://a:b@h').receiptZone).toBeUndefined();
    expect(maskSmppUrl(url)).toBe('smpp://opencmp:***@10.0.0.5:2776?receipt_zone=America/New_York');
    // '+' is part of a zone's name, not a space; the mask writes what parses back to the same zone
    const gmt = parseSmppUrl('smpp://a:b@h?receipt_zone=Etc/GMT+5');
    expect(gmt.receiptZone).toBe('Etc/GMT+5');
    expect(parseSmppUrl('smpp://a:b@h?receipt_zone=Etc%2FGMT%2B5').receiptZone).toBe('Etc/GMT+5');
    const masked = maskSmppUrl('smpp://a:b@h?receipt_zone=Etc/GMT+5') ?? '';
    expect(masked).toBe('smpp://a:***@h:2775?receipt_zone=Etc/GMT%2B5');
    expect(parseSmppUrl(masked.replace('***', 'b')).receiptZone).toBe('Etc/GMT+5');
    expect(maskSmppUrl('smpp://a:b@[::1]:2775')).toBe('smpp://a:***@[::1]:2775');
  });

  it.each([
    ['http://a:b@h:1', 'smpp://'],
    ['smpp://h:2775', 'system_id'],
    ['smpp://averyveryverylongsystemid:x@h', 'system_id'],
    ['smpp://a:toolongpassword@h', 'password'],
    ['not a url', 'URL'],
    ['smpp://a:b@h?receipt_zone=Nowhere/Land', 'not a time zone'],
    ['smpp://a:b@h?receipt_zone=', 'not a time zone'],
    ['smpp://a:b@h?receipt_zone=UTC&receipt_zone=UTC', 'twice'],
    ['smpp://a:b@h?tls=1', 'unknown parameter tls'],
    ['smpp://a:b@h?receipt_zone=%E0%A4%A', 'percent-encoded'],
  ])('when the URL is %j, then it is refused naming %s', (url, word) => {
    expect(() => parseSmppUrl(url)).toThrow(word);
  });
});

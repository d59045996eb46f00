/**
 * Bytes of SMS text for SMPP: GSM 03.38 unpacked (data_coding 0) and UCS-2 big-endian (data_coding 8),
 * concatenation UDH (`05 00 03 ref total seq`, esm_class 0x40). Segmentation rules live in
 * contracts/sms-encoding.ts so the portal counts the same parts.
 */
import {
  gsm7Basic,
  gsm7Code,
  gsm7Extension,
  type SmsEncoding,
  smsEncodingOf,
  splitSms,
} from '../../../contracts/sms-encoding.js';

export const dataCodings = { gsm7: 0x00, ucs2: 0x08 } as const;
export const esmClassUdhi = 0x40;
export const esmClassReceipt = 0x04;

const extensionDecode = new Map(Object.entries(gsm7Extension).map(([c, code]) => [code, c]));

/** GSM-7 unpacked septets (one per octet), extension characters as 0x1B + code. Throws on a character outside the alphabet. */
export function encodeGsm7(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const code = gsm7Code(ch);
    if (code !== undefined) {
      out.push(code);
      continue;
    }
    const ext = gsm7Extension[ch];
    if (ext === undefined)
      throw new RangeError(`character U+${ch.codePointAt(0)?.toString(16)} is not in GSM-7`);
    out.push(0x1b, ext);
  }
  return Buffer.from(out);
}

/** Decode unpacked GSM-7; an unknown escape or a septet above 0x7F reads as a space, a trailing escape is dropped. */
export function decodeGsm7(buf: Buffer): string {
  let s = '';
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] ?? 0;
    if (b === 0x1b) {
      const next = buf[i + 1];
      i++;
      if (next === undefined) break;
      s += extensionDecode.get(next) ?? ' ';
      continue;
    }
    s += b < 0x80 ? (gsm7Basic[b] ?? ' ') : ' ';
  }
  return s;
}

/** UTF-16 big-endian code units. */
export function encodeUcs2(text: string): Buffer {
  const buf = Buffer.alloc(text.length * 2);
  for (let i = 0; i < text.length; i++) buf.writeUInt16BE(text.charCodeAt(i), i * 2);
  return buf;
}

/** Decode UTF-16 big-endian; an odd trailing octet is dropped. */
export function decodeUcs2(buf: Buffer): string {
  let s = '';
  for (let i = 0; i + 1 < buf.length; i += 2) s += String.fromCharCode(buf.readUInt16BE(i));
  return s;
}

/** Decode a short_message body by data_coding: 8 → UCS-2, 3 → Latin-1, anything else → GSM-7 unpacked. */
export function decodeText(buf: Buffer, dataCoding: number): string {
  if (dataCoding === 0x08) return decodeUcs2(buf);
  if (dataCoding === 0x03) return buf.toString('latin1');
  return decodeGsm7(buf);
}

/** One submit_sm's worth of a message. */
export interface SubmitPart {
  dataCoding: number;
  esmClass: number;
  /** short_message octets, UDH first for concatenated parts. */
  shortMessage: Buffer;
  seq: number;
  total: number;
}

/** The submit_sm parts of a text: one without UDH, or concatenated parts sharing reference `ref` (0–255). */
export function encodeSms(text: string, ref: number): { encoding: SmsEncoding; parts: SubmitPart[] } {
  const { encoding, parts } = splitSms(text);
  const dataCoding = dataCodings[encoding];
  const encode = encoding === 'gsm7' ? encodeGsm7 : encodeUcs2;
  const total = parts.length;
  return {
    encoding,
    parts: parts.map((p, i) => {
      const body = encode(p);
      if (total === 1) return { dataCoding, esmClass: 0, shortMessage: body, seq: 1, total };
      const udh = Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, i + 1]);
      return {
        dataCoding,
        esmClass: esmClassUdhi,
        shortMessage: Buffer.concat([udh, body]),
        seq: i + 1,
        total,
      };
    }),
  };
}

/** Concatenation info from a UDH (8-bit IE 0x00 or 16-bit IE 0x08), if the message carries one. */
export interface Concat {
  ref: number;
  total: number;
  seq: number;
}

/** Split a short_message into its UDH concatenation info and body; a malformed UDH yields the whole body. */
export function parseUdh(buf: Buffer, esmClass: number): { concat?: Concat; body: Buffer } {
  if (!(esmClass & esmClassUdhi) || buf.length === 0) return { body: buf };
  const udhl = buf[0] ?? 0;
  if (udhl + 1 > buf.length) return { body: buf };
  let concat: Concat | undefined;
  let i = 1;
  while (i + 1 < udhl + 1) {
    const iei = buf[i] ?? 0;
    const len = buf[i + 1] ?? 0;
    if (i + 2 + len > udhl + 1) break;
    if (iei === 0x00 && len === 3)
      concat = { ref: buf[i + 2] ?? 0, total: buf[i + 3] ?? 0, seq: buf[i + 4] ?? 0 };
    if (iei === 0x08 && len === 4)
      concat = { ref: buf.readUInt16BE(i + 2), total: buf[i + 4] ?? 0, seq: buf[i + 5] ?? 0 };
    i += 2 + len;
  }
  if (concat && (concat.total === 0 || concat.seq === 0 || concat.seq > concat.total)) concat = undefined;
  return { concat, body: buf.subarray(udhl + 1) };
}

export { smsEncodingOf };

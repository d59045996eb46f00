/**
 * SMS text encoding and segmentation (PRODUCT.md §11 SMPP), pure and dependency-free so the portal's
 * send form counts exactly what the server will submit.
 *
 * GSM 03.38 default alphabet (7-bit, sent unpacked with data_coding 0): the extension characters
 * `{}[]~|^€\` (and form feed) cost two septets (escape 0x1B + code). Anything outside the alphabet
 * makes the whole text UCS-2 (data_coding 8, UTF-16 big-endian code units; a character outside the
 * BMP is a surrogate pair and costs two units).
 * Single message: 160 septets / 70 units. Concatenated: 153 / 67 per part (the 6-octet UDH
 * `05 00 03 ref total seq` takes the rest). A part never ends inside an escape or a surrogate pair.
 */

/** The GSM 03.38 basic character set in code order (index = septet); 0x1B (escape) is not a character. */
export const gsm7Basic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The GSM 03.38 extension table: character → code after the escape. */
export const gsm7Extension: Readonly<Record<string, number>> = {
  '\f': 0x0a,
  '^': 0x14,
  '{': 0x28,
  '}': 0x29,
  '\\': 0x2f,
  '[': 0x3c,
  '~': 0x3d,
  ']': 0x3e,
  '|': 0x40,
  '€': 0x65,
};

const basicIndex: ReadonlyMap<string, number> = new Map(
  [...gsm7Basic].map((c, i) => [c, i] as const).filter(([c]) => c !== '\u001b'),
);

export type SmsEncoding = 'gsm7' | 'ucs2';

/** Maximum concatenated parts a message may have. */
export const maxSmsParts = 10;

/** Units per single message and per part of a concatenated message. */
export const smsLimits = {
  gsm7: { single: 160, part: 153 },
  ucs2: { single: 70, part: 67 },
} as const;

/** Septets a character costs in GSM-7 (1 or 2), or undefined when it is not in the alphabet. */
export function gsm7Cost(ch: string): 1 | 2 | undefined {
  if (basicIndex.has(ch)) return 1;
  if (ch in gsm7Extension) return 2;
  return undefined;
}

/** The septet code of a basic-table character. */
export function gsm7Code(ch: string): number | undefined {
  return basicIndex.get(ch);
}

/** GSM-7 when every character is in the default alphabet or its extension, else UCS-2. */
export function smsEncodingOf(text: string): SmsEncoding {
  for (const ch of text) if (gsm7Cost(ch) === undefined) return 'ucs2';
  return 'gsm7';
}

/** Units one character (code point) costs in an encoding. */
function cost(ch: string, encoding: SmsEncoding): number {
  if (encoding === 'gsm7') return gsm7Cost(ch) ?? 1;
  return ch.length; // UTF-16 code units: 2 for a surrogate pair
}

/** Units the whole text costs in its encoding. */
export function smsUnits(text: string, encoding: SmsEncoding = smsEncodingOf(text)): number {
  let n = 0;
  for (const ch of text) n += cost(ch, encoding);
  return n;
}

/**
 * Split a text into the parts it is sent as: one part when it fits a single message, else parts of
 * at most 153 septets / 67 units, each ending on a whole character (never inside an escape pair or
 * a surrogate pair). An empty text is one empty part.
 */
export function splitSms(text: string): { encoding: SmsEncoding; parts: string[] } {
  const encoding = smsEncodingOf(text);
  const limits = smsLimits[encoding];
  if (smsUnits(text, encoding) <= limits.single) return { encoding, parts: [text] };
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of text) {
    const c = cost(ch, encoding);
    if (used + c > limits.part) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += c;
  }
  if (current) parts.push(current);
  return { encoding, parts };
}

/** What the send form shows while typing: characters, encoding, units, parts, room left in the last part. */
export interface SmsCount {
  encoding: SmsEncoding;
  /** Characters as a person counts them (code points). */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units a part holds at this length (160/70 for one part, else 153/67). */
  perSegment: number;
  /** Units left before another part is needed. */
  remaining: number;
}

/** Count a text as it will be sent. */
export function countSegments(text: string): SmsCount {
  const { encoding, parts } = splitSms(text);
  const units = smsUnits(text, encoding);
  const limits = smsLimits[encoding];
  const segments = parts.length;
  const perSegment = segments === 1 ? limits.single : limits.part;
  const lastUnits = segments === 1 ? units : smsUnits(parts[segments - 1] ?? '', encoding);
  return {
    encoding,
    characters: [...text].length,
    units,
    segments,
    perSegment,
    remaining: perSegment - lastUnits,
  };
}

/** Whether an MT's sender is alphanumeric (a name, sent with TON 5) rather than a number. */
export const isAlphanumericSender = (address: string) => /[A-Za-z]/.test(address);

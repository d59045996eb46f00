/** SIM identifiers (PRODUCT.md §3), validated the same way on every input path, server and portal. */
import { z } from 'zod';

/** Luhn check digit of a string of digits. */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * What is wrong with an identifier: the English text, and a stable reason with the values its text
 * needs, which the portal says in the reader's language (`errors.field.<reason>`).
 */
export interface IdProblem {
  message: string;
  reason: string;
  params?: Record<string, string | number>;
}

/** What is wrong with an ICCID, or null when it is valid (19 digits, or 20 with a correct Luhn digit). */
export function iccidIssue(value: string): IdProblem | null {
  if (!/^\d+$/.test(value)) return { message: 'must contain digits only', reason: 'iccid_digits' };
  if (value.length === 19) return null;
  if (value.length === 20) {
    return luhnDigit(value.slice(0, 19)) === Number(value[19])
      ? null
      : { message: 'has a wrong Luhn check digit', reason: 'iccid_luhn' };
  }
  return {
    message: `must have 19 digits (or 20 with the Luhn check digit), not ${value.length}`,
    reason: 'iccid_length',
    params: { length: value.length },
  };
}

/** Why an ICCID is not valid, or null when it is. */
export function iccidProblem(value: string): string | null {
  return iccidIssue(value)?.message ?? null;
}

/** The 19-digit ICCID that is stored, from 19 or 20 valid digits. */
export function canonicalIccid(value: string): string {
  return value.slice(0, 19);
}

/** The 20-digit form with the Luhn check digit appended. */
export function iccidWithLuhn(iccid19: string): string {
  return `${iccid19}${luhnDigit(iccid19)}`;
}

/** An ICCID from a request, normalised to its 19 stored digits. */
export const iccid = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = iccidProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(canonicalIccid)
  // for the OpenAPI document: the check above is code, which JSON Schema does not see
  .meta({
    description: 'ICCID: 19 digits, or 20 with the Luhn check digit last',
    pattern: '^[0-9]{19,20}$',
    example: '8949020123000000002',
  });

/** What is wrong with an IMSI, or null when it is valid. */
export function imsiIssue(value: string): IdProblem | null {
  return /^\d{15}$/.test(value)
    ? null
    : { message: 'must be 15 digits (MCC, MNC and MSIN)', reason: 'imsi_format' };
}
export const imsi = z
  .string()
  .trim()
  .regex(/^\d{15}$/, 'must be 15 digits (MCC, MNC and MSIN)');

/** What is wrong with an MSISDN, or null when it is valid. */
export function msisdnIssue(value: string): IdProblem | null {
  return /^[1-9]\d{5,14}$/.test(value)
    ? null
    : { message: 'must be an E.164 number: 6 to 15 digits, no leading 0 or +', reason: 'msisdn_format' };
}
export const msisdn = z
  .string()
  .trim()
  .transform((v) => v.replace(/^\+/, ''))
  .pipe(z.string().regex(/^[1-9]\d{5,14}$/, 'must be an E.164 number: 6 to 15 digits, no leading 0'));

/** Why an IMEI is not valid: 15 digits with a correct Luhn digit. */
export function imeiProblem(value: string): string | null {
  if (!/^\d{15}$/.test(value)) return 'must be 15 digits';
  return luhnDigit(value.slice(0, 14)) === Number(value[14]) ? null : 'has a wrong Luhn check digit';
}
export const imei = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = imeiProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * The IMEI (14 digits + Luhn) of a device that reported a 3GPP-IMEISV (14 digits + 2-digit SV), or a
 * plain IMEI (14 or 15 digits: gateways differ); null for anything else. The check digit is always
 * computed, never taken from the report.
 */
export function imeiFromImeisv(imeisv: string | undefined): string | null {
  if (!imeisv || !/^\d{14,16}$/.test(imeisv)) return null;
  const body = imeisv.slice(0, 14);
  return `${body}${luhnDigit(body)}`;
}

export const pin = z.string().regex(/^\d{4,8}$/, 'must be 4 to 8 digits');
export const puk = z.string().regex(/^\d{8}$/, 'must be 8 digits');

/** A SIM label: up to 64 characters, counted as code points (an emoji is one; so is each accent of a decomposed letter). */
export const label = z
  .string()
  // surrounding blanks are dropped: a label of spaces alone is no label
  .trim()
  .max(64, 'must be at most 64 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

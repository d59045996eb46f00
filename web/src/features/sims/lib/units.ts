/** Units and checks of the My SIMs tab: bytes as KB/MB/GB (1 MB = 1024 × 1024 bytes), Luhn, country names. */

import { formatBytes, GB, KB, MB } from '@contracts/units.js';

export { formatBytes };

/**
 * The unit a chart of byte values draws in, chosen by its largest value: a week of hourly bars of a
 * few KB each in MB read 0 MB, 0 MB, 0.01 MB on the axis and drew most hours as nothing.
 */
export function chartUnit(largestBytes: number): { size: number; unit: 'KB' | 'MB' | 'GB' } {
  if (largestBytes >= GB) return { size: GB, unit: 'GB' };
  if (largestBytes >= MB) return { size: MB, unit: 'MB' };
  return { size: KB, unit: 'KB' };
}

/** Whether a string of digits ends with a correct Luhn check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Why an entered IMEI is not valid, or null: 15 digits whose last is the Luhn check digit. */
export function imeiProblem(value: string): 'digits' | 'luhn' | null {
  if (!/^\d{15}$/.test(value)) return 'digits';
  return luhnValid(value) ? null : 'luhn';
}

/** The country's name in the locale, falling back to the code. */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The share used of a total, 0..100. */
export function percentUsed(used: number, total: number): number {
  if (total <= 0) return used > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, (used / total) * 100));
}

/** A day as YYYY-MM-DD in local time. */
export function isoDay(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

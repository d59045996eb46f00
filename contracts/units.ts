/** Byte counts as people read them: binary units (1 MB = 1024 × 1024 bytes, PRODUCT.md §3). */

export const KB = 1024;
export const MB = KB * 1024;
export const GB = MB * 1024;

export const TB = GB * 1024;

const units: [number, string][] = [
  [TB, 'TB'],
  [GB, 'GB'],
  [MB, 'MB'],
  [KB, 'KB'],
];

/**
 * Bytes in a sensible binary unit, e.g. "512 KB", "37.5 MB", "1.25 GB". A value that would need four
 * digits moves up a unit ("0.98 MB", not "1,004.7 KB"), so a column of sizes never grows wider than
 * "999.9 MB".
 */
export function formatBytes(bytes: number, locale = 'en'): string {
  const abs = Math.abs(bytes);
  const [size, unit] = units.find(([size]) => abs >= size * (999.95 / 1024)) ?? [1, 'B'];
  const value = bytes / size;
  const digits = unit === 'B' ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${numberFormat(locale, digits).format(value)} ${unit}`;
}

/** Formatters by locale and digits: building one costs far more than formatting (the AAA's Stop events use them). */
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale} ${digits}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
    formats.set(key, f);
  }
  return f;
}

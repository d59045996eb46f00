/** Formatting of dates and times in the user's locale. */
import { useCallback } from 'react';
import { useLanguage } from './i18n.js';

/** Returns a formatter for ISO timestamps (date and time, short), empty input gives a dash. */
export function useFormatDateTime(): (iso: string | null | undefined) => string {
  const { locale } = useLanguage();
  return useCallback(
    (iso) => {
      if (!iso) return '—';
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
    },
    [locale],
  );
}

/** The locale's group and decimal separators, for NumberInput (they must differ). */
export function numberSeparators(locale: string): { thousandSeparator: string; decimalSeparator: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(11111.5);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  return group === decimal
    ? { thousandSeparator: ',', decimalSeparator: '.' }
    : { thousandSeparator: group, decimalSeparator: decimal };
}

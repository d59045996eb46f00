/** Countries offered for addresses: common ISO 3166-1 alpha-2 codes, named in the UI language. */
import { useMemo } from 'react';
import { useLanguage } from './i18n.js';

/** The codes the country select offers; an address with another code keeps it as an extra option. */
export const countryCodes = [
  'DE',
  'AT',
  'CH',
  'LI',
  'LU',
  'FR',
  'NL',
  'BE',
  'IT',
  'ES',
  'PT',
  'IE',
  'GB',
  'PL',
  'CZ',
  'SK',
  'HU',
  'SI',
  'HR',
  'RO',
  'BG',
  'GR',
  'DK',
  'SE',
  'NO',
  'FI',
  'IS',
  'EE',
  'LV',
  'LT',
  'MT',
  'CY',
  'TR',
  'US',
  'CA',
  'MX',
  'BR',
  'AU',
  'NZ',
  'JP',
  'CN',
  'IN',
  'SG',
  'AE',
  'ZA',
] as const;

/** Returns a function naming a country code in the UI language (the code itself if unknown). */
export function useCountryName(): (code: string) => string {
  const { language } = useLanguage();
  return useMemo(() => {
    let names: Intl.DisplayNames | undefined;
    try {
      names = new Intl.DisplayNames([language], { type: 'region' });
    } catch {
      names = undefined;
    }
    return (code: string) => {
      try {
        return names?.of(code) ?? code;
      } catch {
        return code;
      }
    };
  }, [language]);
}

/** Options of the country select, sorted by name; includes `extra` if it is not a known code. */
export function useCountryOptions(extra?: string): { value: string; label: string }[] {
  const countryName = useCountryName();
  const { language } = useLanguage();
  return useMemo(() => {
    const codes: string[] = [...countryCodes];
    if (extra && !codes.includes(extra)) codes.push(extra);
    return codes
      .map((code) => ({ value: code, label: `${countryName(code)} (${code})` }))
      .sort((a, b) => a.label.localeCompare(b.label, language));
  }, [countryName, extra, language]);
}

/** Names and countries of common mobile networks by MCC-MNC, for the SIM's network data. */
export interface NetworkOperator {
  mccMnc: string;
  name: string;
  country: string;
}

export const operators: NetworkOperator[] = [
  { mccMnc: '26201', name: 'Telekom Deutschland', country: 'DE' },
  { mccMnc: '26202', name: 'Vodafone Germany', country: 'DE' },
  { mccMnc: '26203', name: 'Telefónica Germany', country: 'DE' },
  { mccMnc: '23201', name: 'A1 Telekom Austria', country: 'AT' },
  { mccMnc: '23203', name: 'Magenta Telekom', country: 'AT' },
  { mccMnc: '22801', name: 'Swisscom', country: 'CH' },
  { mccMnc: '20801', name: 'Orange France', country: 'FR' },
  { mccMnc: '20810', name: 'SFR', country: 'FR' },
  { mccMnc: '20404', name: 'Vodafone Netherlands', country: 'NL' },
  { mccMnc: '20416', name: 'Odido', country: 'NL' },
  { mccMnc: '23415', name: 'Vodafone UK', country: 'GB' },
  { mccMnc: '23410', name: 'O2 UK', country: 'GB' },
  { mccMnc: '21407', name: 'Movistar', country: 'ES' },
  { mccMnc: '22201', name: 'TIM', country: 'IT' },
  { mccMnc: '26002', name: 'T-Mobile Polska', country: 'PL' },
  { mccMnc: '24001', name: 'Telia Sweden', country: 'SE' },
  { mccMnc: '310410', name: 'AT&T Mobility', country: 'US' },
  { mccMnc: '310260', name: 'T-Mobile US', country: 'US' },
];

const byCode = new Map(operators.map((o) => [o.mccMnc, o]));

/** The operator of an MCC-MNC, or null when it is not a known one. */
export function operatorOf(mccMnc: string): NetworkOperator | null {
  return byCode.get(mccMnc) ?? null;
}

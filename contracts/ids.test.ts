import { describe, expect, it } from 'vitest';
import { iccidProblem, iccidWithLuhn, imeiFromImeisv, imeiProblem, luhnDigit } from './ids.js';

describe('identifiers', () => {
  it('when a number is checked with Luhn, then the known check digits come out', () => {
    expect(luhnDigit('7992739871')).toBe(3);
    expect(luhnDigit('49015420323751')).toBe(8); // IMEI 490154203237518
  });

  it('when an ICCID has 19 digits, then it is valid; with 20 the last must be its Luhn digit', () => {
    const base = '8949000000000000001';
    expect(iccidProblem(base)).toBeNull();
    expect(iccidProblem(iccidWithLuhn(base))).toBeNull();
    const wrong = `${base}${(luhnDigit(base) + 1) % 10}`;
    expect(iccidProblem(wrong)).toMatch(/Luhn/);
    expect(iccidProblem('894900000000000001')).toMatch(/19 digits/);
    expect(iccidProblem('89490000000000000a1')).toMatch(/digits only/);
  });

  it('when an IMEI is checked, then its Luhn digit matters; an IMEISV or a plain IMEI gives the IMEI', () => {
    expect(imeiProblem('490154203237518')).toBeNull();
    expect(imeiProblem('490154203237519')).toMatch(/Luhn/);
    expect(imeiProblem('49015420323751')).toMatch(/15 digits/);
    expect(imeiFromImeisv('4901542032375101')).toBe('490154203237518');
    // a plain IMEI, with or without its check digit, gives the same IMEI; the reported check digit is not trusted
    expect(imeiFromImeisv('49015420323751')).toBe('490154203237518');
    expect(imeiFromImeisv('490154203237510')).toBe('490154203237518');
    for (const bad of [undefined, '', '4901542032375', '49015420323751011', '490154203237a101'])
      expect(imeiFromImeisv(bad)).toBeNull();
  });
});

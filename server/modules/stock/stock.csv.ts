/** Parses and validates a SIM stock CSV: every line checked, every problem reported with its line. */
import { iccidProblem, imsiProblem, msisdnProblem } from '../../../contracts/ids.js';

export interface StockLine {
  /** The line of the file (1 is the header), for the error report. */
  line: number;
  iccid: string;
  imsi: string;
  msisdn: string;
  pin1: string | null;
  puk1: string | null;
  pin2: string | null;
  puk2: string | null;
  formFactor: string;
}

export interface LineError {
  line: number;
  field: string;
  message: string;
}

const columns = ['iccid', 'imsi', 'msisdn', 'pin1', 'puk1', 'pin2', 'puk2', 'form_factor'] as const;
const formFactors = new Set(['2FF', '3FF', '4FF', 'MFF2', 'eSIM']);
/** The form factors by their upper-case spelling: `esim` or `mff2` in a supplier's file are accepted. */
const formFactorByUpper = new Map([...formFactors].map((f) => [f.toUpperCase(), f]));

/**
 * Parse the CSV text (`,` or `;` separated, header line first): the good lines, and every error found
 * in the others (a file with errors is imported by nobody; its good lines are still checked against
 * the stock, so that one upload reports every problem).
 */
export function parseStockCsv(text: string): { lines: StockLine[]; errors: LineError[] } {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = rows[0]?.trim() ?? '';
  const sep = header.includes(';') ? ';' : ',';
  const names = header.split(sep).map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
  const errors: LineError[] = [];
  const missing = columns.filter(
    (c) => !names.includes(c) && ['iccid', 'imsi', 'msisdn', 'form_factor'].includes(c),
  );
  if (missing.length) {
    return {
      lines: [],
      errors: [
        {
          line: 1,
          field: 'header',
          message: `missing column(s) ${missing.join(', ')}; expected ${columns.join(sep)}`,
        },
      ],
    };
  }
  const at = (cells: string[], name: string) => (cells[names.indexOf(name)] ?? '').trim();
  const lines: StockLine[] = [];
  const seen = {
    iccid: new Map<string, number>(),
    imsi: new Map<string, number>(),
    msisdn: new Map<string, number>(),
  };
  for (let i = 1; i < rows.length; i++) {
    const raw = rows[i] ?? '';
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = raw.split(sep);
    if (cells.length !== names.length) {
      errors.push({
        line: lineNo,
        field: 'line',
        message: `has ${cells.length} fields, the header has ${names.length}`,
      });
      continue;
    }
    const iccidRaw = at(cells, 'iccid');
    const rec: StockLine = {
      line: lineNo,
      iccid: iccidRaw.slice(0, 19),
      imsi: at(cells, 'imsi'),
      msisdn: at(cells, 'msisdn').replace(/^\+/, ''),
      pin1: at(cells, 'pin1') || null,
      puk1: at(cells, 'puk1') || null,
      pin2: at(cells, 'pin2') || null,
      puk2: at(cells, 'puk2') || null,
      formFactor: formFactorByUpper.get(at(cells, 'form_factor').toUpperCase()) ?? at(cells, 'form_factor'),
    };
    const problems: [string, string | null][] = [
      ['iccid', iccidProblem(iccidRaw)],
      ['imsi', imsiProblem(rec.imsi)],
      ['msisdn', msisdnProblem(rec.msisdn)],
      ['pin1', rec.pin1 && !/^\d{4,8}$/.test(rec.pin1) ? 'must be 4 to 8 digits' : null],
      ['puk1', rec.puk1 && !/^\d{8}$/.test(rec.puk1) ? 'must be 8 digits' : null],
      ['pin2', rec.pin2 && !/^\d{4,8}$/.test(rec.pin2) ? 'must be 4 to 8 digits' : null],
      ['puk2', rec.puk2 && !/^\d{8}$/.test(rec.puk2) ? 'must be 8 digits' : null],
      [
        'form_factor',
        formFactors.has(rec.formFactor) ? null : `must be one of ${[...formFactors].join(', ')}`,
      ],
    ];
    let ok = true;
    for (const [field, message] of problems) {
      if (message) {
        errors.push({ line: lineNo, field, message });
        ok = false;
      }
    }
    for (const key of ['iccid', 'imsi', 'msisdn'] as const) {
      const first = seen[key].get(rec[key]);
      if (first !== undefined) {
        errors.push({ line: lineNo, field: key, message: `duplicates line ${first} of this file` });
        ok = false;
      } else seen[key].set(rec[key], lineNo);
    }
    if (ok) lines.push(rec);
  }
  if (lines.length === 0 && errors.length === 0)
    errors.push({ line: 1, field: 'file', message: 'contains no SIMs' });
  return { lines, errors };
}

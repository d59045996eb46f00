/** Parses and validates a SIM stock CSV: every line checked, every problem reported with its line. */
import { type IdProblem, iccidIssue, imsiIssue, msisdnIssue } from '../../../contracts/ids.js';
import type { FieldError } from '../../lib/errors.js';

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

/** A refused line of the file: its number, the column, and what is wrong (with its reason, as FieldError). */
export type LineError = FieldError & { line: number };

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
          reason: 'csv_missing_columns',
          params: { columns: missing.join(', '), expected: columns.join(sep) },
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
        reason: 'csv_field_count',
        params: { count: cells.length, header: names.length },
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
    const pinProblem = (v: string | null): IdProblem | null =>
      v && !/^\d{4,8}$/.test(v)
        ? { message: 'must be 4 to 8 digits', reason: 'digits_between', params: { min: 4, max: 8 } }
        : null;
    const pukProblem = (v: string | null): IdProblem | null =>
      v && !/^\d{8}$/.test(v)
        ? { message: 'must be 8 digits', reason: 'digits_exactly', params: { count: 8 } }
        : null;
    const allowed = [...formFactors].join(', ');
    const problems: [string, IdProblem | null][] = [
      ['iccid', iccidIssue(iccidRaw)],
      ['imsi', imsiIssue(rec.imsi)],
      ['msisdn', msisdnIssue(rec.msisdn)],
      ['pin1', pinProblem(rec.pin1)],
      ['puk1', pukProblem(rec.puk1)],
      ['pin2', pinProblem(rec.pin2)],
      ['puk2', pukProblem(rec.puk2)],
      [
        'form_factor',
        formFactors.has(rec.formFactor)
          ? null
          : { message: `must be one of ${allowed}`, reason: 'one_of', params: { allowed } },
      ],
    ];
    let ok = true;
    for (const [field, problem] of problems) {
      if (problem) {
        errors.push({ line: lineNo, field, ...problem });
        ok = false;
      }
    }
    for (const key of ['iccid', 'imsi', 'msisdn'] as const) {
      const first = seen[key].get(rec[key]);
      if (first !== undefined) {
        errors.push({
          line: lineNo,
          field: key,
          message: `duplicates line ${first} of this file`,
          reason: 'duplicates_line',
          params: { line: first },
        });
        ok = false;
      } else seen[key].set(rec[key], lineNo);
    }
    if (ok) lines.push(rec);
  }
  if (lines.length === 0 && errors.length === 0)
    errors.push({ line: 1, field: 'file', message: 'contains no SIMs', reason: 'file_no_sims' });
  return { lines, errors };
}

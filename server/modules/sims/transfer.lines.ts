/**
 * The lines of a SIM transfer, from one ICCID, a list of ranges or a CSV/TXT file of
 * `ICCID_START;ICCID_END` lines: each checked on its own (format, order, same length and issuer
 * prefix) and against the others (duplicates, overlaps). The database checks ownership afterwards.
 */
import { canonicalIccid, iccidIssue } from '../../../contracts/ids.js';
import type { FieldError } from '../../lib/errors.js';

export interface TransferLine {
  /** Line of the file, position in the list of ranges (from 1), or 1 for a single ICCID. */
  line: number;
  /** 19-digit ICCIDs, start ≤ end. */
  start: string;
  end: string;
}

/** Digits a range's ends must share: 89, country code and issuer identifier. */
export const issuerPrefixLength = 7;

/** Check one range as typed; returns the canonical line or the problems found. */
function checkRange(
  line: number,
  rawStart: string,
  rawEnd: string,
  errors: FieldError[],
): TransferLine | null {
  const before = errors.length;
  // the reason says what is wrong; the English message also names the value
  const check = (field: 'start' | 'end', raw: string) => {
    const problem = iccidIssue(raw);
    if (problem) errors.push({ line, field, ...problem, message: `${raw || '(empty)'} ${problem.message}` });
  };
  check('start', rawStart);
  if (rawEnd !== rawStart) check('end', rawEnd);
  if (errors.length > before) return null;
  if (rawStart.length !== rawEnd.length) {
    errors.push({
      line,
      field: 'end',
      message: `has ${rawEnd.length} digits but the start has ${rawStart.length}: write both ends the same way`,
      reason: 'range_ends_differ_in_length',
      params: { start: rawStart.length, end: rawEnd.length },
    });
    return null;
  }
  const start = canonicalIccid(rawStart);
  const end = canonicalIccid(rawEnd);
  if (start.slice(0, issuerPrefixLength) !== end.slice(0, issuerPrefixLength)) {
    errors.push({
      line,
      field: 'end',
      message: `must have the same issuer prefix as the start (${start.slice(0, issuerPrefixLength)}), not ${end.slice(0, issuerPrefixLength)}`,
      reason: 'range_issuer_differs',
      params: { start: start.slice(0, issuerPrefixLength), end: end.slice(0, issuerPrefixLength) },
    });
    return null;
  }
  if (start > end) {
    errors.push({
      line,
      field: 'end',
      message: `${end} is before the start ${start}: write the lower ICCID first`,
      reason: 'range_reversed',
      params: { start, end },
    });
    return null;
  }
  return { line, start, end };
}

/** Parse the text of an uploaded file: `;` (or `,` or tab) separated, an optional header line, blank lines skipped. */
export function parseTransferFile(text: string): { lines: TransferLine[]; errors: FieldError[] } {
  const rows = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const lines: TransferLine[] = [];
  const errors: FieldError[] = [];
  let seenContent = false;
  rows.forEach((raw, i) => {
    const line = i + 1;
    const row = raw.trim();
    if (row === '') return;
    const first = !seenContent;
    seenContent = true;
    // A header such as "ICCID_START;ICCID_END" on the first line is allowed.
    if (first && /^[a-z_ ]+([;,\t][a-z_ ]+)*$/i.test(row)) return;
    const cells = row.split(/[;,\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (cells.length > 2) {
      errors.push({
        line,
        field: 'line',
        message: `has ${cells.length} fields; write ICCID_START;ICCID_END`,
        reason: 'transfer_line_fields',
        params: { count: cells.length },
      });
      return;
    }
    const checked = checkRange(line, cells[0] ?? '', cells[1] ?? cells[0] ?? '', errors);
    if (checked) lines.push(checked);
  });
  if (lines.length === 0 && errors.length === 0) {
    errors.push({ line: 1, field: 'file', message: 'has no ICCID lines', reason: 'file_no_iccids' });
  }
  return { lines, errors };
}

/** Check ranges given as a list (line = position from 1). */
export function checkRanges(ranges: { start: string; end: string }[]) {
  const lines: TransferLine[] = [];
  const errors: FieldError[] = [];
  ranges.forEach((r, i) => {
    const checked = checkRange(i + 1, r.start, r.end, errors);
    if (checked) lines.push(checked);
  });
  return { lines, errors };
}

/** Duplicates and overlaps between lines: each later line that touches an earlier one is reported. */
export function overlapErrors(lines: TransferLine[]): FieldError[] {
  const sorted = [...lines].sort((a, b) =>
    a.start < b.start ? -1 : a.start > b.start ? 1 : a.line - b.line,
  );
  const errors: FieldError[] = [];
  // The line reaching furthest so far: any later-starting range that begins before its end overlaps it.
  let reach: TransferLine | undefined;
  for (const l of sorted) {
    if (reach && l.start <= reach.end) {
      const [earlier, later] = reach.line < l.line ? [reach, l] : [l, reach];
      const same = earlier.start === later.start && earlier.end === later.end;
      errors.push({
        line: later.line,
        field: 'range',
        ...(same
          ? {
              message: `repeats line ${earlier.line}`,
              reason: 'repeats_line',
              params: { line: earlier.line },
            }
          : {
              message: `overlaps line ${earlier.line} (${earlier.start}–${earlier.end})`,
              reason: 'overlaps_line',
              params: { line: earlier.line, start: earlier.start, end: earlier.end },
            }),
      });
    }
    if (!reach || l.end > reach.end) reach = l;
  }
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

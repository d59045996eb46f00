/** Streams the SIM list (all that match a filter) as CSV or Excel, PIN/PUK included, in constant memory. */
import { Readable } from 'node:stream';
import { iccidWithLuhn } from '../../../contracts/ids.js';
import type { SimFilter } from '../../../contracts/sims.js';
import type { AppContext } from '../../context.js';
import { type XlsxCell, xlsxStream } from '../../lib/xlsx-stream.js';
import { type SimRow, simsAfter } from './sims.repository.js';

const MB = 1024 * 1024;
/**
 * SIMs read per query. Small enough that a batch in flight is garbage before V8's next scavenge
 * (the export of a million SIMs must grow the server's memory by < 200 MB), large enough that the
 * round trips do not dominate.
 */
export const exportBatchSize = 1000;

const columns: [string, (s: SimRow) => XlsxCell][] = [
  ['ICCID', (s) => s.iccid],
  ['ICCID with Luhn', (s) => iccidWithLuhn(s.iccid)],
  ['IMSI', (s) => s.imsi],
  ['MSISDN', (s) => s.msisdn],
  ['Status', (s) => s.status],
  ['Session', (s) => s.sessionState],
  ['Label', (s) => s.label],
  ['IMEI', (s) => s.imei],
  ['IMEI lock', (s) => s.imeiLock],
  ['Locked IMEI', (s) => s.lockedImei],
  ['IP address', (s) => s.ipAddress],
  ['Data used (MB)', (s) => Math.round((s.dataUsed / MB) * 100) / 100],
  ['Data total (MB)', (s) => Math.round((s.dataTotal / MB) * 100) / 100],
  ['SMS used', (s) => s.smsUsed],
  ['SMS total', (s) => s.smsTotal],
  ['End of lifetime', (s) => s.endOfLife?.toISOString() ?? null],
  ['Auto top-up', (s) => s.autoTopUp],
  ['Form factor', (s) => s.formFactor],
  ['PIN1', (s) => s.pin1],
  ['PUK1', (s) => s.puk1],
  ['PIN2', (s) => s.pin2],
  ['PUK2', (s) => s.puk2],
];

/** Every SIM that matches the filter, in ICCID order, fetched in batches by keyset. */
async function* matching(ctx: AppContext, orgId: string, filter: SimFilter): AsyncGenerator<SimRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await simsAfter(ctx.db, orgId, filter, after, exportBatchSize);
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)?.iccid ?? null;
    if (rows.length < exportBatchSize) return;
  }
}

/** A CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",;\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The CSV export as a stream. */
export function exportCsv(ctx: AppContext, orgId: string, filter: SimFilter): Readable {
  async function* lines() {
    yield `\uFEFF${columns.map(([h]) => h).join(',')}\r\n`;
    for await (const rows of matching(ctx, orgId, filter)) {
      yield `${rows.map((s) => columns.map(([, f]) => csvCell(f(s))).join(',')).join('\r\n')}\r\n`;
    }
  }
  return Readable.from(lines());
}

/**
 * The Excel export as a stream: the database is read a batch at a time, only as fast as the client takes
 * the workbook (our own writer; ExcelJS's streaming writer ignores backpressure and buffers everything).
 */
export function exportXlsx(ctx: AppContext, orgId: string, filter: SimFilter): Readable {
  async function* rows() {
    for await (const batch of matching(ctx, orgId, filter))
      yield batch.map((s) => columns.map(([, f]) => f(s)));
  }
  const widths = columns.map(([header]) => ({ header, width: Math.max(12, header.length + 2) }));
  return xlsxStream('SIMs', widths, rows());
}

/**
 * A one-sheet .xlsx workbook written as a stream that honours backpressure: the rows come from an async
 * iterable that is only pulled as fast as the reader of the returned stream takes bytes. ExcelJS's
 * streaming writer buffers committed rows without bound (exceljs#734), so a slow client made the whole
 * workbook pile up in memory.
 *
 * Zip: yazl — one small dependency, pipe()s each entry's stream into its output (so a slow reader stalls
 * our row source) and switches to ZIP64 by itself past 4 GiB; archiver would bring glob, tar and async along.
 */
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/** A cell: text, a number, a boolean, or empty. */
export type XlsxCell = string | number | boolean | null;

/** A column: its header (written in bold, frozen above the rows) and its width in characters. */
export interface XlsxColumn {
  header: string;
  width: number;
}

const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const pkg = 'http://schemas.openxmlformats.org/package/2006/relationships';
const ooxml = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const contentTypes = `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${ooxml}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${ooxml}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="${ooxml}.styles+xml"/></Types>`;
const rootRels = `${head}<Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const workbookRels = `${head}<Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/styles" Target="styles.xml"/></Relationships>`;
const font = (bold: boolean) =>
  `<font>${bold ? '<b/>' : ''}<sz val="11"/><name val="Calibri"/><family val="2"/></font>`;
// Cell styles: 0 plain, 1 bold header, 2 text that starts like a formula, marked quotePrefix so that even
// editing the cell in Excel keeps it text (the counterpart of the CSV export's leading apostrophe).
const styles = `${head}<styleSheet xmlns="${main}"><fonts count="2">${font(false)}${font(true)}</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

// Characters XML 1.0 forbids (controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF) are dropped.
const illegal = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#13;',
};

/**
 * Text as XML character data: illegal characters dropped, markup escaped, CR kept as a reference (a raw CR
 * would be read back as LF), and a literal `_xHHHH_` escaped as `_x005F_xHHHH_` because Excel decodes it.
 */
export function xmlText(s: string): string {
  return s
    .replace(illegal, '')
    .replace(/[&<>"\r]/g, (c) => entities[c] ?? c)
    .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}

/** The column letters of a zero-based column index: 0 → A, 25 → Z, 26 → AA. */
function letters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** One cell's XML; an empty cell is left out. Text is always an inline string, never a formula. */
function cellXml(ref: string, v: XlsxCell, bold: boolean): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
  if (typeof v === 'number' && Number.isFinite(v)) return `<c r="${ref}"><v>${v}</v></c>`;
  const text = xmlText(String(v));
  if (text === '') return '';
  const style = bold ? ' s="1"' : /^[=+\-@]/.test(text) ? ' s="2"' : '';
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${style} t="inlineStr"><is><t${space}>${text}</t></is></c>`;
}

/** One row's XML (r is one-based). */
function rowXml(refs: string[], r: number, cells: XlsxCell[], bold = false): string {
  return `<row r="${r}">${cells.map((v, i) => cellXml(`${refs[i] ?? letters(i)}${r}`, v, bold)).join('')}</row>`;
}

/** The worksheet XML, produced as rows arrive, in chunks of about 64 KB. */
async function* sheetXml(
  columns: XlsxColumn[],
  batches: AsyncIterable<XlsxCell[][]>,
): AsyncGenerator<string> {
  const refs = columns.map((_, i) => letters(i));
  const cols = columns
    .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`)
    .join('');
  const pane = '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>';
  const header = rowXml(
    refs,
    1,
    columns.map((c) => c.header),
    true,
  );
  let chunk = `${head}<worksheet xmlns="${main}" xmlns:r="${rel}"><sheetViews><sheetView workbookViewId="0">${pane}</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${header}`;
  let r = 1;
  for await (const rows of batches) {
    for (const cells of rows) {
      r++;
      chunk += rowXml(refs, r, cells);
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
  }
  yield `${chunk}</sheetData></worksheet>`;
}

/**
 * Stream a workbook of one sheet: a bold, frozen header row, then one row per array of cells, pulled from
 * `batches` only as fast as the returned stream is read. Destroying the returned stream stops the source.
 */
export function xlsxStream(
  sheetName: string,
  columns: XlsxColumn[],
  batches: AsyncIterable<XlsxCell[][]>,
): Readable {
  if (!/^[^[\]:*?/\\]{1,31}$/.test(sheetName)) throw new Error(`invalid sheet name: ${sheetName}`);
  const zip = new ZipFile();
  const out = zip.outputStream;
  if (!(out instanceof Readable)) throw new Error('yazl output is not a Node.js Readable');
  const sheet = Readable.from(sheetXml(columns, batches));
  const fail = (err: Error) => out.destroy(err);
  sheet.on('error', fail);
  zip.on('error', fail);
  out.on('close', () => sheet.destroy());
  const part = (text: string, path: string) => zip.addBuffer(Buffer.from(text, 'utf8'), path);
  part(contentTypes, '[Content_Types].xml');
  part(rootRels, '_rels/.rels');
  part(
    `${head}<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/workbook.xml',
  );
  part(workbookRels, 'xl/_rels/workbook.xml.rels');
  part(styles, 'xl/styles.xml');
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml');
  zip.end();
  return out;
}

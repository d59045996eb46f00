import { type Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { iccidWithLuhn } from '../../../contracts/ids.js';
import { sims } from '../../db/schema/index.js';
import { xmlText } from '../../lib/xlsx-stream.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { insertOrganisation } from '../orgs/orgs.repository.js';
import { exportBatchSize, exportCsv, exportXlsx } from './export.service.js';
import * as repository from './sims.repository.js';

const MB = 1024 * 1024;
const headers = [
  'ICCID',
  'ICCID with Luhn',
  'IMSI',
  'MSISDN',
  'Status',
  'Session',
  'Label',
  'IMEI',
  'IMEI lock',
  'Locked IMEI',
  'IP address',
  'Data used (MB)',
  'Data total (MB)',
  'SMS used',
  'SMS total',
  'End of lifetime',
  'Auto top-up',
  'Form factor',
  'PIN1',
  'PUK1',
  'PIN2',
  'PUK2',
];

let h: Harness;
let small: string;
let big: string;
const bigFleet = 20_000;

const org = (accountNumber: string) =>
  insertOrganisation(h.ctx.db, {
    kind: 'customer',
    accountNumber,
    name: accountNumber,
    billingCountry: 'DE',
  });

beforeAll(async () => {
  h = await createHarness();
  small = (await org('8100070001')).id;
  big = (await org('8100070002')).id;
  await seedFleet(h.ctx, small, 3, 6, '10.70.0.0/24');
  const set = (n: number, v: Partial<typeof sims.$inferInsert>) =>
    h.ctx.db
      .update(sims)
      .set(v)
      .where(eq(sims.iccid, fixtureIds(3, n).iccid));
  await set(1, {
    label: `<b>Tom & "Jerry's"</b>`,
    imei: '490154203237518',
    imeiLock: true,
    lockedImei: '490154203237518',
  });
  await set(2, { label: '=HYPERLINK("https://evil.example","click")', dataUsed: 1.5 * MB, smsUsed: 7 });
  await set(3, { label: 'Zähler 東京 🚀', autoTopUp: true, endOfLife: new Date('2031-03-01T00:00:00Z') });
  await set(4, { label: 'ctl\u0001\u0008\u000b\u001f gone, tab\tand\r\nnewline kept' });
  await set(5, { label: '  padded  ' });
  await set(6, { label: '+1-555 @home' });
  await seedFleet(h.ctx, big, 4, bigFleet, '10.72.0.0/16');
}, 600_000);
afterAll(() => h.close());
afterEach(() => vi.restoreAllMocks());

/** Every cell of a row, 1..22, with empty cells as null. */
const cells = (row: ExcelJS.Row) => headers.map((_, i) => row.getCell(i + 1).value ?? null);

async function workbook(stream: Readable) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buffer(stream)) as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('SIMs');
  if (!sheet) throw new Error('no sheet SIMs');
  return sheet;
}

describe('Excel export', () => {
  it('when text goes into the sheet, then markup is escaped, XML-illegal characters dropped and Excel escapes kept literal', () => {
    expect(xmlText(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;'&lt;/a&gt;");
    expect(xmlText('a\u0000b\u0007c\u001fd\uffffe\ud800f\tg\nh')).toBe('abcdef\tg\nh');
    expect(xmlText('CR\r\nLF 🚀')).toBe('CR&#13;\nLF 🚀');
    // Excel reads _xHHHH_ as an escaped character; ExcelJS's reader does not decode it in inline strings.
    expect(xmlText('raw _x0041_ and _X0041_')).toBe('raw _x005F_x0041_ and _X0041_');
  });

  it('when exported, then the workbook has the header and exactly the matching SIMs, values typed and text verbatim', async () => {
    const sheet = await workbook(exportXlsx(h.ctx, small, {}));
    expect(sheet.rowCount).toBe(7);
    expect(cells(sheet.getRow(1))).toEqual(headers);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(1).width).toBe(12);
    expect(sheet.getColumn(2).width).toBe('ICCID with Luhn'.length + 2);

    const rows = await repository.simsAfter(h.ctx.db, small, {}, null, 100);
    const [one, two, three] = rows;
    if (!one || !two || !three) throw new Error('fleet not seeded');
    expect(cells(sheet.getRow(2))).toEqual([
      one.iccid,
      iccidWithLuhn(one.iccid),
      one.imsi,
      one.msisdn,
      one.status,
      one.sessionState,
      `<b>Tom & "Jerry's"</b>`,
      '490154203237518',
      true,
      '490154203237518',
      one.ipAddress,
      0,
      500,
      0,
      250,
      one.endOfLife?.toISOString() ?? null,
      false,
      '4FF',
      '1234',
      '12345678',
      '4321',
      '87654321',
    ]);
    expect(one.ipAddress).toMatch(/^10\.70\.0\./);
    const second = cells(sheet.getRow(3));
    expect(second.slice(6, 8)).toEqual(['=HYPERLINK("https://evil.example","click")', null]);
    expect(second.slice(11, 15)).toEqual([1.5, 500, 7, 250]);
    expect(sheet.getRow(3).getCell(7).type).toBe(ExcelJS.ValueType.String);
    expect(cells(sheet.getRow(4)).slice(15, 17)).toEqual([three.endOfLife?.toISOString(), true]);
    expect(three.endOfLife?.toISOString()).toBe('2031-03-01T00:00:00.000Z');
    expect(sheet.getRow(4).getCell(7).value).toBe('Zähler 東京 🚀');
    expect(sheet.getRow(5).getCell(7).value).toBe('ctl gone, tab\tand\r\nnewline kept');
    expect(sheet.getRow(6).getCell(7).value).toBe('  padded  ');
    expect(sheet.getRow(7).getCell(7).value).toBe('+1-555 @home');
    expect(sheet.getRow(7).getCell(7).type).toBe(ExcelJS.ValueType.String);
  });

  it('when the filter matches nothing, then the workbook holds the header alone', async () => {
    const sheet = await workbook(exportXlsx(h.ctx, small, { q: 'no-such-sim' }));
    expect(sheet.rowCount).toBe(1);
    expect(cells(sheet.getRow(1))).toEqual(headers);
  });
});

/** Count the batches the export fetches; wait until it has none in flight and asks for no more. */
function countBatches() {
  const original = repository.simsAfter;
  let started = 0;
  let finished = 0;
  vi.spyOn(repository, 'simsAfter').mockImplementation(async (...args) => {
    started++;
    try {
      return await original(...args);
    } finally {
      finished++;
    }
  });
  return {
    get count() {
      return started;
    },
    /** Resolves once no batch is in flight and none was started for 500 ms. */
    async idle() {
      for (;;) {
        const seen = started;
        await new Promise((r) => setTimeout(r, 500));
        if (started === seen && finished === started) return started;
      }
    },
  };
}

/** A client that takes one chunk and then stalls until let go; then it reads everything. */
function slowClient(stream: Readable) {
  const chunks: Buffer[] = [];
  let stalled: (() => void) | null = null;
  let gate = true;
  const done = new Promise<Buffer>((resolve, reject) => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        if (gate) stalled = callback;
        else callback();
      },
    });
    sink.on('finish', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.pipe(sink);
  });
  return {
    readAll() {
      gate = false;
      stalled?.();
      return done;
    },
  };
}

describe.each([
  ['Excel', exportXlsx],
  ['CSV', exportCsv],
])('%s export backpressure', (_, exporter) => {
  it.each([
    ['does not read', (s: Readable) => ({ readAll: () => buffer(s) })],
    ['stalls after the first chunk', slowClient],
  ])(
    'when the client %s, then at most two batches are fetched; reading then yields every SIM',
    async (_, client) => {
      const batches = countBatches();
      const reader = client(exporter(h.ctx, big, {}));
      expect(await batches.idle()).toBeLessThanOrEqual(2);
      const body = await reader.readAll();
      expect(batches.count).toBe(bigFleet / exportBatchSize + 1);
      if (exporter === exportXlsx) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(body as unknown as ArrayBuffer);
        const sheet = wb.getWorksheet('SIMs');
        expect(sheet?.rowCount).toBe(bigFleet + 1);
        expect(sheet?.getRow(bigFleet + 1).getCell(1).value).toBe(fixtureIds(4, bigFleet).iccid);
      } else {
        expect(body.toString('utf8').trim().split('\r\n')).toHaveLength(bigFleet + 1);
      }
    },
    120_000,
  );
});

describe('Excel export, interrupted', () => {
  it('when the client goes away mid-download, then the export stops fetching batches', async () => {
    const batches = countBatches();
    const stream = exportXlsx(h.ctx, big, {});
    await new Promise((resolve) => stream.once('data', resolve));
    stream.destroy();
    expect(await batches.idle()).toBeLessThanOrEqual(2);
    expect(stream.destroyed).toBe(true);
  });

  it('when the database fails mid-export, then the download fails instead of ending as a short workbook', async () => {
    const original = repository.simsAfter;
    vi.spyOn(repository, 'simsAfter')
      .mockImplementationOnce(original)
      .mockRejectedValueOnce(new Error('database went away'));
    await expect(buffer(exportXlsx(h.ctx, big, {}))).rejects.toThrow('database went away');
  });
});

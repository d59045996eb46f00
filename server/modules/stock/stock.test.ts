import { count, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iccidWithLuhn } from '../../../contracts/ids.js';
import { sims } from '../../db/schema/index.js';
import { renderFieldError } from '../../test/error-text.js';
import { fixtureIds, stockCsv } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

let h: Harness;
let operator: Session;
let owner: Session;
let demoId: string;

beforeAll(async () => {
  h = await createHarness();
  const { demoOrgId } = await seedFixtures(h.ctx);
  operator = await signIn(h.app, 'operator@provider.example');
  owner = await signIn(h.app, 'owner@demo.example');
  demoId = demoOrgId;
});
afterAll(() => h.close());

const upload = (csv: string, who = operator) =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/operator/stock/import',
    headers: { ...as(who), 'content-type': 'text/csv' },
    payload: csv,
  });
const stockCount = async () =>
  (await h.ctx.db.select({ n: count() }).from(sims).where(isNull(sims.orgId)))[0]?.n ?? 0;

describe('stock import', () => {
  it('when a valid file is uploaded, then every SIM is in stock and customers cannot see them', async () => {
    const res = await upload(stockCsv(3, 20));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ imported: 20 });
    expect(await stockCount()).toBe(20);
    const list = await h.app.inject({ method: 'GET', url: '/api/v1/sims', headers: as(owner) });
    expect(list.json().total).toBe(0);
    const summary = await h.app.inject({
      method: 'GET',
      url: '/api/v1/operator/stock',
      headers: as(operator),
    });
    expect(summary.json()).toMatchObject({
      total: 20,
      ranges: [{ first: fixtureIds(3, 1).iccid, last: fixtureIds(3, 20).iccid, count: 20 }],
    });
  });

  it('when a form factor is written in another case, then it is stored in its canonical spelling', async () => {
    const csv = stockCsv(6, 2).replace(/,4FF$/m, ',esim').replace(/,4FF$/m, ',mff2');
    expect(csv).toContain(',esim');
    const res = await upload(csv);
    expect(res.statusCode, res.body).toBe(201);
    const rows = await h.ctx.db
      .select({ formFactor: sims.formFactor })
      .from(sims)
      .where(inArray(sims.iccid, [fixtureIds(6, 1).iccid, fixtureIds(6, 2).iccid]));
    expect(rows.map((r) => r.formFactor).sort()).toEqual(['MFF2', 'eSIM']);
    // out of the stock again: the tests below count it
    await h.ctx.db.delete(sims).where(inArray(sims.iccid, [fixtureIds(6, 1).iccid, fixtureIds(6, 2).iccid]));
  });

  it('when one line is bad, then nothing is imported and that line is reported', async () => {
    const lines = stockCsv(4, 5).split('\n');
    lines[3] = lines[3]?.replace(/^(\d{19})/, '12345') ?? '';
    const res = await upload(lines.join('\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      {
        line: 4,
        field: 'iccid',
        message: expect.stringMatching(/19 digits/),
        reason: 'iccid_length',
        params: { length: 5 },
      },
    ]);
    expect(renderFieldError('de', res.json().errors[0])).toBe(
      'Eine ICCID hat 19 Ziffern, mit Luhn-Prüfziffer 20; diese hat 5.',
    );
    expect(await stockCount()).toBe(20);
  });

  it('when an ICCID has a wrong Luhn digit, an IMSI is short, or a line repeats, then each is reported with its line', async () => {
    const ids = [fixtureIds(5, 1), fixtureIds(5, 2)];
    const bad = `${ids[0]?.iccid}${(Number(iccidWithLuhn(ids[0]?.iccid ?? '').at(-1)) + 1) % 10}`;
    const csv = [
      'iccid;imsi;msisdn;pin1;puk1;pin2;puk2;form_factor',
      `${bad};${ids[0]?.imsi};${ids[0]?.msisdn};1234;12345678;1234;12345678;4FF`,
      `${ids[1]?.iccid};26201;${ids[1]?.msisdn};1234;12345678;1234;12345678;4FF`,
      `${ids[1]?.iccid};${ids[1]?.imsi};${ids[1]?.msisdn};1234;12345678;1234;12345678;9FF`,
    ].join('\n');
    const res = await upload(csv);
    expect(res.statusCode).toBe(400);
    const errors = res
      .json()
      .errors.map((e: { line: number; field: string; reason: string }) => `${e.line}:${e.field}:${e.reason}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        '2:iccid:iccid_luhn',
        '3:imsi:imsi_format',
        '4:iccid:duplicates_line',
        '4:msisdn:duplicates_line',
        '4:form_factor:one_of',
      ]),
    );
    const formFactor = res.json().errors.find((e: { field: string }) => e.field === 'form_factor');
    expect(renderFieldError('de', formFactor)).toBe(
      'Muss einer dieser Werte sein: 2FF, 3FF, 4FF, MFF2, eSIM.',
    );
    expect(await stockCount()).toBe(20);
  });

  it('when a SIM is already in stock, then the file is refused naming the line', async () => {
    const res = await upload(stockCsv(3, 1, 20));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ line: 2, field: 'iccid', reason: 'already_in_stock' });
    expect(renderFieldError('de', res.json().errors[0])).toMatch(
      /^\d{19} ist bereits im Bestand oder vergeben\.$/,
    );
  });

  it('when a customer uploads stock, then 403', async () => {
    expect((await upload(stockCsv(6, 1), owner)).statusCode).toBe(403);
  });
});

describe('assignment', () => {
  const assign = (payload: object) =>
    h.app.inject({ method: 'POST', url: '/api/v1/operator/stock/assign', headers: as(operator), payload });

  it('when the customer has no IP space, then 409 and nothing is assigned', async () => {
    const res = await assign({
      orgId: demoId,
      iccidFrom: fixtureIds(3, 1).iccid,
      iccidTo: fixtureIds(3, 5).iccid,
    });
    expect(res.statusCode).toBe(409);
    expect(await stockCount()).toBe(20);
  });

  it('when an IP block is added and a range assigned, then the SIMs are activated with IPs, lifetime and volume', async () => {
    const pool = await h.app.inject({
      method: 'POST',
      url: `/api/v1/operator/customers/${demoId}/ip-pools`,
      headers: as(operator),
      payload: { cidr: '10.70.0.0/29' },
    });
    expect(pool.statusCode).toBe(201);
    expect(pool.json().items[0]).toMatchObject({ cidr: '10.70.0.0/29', size: 6, used: 0 });
    const res = await assign({
      orgId: demoId,
      iccidFrom: fixtureIds(3, 1).iccid,
      iccidTo: fixtureIds(3, 5).iccid,
      dataMb: 100,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ assigned: 5, firstIp: '10.70.0.1', lastIp: '10.70.0.5' });
    const list = (await h.app.inject({ method: 'GET', url: '/api/v1/sims', headers: as(owner) })).json();
    expect(list.total).toBe(5);
    expect(list.items[0]).toMatchObject({ status: 'activated', dataTotal: 100 * 1024 * 1024, smsTotal: 250 });
    const events = (
      await h.app.inject({
        method: 'GET',
        url: `/api/v1/sims/${fixtureIds(3, 1).iccid}/events`,
        headers: as(owner),
      })
    ).json();
    expect(events.items[0]).toMatchObject({ type: 51, actor: 'Otto Operator' });
  });

  it('when the range holds more SIMs than free addresses, then 409', async () => {
    const res = await assign({
      orgId: demoId,
      iccidFrom: fixtureIds(3, 6).iccid,
      iccidTo: fixtureIds(3, 20).iccid,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/1 free address/);
  });

  it('when the range contains assigned SIMs, then 409 and nothing changes', async () => {
    const res = await assign({
      orgId: demoId,
      iccidFrom: fixtureIds(3, 5).iccid,
      iccidTo: fixtureIds(3, 6).iccid,
    });
    expect(res.statusCode).toBe(409);
    expect(await stockCount()).toBe(15);
  });

  it('when blocks overlap or have host bits, then they are refused', async () => {
    const add = (cidr: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/operator/customers/${demoId}/ip-pools`,
        headers: as(operator),
        payload: { cidr },
      });
    expect((await add('10.70.0.0/16')).statusCode).toBe(409);
    const hostBits = await add('10.71.0.1/24');
    expect(hostBits.statusCode).toBe(400);
    const [error] = hostBits.json().errors;
    expect(error).toMatchObject({ field: 'cidr', reason: 'cidr_host_bits', params: { multiple: 256 } });
    expect(renderFieldError('en', error)).toBe('Host bits are set: the block starts at a multiple of 256.');
    expect(renderFieldError('de', error)).toBe(
      'Host-Bits sind gesetzt: Der Block beginnt bei einem Vielfachen von 256.',
    );
    const invalid = await add('300.1.0.0/16');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors[0]).toMatchObject({ field: 'cidr', reason: 'cidr_invalid' });
    expect((await add('banana')).statusCode).toBe(400);
  });
});

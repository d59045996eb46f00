import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iccidWithLuhn } from '../../../contracts/ids.js';
import { simSortKeys } from '../../../contracts/sims.js';
import { organisations, sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { runJobs } from '../../jobs/runner.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { addUsage } from '../usage/usage.repository.js';

let h: Harness;
const s = new Map<string, Session>();
let mine: string[];
let foreign: string[];
const MB = 1024 * 1024;

beforeAll(async () => {
  h = await createHarness();
  const { otherOrgId } = await seedFixtures(h.ctx);
  const [demo] = await h.ctx.db
    .select()
    .from(organisations)
    .where(eq(organisations.accountNumber, '8100012345'));
  mine = await seedFleet(h.ctx, demo?.id ?? '', 1, 12, '10.64.0.0/24');
  foreign = await seedFleet(h.ctx, otherOrgId, 2, 3, '10.99.0.0/24');
  const set = (n: number, v: Partial<typeof sims.$inferInsert>) =>
    h.ctx.db
      .update(sims)
      .set(v)
      .where(eq(sims.iccid, mine[n - 1] ?? ''));
  await set(1, { label: 'Alpha Pump' });
  await set(2, { status: 'deactivated', label: 'beta meter' });
  await set(3, { status: 'expired' });
  await set(4, { sessionState: 'online', imei: '490154203237518' });
  await set(5, { sessionState: 'online' });
  await set(6, { sessionState: 'attached' });
  await set(7, { sessionState: 'blocked', imeiLock: true });
  await set(8, { dataUsed: 450 * MB });
  await set(9, { dataUsed: 500 * MB });
  await set(10, { smsUsed: 240, endOfLife: new Date('2031-03-01T00:00:00Z') });
  await set(11, { smsUsed: 250, autoTopUp: true, endOfLife: new Date('2029-07-15T12:00:00Z') });
  await set(12, { label: 'Gamma PUMP 2', imeiLock: true, autoTopUp: true });
  for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
  s.set('other', await signIn(h.app, 'other-owner@other.example'));
});
afterAll(() => h.close());

const session = (role: string) => {
  const found = s.get(role);
  if (!found) throw new Error(`no session for ${role}`);
  return found;
};
const get = (url: string, role = 'owner') => h.app.inject({ method: 'GET', url, headers: as(session(role)) });
const patch = (iccid: string, payload: unknown, role = 'owner') =>
  h.app.inject({
    method: 'PATCH',
    url: `/api/v1/sims/${iccid}`,
    headers: as(session(role)),
    payload: payload as object,
  });
const iccidsOf = (res: { json: () => { items: { iccid: string }[] } }) =>
  res.json().items.map((i) => i.iccid);
const n = (k: number) => mine[k - 1] ?? '';

describe('My SIMs list', () => {
  it('when listing without a filter, then all of the organisation and none of another, sorted by ICCID', async () => {
    const res = await get('/api/v1/sims');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(12);
    expect(iccidsOf(res)).toEqual([...mine].sort());
    expect(iccidsOf(res)).not.toContain(foreign[0]);
  });

  it.each([
    ['status=deactivated', [2]],
    ['status=expired', [3]],
    ['session=online', [4, 5]],
    ['session=attached,blocked', [6, 7]],
    ['dataVolume=low', [8]],
    ['dataVolume=none', [9]],
    ['smsVolume=low', [10]],
    ['smsVolume=none', [11]],
    ['q=pump', [1, 12]],
    ['q=BETA', [2]],
    [`q=${fixtureIds(1, 12).iccid.slice(-6)}`, [12]],
    // the ICCID as printed on the card: 20 digits with the Luhn check digit
    [`q=${iccidWithLuhn(fixtureIds(1, 9).iccid)}`, [9]],
    [`q=${fixtureIds(1, 7).imsi.slice(-5)}`, [7]],
    [`q=${fixtureIds(1, 5).msisdn.slice(3)}`, [5]],
    ['status=activated&session=online', [4, 5]],
  ])('when filtering by %s, then exactly the expected SIMs come back', async (query, expected) => {
    const res = await get(`/api/v1/sims?${query}`);
    expect(res.statusCode).toBe(200);
    expect(iccidsOf(res)).toEqual(expected.map(n));
    expect(res.json().total).toBe(expected.length);
  });

  it('when the search has LIKE wildcards, then they match literally', async () => {
    expect((await get('/api/v1/sims?q=%25')).json().total).toBe(0);
    expect((await get('/api/v1/sims?q=_')).json().total).toBe(0);
  });

  const value: Record<string, (i: Record<string, unknown>) => string | number | null> = {
    iccid: (i) => i.iccid as string,
    imsi: (i) => i.imsi as string,
    msisdn: (i) => i.msisdn as string,
    status: (i) => i.status as string,
    session: (i) => i.session as string,
    label: (i) => i.label as string | null,
    imei: (i) => i.imei as string | null,
    ip: (i) =>
      (i.ipAddress as string)
        .split('.')
        .map((o) => o.padStart(3, '0'))
        .join('.'),
    dataLeft: (i) => (i.dataTotal as number) - (i.dataUsed as number),
    smsLeft: (i) => (i.smsTotal as number) - (i.smsUsed as number),
    endOfLife: (i) => i.endOfLife as string,
    imeiLock: (i) => Number(i.imeiLock),
    autoTopUp: (i) => Number(i.autoTopUp),
  };

  it.each(simSortKeys.flatMap((k) => [k, `-${k}`]))(
    'when sorting by %s, then the order follows that column, ties by ICCID (empty values last when ascending)',
    async (sort) => {
      const res = await get(`/api/v1/sims?sort=${sort}&pageSize=500`);
      expect(res.statusCode).toBe(200);
      const key = sort.replace('-', '');
      const items: Record<string, unknown>[] = res.json().items;
      const keyOf = (i: Record<string, unknown>) => value[key]?.(i) ?? null;
      // the known answer: by the column ascending with empty values last, then by ICCID; descending
      // is exactly the reverse
      const expected = [...items].sort((a, b) => {
        const [x, y] = [keyOf(a), keyOf(b)];
        if (x !== y) {
          if (x === null) return 1;
          if (y === null) return -1;
          return x < y ? -1 : 1;
        }
        return (a.iccid as string) < (b.iccid as string) ? -1 : 1;
      });
      if (sort.startsWith('-')) expected.reverse();
      expect(items.map((i) => i.iccid)).toEqual(expected.map((i) => i.iccid));
      // the fixtures have more than one value in each column, so the order is not the ICCID order by accident
      expect(new Set(items.map(keyOf)).size).toBeGreaterThan(1);
    },
  );

  it('when paging, then the page holds the rest and the total stays', async () => {
    const res = await get('/api/v1/sims?pageSize=5&page=3');
    expect(res.json()).toMatchObject({ total: 12, page: 3, pageSize: 5 });
    expect(iccidsOf(res)).toEqual([...mine].sort().slice(10));
  });

  it.each([
    ['pageSize=501', 'pageSize'],
    ['sort=price', 'sort'],
    ['status=sleeping', 'status'],
    ['dataVolume=plenty', 'dataVolume'],
    [`q=${'x'.repeat(65)}`, 'q'],
  ])('when the query has %s, then 400 names %s', async (query, field) => {
    const res = await get(`/api/v1/sims?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field.split('.')[0])).toContain(field);
  });
});

describe('SIM detail and changes', () => {
  it('when opening a SIM, then identifiers, lifetime and network data are there', async () => {
    const res = await get(`/api/v1/sims/${n(4)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      iccid: n(4),
      session: 'online',
      imei: '490154203237518',
      dataTotal: 500 * MB,
      smsTotal: 250,
    });
    expect(body.iccidWithLuhn).toHaveLength(20);
    expect(body.ipAddress).toMatch(/^10\.64\.0\.\d+$/);
    expect(body.lifetime.percentPassed).toBe(0);
    expect(body.lifetime.daysLeft).toBeGreaterThan(3600);
  });

  it('when the ICCID is given with its Luhn digit, then the same SIM answers', async () => {
    const withLuhn = (await get(`/api/v1/sims/${n(1)}`)).json().iccidWithLuhn;
    expect((await get(`/api/v1/sims/${withLuhn}`)).json().iccid).toBe(n(1));
  });

  it("when another organisation's SIM or a stock SIM is asked for, then 404 — and changing it changes nothing", async () => {
    expect((await get(`/api/v1/sims/${foreign[0]}`)).statusCode).toBe(404);
    expect((await patch(foreign[0] ?? '', { label: 'mine now' })).statusCode).toBe(404);
    expect((await get(`/api/v1/sims/${foreign[0]}`, 'other')).json().label).toBeNull();
    expect((await get(`/api/v1/sims/${foreign[0]}/events`)).statusCode).toBe(404);
    expect((await get(`/api/v1/sims/${foreign[0]}/usage`)).statusCode).toBe(404);
  });

  it.each([
    ['12345', 'iccid'],
    ['894901999999900000a', 'iccid'],
    [`${fixtureIds(1, 1).iccid}9`, 'iccid'],
  ])('when the ICCID in the path is %s, then 400 names %s', async (bad, field) => {
    const res = await get(`/api/v1/sims/${bad}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe(field);
  });

  it.each([
    [{ label: 'x'.repeat(65) }, 'label'],
    [{ label: 'bad\u0007label' }, 'label'],
    [{ imeiLock: true, imei: '490154203237519' }, 'imei'],
    [{ imeiLock: true, imei: '4901542032375' }, 'imei'],
    [{ status: 'expired' }, 'status'],
    [{ iccid: '1' }, ''],
  ])('when the change is %j, then 400 names the field and nothing changes', async (payload, field) => {
    const before = (await get(`/api/v1/sims/${n(6)}`)).json();
    const res = await patch(n(6), payload);
    expect(res.statusCode).toBe(400);
    if (field) expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await get(`/api/v1/sims/${n(6)}`)).json()).toEqual(before);
  });

  it.each([
    ['owner', 200],
    ['admin', 200],
    ['user', 200],
    ['readonly', 403],
    ['thirdparty', 403],
    ['operator', 403],
  ])('when %s changes a label, then %i', async (role, status) => {
    const res = await patch(n(1), { label: `Alpha Pump (${role})` }, role);
    expect(res.statusCode).toBe(status);
  });

  it('when a User changes auto top-up, then 403 (billing); an Admin may', async () => {
    expect((await patch(n(1), { autoTopUp: true }, 'user')).statusCode).toBe(403);
    const res = await patch(n(1), { autoTopUp: true }, 'admin');
    expect(res.statusCode).toBe(200);
    expect(res.json().autoTopUp).toBe(true);
  });

  it('when a user deactivates a SIM, then it is deactivated, offline, and an event names the user', async () => {
    const res = await patch(n(5), { status: 'deactivated' }, 'user');
    expect(res.json()).toMatchObject({ status: 'deactivated', session: 'offline' });
    const events = (await get(`/api/v1/sims/${n(5)}/events?type=9`)).json();
    expect(events.total).toBe(1);
    expect(events.items[0]).toMatchObject({
      type: 9,
      source: 'user',
      actor: 'Ursula User',
      typeName: 'SIM suspension',
    });
    const back = await patch(n(5), { status: 'activated' }, 'user');
    expect(back.json().status).toBe('activated');
  });

  it('when an expired SIM is activated, then 409 and it stays expired', async () => {
    const res = await patch(n(3), { status: 'activated' });
    expect(res.statusCode).toBe(409);
    expect((await get(`/api/v1/sims/${n(3)}`)).json().status).toBe('expired');
  });

  it('when the IMEI lock is bound to an entered IMEI, then it is stored with an event; turning it off clears it', async () => {
    const on = await patch(n(6), { imeiLock: true, imei: '490154203237518' });
    expect(on.json()).toMatchObject({ imeiLock: true, lockedImei: '490154203237518' });
    const off = await patch(n(6), { imeiLock: false });
    expect(off.json()).toMatchObject({ imeiLock: false, lockedImei: null });
    const events = (await get(`/api/v1/sims/${n(6)}/events?type=101`)).json();
    expect(events.total).toBe(2);
  });

  it('when events are filtered by severity, then only those come back, newest first', async () => {
    const all = (await get(`/api/v1/sims/${n(5)}/events`)).json();
    const times = all.items.map((e: { occurredAt: string }) => e.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
    expect((await get(`/api/v1/sims/${n(5)}/events?severity=critical`)).json().total).toBe(0);
  });

  it('when usage was recorded, then the usage tab shows it per day with totals and the volume', async () => {
    const [demo] = await h.ctx.db
      .select()
      .from(organisations)
      .where(eq(organisations.accountNumber, '8100012345'));
    await addUsage(h.ctx.db, [
      {
        orgId: demo?.id ?? '',
        iccid: n(2),
        day: '2026-03-01',
        hour: 9,
        dataUp: 100,
        dataDown: 900,
        smsMo: 1,
        smsMt: 2,
      },
      {
        orgId: demo?.id ?? '',
        iccid: n(2),
        day: '2026-03-03',
        hour: 23,
        dataUp: 50,
        dataDown: 50,
        smsMo: 0,
        smsMt: 1,
      },
    ]);
    const res = await get(`/api/v1/sims/${n(2)}/usage?from=2026-03-01&to=2026-03-03`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.days).toHaveLength(3);
    expect(body.days[1]).toEqual({ day: '2026-03-02', dataUp: 0, dataDown: 0, smsMo: 0, smsMt: 0 });
    expect(body.totals).toEqual({ dataUp: 150, dataDown: 950, smsMo: 1, smsMt: 3 });
    expect(body.volume.dataUsed).toBe(1100);
    expect((await get(`/api/v1/sims/${n(2)}/usage?from=2026-03-04&to=2026-03-01`)).statusCode).toBe(400);
  });
});

describe('export', () => {
  it('when a 3rd-party user exports CSV, then every matching SIM is a line, PIN/PUK included', async () => {
    const res = await get('/api/v1/sims/export.csv?q=pump', 'thirdparty');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('PUK1');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(n(1));
    expect(lines[1]).toContain('12345678');
  });

  it('when exporting Excel, then the workbook has a header and one row per SIM', async () => {
    const res = await get('/api/v1/sims/export.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('SIMs');
    expect(sheet?.rowCount).toBe(13);
    expect(sheet?.getRow(1).getCell(1).value).toBe('ICCID');
  });

  it('when a read-only user exports, then 403', async () => {
    expect((await get('/api/v1/sims/export.csv', 'readonly')).statusCode).toBe(403);
  });
});

describe('bulk actions', () => {
  it('when a bulk action names a foreign SIM, then that item fails and the others succeed or stay unchanged', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('admin')),
      payload: { action: 'imeiLockOn', iccids: [n(10), n(11), foreign[0]] },
    });
    expect(res.statusCode).toBe(202);
    await runJobs(h.ctx);
    const job = (await get(`/api/v1/jobs/${res.json().id}`, 'admin')).json();
    expect(job).toMatchObject({ status: 'done', total: 3, processed: 3, succeeded: 2, failed: 1 });
    const errors = (await get(`/api/v1/jobs/${res.json().id}/items?result=error`, 'admin')).json();
    expect(errors.items).toEqual([{ iccid: foreign[0], result: 'error', message: 'SIM not found' }]);
    expect((await get(`/api/v1/sims/${foreign[0]}`, 'other')).json().imeiLock).toBe(false);
    expect((await get(`/api/v1/jobs/${res.json().id}`, 'other')).statusCode).toBe(404);
  });

  it('when a bulk activation covers an expired SIM, then that SIM fails with the reason', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('owner')),
      payload: { action: 'activate', filter: { status: ['expired', 'deactivated'] } },
    });
    expect(res.statusCode, res.body).toBe(202);
    await runJobs(h.ctx);
    const items = (await get(`/api/v1/jobs/${res.json().id}/items`)).json().items;
    expect(items.find((i: { iccid: string }) => i.iccid === n(3))).toMatchObject({ result: 'error' });
    expect(items.find((i: { iccid: string }) => i.iccid === n(2))).toMatchObject({ result: 'ok' });
  });

  it('when neither or both of iccids and filter are given, then 400', async () => {
    for (const payload of [{ action: 'activate' }, { action: 'activate', iccids: [n(1)], filter: {} }]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/sims/bulk',
        headers: as(session('owner')),
        payload,
      });
      expect(res.statusCode).toBe(400);
    }
  });

  it('when a User starts a bulk auto top-up, then 403', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('user')),
      payload: { action: 'autoTopUpOn', iccids: [n(1)] },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('kept counts', () => {
  it('when SIMs were imported, assigned, changed and bulk-changed, then sim_counts equals a direct count', async () => {
    const direct = await h.ctx.database.query<{ k: string; n: number }>(sql`
      SELECT org_id || status || session_state || data_group || sms_group AS k, count(*)::int AS n
      FROM sims WHERE org_id IS NOT NULL GROUP BY 1 ORDER BY 1`);
    const kept = await h.ctx.database.query<{ k: string; n: number }>(sql`
      SELECT org_id || status || session_state || data_group || sms_group AS k, n::int AS n
      FROM sim_counts WHERE n <> 0 ORDER BY 1`);
    expect(kept).toEqual(direct);
    expect(direct.length).toBeGreaterThan(5);
  });
});

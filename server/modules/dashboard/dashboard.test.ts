import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, OrgUsage } from '../../../contracts/usage.js';
import { selectRows } from '../../db/client.js';
import { sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { orgMonthToDate } from '../config/config.repository.js';
import { addUsage, type UsageDelta } from '../usage/usage.repository.js';
import { isoWeekName, weekStart } from '../usage/usage.service.js';

let h: Harness;
let demoId: string;
let otherId: string;
let mine: string[];
const s = new Map<string, Session>();

const usage = (orgId: string, iccid: string, day: string, v: Partial<UsageDelta>): UsageDelta => ({
  orgId,
  iccid,
  day,
  hour: 12,
  dataUp: 0,
  dataDown: 0,
  smsMo: 0,
  smsMt: 0,
  ...v,
});

beforeAll(async () => {
  h = await createHarness();
  // a Friday: its ISO week 2026-W48 runs from Monday 23 to Sunday 29 November
  h.clock.advance(Date.parse('2026-11-27T10:00:00Z') - h.clock.now().getTime());
  const { otherOrgId, demoOrgId } = await seedFixtures(h.ctx);
  otherId = otherOrgId;
  demoId = demoOrgId;
  mine = await seedFleet(h.ctx, demoId, 1, 10, '10.64.0.0/24');
  const foreign = await seedFleet(h.ctx, otherId, 2, 3, '10.99.0.0/24');
  const set = (n: number, v: Partial<typeof sims.$inferInsert>) =>
    h.ctx.db
      .update(sims)
      .set(v)
      .where(eq(sims.iccid, mine[n] ?? ''));
  const used = (n: number, column: 'data_used' | 'sms_used', tenths: number) =>
    h.ctx.db.execute(
      sql`UPDATE sims SET ${sql.raw(column)} = ${sql.raw(column === 'data_used' ? 'data_total' : 'sms_total')} * ${tenths} / 10 WHERE iccid = ${mine[n] ?? ''}`,
    );
  await set(0, { status: 'deactivated' });
  await set(1, { status: 'expired', sessionState: 'offline' });
  await set(2, { sessionState: 'online' });
  await set(3, { sessionState: 'online' });
  await used(3, 'data_used', 10);
  await used(4, 'data_used', 9);
  await used(4, 'sms_used', 10);
  await set(5, { sessionState: 'blocked' });
  await used(5, 'sms_used', 9);
  const [a = '', b = '', c = ''] = mine;
  await addUsage(h.ctx.db, [
    usage(demoId, a, '2026-11-27', { dataUp: 100, dataDown: 200, smsMo: 1 }),
    usage(demoId, b, '2026-11-27', { dataUp: 1000 }),
    usage(demoId, a, '2026-11-23', { dataDown: 5 }),
    usage(demoId, c, '2026-11-22', { smsMt: 2 }),
    usage(demoId, a, '2026-10-31', { dataUp: 7 }),
    usage(demoId, a, '2026-10-04', { dataUp: 40 }),
    usage(demoId, a, '2026-05-31', { dataUp: 999 }),
    usage(otherId, foreign[0] ?? '', '2026-11-27', { dataUp: 5000, smsMo: 50 }),
  ]);
  // a second batch on the same day adds up, also in the rollup
  await addUsage(h.ctx.db, [usage(demoId, b, '2026-11-27', { dataUp: 24, smsMt: 3 })]);
  for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
  s.set('other', await signIn(h.app, 'other-owner@other.example'));
});
afterAll(() => h.close());

const get = (url: string, role = 'owner') => {
  const session = s.get(role);
  if (!session) throw new Error(`no session for ${role}`);
  return h.app.inject({ method: 'GET', url, headers: as(session) });
};

describe('ISO weeks', () => {
  it('when a day is named by its week, then the year is that of its Thursday', () => {
    expect(isoWeekName('2026-11-27')).toBe('2026-W48');
    expect(isoWeekName('2026-01-01')).toBe('2026-W01');
    expect(isoWeekName('2024-12-30')).toBe('2025-W01');
    expect(isoWeekName('2027-01-01')).toBe('2026-W53');
    expect(isoWeekName('2021-01-03')).toBe('2020-W53');
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
  });
});

describe('GET /dashboard', () => {
  it('when the owner opens it, then every count equals a direct count over the SIMs', async () => {
    const res = await get('/api/v1/dashboard');
    expect(res.statusCode).toBe(200);
    const d = res.json<Dashboard>();
    const [direct] = await h.ctx.db
      .select({
        total: sql<number>`count(*)::int`,
        activated: sql<number>`(count(*) filter (where status = 'activated'))::int`,
        deactivated: sql<number>`(count(*) filter (where status = 'deactivated'))::int`,
        expired: sql<number>`(count(*) filter (where status = 'expired'))::int`,
        online: sql<number>`(count(*) filter (where session_state = 'online'))::int`,
        blocked: sql<number>`(count(*) filter (where session_state = 'blocked'))::int`,
        dataLow: sql<number>`(count(*) filter (where data_group = 'low'))::int`,
        dataNone: sql<number>`(count(*) filter (where data_group = 'none'))::int`,
        dataSufficient: sql<number>`(count(*) filter (where data_group = 'sufficient'))::int`,
        smsLow: sql<number>`(count(*) filter (where sms_group = 'low'))::int`,
        smsNone: sql<number>`(count(*) filter (where sms_group = 'none'))::int`,
      })
      .from(sims)
      .where(sql`${sims.orgId} = ${demoId} and ${sims.status} <> 'stock'`);
    expect(d.sims).toEqual({
      total: direct?.total,
      activated: direct?.activated,
      deactivated: direct?.deactivated,
      expired: direct?.expired,
    });
    expect(d.sims).toEqual({ total: 10, activated: 8, deactivated: 1, expired: 1 });
    expect(d.sessions.online).toBe(direct?.online);
    expect(d.sessions.blocked).toBe(direct?.blocked);
    expect(d.dataVolume).toEqual({
      sufficient: direct?.dataSufficient,
      low: direct?.dataLow,
      none: direct?.dataNone,
    });
    expect(d.dataVolume).toEqual({ sufficient: 8, low: 1, none: 1 });
    expect(d.smsVolume).toEqual({ sufficient: 8, low: direct?.smsLow, none: direct?.smsNone });
    expect(d.smsVolume.low + d.smsVolume.none).toBe(2);
    expect(d.asOf).toBe('2026-11-27T10:00:00.000Z');
  });

  it('when it shows usage, then the last six months and eight weeks add up the days, and nothing foreign', async () => {
    const d = (await get('/api/v1/dashboard')).json<Dashboard>();
    expect(d.usage.months.map((m) => m.period)).toEqual([
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    const nov = d.usage.months[5];
    expect(nov).toMatchObject({
      start: '2026-11-01',
      end: '2026-11-30',
      dataUp: 1124,
      dataDown: 205,
      smsMo: 1,
    });
    expect(nov?.smsMt).toBe(5);
    expect(d.usage.months[4]).toMatchObject({ period: '2026-10', dataUp: 47 });
    expect(d.usage.weeks.map((w) => w.period)).toEqual([
      '2026-W41',
      '2026-W42',
      '2026-W43',
      '2026-W44',
      '2026-W45',
      '2026-W46',
      '2026-W47',
      '2026-W48',
    ]);
    expect(d.usage.weeks[7]).toMatchObject({
      start: '2026-11-23',
      end: '2026-11-29',
      dataUp: 1124,
      dataDown: 205,
    });
    expect(d.usage.weeks[6]).toMatchObject({ smsMt: 2, dataUp: 0 });
    // 4 October is the Sunday of W40, outside the eight weeks; 31 October is in W44
    expect(d.usage.weeks[3]).toMatchObject({ period: '2026-W44', dataUp: 7 });
  });

  it('when another organisation opens it, then it sees only its own SIMs and usage', async () => {
    const d = (await get('/api/v1/dashboard', 'other')).json<Dashboard>();
    expect(d.sims.total).toBe(3);
    expect(d.usage.months[5]).toMatchObject({ dataUp: 5000, smsMo: 50 });
  });

  it('when a monthly limit is reached, then the dashboard says which, for that organisation alone', async () => {
    expect((await get('/api/v1/dashboard', 'other')).json<Dashboard>().limitsReached).toEqual({
      data: false,
      smsMo: false,
      smsMt: false,
    });
    const session = s.get('other');
    if (!session) throw new Error('no session');
    // the other organisation sent 50 MO SMS this month (above): a limit of 50 is reached
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/configuration/settings',
      headers: as(session),
      payload: {
        dataLimitMb: null,
        smsMoLimit: 50,
        smsMtLimit: null,
        simDataLimitMb: null,
        imeiLockDefault: false,
        autoTopUpDefault: false,
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await get('/api/v1/dashboard', 'other')).json<Dashboard>().limitsReached).toEqual({
      data: false,
      smsMo: true,
      smsMt: false,
    });
    expect((await get('/api/v1/dashboard', 'readonly')).json<Dashboard>().limitsReached.smsMo).toBe(false);
  });

  it('when a read-only user opens it, then it is allowed; without a session it is 401', async () => {
    expect((await get('/api/v1/dashboard', 'readonly')).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/dashboard' })).statusCode).toBe(401);
  });
});

describe('GET /usage', () => {
  it('when asked by day, then the default is the last 30 days, every day present', async () => {
    const u = (await get('/api/v1/usage')).json<OrgUsage>();
    expect(u).toMatchObject({ granularity: 'day', from: '2026-10-29', to: '2026-11-27' });
    expect(u.periods).toHaveLength(30);
    expect(u.periods.at(-1)).toMatchObject({ period: '2026-11-27', dataUp: 1124, dataDown: 200, smsMt: 3 });
    expect(u.totals).toEqual({ dataUp: 1131, dataDown: 205, smsMo: 1, smsMt: 5 });
  });

  it('when asked by month over a range, then the range widens to whole months', async () => {
    const u = (await get('/api/v1/usage?granularity=month&from=2026-05-15&to=2026-11-02')).json<OrgUsage>();
    expect(u.from).toBe('2026-05-01');
    expect(u.to).toBe('2026-11-30');
    expect(u.periods).toHaveLength(7);
    expect(u.periods[0]).toMatchObject({ period: '2026-05', dataUp: 999 });
    expect(u.totals.dataUp).toBe(999 + 47 + 1124);
  });

  it('when asked by week, then periods run Monday to Sunday', async () => {
    const u = (await get('/api/v1/usage?granularity=week&from=2026-11-18&to=2026-11-27')).json<OrgUsage>();
    expect(u.periods.map((p) => [p.period, p.start, p.end])).toEqual([
      ['2026-W47', '2026-11-16', '2026-11-22'],
      ['2026-W48', '2026-11-23', '2026-11-29'],
    ]);
  });

  it.each([
    ['granularity=hour', 'granularity'],
    ['from=2026-13-01', 'from'],
    ['from=2026-11-20&to=2026-11-01', 'from'],
    ['from=2024-01-01&to=2026-11-01', 'from'],
    ['granularity=month&from=2020-01-01', 'from'],
  ])('when the query is %s, then 400 names %s', async (query, field) => {
    const res = await get(`/api/v1/usage?${query}`);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain(field);
  });
});

describe('the organisation rollup, striped', () => {
  it('when many batches add to one day, then the day is split over rows and every reader adds them up', async () => {
    const day = '2026-11-25';
    const before = (await get(`/api/v1/usage?from=${day}&to=${day}`)).json<OrgUsage>().totals;
    // one batch after another, as the AAA writes them: each adds to one of the day's stripes
    for (let i = 1; i <= 40; i++) {
      await addUsage(h.ctx.db, [
        usage(demoId, mine[i % 3] ?? '', day, { dataUp: i, dataDown: 2 * i, smsMo: 1 }),
      ]);
    }
    const [rows] = await selectRows<{ n: number }>(
      h.ctx.db,
      sql`SELECT count(*)::int AS n FROM org_usage_daily WHERE org_id = ${demoId} AND day = ${day}`,
    );
    // 40 batches over 8 stripes all landing on one row: a chance of 8^-39
    expect(rows?.n).toBeGreaterThan(1);
    const after = (await get(`/api/v1/usage?from=${day}&to=${day}`)).json<OrgUsage>();
    expect(after.periods).toHaveLength(1);
    expect(after.totals).toEqual({
      dataUp: before.dataUp + 820,
      dataDown: before.dataDown + 1640,
      smsMo: before.smsMo + 40,
      smsMt: before.smsMt,
    });
    // the monthly limits read the same rows: month to date equals the SIMs' own daily rows
    const [d] = await selectRows<{ data: number; mo: number; mt: number }>(
      h.ctx.db,
      sql`SELECT sum(data_up + data_down)::float8 AS data, sum(sms_mo)::int AS mo, sum(sms_mt)::int AS mt
          FROM sim_usage_days WHERE org_id = ${demoId} AND day BETWEEN '2026-11-01' AND '2026-11-27'`,
    );
    expect(await orgMonthToDate(h.ctx.db, demoId, '2026-11-01', '2026-11-27')).toEqual({
      dataBytes: d?.data,
      smsMo: d?.mo,
      smsMt: d?.mt,
    });
  });
});

import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgSettings } from '../../../contracts/config.js';
import { mailOutbox, sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { addUsage, type UsageDelta } from '../usage/usage.repository.js';
import { monthlyBlock, monthlyDataBlocks, noteLimitsReached } from './config.service.js';

let h: Harness;
let orgId: string;
let mine: string[];
const s = new Map<string, Session>();
const MB = 1024 * 1024;
const limits = {
  dataLimitMb: null,
  smsMoLimit: null,
  smsMtLimit: null,
  simDataLimitMb: null,
  imeiLockDefault: false,
  autoTopUpDefault: false,
};

beforeAll(async () => {
  h = await createHarness();
  // the 20th of a month: the month boundary is 12 days ahead
  h.clock.advance(Date.parse('2026-11-20T12:00:00Z') - h.clock.now().getTime());
  const { demoOrgId } = await seedFixtures(h.ctx);
  orgId = demoOrgId;
  mine = await seedFleet(h.ctx, orgId, 1, 3, '10.64.0.0/24');
  for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
  s.set('other', await signIn(h.app, 'other-owner@other.example'));
});
afterAll(() => h.close());

const call = (method: 'GET' | 'PUT', role: string, payload?: object) => {
  const session = s.get(role);
  if (!session) throw new Error(`no session for ${role}`);
  return h.app.inject({ method, url: '/api/v1/configuration/settings', headers: as(session), payload });
};
const usage = (iccid: string, v: Partial<UsageDelta>): UsageDelta => ({
  orgId,
  iccid,
  day: h.clock.now().toISOString().slice(0, 10),
  hour: h.clock.now().getUTCHours(),
  dataUp: 0,
  dataDown: 0,
  smsMo: 0,
  smsMt: 0,
  ...v,
});

describe('settings', () => {
  it('when nothing was saved, then there are no limits and no defaults', async () => {
    const res = await call('GET', 'owner');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ...limits,
      month: '2026-11',
      reached: { data: false, smsMo: false, smsMt: false },
    });
  });

  it('when the owner saves limits, then they are read back with this month’s usage; another organisation sees its own', async () => {
    await addUsage(h.ctx.db, [usage(mine[0] ?? '', { dataDown: 3 * MB, smsMo: 2, smsMt: 1 })]);
    const res = await call('PUT', 'owner', {
      ...limits,
      dataLimitMb: 5,
      smsMoLimit: 2,
      simDataLimitMb: 1,
      imeiLockDefault: true,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<OrgSettings>();
    expect(body).toMatchObject({
      dataLimitMb: 5,
      smsMoLimit: 2,
      smsMtLimit: null,
      simDataLimitMb: 1,
      imeiLockDefault: true,
    });
    expect(body.monthToDate).toEqual({ dataBytes: 3 * MB, smsMo: 2, smsMt: 1 });
    expect(body.reached).toEqual({ data: false, smsMo: true, smsMt: false });
    expect((await call('GET', 'other')).json()).toMatchObject(limits);
  });

  it.each([
    [{ dataLimitMb: 0 }, 'dataLimitMb'],
    [{ smsMoLimit: -1 }, 'smsMoLimit'],
    [{ smsMtLimit: 1.5 }, 'smsMtLimit'],
    [{ simDataLimitMb: 'lots' }, 'simDataLimitMb'],
    [{ imeiLockDefault: 'yes' }, 'imeiLockDefault'],
    [{ surprise: true }, 'surprise'],
  ])('when %j is sent, then 400 names %s and nothing changes', async (change, field) => {
    const res = await call('PUT', 'owner', {
      ...limits,
      dataLimitMb: 5,
      smsMoLimit: 2,
      simDataLimitMb: 1,
      imeiLockDefault: true,
      ...change,
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain(field);
    expect((await call('GET', 'owner')).json()).toMatchObject({ dataLimitMb: 5, smsMoLimit: 2 });
  });

  it('when a User saves, then limits are allowed but the auto top-up default is not; Read only may not save at all', async () => {
    const current = { ...limits, dataLimitMb: 5, smsMoLimit: 2, simDataLimitMb: 1, imeiLockDefault: true };
    expect((await call('PUT', 'user', { ...current, autoTopUpDefault: true })).statusCode).toBe(403);
    expect((await call('PUT', 'user', current)).statusCode).toBe(200);
    expect((await call('PUT', 'readonly', current)).statusCode).toBe(403);
  });

  it('when SIMs arrive after the defaults were set, then they come with the IMEI lock on', async () => {
    const fresh = await seedFleet(h.ctx, orgId, 3, 2, '10.64.1.0/24');
    const rows = await h.ctx.db.select().from(sims).where(inArray(sims.iccid, fresh));
    expect(rows.map((r) => [r.imeiLock, r.autoTopUp])).toEqual([
      [true, false],
      [true, false],
    ]);
  });
});

describe('monthly limits', () => {
  it('when the organisation’s MO SMS or a SIM’s data cap is reached, then just that service is blocked', async () => {
    const [a = '', b = ''] = mine;
    const now = h.clock.now();
    expect((await monthlyBlock(h.ctx.db, { orgId, iccid: a }, 'sms-mo', now))?.message).toMatch(
      /monthly MO SMS limit for 2026-11/,
    );
    expect(await monthlyBlock(h.ctx.db, { orgId, iccid: a }, 'sms-mt', now)).toBeNull();
    // SIM a used 3 MB with a 1 MB per-SIM cap; SIM b nothing, and the organisation is under its 5 MB
    expect((await monthlyBlock(h.ctx.db, { orgId, iccid: a }, 'data', now))?.message).toMatch(
      /SIM's monthly data limit/,
    );
    expect(await monthlyBlock(h.ctx.db, { orgId, iccid: b }, 'data', now)).toBeNull();
  });

  it('when the organisation reaches its data limit, then Owners and Admins get one mail this month and another the next', async () => {
    const before = await h.ctx.db.select().from(mailOutbox).where(eq(mailOutbox.template, 'limit-reached'));
    await addUsage(h.ctx.db, [usage(mine[1] ?? '', { dataDown: 2 * MB })]);
    const reached = await noteLimitsReached(h.ctx, h.ctx.db, [orgId], h.clock.now());
    expect(reached).toEqual(
      expect.arrayContaining([
        { orgId, kind: 'data' },
        { orgId, kind: 'sms-mo' },
      ]),
    );
    expect(
      (await monthlyBlock(h.ctx.db, { orgId, iccid: mine[1] ?? '' }, 'data', h.clock.now()))?.message,
    ).toMatch(/organisation's monthly data limit/);
    expect(await noteLimitsReached(h.ctx, h.ctx.db, [orgId], h.clock.now())).toEqual([]);
    const mails = await h.ctx.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.template, 'limit-reached'), eq(mailOutbox.to, 'owner@demo.example')));
    expect(mails.length - before.filter((m) => m.to === 'owner@demo.example').length).toBe(2);
    expect(mails.map((m) => m.subject)).toContain('Monthly data limit reached for 2026-11');

    // the 1st of December: the counters start again, so does the notice
    h.clock.advance(Date.parse('2026-12-01T00:00:01Z') - h.clock.now().getTime());
    expect(await monthlyBlock(h.ctx.db, { orgId, iccid: mine[1] ?? '' }, 'data', h.clock.now())).toBeNull();
    expect(await monthlyBlock(h.ctx.db, { orgId, iccid: mine[0] ?? '' }, 'sms-mo', h.clock.now())).toBeNull();
    await addUsage(h.ctx.db, [usage(mine[1] ?? '', { dataDown: 6 * MB })]);
    expect(await noteLimitsReached(h.ctx, h.ctx.db, [orgId], h.clock.now())).toEqual([
      { orgId, kind: 'data' },
    ]);
  });
});

describe('monthly data limits at the AAA', () => {
  it('when a batch of SIMs attaches, then the per-SIM cap blocks only those over it and the organisation cap all', async () => {
    // (December by now: mine[1] used 6 MB this month)
    await addUsage(h.ctx.db, [usage(mine[2] ?? '', { dataDown: MB / 2 })]);
    const batch = mine.map((iccid) => ({ orgId, iccid }));
    expect((await call('PUT', 'owner', { ...limits, simDataLimitMb: 1 })).statusCode).toBe(200);
    expect([...(await monthlyDataBlocks(h.ctx.db, batch, h.clock.now()))]).toEqual([mine[1]]);
    expect((await call('PUT', 'owner', { ...limits, simDataLimitMb: 1, dataLimitMb: 5 })).statusCode).toBe(
      200,
    );
    expect([...(await monthlyDataBlocks(h.ctx.db, batch, h.clock.now()))].sort()).toEqual([...mine].sort());
    expect((await call('PUT', 'owner', limits)).statusCode).toBe(200);
    expect(await monthlyDataBlocks(h.ctx.db, batch, h.clock.now())).toEqual(new Set());
  });
});

import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { mailOutbox as mails, simCharges, simEvents, sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { applyLifetime } from '../../jobs/lifetime.js';
import { renderProblem } from '../../test/error-text.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

let h: Harness;
let demoId: string;
let mine: string[];
let foreign: string[];
const s = new Map<string, Session>();
const MB = 1024 * 1024;
const day = 86_400_000;

beforeAll(async () => {
  h = await createHarness();
  const { otherOrgId, demoOrgId } = await seedFixtures(h.ctx);
  demoId = demoOrgId;
  mine = await seedFleet(h.ctx, demoId, 1, 10, '10.64.0.0/24');
  foreign = await seedFleet(h.ctx, otherOrgId, 2, 2, '10.99.0.0/24');
  for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
});
afterAll(() => h.close());

const sim = async (iccid: string) => {
  const [row] = await h.ctx.db.select().from(sims).where(eq(sims.iccid, iccid));
  if (!row) throw new Error(`no SIM ${iccid}`);
  return row;
};
const setSim = (iccid: string, v: Partial<typeof sims.$inferInsert>) =>
  h.ctx.db.update(sims).set(v).where(eq(sims.iccid, iccid));
const post = (url: string, role = 'owner') => {
  const session = s.get(role);
  if (!session) throw new Error(`no session for ${role}`);
  return h.app.inject({ method: 'POST', url, headers: as(session) });
};
const charges = (iccid: string) =>
  h.ctx.db.select().from(simCharges).where(eq(simCharges.iccid, iccid)).orderBy(desc(simCharges.id));
const eventsOf = (iccid: string, type: number) =>
  h.ctx.db
    .select()
    .from(simEvents)
    .where(and(eq(simEvents.iccid, iccid), eq(simEvents.type, type)));

describe('top-up', () => {
  it('when the owner tops up a used-up SIM, then data and SMS grow at once, it leaves the "none" group, and the charge is recorded', async () => {
    const iccid = mine[0] ?? '';
    await setSim(iccid, { dataUsed: 500 * MB, smsUsed: 250 });
    const res = await post(`/api/v1/sims/${iccid}/top-up`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      dataTotal: 1000 * MB,
      dataUsed: 500 * MB,
      smsTotal: 500,
      smsUsed: 250,
    });
    const row = await sim(iccid);
    expect(row.dataGroup).toBe('sufficient');
    expect(row.smsGroup).toBe('sufficient');
    const [charge] = await charges(iccid);
    expect(charge).toMatchObject({
      kind: 'top-up',
      dataBytes: 500 * MB,
      smsCount: 250,
      source: 'user',
      orgId: demoId,
    });
    expect(charge?.actorName).toBe('Olivia Owner');
    expect(charge?.invoicedAt).toBeNull();
    const [dataEvent] = await eventsOf(iccid, eventTypes.dataQuotaAssigned);
    expect(dataEvent).toMatchObject({ source: 'user', actorName: 'Olivia Owner' });
    expect(await eventsOf(iccid, eventTypes.smsQuotaAssigned)).toHaveLength(1);
  });

  it('when topped up twice, then the packages stack', async () => {
    const iccid = mine[1] ?? '';
    await post(`/api/v1/sims/${iccid}/top-up`);
    const res = await post(`/api/v1/sims/${iccid}/top-up`, 'admin');
    expect(res.json()).toMatchObject({ dataTotal: 1500 * MB, smsTotal: 750 });
    expect(await charges(iccid)).toHaveLength(2);
  });

  it('when a top-up is sent a body, then only {} is taken: anything else is refused and nothing is billed', async () => {
    const iccid = mine[9] ?? '';
    const send = (payload: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/sims/${iccid}/top-up`,
        headers: { ...as(s.get('owner') as Session), 'content-type': 'application/json' },
        payload,
      });
    const many = await send('{"packages":5}');
    expect(many.statusCode).toBe(400);
    expect(many.json().detail).toMatch(/packages/);
    expect((await send('"banana"')).statusCode).toBe(400);
    expect(await charges(iccid)).toHaveLength(0);
    expect((await sim(iccid)).dataTotal).toBe(500 * MB);
    expect((await send('{}')).statusCode).toBe(200);
    expect(await charges(iccid)).toHaveLength(1);
  });

  it('when a role without billing rights, an expired SIM, a foreign or a malformed ICCID is used, then nothing changes', async () => {
    const iccid = mine[2] ?? '';
    expect((await post(`/api/v1/sims/${iccid}/top-up`, 'readonly')).statusCode).toBe(403);
    expect((await post(`/api/v1/sims/${iccid}/top-up`, 'thirdparty')).statusCode).toBe(403);
    await setSim(iccid, { status: 'expired' });
    const expired = await post(`/api/v1/sims/${iccid}/top-up`);
    expect(expired.statusCode).toBe(409);
    expect(expired.json().detail).toMatch(/expired/);
    expect(expired.json()).toMatchObject({ reason: 'top_up_expired', params: { iccid } });
    expect(renderProblem('en', expired.json())).toBe(expired.json().detail);
    expect((await post(`/api/v1/sims/${foreign[0]}/top-up`)).statusCode).toBe(404);
    const bad = await post('/api/v1/sims/12345/top-up');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('iccid');
    expect(await charges(iccid)).toHaveLength(0);
    expect((await sim(iccid)).dataTotal).toBe(500 * MB);
    await setSim(iccid, { status: 'activated' });
  });
});

describe('lifetime extension', () => {
  it('when an expired SIM is extended, then it is activated with a new period from now and keeps its remaining volume', async () => {
    const iccid = mine[3] ?? '';
    const now = h.clock.now().getTime();
    await setSim(iccid, {
      status: 'expired',
      endOfLife: new Date(now - 30 * day),
      dataUsed: 100 * MB,
      expiryNotice: 1,
    });
    const res = await post(`/api/v1/sims/${iccid}/extend`);
    expect(res.statusCode).toBe(200);
    const row = await sim(iccid);
    expect(row.status).toBe('activated');
    expect(row.dataUsed).toBe(100 * MB);
    expect(row.dataTotal).toBe(500 * MB);
    expect(row.expiryNotice).toBeNull();
    const expected = new Date(now);
    expected.setUTCMonth(expected.getUTCMonth() + 120);
    expect(row.endOfLife?.getTime()).toBe(expected.getTime());
    expect(await eventsOf(iccid, eventTypes.lifetimeExtended)).toHaveLength(1);
    expect(await eventsOf(iccid, eventTypes.simActivation)).toHaveLength(1);
    expect((await charges(iccid))[0]).toMatchObject({ kind: 'extension', months: 120, dataBytes: 0 });
  });

  it('when a SIM in its last months is extended, then the new period follows its current end', async () => {
    const iccid = mine[4] ?? '';
    const end = new Date(h.clock.now().getTime() + 40 * day);
    await setSim(iccid, { endOfLife: end });
    expect((await post(`/api/v1/sims/${iccid}/extend`)).statusCode).toBe(200);
    const expected = new Date(end);
    expected.setUTCMonth(expected.getUTCMonth() + 120);
    expect((await sim(iccid)).endOfLife?.getTime()).toBe(expected.getTime());
  });

  it('when a SIM has years left, or expired more than 18 months ago, then the extension is refused', async () => {
    const far = await post(`/api/v1/sims/${mine[5]}/extend`);
    expect(far.statusCode).toBe(409);
    expect(far.json().detail).toMatch(/last 3 months/);
    expect(renderProblem('en', far.json())).toBe(far.json().detail);
    expect(renderProblem('de', far.json())).toMatch(
      /^SIM \d+ kann in den letzten 3 Monaten ihrer Laufzeit verlängert werden \(sie endet am \d{4}-\d\d-\d\d\)\.$/,
    );
    await setSim(mine[6] ?? '', {
      status: 'expired',
      endOfLife: new Date(h.clock.now().getTime() - 600 * day),
    });
    const gone = await post(`/api/v1/sims/${mine[6]}/extend`);
    expect(gone.statusCode).toBe(409);
    expect(gone.json().detail).toMatch(/18 months/);
    expect(renderProblem('en', gone.json())).toBe(gone.json().detail);
    expect(renderProblem('de', gone.json())).toBe(
      `SIM ${mine[6]} ist vor mehr als 18 Monaten abgelaufen und kann nicht mehr verlängert werden.`,
    );
    expect(await charges(mine[6] ?? '')).toHaveLength(0);
  });
});

describe('lifetime job', () => {
  const noticesTo = async (email: string) =>
    (await h.ctx.db.select().from(mails).where(eq(mails.to, email))).filter(
      (m) => m.template === 'lifetime-notice',
    );

  it('when SIMs near their end, then Owners and Admins get one notice at 3 months and one at 1 month, and past the end the SIM expires', async () => {
    const [a = '', b = ''] = [mine[7], mine[8]];
    const now = h.clock.now().getTime();
    await setSim(a, { endOfLife: new Date(now + 80 * day) });
    await setSim(b, { endOfLife: new Date(now + 10 * day) });
    // the SIM extended above ends in 40 days + 120 months: it is far away and stays quiet
    const first = await applyLifetime(h.ctx);
    expect(first.noticed).toBe(2);
    const owner = await noticesTo('owner@demo.example');
    expect(owner).toHaveLength(2);
    expect(owner.map((m) => m.subject).sort()).toEqual([
      expect.stringMatching(/^1 SIM\(s\) .* within 1 month/),
      expect.stringMatching(/^1 SIM\(s\) .* within 3 month/),
    ]);
    expect(owner.find((m) => m.subject.includes('1 month'))?.text).toContain(b);
    expect(await noticesTo('admin@demo.example')).toHaveLength(2);
    expect(await noticesTo('user@demo.example')).toHaveLength(0);

    expect((await applyLifetime(h.ctx)).mails).toBe(0);

    h.clock.advance(60 * day);
    const second = await applyLifetime(h.ctx);
    expect(second).toMatchObject({ noticed: 1, expired: 1 });
    expect((await sim(a)).expiryNotice).toBe(1);
    const expired = await sim(b);
    expect(expired).toMatchObject({ status: 'expired', sessionState: 'offline' });
    const [ev] = await eventsOf(b, eventTypes.lifetimeExpired);
    expect(ev).toMatchObject({ source: 'policy', severity: 'warning' });
    expect((await applyLifetime(h.ctx)).expired).toBe(0);
  });
});

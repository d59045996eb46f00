import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { auditLog, organisations, simCharges, simEvents, sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { runJobs } from '../../jobs/runner.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { findJob, pendingItems } from '../jobs/jobs.repository.js';
import { processBulkChunk } from './bulk.service.js';

let h: Harness;
let demoId: string;
let mine: string[];
let fleet: string[];
let foreign: string[];
let apiToken: string;
const s = new Map<string, Session>();
const MB = 1024 * 1024;

beforeAll(async () => {
  h = await createHarness();
  const { otherOrgId, demoOrgId } = await seedFixtures(h.ctx);
  demoId = demoOrgId;
  mine = await seedFleet(h.ctx, demoId, 1, 6, '10.64.0.0/24');
  foreign = await seedFleet(h.ctx, otherOrgId, 2, 1, '10.99.0.0/24');
  for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
  const created = (
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/api-clients',
      headers: as(s.get('owner') as Session),
      payload: { name: 'billing', readOnly: false },
    })
  ).json();
  const token = await h.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${created.clientId}:${created.clientSecret}`).toString('base64')}`,
    },
    payload: { grant_type: 'client_credentials' },
  });
  apiToken = token.json().access_token;
}, 120_000);
afterAll(() => h.close());

const headersOf = (who: string) =>
  who === 'api' ? { authorization: `Bearer ${apiToken}` } : as(s.get(who) as Session);
const bulk = (payload: object, who = 'owner') =>
  h.app.inject({ method: 'POST', url: '/api/v1/sims/bulk', headers: headersOf(who), payload });
const get = (url: string, who = 'owner') => h.app.inject({ method: 'GET', url, headers: headersOf(who) });
const chargesOf = async (iccids: string[]) =>
  h.ctx.db
    .select()
    .from(simCharges)
    .where(and(inArray(simCharges.iccid, iccids), eq(simCharges.kind, 'top-up')));

describe('bulk top-up: who may', () => {
  it.each([
    ['owner', 202],
    ['admin', 202],
    ['api', 202],
    ['user', 403],
    ['readonly', 403],
    ['thirdparty', 403],
    ['operator', 403],
  ])('when %s starts a bulk top-up, then %i', async (who, status) => {
    const before = (await chargesOf([mine[0] ?? ''])).length;
    const res = await bulk({ action: 'topUp', iccids: [mine[0]] }, who);
    expect(res.statusCode, res.body).toBe(status);
    await runJobs(h.ctx);
    expect((await chargesOf([mine[0] ?? ''])).length).toBe(before + (status === 202 ? 1 : 0));
    if (status === 403 && who !== 'operator') {
      // a refused attempt is audited too
      const [row] = await h.ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'sim.bulk'), eq(auditLog.actorEmail, `${who}@demo.example`)));
      expect(row).toMatchObject({ orgId: demoId, status: 403, outcome: 'forbidden' });
    }
  });

  it('when the package is asked for, then billing roles get the configured figures and others 403', async () => {
    const res = await get('/api/v1/sims/top-up-package');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ dataMb: 500, dataBytes: 500 * MB, sms: 250 });
    expect((await get('/api/v1/sims/top-up-package', 'user')).statusCode).toBe(403);
    expect((await get('/api/v1/sims/top-up-package', 'readonly')).statusCode).toBe(403);
  });
});

describe('bulk top-up: what it does', () => {
  it('when a top-up covers an expired SIM, then it fails with the reason and the others are charged like a single top-up; a foreign SIM refuses the whole request', async () => {
    const [a = '', b = '', expired = ''] = mine.slice(3);
    await h.ctx.db.update(sims).set({ status: 'expired' }).where(eq(sims.iccid, expired));
    const refused = await bulk({ action: 'topUp', iccids: [a, b, expired, foreign[0]] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'iccids', reason: 'iccid_not_in_org' });
    expect(await chargesOf([a, b, expired, foreign[0] ?? ''])).toEqual([]);
    const res = await bulk({ action: 'topUp', iccids: [a, b, expired] });
    expect(res.statusCode).toBe(202);
    const id = res.json().id;
    await runJobs(h.ctx);
    expect((await get(`/api/v1/jobs/${id}`)).json()).toMatchObject({
      status: 'done',
      total: 3,
      succeeded: 2,
      failed: 1,
    });
    const items = (await get(`/api/v1/jobs/${id}/items`)).json().items;
    expect(items.map((i: { iccid: string; result: string }) => [i.iccid, i.result])).toEqual([
      [a, 'ok'],
      [b, 'ok'],
      [expired, 'error'],
    ]);
    expect(items[2].message).toContain('expired');
    const charges = await chargesOf([a, b, expired, foreign[0] ?? '']);
    expect(charges.map((c) => c.iccid).sort()).toEqual([a, b].sort());
    // the same record a single top-up writes, so orders and invoices bill it alike
    const single = await h.app.inject({
      method: 'POST',
      url: `/api/v1/sims/${a}/top-up`,
      headers: as(s.get('owner') as Session),
    });
    expect(single.statusCode).toBe(200);
    const both = (await chargesOf([a])).map(
      ({ orgId, kind, dataBytes, smsCount, months, source, actorName }) => ({
        orgId,
        kind,
        dataBytes,
        smsCount,
        months,
        source,
        actorName,
      }),
    );
    expect(both).toHaveLength(2);
    expect(both[0]).toEqual(both[1]);
    expect(both[0]).toMatchObject({ orgId: demoId, dataBytes: 500 * MB, smsCount: 250, source: 'user' });
    const [sim] = await h.ctx.db.select().from(sims).where(eq(sims.iccid, b));
    expect(sim?.dataTotal).toBe(1000 * MB);
    expect(sim?.smsTotal).toBe(500);
    const events = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, b), eq(simEvents.type, eventTypes.dataQuotaAssigned)));
    expect(events.map((e) => e.actorName)).toEqual(['Olivia Owner']);
    // audited: who started it, the action and how many SIMs
    const [audit] = await h.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'sim.bulk'), eq(auditLog.target, `job:${id}`)));
    expect(audit?.changes?.after).toMatchObject({ action: 'topUp', count: 3 });
    expect(audit).toMatchObject({ actorEmail: 'owner@demo.example', status: 202, outcome: 'ok' });
  });

  it('when the worker stops midway and another resumes after the lease, then every SIM is charged exactly once', async () => {
    const size = 2500;
    const [other] = await h.ctx.db
      .select()
      .from(organisations)
      .where(eq(organisations.accountNumber, '8100012346'));
    fleet = await seedFleet(h.ctx, other?.id ?? '', 3, size, '10.65.0.0/20');
    const owner = await signIn(h.app, 'owner@logistics.demo.example');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(owner),
      payload: { action: 'topUp', filter: {} },
    });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id;
    const progress = async () =>
      (await h.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: as(owner) })).json();

    // the first worker does one chunk, then "dies" holding its lease
    await runJobs(h.ctx, { maxChunks: 1 });
    expect(await progress()).toMatchObject({ status: 'running', processed: 1000 });
    await runJobs(h.ctx, { maxChunks: 1 });
    expect((await progress()).processed).toBe(1000);
    // a worker that topped up the next chunk but died before its commit leaves neither charges nor results
    const job = await findJob(h.ctx.db, other?.id ?? '', id);
    if (!job) throw new Error('no job');
    const died = h.ctx.db.transaction(async (tx) => {
      const items = await pendingItems(tx, id, 1000);
      expect((await processBulkChunk(h.ctx, tx, job, items)).every((r) => r.result === 'ok')).toBe(true);
      throw new Error('worker died');
    });
    await expect(died).rejects.toThrow('worker died');
    expect((await progress()).processed).toBe(1000);
    expect((await chargesOf(fleet)).length).toBe(1000);
    h.clock.advance(2 * 60_000);
    await runJobs(h.ctx);
    expect(await progress()).toMatchObject({ status: 'done', processed: size, succeeded: size, failed: 0 });

    const perSim = await h.ctx.db
      .select({ iccid: simCharges.iccid, n: count() })
      .from(simCharges)
      .where(and(eq(simCharges.orgId, other?.id ?? ''), eq(simCharges.kind, 'top-up')))
      .groupBy(simCharges.iccid);
    expect(perSim).toHaveLength(size);
    expect(perSim.every((r) => r.n === 1)).toBe(true);
    const [totals] = await h.ctx.db
      .select({ n: count() })
      .from(sims)
      .where(and(inArray(sims.iccid, fleet), eq(sims.dataTotal, 1000 * MB), eq(sims.smsTotal, 500)));
    expect(totals?.n).toBe(size);
  }, 120_000);
});

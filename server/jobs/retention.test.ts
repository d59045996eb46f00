import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  jobItems,
  jobs,
  orgUsageDaily,
  simEvents,
  simUsageDays,
  simUsageHourly,
} from '../db/schema/index.js';
import { insertJob } from '../modules/jobs/jobs.repository.js';
import { rollUpUsage } from '../modules/usage/rollup.js';
import { addUsage, usageSlot } from '../modules/usage/usage.repository.js';
import { seedFleet } from '../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../test/harness.js';
import { applyRetention } from './retention.js';

let h: Harness;
let orgId: string;
let iccid: string;

beforeAll(async () => {
  h = await createHarness({ OPENCMP_RETENTION_MONTHS: '13' });
  const { demoOrgId } = await seedFixtures(h.ctx);
  orgId = demoOrgId;
  [iccid = ''] = await seedFleet(h.ctx, orgId, 8, 1, '10.90.0.0/24');
});
afterAll(() => h.close());

describe('retention', () => {
  it('when events and usage are older than 13 months, then they and their rollups are deleted and newer ones kept', async () => {
    const now = h.clock.now().getTime();
    const day = (ago: number) => new Date(now - ago * 86_400_000);
    await h.ctx.db.insert(simEvents).values(
      [400, 390].map((ago) => ({
        orgId,
        iccid,
        occurredAt: day(ago),
        type: 1,
        severity: 'info' as const,
        source: 'network' as const,
        description: `${ago} days ago`,
      })),
    );
    await addUsage(h.ctx.db, [
      {
        orgId,
        iccid,
        day: day(400).toISOString().slice(0, 10),
        hour: null,
        dataUp: 1,
        dataDown: 1,
        smsMo: 0,
        smsMt: 0,
      },
      {
        orgId,
        iccid,
        day: day(390).toISOString().slice(0, 10),
        hour: null,
        dataUp: 1,
        dataDown: 1,
        smsMo: 0,
        smsMt: 0,
      },
    ]);
    const result = await applyRetention(h.ctx);
    expect(result.events).toBe(1);
    expect(result.usageDays).toBe(1);
    const left = await h.ctx.db.select().from(simEvents).where(eq(simEvents.iccid, iccid));
    expect(left.map((e) => e.description)).toContain('390 days ago');
    expect(left.map((e) => e.description)).not.toContain('400 days ago');
    expect(await h.ctx.db.select().from(simUsageDays).where(eq(simUsageDays.iccid, iccid))).toHaveLength(1);
    // the organisation's rollup keeps the same days as the SIMs' rows
    const rollup = await h.ctx.db.select().from(orgUsageDaily).where(eq(orgUsageDaily.orgId, orgId));
    expect(rollup.map((r) => r.day)).toEqual([day(390).toISOString().slice(0, 10)]);
  });

  it('when hourly usage is older than OPENCMP_HOURLY_RETENTION_DAYS, then only the hours of summed days go and the days keep them', async () => {
    const days = h.ctx.config.OPENCMP_HOURLY_RETENTION_DAYS;
    const now = h.clock.now();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    // the last hour before the cutoff, the first hour after it, and the current hour
    const before = new Date(today - days * 86_400_000 - 3_600_000);
    const first = new Date(today - days * 86_400_000);
    const delta = (at: Date) => ({
      orgId,
      iccid,
      ...usageSlot(at),
      dataUp: 5,
      dataDown: 5,
      smsMo: 0,
      smsMt: 0,
    });
    await addUsage(h.ctx.db, [delta(before), delta(first), delta(now)]);
    const hoursNow = async () =>
      (await h.ctx.db.select().from(simUsageHourly).where(eq(simUsageHourly.iccid, iccid)))
        .map((r) => r.hour.toISOString())
        .sort();
    // not summed into the daily rows yet (decision 026): no hour goes
    expect((await applyRetention(h.ctx)).usageHours).toBe(0);
    expect(await hoursNow()).toHaveLength(3);
    await rollUpUsage(h.ctx.db, now);
    const result = await applyRetention(h.ctx);
    expect(result.hourlyCutoff).toEqual(first);
    expect(result.usageHours).toBe(1);
    expect(await hoursNow()).toEqual(
      [first.toISOString(), `${now.toISOString().slice(0, 13)}:00:00.000Z`].sort(),
    );
    const daily = await h.ctx.db.select().from(simUsageDays).where(eq(simUsageDays.iccid, iccid));
    expect(daily.find((r) => r.day === before.toISOString().slice(0, 10))).toMatchObject({
      dataUp: 5,
      dataDown: 5,
    });
  });

  it('when audit log entries are older than 13 months, then they are deleted and newer ones kept', async () => {
    const now = h.clock.now().getTime();
    const day = (ago: number) => new Date(now - ago * 86_400_000);
    const row = (ago: number) => ({
      at: day(ago),
      orgId,
      actorKind: 'user' as const,
      action: `test.${ago}`,
      method: 'PATCH',
      route: '/api/v1/sims/:iccid',
      status: 200,
      outcome: 'ok',
    });
    await h.ctx.db.insert(auditLog).values([row(400), row(390)]);
    const result = await applyRetention(h.ctx);
    expect(result.auditEntries).toBe(1);
    const left = await h.ctx.db.select().from(auditLog).where(eq(auditLog.orgId, orgId));
    expect(left.map((r) => r.action)).toEqual(['test.390']);
  });

  it('when a bulk job finished more than 13 months ago, then it and its per-SIM results are deleted; newer and unfinished ones stay', async () => {
    const now = h.clock.now().getTime();
    const day = (ago: number) => new Date(now - ago * 86_400_000);
    const job = async (ago: number, status: 'done' | 'failed' | 'running') => {
      const row = await h.ctx.db.transaction((tx) =>
        insertJob(
          tx,
          { orgId, kind: 'sims.bulk', params: { ago }, source: 'user', createdAt: day(ago + 1) },
          [iccid],
        ),
      );
      await h.ctx.db
        .update(jobs)
        .set({ status, finishedAt: status === 'running' ? null : day(ago) })
        .where(eq(jobs.id, row.id));
      return row.id;
    };
    const old = await job(400, 'done');
    const oldFailed = await job(401, 'failed');
    const recent = await job(390, 'done');
    const running = await job(500, 'running');
    const result = await applyRetention(h.ctx);
    expect(result.jobs).toBe(2);
    const left = await h.ctx.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.orgId, orgId));
    expect(left.map((r) => r.id).sort()).toEqual([recent, running].sort());
    const items = await h.ctx.db.select({ jobId: jobItems.jobId }).from(jobItems);
    expect(items.map((i) => i.jobId)).not.toContain(old);
    expect(items.map((i) => i.jobId)).not.toContain(oldFailed);
    expect(items.map((i) => i.jobId)).toContain(recent);
  });
});

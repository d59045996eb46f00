import { and, count, eq, gte, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../contracts/events.js';
import { jobItems, jobs, simEvents, sims } from '../db/schema/index.js';
import { claimJob, recordResults, releaseJob } from '../modules/jobs/jobs.repository.js';
import { bulkKind } from '../modules/sims/bulk.service.js';
import { seedFleet } from '../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../test/harness.js';
import { handlers, runJobs } from './runner.js';

let h: Harness;
let owner: Session;
let demoId: string;
const size = 2_500;

beforeAll(async () => {
  h = await createHarness();
  demoId = (await seedFixtures(h.ctx)).demoOrgId;
  await seedFleet(h.ctx, demoId, 6, size, '10.90.0.0/20');
  owner = await signIn(h.app, 'owner@demo.example');
}, 120_000);
afterAll(() => h.close());

async function startBulk(action: 'deactivate' | 'activate', status: 'activated' | 'deactivated') {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/sims/bulk',
    headers: as(owner),
    payload: { action, filter: { status: [status], q: '8949069999999' } },
  });
  expect(res.statusCode).toBe(202);
  return res.json().id as string;
}

async function jobRow(id: string) {
  const [row] = await h.ctx.db.select().from(jobs).where(eq(jobs.id, id));
  if (!row) throw new Error(`job ${id} not found`);
  return row;
}

describe('a worker that shuts down', () => {
  it('when it is asked to stop during a chunk, then the chunks at hand commit, the lease is released and a restarted worker resumes at once', async () => {
    const started = h.clock.now();
    const id = await startBulk('deactivate', 'activated');
    // the shutdown request arrives while the first chunk is being processed
    const bulk = handlers[bulkKind];
    if (!bulk) throw new Error('no bulk handler');
    let stopping = false;
    handlers[bulkKind] = {
      ...bulk,
      process: async (...args) => {
        stopping = true;
        return bulk.process(...args);
      },
    };
    try {
      await runJobs(h.ctx, { stopping: () => stopping });
    } finally {
      handlers[bulkKind] = bulk;
    }
    const stopped = await jobRow(id);
    // every lane had taken a chunk before the request came (PGlite runs one lane)
    const lanes = h.ctx.database.driver === 'postgres' ? bulk.lanes : 1;
    expect(stopped).toMatchObject({ status: 'running', processed: lanes * bulk.chunkSize });
    expect(stopped.leaseUntil?.getTime()).toBeLessThanOrEqual(h.clock.now().getTime());

    // the restarted worker takes the job without the clock passing the 60 s lease
    await runJobs(h.ctx);
    expect(await jobRow(id)).toMatchObject({ status: 'done', processed: size, succeeded: size, failed: 0 });
    const [deactivated] = await h.ctx.db
      .select({ n: count() })
      .from(sims)
      .where(and(eq(sims.orgId, demoId), eq(sims.status, 'deactivated')));
    expect(deactivated?.n).toBeGreaterThanOrEqual(size);
    const [events] = await h.ctx.db
      .select({ n: count() })
      .from(simEvents)
      .where(
        and(
          eq(simEvents.orgId, demoId),
          eq(simEvents.type, eventTypes.simSuspension),
          gte(simEvents.occurredAt, started),
        ),
      );
    expect(events?.n).toBe(size);
  });

  it('when its lease already ran out and another worker took the job, then its release leaves the new lease alone', async () => {
    const id = await startBulk('activate', 'deactivated');
    const first = await claimJob(h.ctx.db, h.clock.now(), 60_000);
    expect(first?.id).toBe(id);
    h.clock.advance(2 * 60_000);
    const second = await claimJob(h.ctx.db, h.clock.now(), 60_000);
    expect(second?.id).toBe(id);
    if (!first?.leaseUntil || !second?.leaseUntil) throw new Error('claims without a lease');

    await releaseJob(h.ctx.db, id, first.leaseUntil, h.clock.now());
    expect((await jobRow(id)).leaseUntil).toEqual(second.leaseUntil);
    await releaseJob(h.ctx.db, id, second.leaseUntil, h.clock.now());
    expect((await jobRow(id)).leaseUntil).toEqual(h.clock.now());
    await runJobs(h.ctx);
    expect(await jobRow(id)).toMatchObject({ status: 'done', processed: size, succeeded: size });
  });

  it('when a job runs, then requests to the same process are answered between its chunks, with its progress', async () => {
    const id = await startBulk('deactivate', 'activated');
    let finished = false;
    const run = runJobs(h.ctx).finally(() => {
      finished = true;
    });
    // poll through a timer: PGlite answers in microtasks, so only a worker that yields lets it fire
    // (on PostgreSQL the first polls may come before the job is claimed)
    let seen: { status: string; processed: number } | undefined;
    while (!seen && !finished) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const res = await h.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: as(owner) });
      if (res.json().status === 'running') seen = res.json();
    }
    expect(seen).toMatchObject({ status: 'running' });
    expect(seen?.processed).toBeLessThan(size);
    await run;
    expect(await jobRow(id)).toMatchObject({ status: 'done', processed: size });
  });

  it('when a dead worker committed a later chunk but not an earlier one, then the next worker does the gap and the rest, and nothing twice', async () => {
    const id = await startBulk('activate', 'deactivated');
    const bulk = handlers[bulkKind];
    if (!bulk) throw new Error('no bulk handler');
    // the second window committed (one lane of a worker that died), the first did not
    const chunk = bulk.chunkSize;
    const done = Array.from({ length: chunk }, (_, i) => ({
      seq: chunk + 1 + i,
      result: 'ok' as const,
      message: null,
    }));
    await recordResults(h.ctx.db, id, done, h.clock.now());
    await runJobs(h.ctx);
    expect(await jobRow(id)).toMatchObject({ status: 'done', processed: size, succeeded: size, failed: 0 });
    const [pending] = await h.ctx.db
      .select({ n: count() })
      .from(jobItems)
      .where(and(eq(jobItems.jobId, id), eq(jobItems.result, 'pending')));
    expect(pending?.n).toBe(0);
    // the committed window's SIMs were not changed again: they are still deactivated
    const [still] = await h.ctx.db
      .select({ n: count() })
      .from(sims)
      .where(and(eq(sims.orgId, demoId), eq(sims.status, 'deactivated'), like(sims.iccid, '8949069999999%')));
    expect(still?.n).toBe(chunk);
  });
});

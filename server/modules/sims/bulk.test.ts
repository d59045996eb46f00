import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simEvents, sims } from '../../db/schema/index.js';
import { runJobs } from '../../jobs/runner.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

let h: Harness;
let owner: Session;
let demoId: string;
const size = 10_000;

beforeAll(async () => {
  h = await createHarness();
  const { demoOrgId } = await seedFixtures(h.ctx);
  demoId = demoOrgId;
  await seedFleet(h.ctx, demoId, 7, size, '10.80.0.0/18');
  owner = await signIn(h.app, 'owner@demo.example');
}, 120_000);
afterAll(() => h.close());

describe('a bulk job over 10,000 SIMs', () => {
  it('when the worker stops midway and another resumes after the lease, then every SIM gets exactly one result and one event', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(owner),
      payload: { action: 'deactivate', filter: { status: ['activated'] } },
    });
    expect(res.statusCode).toBe(202);
    const id = res.json().id;
    expect(res.json().total).toBe(size);

    // the first worker does three chunks, then "dies" holding its lease
    await runJobs(h.ctx, { maxChunks: 3 });
    const midway = (
      await h.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: as(owner) })
    ).json();
    expect(midway).toMatchObject({ status: 'running', processed: 3000 });

    // while the lease holds, nobody else takes the job
    await runJobs(h.ctx, { maxChunks: 1 });
    expect(
      (await h.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: as(owner) })).json().processed,
    ).toBe(3000);

    // after the lease, a new worker resumes and finishes
    h.clock.advance(2 * 60_000);
    await runJobs(h.ctx);
    const done = (
      await h.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: as(owner) })
    ).json();
    expect(done).toMatchObject({ status: 'done', total: size, processed: size, succeeded: size, failed: 0 });

    const [deactivated] = await h.ctx.db
      .select({ n: count() })
      .from(sims)
      .where(and(eq(sims.orgId, demoId), eq(sims.status, 'deactivated')));
    expect(deactivated?.n).toBe(size);
    const [events] = await h.ctx.db
      .select({ n: count() })
      .from(simEvents)
      .where(and(eq(simEvents.orgId, demoId), eq(simEvents.type, 9)));
    expect(events?.n).toBe(size);
    const pending = await h.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${id}/items?result=pending`,
      headers: as(owner),
    });
    expect(pending.json().total).toBe(0);
    const ok = await h.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${id}/items?result=ok&pageSize=1000`,
      headers: as(owner),
    });
    expect(ok.json().total).toBe(size);
  }, 120_000);
});

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { jobItems } from '../../db/schema/index.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { findJob, insertJob, pendingItems, recordResults } from './jobs.repository.js';

let h: Harness;
let orgId: string;

beforeAll(async () => {
  h = await createHarness();
  orgId = (await seedFixtures(h.ctx)).demoOrgId;
});
afterAll(() => h.close());

const iccids = (n: number) =>
  Array.from({ length: n }, (_, i) => `89490200000000${String(i).padStart(5, '0')}`);
const seqs = (items: { seq: number }[]) => items.map((i) => i.seq);

async function newJob(n: number) {
  return h.ctx.db.transaction((tx) =>
    insertJob(tx, { orgId, kind: 'sims.bulk', params: {}, source: 'user' }, iccids(n)),
  );
}

async function finish(jobId: string, done: number[]) {
  const until = new Date(h.clock.now().getTime() + 60_000);
  const results = done.map((seq) => ({ seq, result: 'ok' as const, message: null }));
  await h.ctx.db.transaction((tx) => recordResults(tx, jobId, results, until));
}

const next = (jobId: string, limit: number, from: number) =>
  h.ctx.db.transaction((tx) => pendingItems(tx, jobId, limit, from));

describe('a job’s pending items', () => {
  it('when a worker reads chunk after chunk from its position, then it gets each item once, in order, and nothing at the end', async () => {
    const job = await newJob(25);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (let from = 1; ; ) {
      const items = await next(job.id, 10, from);
      if (items.length === 0) break;
      seen.push(...seqs(items));
      sizes.push(items.length);
      await finish(job.id, seqs(items));
      from = (items.at(-1)?.seq ?? 0) + 1;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(sizes).toEqual([10, 10, 5]);
    expect(await findJob(h.ctx.db, orgId, job.id)).toMatchObject({ processed: 25, succeeded: 25 });
  });

  it('when a restarted worker starts from the beginning, then it skips the processed prefix and resumes at the first pending item', async () => {
    const job = await newJob(40);
    await finish(
      job.id,
      Array.from({ length: 23 }, (_, i) => i + 1),
    );
    expect(seqs(await next(job.id, 10, 1))).toEqual([24, 25, 26, 27, 28, 29, 30, 31, 32, 33]);
  });

  it('when the sequence has gaps, then the window moves on to the next pending item instead of ending the job', async () => {
    const job = await newJob(30);
    await h.ctx.db.delete(jobItems).where(eq(jobItems.jobId, job.id));
    await h.ctx.db
      .insert(jobItems)
      .values([1, 2, 50, 51, 400].map((seq) => ({ jobId: job.id, seq, iccid: iccids(1)[0] ?? '' })));
    expect(seqs(await next(job.id, 10, 1))).toEqual([1, 2]);
    expect(seqs(await next(job.id, 10, 3))).toEqual([50, 51]);
    expect(seqs(await next(job.id, 10, 52))).toEqual([400]);
    expect(await next(job.id, 10, 401)).toEqual([]);
  });

  it('when the schema is migrated, then job items leave room on their pages for their one update', async () => {
    const [row] = await selectRows<{ options: string[] }>(
      h.ctx.db,
      sql`SELECT reloptions AS options FROM pg_class WHERE relname = 'job_items'`,
    );
    expect(row?.options).toContain('fillfactor=50');
  });

  it('when results are recorded, then only the chunk’s items change and the counters add up', async () => {
    const job = await newJob(12);
    const until = new Date(h.clock.now().getTime() + 60_000);
    await h.ctx.db.transaction((tx) =>
      recordResults(
        tx,
        job.id,
        [
          { seq: 4, result: 'ok', message: null },
          { seq: 5, result: 'unchanged', message: null },
          { seq: 7, result: 'error', message: 'SIM not found' },
        ],
        until,
      ),
    );
    const rows = await h.ctx.db
      .select()
      .from(jobItems)
      .where(eq(jobItems.jobId, job.id))
      .orderBy(jobItems.seq);
    expect(rows.filter((r) => r.result !== 'pending').map((r) => [r.seq, r.result, r.message])).toEqual([
      [4, 'ok', null],
      [5, 'unchanged', null],
      [7, 'error', 'SIM not found'],
    ]);
    expect(await findJob(h.ctx.db, orgId, job.id)).toMatchObject({
      processed: 3,
      succeeded: 1,
      unchanged: 1,
      failed: 1,
    });
  });
});

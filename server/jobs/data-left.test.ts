/** The refresh of the "data left" sort keys (decision 022) as a job: all at start, noted ones after, the rest on stop. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../db/client.js';
import { noteDataUsed } from '../modules/usage/data-left.js';
import { addUsage } from '../modules/usage/usage.repository.js';
import { seedFleet } from '../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../test/harness.js';
import { startDataLeftRefresh } from './data-left.js';

let h: Harness;
let demoId: string;
let fleet: string[];

beforeAll(async () => {
  h = await createHarness();
  demoId = (await seedFixtures(h.ctx)).demoOrgId;
  fleet = await seedFleet(h.ctx, demoId, 8, 3, '10.66.0.0/24');
});
afterAll(() => h.close());

/** SIMs whose sort key differs from their data left. */
const stale = async () =>
  (
    await selectRows<{ iccid: string }>(
      h.ctx.db,
      sql`SELECT s.iccid FROM sims s JOIN sim_data_left d USING (iccid)
          WHERE d.data_left <> s.data_total - s.data_used ORDER BY 1`,
    )
  ).map((r) => r.iccid);

const use = (iccid: string) =>
  addUsage(h.ctx.db, [
    { orgId: demoId, iccid, day: '2026-11-28', hour: 3, dataUp: 500, dataDown: 0, smsMo: 0, smsMt: 0 },
  ]);

describe('data-left refresh job', () => {
  it('when it starts, then every stale key is written; when it stops, then the noted ones are', async () => {
    const [a, b] = fleet as [string, string];
    // usage that no process noted (one that ended before its refresh)
    await use(a);
    expect(await stale()).toEqual([a]);
    const stop = startDataLeftRefresh(h.ctx, 60_000);
    await expect.poll(stale).toEqual([]);
    await use(b);
    noteDataUsed(h.ctx.database, [b]);
    expect(await stale()).toEqual([b]);
    await stop();
    expect(await stale()).toEqual([]);
  });

  it('when it stops during a spread-out refresh, then it writes the rest at once instead of waiting', async () => {
    const [, , c] = fleet as [string, string, string];
    await use(c);
    // 6,000 noted SIMs (twelve chunks, the last due 88 s into a 120 s interval's spread), one of them real
    noteDataUsed(h.ctx.database, [
      c,
      ...Array.from({ length: 5_999 }, (_, i) => `8999${String(i).padStart(15, '0')}`),
    ]);
    const stop = startDataLeftRefresh(h.ctx, 120_000);
    await expect.poll(stale).toEqual([]);
    await use(c);
    noteDataUsed(h.ctx.database, [c]);
    const t0 = performance.now();
    await stop();
    // the process has 10 s to stop (main.ts); the spread alone would have taken 88 s
    expect(performance.now() - t0).toBeLessThan(8_000);
    expect(await stale()).toEqual([]);
  });
});

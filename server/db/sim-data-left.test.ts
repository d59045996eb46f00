/** The trigger-kept sort key of "data left" (migration 0014, decision 013) follows every change of `sims`. */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUsage } from '../modules/usage/usage.repository.js';
import { seedFleet } from '../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../test/harness.js';
import { selectRows } from './client.js';
import { sims } from './schema/index.js';

let h: Harness;
let demoId: string;
let otherId: string;
let fleet: string[];

/** Rows where sim_data_left and sims disagree, in either direction. */
async function drift() {
  return selectRows<{ iccid: string }>(
    h.ctx.db,
    sql`(SELECT iccid, org_id, data_left FROM sim_data_left
         EXCEPT SELECT iccid, org_id, data_total - data_used FROM sims)
        UNION ALL
        (SELECT iccid, org_id, data_total - data_used FROM sims
         EXCEPT SELECT iccid, org_id, data_left FROM sim_data_left)`,
  );
}

beforeAll(async () => {
  h = await createHarness();
  const { otherOrgId, demoOrgId } = await seedFixtures(h.ctx);
  otherId = otherOrgId;
  demoId = demoOrgId;
  fleet = await seedFleet(h.ctx, demoId, 7, 6, '10.65.0.0/24');
});
afterAll(() => h.close());

describe('sim_data_left', () => {
  it('has a row per SIM after import and assignment', async () => {
    expect(fleet).toHaveLength(6);
    expect(await drift()).toEqual([]);
    const [row] = await selectRows<{ n: number }>(
      h.ctx.db,
      sql`SELECT count(*)::int AS n FROM sim_data_left`,
    );
    const [all] = await selectRows<{ n: number }>(h.ctx.db, sql`SELECT count(*)::int AS n FROM sims`);
    expect(row?.n).toBe(all?.n);
  });

  it('follows usage, a bigger volume, a move to another organisation and a deletion', async () => {
    const [a, b, c] = fleet;
    await addUsage(h.ctx.db, [
      {
        orgId: demoId,
        iccid: a ?? '',
        day: '2026-11-27',
        hour: 9,
        dataUp: 1000,
        dataDown: 5000,
        smsMo: 0,
        smsMt: 0,
      },
      {
        orgId: demoId,
        iccid: b ?? '',
        day: '2026-11-27',
        hour: 9,
        dataUp: 7,
        dataDown: 0,
        smsMo: 1,
        smsMt: 0,
      },
    ]);
    const [left] = await selectRows<{ data_left: string }>(
      h.ctx.db,
      sql`SELECT data_left::text FROM sim_data_left WHERE iccid = ${a}`,
    );
    const [sim] = await h.ctx.db
      .select()
      .from(sims)
      .where(eq(sims.iccid, a ?? ''));
    expect(Number(left?.data_left)).toBe((sim?.dataTotal ?? 0) - 6000);
    await h.ctx.db
      .update(sims)
      .set({ dataTotal: sql`${sims.dataTotal} + 1000` })
      .where(eq(sims.iccid, b ?? ''));
    await h.ctx.db
      .update(sims)
      .set({ orgId: otherId })
      .where(eq(sims.iccid, c ?? ''));
    // a change that leaves the volume alone writes nothing, and still leaves no drift
    await h.ctx.db.update(sims).set({ label: 'untouched volume' }).where(eq(sims.orgId, demoId));
    expect(await drift()).toEqual([]);
    await h.ctx.db.delete(sims).where(eq(sims.iccid, c ?? ''));
    expect(await drift()).toEqual([]);
    const [gone] = await selectRows<{ n: number }>(
      h.ctx.db,
      sql`SELECT count(*)::int AS n FROM sim_data_left WHERE iccid = ${c}`,
    );
    expect(gone?.n).toBe(0);
  });
});

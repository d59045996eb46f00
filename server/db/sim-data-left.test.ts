/**
 * The sort key of "data left" (decisions 013, 022): the trigger (migrations 0014, 0028) follows every change
 * of `sims` but usage; the refresh follows usage.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteDataUsed, refreshDataLeft, refreshNotedDataLeft } from '../modules/usage/data-left.js';
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

  it('follows a bigger volume, a lower use, a move to another organisation and a deletion at once', async () => {
    const [a, b, c] = fleet;
    await h.ctx.db
      .update(sims)
      .set({ dataTotal: sql`${sims.dataTotal} + 1000` })
      .where(eq(sims.iccid, a ?? ''));
    // b used data and its key followed (the refresh); a stock reset then lowers its use: the trigger
    await addUsage(h.ctx.db, [
      {
        orgId: demoId,
        iccid: b ?? '',
        day: '2026-11-27',
        hour: 9,
        dataUp: 5000,
        dataDown: 0,
        smsMo: 0,
        smsMt: 0,
      },
    ]);
    await refreshDataLeft(h.ctx.database);
    expect(Number(await keyOf(b ?? ''))).toBe(Number(await leftOf(b ?? '')));
    await h.ctx.db
      .update(sims)
      .set({ dataUsed: 0 })
      .where(eq(sims.iccid, b ?? ''));
    await h.ctx.db
      .update(sims)
      .set({ orgId: otherId })
      .where(eq(sims.iccid, c ?? ''));
    expect(Number(await keyOf(a ?? ''))).toBe(Number(await leftOf(a ?? '')));
    expect(Number(await keyOf(b ?? ''))).toBe(Number(await leftOf(b ?? '')));
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

  it('follows usage when the noted SIMs are refreshed, and a full refresh finds what was not noted', async () => {
    const [, , , d, e, f] = fleet;
    const before = await keyOf(d ?? '');
    const used = (iccid: string, bytes: number) => ({
      orgId: demoId,
      iccid,
      day: '2026-11-27',
      hour: 9,
      dataUp: bytes,
      dataDown: 0,
      smsMo: 0,
      smsMt: 0,
    });
    await addUsage(h.ctx.db, [used(d ?? '', 6000), used(e ?? '', 7), used(f ?? '', 1)]);
    // usage alone does not go through the trigger: the key waits for the refresh
    expect(await keyOf(d ?? '')).toBe(before);
    noteDataUsed(h.ctx.database, [d ?? '', e ?? '']);
    expect(await refreshNotedDataLeft(h.ctx.database)).toBe(2);
    expect(Number(await keyOf(d ?? ''))).toBe(Number(before) - 6000);
    // what was written is no longer noted
    expect(await refreshNotedDataLeft(h.ctx.database)).toBe(0);
    expect((await drift()).map((r) => r.iccid)).toContain(f);
    expect(await refreshDataLeft(h.ctx.database)).toBe(1);
    expect(await drift()).toEqual([]);
  });

  it("when another transaction holds a SIM's key, then the refresh skips it, keeps it noted and leaves that value", async () => {
    const [, , , , e] = fleet as string[];
    const iccid = e ?? '';
    await addUsage(h.ctx.db, [
      { orgId: demoId, iccid, day: '2026-11-27', hour: 10, dataUp: 300, dataDown: 0, smsMo: 0, smsMt: 0 },
    ]);
    noteDataUsed(h.ctx.database, [iccid]);
    if (h.ctx.database.driver === 'postgres') {
      // a top-up in flight: its trigger holds the key while the refresh runs on another connection
      await h.ctx.db.transaction(async (tx) => {
        await tx
          .update(sims)
          .set({ dataTotal: sql`${sims.dataTotal} + 1000` })
          .where(eq(sims.iccid, iccid));
        expect(await refreshNotedDataLeft(h.ctx.database)).toBe(0);
      });
      // the top-up's value stood (the refresh did not write the SIM as it was before it)
      expect(Number(await keyOf(iccid))).toBe(Number(await leftOf(iccid)));
    }
    // still noted: the next refresh looks at it again and finds nothing left to write
    expect([...new Set((await drift()).map((r) => r.iccid))]).toEqual(
      h.ctx.database.driver === 'postgres' ? [] : [iccid],
    );
    expect(await refreshNotedDataLeft(h.ctx.database)).toBe(h.ctx.database.driver === 'postgres' ? 0 : 1);
    expect(await drift()).toEqual([]);
  });
});

/** The sort key of a SIM, as text (bigint). */
async function keyOf(iccid: string) {
  const [row] = await selectRows<{ data_left: string }>(
    h.ctx.db,
    sql`SELECT data_left::text FROM sim_data_left WHERE iccid = ${iccid}`,
  );
  return row?.data_left;
}

/** A SIM's data left from `sims`. */
async function leftOf(iccid: string) {
  const [row] = await selectRows<{ left: string }>(
    h.ctx.db,
    sql`SELECT (data_total - data_used)::text AS left FROM sims WHERE iccid = ${iccid}`,
  );
  return row?.left;
}

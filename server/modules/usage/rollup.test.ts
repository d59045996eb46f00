import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simUsageDaily, simUsageHourly, simUsageLate } from '../../db/schema/index.js';
import { seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { latch } from '../../test/latch.js';
import { closeDay, readRollupState, rollUpUsage, sumPendingDay } from './rollup.js';
import { addUsage, dailyUsage, type UsageDelta } from './usage.repository.js';

let h: Harness;
let orgId: string;
let sims: string[];
const DAY = 86_400_000;

beforeAll(async () => {
  h = await createHarness();
  ({ demoOrgId: orgId } = await seedFixtures(h.ctx));
  sims = await seedFleet(h.ctx, orgId, 6, 4, '10.70.0.0/24');
  // noon UTC, so that yesterday is past the roll-up's grace
  const now = h.clock.now().getTime();
  h.clock.advance(DAY - (now % DAY) + DAY / 2);
});
afterAll(() => h.close());

const dayOf = (ago: number) => new Date(h.clock.now().getTime() - ago * DAY).toISOString().slice(0, 10);
const usage = (iccid: string, day: string, hour: number | null, dataUp: number): UsageDelta => ({
  orgId,
  iccid,
  day,
  hour,
  dataUp,
  dataDown: 1,
  smsMo: 0,
  smsMt: 0,
});
/** A SIM's days as every reader sees them (the view). */
const days = async (iccid: string) =>
  (await dailyUsage(h.ctx.db, orgId, iccid, '2000-01-01', '2100-01-01')).map((r) => [
    r.day,
    r.dataUp,
    r.dataDown,
  ]);
const dailyRows = async (iccid: string) =>
  (
    await h.ctx.db
      .select()
      .from(simUsageDaily)
      .where(eq(simUsageDaily.iccid, iccid))
      .orderBy(simUsageDaily.day)
  ).map((r) => [r.day, r.dataUp]);
const lateRows = async (iccid: string) =>
  (await h.ctx.db.select().from(simUsageLate).where(eq(simUsageLate.iccid, iccid))).map((r) => [
    r.day,
    r.dataUp,
  ]);

describe('the daily roll-up', () => {
  it('when a transaction is not READ COMMITTED, then it cannot write usage', async () => {
    const [sim = ''] = sims;
    await expect(
      h.ctx.db.transaction((tx) => addUsage(tx, [usage(sim, dayOf(0), 1, 1)]), {
        isolationLevel: 'repeatable read',
      }),
    ).rejects.toThrow();
    expect(await days(sim)).toEqual([]);
  });

  it('when days end, then each is summed from its hours into daily rows and reads the same before and after', async () => {
    const [sim = ''] = sims;
    expect(await readRollupState(h.ctx.db)).toEqual({ dailyFrom: '-infinity', pending: null });
    await addUsage(h.ctx.db, [
      usage(sim, dayOf(3), 1, 10),
      usage(sim, dayOf(3), 23, 20),
      // usage without an hour (history older than the hourly rows) goes straight to the daily row
      usage(sim, dayOf(3), null, 100),
      usage(sim, dayOf(2), 5, 30),
      usage(sim, dayOf(0), 0, 40),
    ]);
    const before = await days(sim);
    expect(before).toEqual([
      [dayOf(3), 130, 3],
      [dayOf(2), 30, 1],
      [dayOf(0), 40, 1],
    ]);
    expect(await dailyRows(sim)).toEqual([[dayOf(3), 100]]);

    const summed = await rollUpUsage(h.ctx.db, h.clock.now());
    expect(summed.map((s) => s.day)).toEqual([dayOf(3), dayOf(2), dayOf(1)]);
    expect(summed[2]?.sims).toBe(0);
    expect(await readRollupState(h.ctx.db)).toEqual({ dailyFrom: dayOf(0), pending: null });
    expect(await dailyRows(sim)).toEqual([
      [dayOf(3), 130],
      [dayOf(2), 30],
    ]);
    expect(await days(sim)).toEqual(before);
    // nothing more to do until today ends, and a second run changes nothing
    expect(await rollUpUsage(h.ctx.db, h.clock.now())).toEqual([]);
    expect(await days(sim)).toEqual(before);
  });

  it('when usage of a closed day arrives, then it counts once, whether the day is pending or summed', async () => {
    const [, sim = ''] = sims;
    const day = dayOf(0);
    await addUsage(h.ctx.db, [usage(sim, day, 10, 1000)]);
    h.clock.advance(DAY);
    expect(await closeDay(h.ctx.db, h.clock.now())).toBe(day);
    expect(await readRollupState(h.ctx.db)).toEqual({ dailyFrom: dayOf(0), pending: day });

    // pending: read from the hourly rows, which have it too
    await addUsage(h.ctx.db, [usage(sim, day, 23, 7)]);
    expect(await lateRows(sim)).toEqual([[day, 7]]);
    expect(await days(sim)).toEqual([[day, 1007, 2]]);

    expect(await sumPendingDay(h.ctx.db)).toEqual({ day, sims: 2 });
    expect(await dailyRows(sim)).toEqual([[day, 1000]]);
    expect(await days(sim)).toEqual([[day, 1007, 2]]);

    // summed: read from the daily and the late rows
    await addUsage(h.ctx.db, [usage(sim, day, 23, 5)]);
    expect(await lateRows(sim)).toEqual([[day, 12]]);
    expect(await days(sim)).toEqual([[day, 1012, 3]]);
    expect(await sumPendingDay(h.ctx.db)).toBeNull();
  });

  it('when two workers run the roll-up at once, then each day is summed once', async () => {
    const [, , , sim = ''] = sims;
    const day = dayOf(0);
    await addUsage(h.ctx.db, [usage(sim, day, 4, 70)]);
    h.clock.advance(DAY);
    const runs = await Promise.all([
      rollUpUsage(h.ctx.db, h.clock.now(), { attempts: 100, pauseMs: 20 }),
      rollUpUsage(h.ctx.db, h.clock.now(), { attempts: 100, pauseMs: 20 }),
    ]);
    expect(runs.flat().map((d) => d.day)).toEqual([day]);
    expect(await dailyRows(sim)).toEqual([[day, 70]]);
    expect(await days(sim)).toEqual([[day, 70, 1]]);
  });

  it('when an organisation was deleted, then its hourly rows are not summed', async () => {
    const gone = randomUUID();
    const day = dayOf(0);
    await h.ctx.db
      .insert(simUsageHourly)
      .values({ iccid: '8900000000000000001', hour: new Date(`${day}T08:00:00Z`), orgId: gone, dataUp: 9 });
    h.clock.advance(DAY);
    await rollUpUsage(h.ctx.db, h.clock.now());
    expect(await h.ctx.db.select().from(simUsageDaily).where(eq(simUsageDaily.orgId, gone))).toEqual([]);
  });

  it('when a writer holds the day open, then closing waits for its commit; a writer after the close counts it late', async () => {
    const [, , sim = ''] = sims;
    const day = dayOf(0);
    h.clock.advance(DAY);
    // a writer that read daily_from before the close, still in its transaction
    const gate = latch();
    const written = latch();
    const writer = h.ctx.db.transaction(async (tx) => {
      await addUsage(tx, [usage(sim, day, 22, 50)]);
      written.open();
      await gate.done;
    });
    await written.done;
    let closed = false;
    // on PostgreSQL each try gives up after 100 ms (lock_timeout) and the run tries again
    const closing = rollUpUsage(h.ctx.db, h.clock.now(), { attempts: 100, pauseMs: 20 }).then((d) => {
      closed = true;
      return d;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(closed).toBe(false);
    gate.open();
    await writer;
    expect((await closing).map((d) => d.day)).toEqual([day]);
    expect(await lateRows(sim)).toEqual([]);

    // a closing in progress: the writer waits for it and then reads the new daily_from
    const next = dayOf(0);
    await addUsage(h.ctx.db, [usage(sim, next, 3, 4)]);
    h.clock.advance(DAY);
    const held = latch();
    const locked = latch();
    const closer = h.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('usage-rollup'))`);
      await tx.execute(sql`UPDATE usage_rollup SET daily_from = daily_from + 1, pending = daily_from`);
      locked.open();
      await held.done;
    });
    await locked.done;
    let added = false;
    const late = addUsage(h.ctx.db, [usage(sim, next, 23, 6)]).then(() => {
      added = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(added).toBe(false);
    held.open();
    await closer;
    await late;
    expect(await lateRows(sim)).toEqual([[next, 6]]);
    expect(await sumPendingDay(h.ctx.db)).toMatchObject({ day: next });
    expect(await days(sim)).toEqual([
      [day, 50, 1],
      [next, 10, 2],
    ]);
    expect(await dailyRows(sim)).toEqual([
      [day, 50],
      [next, 4],
    ]);
  });
});

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { simUsageDaily, simUsageDays, simUsageHourly } from '../../db/schema/index.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { latch } from '../../test/latch.js';
import { storeAccounting } from '../network/accounting.service.js';
import { AcctStatus, type RadiusFields } from '../network/radius-record.js';
import { rollUpUsage } from './rollup.js';
import { addUsage, type UsageDelta } from './usage.repository.js';

let h: Harness;
let orgId: string;
let otherOrgId: string;
let mine: string[];
let theirs: string[];
let owner: Session;
let other: Session;
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await createHarness();
  ({ otherOrgId, demoOrgId: orgId } = await seedFixtures(h.ctx));
  mine = await seedFleet(h.ctx, orgId, 3, 4, '10.60.0.0/24');
  theirs = await seedFleet(h.ctx, otherOrgId, 4, 1, '10.61.0.0/24');
  owner = await signIn(h.app, 'owner@demo.example');
  other = await signIn(h.app, 'other-owner@other.example');
});
afterAll(() => h.close());

const at = (iso: string, iccid: string, v: Partial<UsageDelta>, org = orgId): UsageDelta => ({
  orgId: org,
  iccid,
  day: iso.slice(0, 10),
  hour: Number(iso.slice(11, 13)),
  dataUp: 0,
  dataDown: 0,
  smsMo: 0,
  smsMt: 0,
  ...v,
});
const hoursOf = (iccid: string) =>
  h.ctx.db.select().from(simUsageHourly).where(eq(simUsageHourly.iccid, iccid)).orderBy(simUsageHourly.hour);
const daysOf = (iccid: string) =>
  h.ctx.db.select().from(simUsageDays).where(eq(simUsageDays.iccid, iccid)).orderBy(simUsageDays.day);

/** The hourly rows added up per day, in the shape of the daily rows. */
async function hourlySummedPerDay(iccid: string) {
  const sums = new Map<
    string,
    { day: string; dataUp: number; dataDown: number; smsMo: number; smsMt: number }
  >();
  for (const r of await hoursOf(iccid)) {
    const day = r.hour.toISOString().slice(0, 10);
    const t = sums.get(day) ?? { day, dataUp: 0, dataDown: 0, smsMo: 0, smsMt: 0 };
    t.dataUp += r.dataUp;
    t.dataDown += r.dataDown;
    t.smsMo += r.smsMo;
    t.smsMt += r.smsMt;
    sums.set(day, t);
  }
  return [...sums.values()];
}
const dailyFigures = async (iccid: string) =>
  (await daysOf(iccid)).map(({ day, dataUp, dataDown, smsMo, smsMt }) => ({
    day,
    dataUp,
    dataDown,
    smsMo,
    smsMt,
  }));

describe('hourly usage rows', () => {
  it('when one batch spans an hour and a day boundary, then each hour gets its row and the hours add up to the days', async () => {
    const sim = mine[0] ?? '';
    await addUsage(h.ctx.db, [
      at('2026-11-20T22:10', sim, { dataUp: 10, dataDown: 100 }),
      at('2026-11-20T23:59', sim, { dataUp: 20, dataDown: 200, smsMo: 1 }),
      at('2026-11-20T23:01', sim, { dataDown: 5 }),
      at('2026-11-21T00:00', sim, { dataUp: 30, dataDown: 300, smsMt: 2 }),
      at('2026-11-21T00:30', sim, { dataUp: 1 }),
    ]);
    // a later batch adds to the existing hour
    await addUsage(h.ctx.db, [at('2026-11-21T00:45', sim, { dataDown: 7 })]);
    expect(
      (await hoursOf(sim)).map((r) => [r.hour.toISOString(), r.dataUp, r.dataDown, r.smsMo, r.smsMt]),
    ).toEqual([
      ['2026-11-20T22:00:00.000Z', 10, 100, 0, 0],
      ['2026-11-20T23:00:00.000Z', 20, 205, 1, 0],
      ['2026-11-21T00:00:00.000Z', 31, 307, 0, 2],
    ]);
    expect(await hourlySummedPerDay(sim)).toEqual(await dailyFigures(sim));
    // and the same once the roll-up summed the days into daily rows (decision 026)
    await rollUpUsage(h.ctx.db, h.clock.now());
    expect(await hourlySummedPerDay(sim)).toEqual(await dailyFigures(sim));
    expect(
      (await h.ctx.db.select().from(simUsageDaily).where(eq(simUsageDaily.iccid, sim)))
        .map((d) => d.day)
        .sort(),
    ).toEqual(['2026-11-20', '2026-11-21']);
  });

  it('when accounting interims arrive either side of an hour boundary, then the session’s growth lands in each hour', async () => {
    const sim = mine[1] ?? '';
    const imsi = fixtureIds(3, 2).imsi;
    // the decoded request as the AAA hands it on (the codec has its own tests under server/network)
    const send = (statusType: number, fields: RadiusFields = {}) =>
      storeAccounting(h.ctx, [
        {
          nasAddress: '127.0.0.1',
          request: { statusType, sessionId: 'H1', userName: imsi, imsi, ...fields },
        },
      ]);
    // 30 seconds before the next full hour
    const now = h.clock.now().getTime();
    h.clock.advance(Math.ceil(now / HOUR) * HOUR - now - 30_000);
    const before = h.clock.now();
    await send(AcctStatus.Start);
    await send(AcctStatus.InterimUpdate, { inputOctets: 1000n, outputOctets: 2000n });
    h.clock.advance(60_000);
    const after = h.clock.now();
    await send(AcctStatus.InterimUpdate, { inputOctets: 5000n, outputOctets: 2000n });
    await send(AcctStatus.Stop, { inputOctets: 5000n, outputOctets: 2500n });
    const hourOf = (d: Date) => `${d.toISOString().slice(0, 13)}:00:00.000Z`;
    expect((await hoursOf(sim)).map((r) => [r.hour.toISOString(), r.dataUp, r.dataDown])).toEqual([
      [hourOf(before), 1000, 2000],
      [hourOf(after), 4000, 500],
    ]);
    expect(await hourlySummedPerDay(sim)).toEqual(await dailyFigures(sim));
  });
});

describe('usage rows under accounting', () => {
  /** The heap page each of the SIMs' usage rows lies on, by ICCID. */
  const pagesOf = async (table: 'sim_usage_hourly', iccids: string[]) =>
    new Map(
      (
        await selectRows<{ iccid: string; page: number }>(
          h.ctx.db,
          sql`SELECT iccid, (ctid::text::point)[0]::int AS page FROM ${sql.identifier(table)}
              WHERE iccid = ANY(${sql.param(iccids)}::text[])`,
        )
      ).map((r) => [r.iccid, r.page]),
    );

  it('when a batch updates the rows one batch inserted side by side, then every new version stays on its page', async () => {
    // migration 0033: a SIM's Interims come in the order of its session, so the next batch of an
    // hour rewrites whole pages; at fillfactor 80 most new versions had to move (and index anew)
    const sims = await seedFleet(h.ctx, orgId, 5, 150, '10.62.0.0/24');
    const batch = (dataUp: number) => sims.map((iccid) => at('2026-11-25T10:20', iccid, { dataUp }));
    await addUsage(h.ctx.db, batch(10));
    const hourly = await pagesOf('sim_usage_hourly', sims);
    expect(hourly.size).toBe(150);
    expect(new Set(hourly.values()).size).toBeGreaterThan(1);
    await addUsage(h.ctx.db, batch(5));
    expect(await pagesOf('sim_usage_hourly', sims)).toEqual(hourly);
    expect((await hoursOf(sims[149] ?? '')).map((r) => r.dataUp)).toEqual([15]);
  });

  it('when an SMS holds its SIM and an accounting statement of that SIM comes, then the statement waits before any usage row, and both count', async () => {
    // an SMS locks its SIM and then adds usage; an accounting batch adds usage in one statement. That
    // statement must lock the SIM first and the usage rows after (see addUsageWith), or the two deadlock.
    const iccid = mine[2] ?? '';
    const slot = at('2026-11-25T11:05', iccid, { dataUp: 1 });
    await addUsage(h.ctx.db, [slot]);
    const onPostgres = Boolean(h.ctx.config.DATABASE_URL);
    const go = latch();
    const held = latch();
    const sms = h.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1 FROM sims WHERE iccid = ${iccid} FOR UPDATE`);
      held.open();
      await go.done;
      await addUsage(tx, [{ ...slot, dataUp: 0, smsMo: 1 }]);
    });
    await held.done;
    const accounting = addUsage(h.ctx.db, [{ ...slot, dataUp: 100 }]);
    // the SMS goes on however the checks end: a deadlock would otherwise hold the harness up
    try {
      if (onPostgres) await expectWaitingBeforeUsageRows(iccid);
    } finally {
      go.open();
    }
    await sms;
    await accounting;
    expect((await hoursOf(iccid)).map((r) => [r.dataUp, r.smsMo])).toEqual([[101, 1]]);
  });
});

/** On PostgreSQL: a statement waits for a lock, and it has not taken the SIM's hourly usage row. */
async function expectWaitingBeforeUsageRows(iccid: string) {
  // the statement is waiting for the SIM…
  for (let n = 0; ; n++) {
    const [w] = await selectRows<{ n: number }>(
      h.ctx.db,
      sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((w?.n ?? 0) > 0) break;
    if (n > 500) throw new Error('the accounting statement never waited for the SIM');
    await new Promise((r) => setTimeout(r, 10));
  }
  // …and has not taken the SIM's usage row, which the SMS needs next
  const free = await h.ctx.db.transaction(async (tx) =>
    selectRows<{ iccid: string }>(
      tx,
      sql`SELECT iccid FROM sim_usage_hourly WHERE iccid = ${iccid} FOR UPDATE NOWAIT`,
    ),
  );
  expect(free).toHaveLength(1);
}

describe('GET /sims/{iccid}/usage?granularity=hour', () => {
  const get = (url: string, who = owner) => h.app.inject({ method: 'GET', url, headers: as(who) });
  const today = () => h.clock.now().toISOString().slice(0, 10);
  const daysAgo = (n: number) =>
    new Date(h.clock.now().getTime() - n * 86_400_000).toISOString().slice(0, 10);

  it('when asked by hour, then every hour of the range is there, in order, adding up to the days', async () => {
    const sim = mine[2] ?? '';
    const yesterday = daysAgo(1);
    await addUsage(h.ctx.db, [
      at(`${yesterday}T05:00`, sim, { dataUp: 3, dataDown: 4 }),
      at(`${yesterday}T17:00`, sim, { smsMo: 2 }),
      at(`${today()}T00:00`, sim, { dataDown: 9, smsMt: 1 }),
    ]);
    const res = await get(`/api/v1/sims/${sim}/usage?granularity=hour`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ granularity: 'hour', from: yesterday, to: today() });
    expect(body.hours).toHaveLength(48);
    expect(body.hours[0].hour).toBe(`${yesterday}T00:00:00.000Z`);
    expect(body.hours[5]).toEqual({
      hour: `${yesterday}T05:00:00.000Z`,
      dataUp: 3,
      dataDown: 4,
      smsMo: 0,
      smsMt: 0,
    });
    expect(body.hours[24]).toEqual({
      hour: `${today()}T00:00:00.000Z`,
      dataUp: 0,
      dataDown: 9,
      smsMo: 0,
      smsMt: 1,
    });
    for (const d of body.days) {
      const hours = body.hours.filter((x: { hour: string }) => x.hour.startsWith(d.day));
      expect(hours.reduce((a: number, x: { dataDown: number }) => a + x.dataDown, 0)).toBe(d.dataDown);
      expect(hours.reduce((a: number, x: { smsMo: number }) => a + x.smsMo, 0)).toBe(d.smsMo);
    }
    expect(body.totals).toEqual({ dataUp: 3, dataDown: 13, smsMo: 2, smsMt: 1 });
    // by day, the answer has no hours
    const byDay = (await get(`/api/v1/sims/${sim}/usage?from=${yesterday}`)).json();
    expect(byDay.granularity).toBe('day');
    expect(byDay.hours).toBeUndefined();
    expect(byDay.days).toEqual(body.days);
  });

  it('when an hourly range spans 7 days, then it is answered; 8 days, or before the hourly retention, answer 400', async () => {
    const sim = mine[2] ?? '';
    const seven = await get(`/api/v1/sims/${sim}/usage?granularity=hour&from=${daysAgo(6)}&to=${today()}`);
    expect(seven.statusCode).toBe(200);
    expect(seven.json().hours).toHaveLength(7 * 24);
    const eight = await get(`/api/v1/sims/${sim}/usage?granularity=hour&from=${daysAgo(7)}&to=${today()}`);
    expect(eight.statusCode).toBe(400);
    expect(eight.json().detail).toContain('at most 7 days');
    const old = await get(`/api/v1/sims/${sim}/usage?granularity=hour&from=${daysAgo(40)}&to=${daysAgo(38)}`);
    expect(old.statusCode).toBe(400);
    expect(old.json().detail).toContain('kept for 31 days');
    // the same old range by day is fine
    expect((await get(`/api/v1/sims/${sim}/usage?from=${daysAgo(40)}&to=${daysAgo(38)}`)).statusCode).toBe(
      200,
    );
    for (const q of [
      'granularity=week',
      'granularity=hour&from=2026-02-30',
      `granularity=hour&from=${today()}&to=${daysAgo(1)}`,
    ]) {
      const res = await get(`/api/v1/sims/${sim}/usage?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
  });

  it("when another organisation asks for a SIM's hours, then 404, and its own SIM shows only its own usage", async () => {
    const sim = mine[2] ?? '';
    expect((await get(`/api/v1/sims/${sim}/usage?granularity=hour`, other)).statusCode).toBe(404);
    const theirSim = theirs[0] ?? '';
    await addUsage(h.ctx.db, [at(`${today()}T00:00`, theirSim, { dataUp: 77 }, otherOrgId)]);
    expect((await get(`/api/v1/sims/${theirSim}/usage?granularity=hour`)).statusCode).toBe(404);
    const body = (await get(`/api/v1/sims/${theirSim}/usage?granularity=hour`, other)).json();
    expect(body.totals.dataUp).toBe(77);
    expect(body.hours.reduce((a: number, x: { dataUp: number }) => a + x.dataUp, 0)).toBe(77);
  });
});

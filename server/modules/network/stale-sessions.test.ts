import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { radiusSessions, simUsageDays } from '../../db/schema/index.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { storeAccounting } from './accounting.service.js';
import { STALE_CAUSE } from './network-data.js';
import { AcctStatus, type RadiusFields } from './radius-record.js';
import { closeStaleSessions } from './stale-sessions.js';

let h: Harness;
let sims: string[];
let owner: Session;
const MIN = 60_000;
/** The platform has been listening since long before these tests. */
const listening = new Date(0);

beforeAll(async () => {
  h = await createHarness();
  const { demoOrgId } = await seedFixtures(h.ctx);
  sims = await seedFleet(h.ctx, demoOrgId, 7, 4, '10.70.0.0/24');
  owner = await signIn(h.app, 'owner@demo.example');
});
afterAll(() => h.close());

/** An Accounting-Request of SIM `n` (1-based, as seedFleet numbers them) on session `sid`. */
const send = (n: number, sid: string, statusType: number, fields: RadiusFields = {}) => {
  const { imsi } = fixtureIds(7, n);
  return storeAccounting(h.ctx, [
    { nasAddress: '127.0.0.2', request: { statusType, sessionId: sid, userName: imsi, imsi, ...fields } },
  ]);
};
const session = async (sid: string) =>
  (
    await h.ctx.db
      .select()
      .from(radiusSessions)
      .where(and(eq(radiusSessions.nasAddress, '127.0.0.2'), eq(radiusSessions.sessionId, sid)))
  )[0];
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: as(owner) });
const used = async (iccid: string) =>
  (await h.ctx.db.select().from(simUsageDays).where(eq(simUsageDays.iccid, iccid))).reduce(
    (t, r) => t + r.dataUp + r.dataDown,
    0,
  );

describe('sessions the network stopped reporting', () => {
  it('when a session has had no accounting for 16 minutes, then it is closed, its SIM goes offline, and an event says why', async () => {
    const [lost, alive, idle] = [sims[0] ?? '', sims[1] ?? '', sims[2] ?? ''];
    await send(1, 'LOST', AcctStatus.Start);
    await send(1, 'LOST', AcctStatus.InterimUpdate, { inputOctets: 3n * 1024n * 1024n, outputOctets: 0n });
    await send(2, 'ALIVE', AcctStatus.Start);
    await send(3, 'IDLE', AcctStatus.Start);
    // ALIVE keeps growing; IDLE keeps reporting without using anything
    for (let m = 0; m < 16; m += 5) {
      h.clock.advance(5 * MIN);
      await send(2, 'ALIVE', AcctStatus.InterimUpdate, {
        inputOctets: BigInt(1000 * (m + 1)),
        outputOctets: 0n,
      });
      await send(3, 'IDLE', AcctStatus.InterimUpdate, { inputOctets: 0n, outputOctets: 0n });
    }
    expect((await get(`/api/v1/sims/${lost}`)).json().session).toBe('online');
    // a platform that started 15 minutes ago has not heard the network long enough to judge
    expect(await closeStaleSessions(h.ctx, new Date(h.clock.now().getTime() - 15 * MIN))).toBe(0);
    expect(await session('LOST')).toMatchObject({ stoppedAt: null });

    expect(await closeStaleSessions(h.ctx, listening)).toBe(1);

    expect(await session('LOST')).toMatchObject({ stopCause: STALE_CAUSE, stoppedAt: h.clock.now() });
    expect(await session('ALIVE')).toMatchObject({ stoppedAt: null });
    expect(await session('IDLE')).toMatchObject({ stoppedAt: null });
    expect((await get(`/api/v1/sims/${lost}`)).json().session).toBe('offline');
    expect((await get(`/api/v1/sims/${alive}`)).json().session).toBe('online');
    expect((await get(`/api/v1/sims/${idle}`)).json().session).toBe('online');
    const events = (await get(`/api/v1/sims/${lost}/events?type=5`)).json();
    expect(events.total).toBe(1);
    expect(events.items[0]).toMatchObject({
      source: 'network',
      description: `Data session ended (${STALE_CAUSE}): 3 MB used`,
    });
    expect(events.items[0].details).toMatchObject({ sessionId: 'LOST', cause: STALE_CAUSE });
    // nothing more to close
    expect(await closeStaleSessions(h.ctx, listening)).toBe(0);
  });

  it('when a closed session is reported again, then it reopens and its growth is counted once', async () => {
    const lost = sims[0] ?? '';
    const before = await used(lost);
    const interim = { inputOctets: 5n * 1024n * 1024n, outputOctets: 1024n };
    await send(1, 'LOST', AcctStatus.InterimUpdate, interim);
    await send(1, 'LOST', AcctStatus.InterimUpdate, interim); // a retransmit
    expect(await used(lost)).toBe(before + 2 * 1024 * 1024 + 1024);
    expect(await session('LOST')).toMatchObject({ stoppedAt: null, stopCause: null });
    expect((await get(`/api/v1/sims/${lost}`)).json().session).toBe('online');
    const reopened = (await get(`/api/v1/sims/${lost}/events?type=4`)).json();
    expect(reopened.items.map((e: { description: string }) => e.description)).toContain(
      `Data session reported again after it was closed (${STALE_CAUSE})`,
    );

    // its real Stop ends it for good: a later Interim counts nothing
    await send(1, 'LOST', AcctStatus.Stop, { ...interim, terminateCause: 1 });
    expect(await session('LOST')).toMatchObject({ stopCause: 'User-Request' });
    await send(1, 'LOST', AcctStatus.InterimUpdate, { inputOctets: 9n * 1024n * 1024n, outputOctets: 1024n });
    expect(await used(lost)).toBe(before + 2 * 1024 * 1024 + 1024);
    expect(await session('LOST')).toMatchObject({ stopCause: 'User-Request' });
  });

  it('when a SIM has another open session, then closing the lost one leaves it online', async () => {
    const sim = sims[3] ?? '';
    await send(4, 'OLD', AcctStatus.Start);
    h.clock.advance(10 * MIN);
    await send(4, 'NEW', AcctStatus.Start);
    h.clock.advance(7 * MIN);
    // (the earlier tests' sessions, quiet as long, go too)
    expect(await closeStaleSessions(h.ctx, listening)).toBeGreaterThanOrEqual(1);
    expect(await session('OLD')).toMatchObject({ stopCause: STALE_CAUSE });
    expect(await session('NEW')).toMatchObject({ stoppedAt: null });
    expect((await get(`/api/v1/sims/${sim}`)).json().session).toBe('online');
  });

  it('when the timeout is shorter than two Interim intervals, then the configuration is refused naming it', () => {
    expect(() => loadConfig({ RADIUS_INTERIM_INTERVAL: '600', RADIUS_STALE_SESSION_SECONDS: '900' })).toThrow(
      /RADIUS_STALE_SESSION_SECONDS: must be at least twice RADIUS_INTERIM_INTERVAL/,
    );
    expect(
      loadConfig({ RADIUS_INTERIM_INTERVAL: '600', RADIUS_STALE_SESSION_SECONDS: '1200' }),
    ).toMatchObject({ RADIUS_STALE_SESSION_SECONDS: 1200 });
  });
});

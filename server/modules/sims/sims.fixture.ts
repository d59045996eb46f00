/**
 * The My SIMs fixture shared by the SIM list, detail and action tests: twelve SIMs of the demo
 * organisation in known states (labels, statuses, sessions, volumes, end of life, locks), three of
 * another organisation, and a signed-in session per demo role plus the other organisation's owner.
 * Each test file that calls `mySimsFixture()` gets its own database.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { refreshDataLeft } from '../usage/data-left.js';

/** A mebibyte, in bytes. */
export const MB = 1024 * 1024;

/** Register the fixture's beforeAll/afterAll; the returned helpers read it once it is seeded. */
export function mySimsFixture() {
  let h: Harness | undefined;
  let demoOrgId = '';
  let mine: string[] = [];
  let foreign: string[] = [];
  const s = new Map<string, Session>();

  beforeAll(async () => {
    h = await createHarness();
    const ids = await seedFixtures(h.ctx);
    demoOrgId = ids.demoOrgId;
    mine = await seedFleet(h.ctx, demoOrgId, 1, 12, '10.64.0.0/24');
    foreign = await seedFleet(h.ctx, ids.otherOrgId, 2, 3, '10.99.0.0/24');
    const harness = h;
    const set = (n: number, v: Partial<typeof sims.$inferInsert>) =>
      harness.ctx.db
        .update(sims)
        .set(v)
        .where(eq(sims.iccid, mine[n - 1] ?? ''));
    await set(1, { label: 'Alpha Pump' });
    await set(2, { status: 'deactivated', label: 'beta meter' });
    await set(3, { status: 'expired' });
    await set(4, { sessionState: 'online', imei: '490154203237518' });
    await set(5, { sessionState: 'online' });
    await set(6, { sessionState: 'attached' });
    await set(7, { sessionState: 'blocked', imeiLock: true });
    await set(8, { dataUsed: 450 * MB });
    await set(9, { dataUsed: 500 * MB });
    await set(10, { smsUsed: 240, endOfLife: new Date('2031-03-01T00:00:00Z') });
    await set(11, { smsUsed: 250, autoTopUp: true, endOfLife: new Date('2029-07-15T12:00:00Z') });
    await set(12, { label: 'Gamma PUMP 2', imeiLock: true, autoTopUp: true });
    // SIMs 8 and 9 used data: their sort keys by data left follow as the AAA's refresh writes them
    await refreshDataLeft(h.ctx.database);
    for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
    s.set('other', await signIn(h.app, 'other-owner@other.example'));
  });
  afterAll(() => h?.close());

  const harness = () => {
    if (!h) throw new Error('the fixture is not seeded yet');
    return h;
  };
  const session = (role: string) => {
    const found = s.get(role);
    if (!found) throw new Error(`no session for ${role}`);
    return found;
  };
  return {
    harness,
    session,
    demoOrgId: () => demoOrgId,
    /** The demo organisation's SIM k (1–12). */
    n: (k: number) => mine[k - 1] ?? '',
    /** The demo organisation's twelve SIMs, in fixture order. */
    mine: () => [...mine],
    /** The other organisation's SIM k (0–2). */
    foreign: (k: number) => foreign[k] ?? '',
    get: (url: string, role = 'owner') =>
      harness().app.inject({ method: 'GET', url, headers: as(session(role)) }),
    patch: (iccid: string, payload: unknown, role = 'owner') =>
      harness().app.inject({
        method: 'PATCH',
        url: `/api/v1/sims/${iccid}`,
        headers: as(session(role)),
        payload: payload as object,
      }),
    iccidsOf: (res: { json: () => { items: { iccid: string }[] } }) => res.json().items.map((i) => i.iccid),
  };
}

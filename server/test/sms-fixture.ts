/**
 * The SMS fixture shared by the SMS tests: a simulator SMSC on the harness's clock that dates its
 * receipts in Bogotá time (UTC−5 all year: no hour a test could fall in twice) and says so in its URL;
 * texts with FAIL or EXPIRE get that receipt, texts with LATE theirs after 1.5 s instead of 30 ms. The
 * ESME bound to it, twelve SIMs of the demo organisation (the second deactivated), two of another
 * organisation, and a signed-in session per demo role plus the other organisation's owner. Each test
 * file (server/modules/sms) that calls `smsFixture()` gets its own database and SMSC; the bindings
 * below are live, set once the fixture is up.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import { sims } from '../db/schema/index.js';
import { demoLogins } from '../demo/seed.js';
import { type SmscSimulator, startSmscSimulator } from '../network/simulator/smsc.js';
import { type SmppRunner, startSmpp } from '../network/smpp/runner.js';
import { seedFleet } from './fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from './harness.js';

export let h: Harness;
export let smsc: SmscSimulator;
export let runner: SmppRunner | null = null;
const s = new Map<string, Session>();
export let mine: string[];
export let foreign: string[];

/** Start the ESME (the fixture starts it; tests that stop it start it again). */
export const start = async () => {
  runner = await startSmpp(h.ctx, {
    pollMs: 30,
    statusMs: 100,
    receiptWaitMs: 3000,
    esme: { reconnectMinMs: 20 },
  });
  expect(await runner.esme.waitBound()).toBe(true);
};
export const stop = async () => {
  await runner?.stop();
  runner = null;
};

/** Register the fixture's beforeAll/afterAll. */
export function smsFixture() {
  beforeAll(async () => {
    smsc = await startSmscSimulator({
      receiptDelayMs: ({ text }) => (text.includes('LATE') ? 1500 : 30),
      now: () => h.clock.now(),
      receiptZone: 'America/Bogota',
      outcome: ({ text }) =>
        text.includes('FAIL') ? 'failed' : text.includes('EXPIRE') ? 'expired' : 'delivered',
    });
    h = await createHarness({ SMPP_URL: smsc.url });
    const { otherOrgId, demoOrgId } = await seedFixtures(h.ctx);
    mine = await seedFleet(h.ctx, demoOrgId, 1, 12, '10.64.0.0/24');
    foreign = await seedFleet(h.ctx, otherOrgId, 2, 2, '10.99.0.0/24');
    await h.ctx.db
      .update(sims)
      .set({ status: 'deactivated' })
      .where(eq(sims.iccid, mine[1] ?? ''));
    for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
    s.set('other', await signIn(h.app, 'other-owner@other.example'));
    await start();
  }, 60_000);
  afterAll(async () => {
    await stop();
    await h.close();
    await smsc.stop();
  });
}

export const session = (role: string) => {
  const found = s.get(role);
  if (!found) throw new Error(`no session for ${role}`);
  return found;
};
export const n = (k: number) => mine[k - 1] ?? '';
export const post = (iccid: string, payload: unknown, role = 'owner') =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/sims/${iccid}/sms`,
    headers: as(session(role)),
    payload: payload as object,
  });
export const get = (url: string, role = 'owner') =>
  h.app.inject({ method: 'GET', url, headers: as(session(role)) });
export const del = (url: string, role = 'owner') =>
  h.app.inject({ method: 'DELETE', url, headers: as(session(role)) });
export const simRow = async (iccid: string) =>
  (await h.ctx.db.select().from(sims).where(eq(sims.iccid, iccid)))[0];

export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not reached in time: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
export const message = (iccid: string, id: string) =>
  get(`/api/v1/sims/${iccid}/sms/${id}`).then((r) => r.json());

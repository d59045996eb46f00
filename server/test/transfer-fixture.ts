/**
 * The transfer fixture shared by the transfer tests: the demo master with SIMs of series 1 (30),
 * its sub-organisation with series 3 (5), Other Corp with series 4 (2), each in its own address
 * block, and signed-in sessions of the master's Owner and Admin and the sub-organisation's Owner.
 * Each test file that calls `transferFixture()` gets its own database; the bindings below are live.
 */
import { asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { organisations, simCounts, simEvents, sims } from '../db/schema/index.js';
import { demoSubOwner } from '../demo/seed.js';
import { fixtureIds, seedFleet } from './fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from './harness.js';

export let h: Harness;
export let owner: Session;
export let admin: Session;
export let subOwner: Session;
export let masterId: string;
export let subId: string;
export let otherOrgId: string;

/** Master SIMs are series 1, sub-organisation SIMs series 3, Other Corp's series 4. */
export const m = (n: number) => fixtureIds(1, n).iccid;
export const s = (n: number) => fixtureIds(3, n).iccid;
export const o = (n: number) => fixtureIds(4, n).iccid;

async function orgId(name: string) {
  const [row] = await h.ctx.db.select().from(organisations).where(eq(organisations.name, name));
  if (!row) throw new Error(`no organisation ${name}`);
  return row.id;
}

/** Register the fixture's beforeAll/afterAll. */
export function transferFixture() {
  beforeAll(async () => {
    h = await createHarness();
    ({ otherOrgId } = await seedFixtures(h.ctx));
    masterId = await orgId('Demo Industries GmbH');
    subId = await orgId('Demo Industries Logistics GmbH');
    owner = await signIn(h.app, 'owner@demo.example');
    admin = await signIn(h.app, 'admin@demo.example');
    subOwner = await signIn(h.app, demoSubOwner);
    await seedFleet(h.ctx, masterId, 1, 30, '10.90.0.0/24');
    await seedFleet(h.ctx, subId, 3, 5, '10.91.0.0/24');
    await seedFleet(h.ctx, otherOrgId, 4, 2, '10.92.0.0/30');
  });
  afterAll(() => h.close());
}

export const transfer = (session: Session, body: Record<string, unknown>) =>
  h.app.inject({ method: 'POST', url: '/api/v1/sims/transfer', headers: as(session), payload: body });

/** An organisation's SIMs in ICCID order (without an order, the plan's index would choose it). */
export async function simsOf(orgId: string) {
  return h.ctx.db.select().from(sims).where(eq(sims.orgId, orgId)).orderBy(asc(sims.iccid));
}
export async function countedSims(orgId: string) {
  const [row] = await h.ctx.db
    .select({ n: sql<number>`coalesce(sum(${simCounts.n}), 0)::int` })
    .from(simCounts)
    .where(eq(simCounts.orgId, orgId));
  return row?.n ?? 0;
}
export async function eventCount() {
  const [row] = await h.ctx.db.select({ n: count() }).from(simEvents);
  return row?.n ?? 0;
}
/** Everything a failed transfer must leave untouched. */
export async function snapshot() {
  const all = await h.ctx.db.select({ iccid: sims.iccid, orgId: sims.orgId, ip: sims.ipAddress }).from(sims);
  return { sims: all.sort((a, b) => a.iccid.localeCompare(b.iccid)), events: await eventCount() };
}

/**
 * The demo fleet: stock, ~250 SIMs of the demo customer in varied states, volumes, networks and
 * countries, and months of events and usage. Nothing is written behind the services' backs: the plan
 * (plan.ts) is played in time order through the services real traffic and people use — stock
 * assignment, the SIM service as the demo users, the AAA's access and accounting, usage with its volume
 * effects, the lifetime and retention jobs — each with the clock set to its moment in the past. Only the
 * notices those services queued for the past are taken back out of the outbox at the end.
 */
import { and, inArray } from 'drizzle-orm';
import type { UpdateSimRequest } from '../../contracts/sims.js';
import type { AppContext } from '../context.js';
import { mailOutbox } from '../db/schema/index.js';
import { applyLifetime } from '../jobs/lifetime.js';
import { applyRetention, hourlyRetentionCutoff } from '../jobs/retention.js';
import type { Principal } from '../modules/auth/auth.service.js';
import type { NewEvent } from '../modules/events/events.repository.js';
import { type Actor, recordEvents } from '../modules/events/events.service.js';
import { queueDisconnects } from '../modules/network/network.repository.js';
import { topUpPackage } from '../modules/sims/charges.service.js';
import { lockSims, updateSims } from '../modules/sims/sims.repository.js';
import { actorOf, type Change, planChange } from '../modules/sims/sims.service.js';
import { addPool, assignStock, importStock } from '../modules/stock/stock.service.js';
import { rollUpUsage } from '../modules/usage/rollup.js';
import { findUserByEmail } from '../modules/users/users.repository.js';
import { mulberry32 } from '../network/simulator/devices.js';
import { endInstallation, gatewayStep, installDevices, openGateway } from './network.js';
import { DAY, type DemoUser, demoIdentifiers, HOUR, type PlannedChange, planFleet } from './plan.js';
import { demoLogins } from './seed.js';
import { planBulkUsage, recordUsage, smsDay } from './usage.js';

export { demoIdentifiers } from './plan.js';

const MINUTE = 60_000;

function stockCsv(from: number, count: number): string {
  const lines = ['iccid,imsi,msisdn,pin1,puk1,pin2,puk2,form_factor'];
  const factors = ['3FF', '4FF', 'MFF2', '2FF'];
  for (let n = from; n < from + count; n++) {
    const id = demoIdentifiers(n);
    const pin = String(1000 + (n % 9000));
    lines.push(
      `${id.iccid},${id.imsi},${id.msisdn},${pin},${String(10000000 + n * 7).slice(0, 8)},${pin},${String(20000000 + n * 3).slice(0, 8)},${factors[n % 4]}`,
    );
  }
  return lines.join('\n');
}

/** The context as the services see it at moment `t`: the same database, the clock stopped there. */
function at(ctx: AppContext, t: number): AppContext {
  const moment = new Date(t);
  return { ...ctx, clock: { now: () => new Date(moment) } };
}

/**
 * The demo users as the SIM service sees a signed-in person: the seed acts for them without a
 * sign-in session, so their changes are events naming them (and, outside a request, no audit entry).
 */
async function demoUsers(ctx: AppContext): Promise<Record<DemoUser, Principal>> {
  const people: Partial<Record<DemoUser, Principal>> = {};
  for (const role of ['owner', 'admin', 'user'] as const) {
    const email = demoLogins.find((l) => l.role === role)?.email ?? '';
    const row = await findUserByEmail(ctx.db, email);
    if (!row) throw new Error(`demo: no ${role} to act on the demo SIMs`);
    people[role] = {
      kind: 'user',
      userId: row.user.id,
      orgId: row.user.orgId,
      role: row.user.role,
      sessionId: '',
      csrfToken: '',
      user: row.user,
      org: row.org,
    };
  }
  return people as Record<DemoUser, Principal>;
}

interface Action {
  at: number;
  /** At the same moment: assignments, then people, the lifetime job, usage, the network. */
  order: number;
  run(ctx: AppContext): Promise<unknown>;
}

/** How long before now the devices' sessions go through the AAA, and how often the gateway reports. */
const WINDOW = 48 * HOUR;
const STEP = 6 * HOUR;

/**
 * One sitting of a demo user: the changes they make at one moment, by the SIM service's own rules
 * (planChange: values, events naming the user, disconnects), written as a bulk job writes them — in one
 * transaction, SIMs with the same new values in one update. Returns whether a disconnect was queued.
 */
async function sitting(ctx: AppContext, who: Principal, changes: { iccid: string; req: UpdateSimRequest }[]) {
  const actor = actorOf(who);
  const reqs = new Map(changes.map((c) => [c.iccid, c.req]));
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const groups = new Map<string, { values: Change['values']; iccids: string[] }>();
    const events: NewEvent[] = [];
    const disconnects = new Map<NonNullable<Change['disconnect']>, string[]>();
    for (const sim of await lockSims(tx, who.orgId, [...reqs.keys()])) {
      const change = planChange(sim, reqs.get(sim.iccid) ?? {}, actor, now);
      if (!change.changed) continue;
      const key = JSON.stringify(change.values);
      const group = groups.get(key) ?? { values: change.values, iccids: [] };
      group.iccids.push(sim.iccid);
      groups.set(key, group);
      events.push(...change.events);
      if (change.disconnect)
        disconnects.set(change.disconnect, [...(disconnects.get(change.disconnect) ?? []), sim.iccid]);
    }
    for (const g of groups.values()) await updateSims(tx, who.orgId, g.iccids, g.values);
    await recordEvents(tx, events);
    let queued = 0;
    for (const [reason, iccids] of disconnects) queued += await queueDisconnects(tx, iccids, reason, now);
    return queued > 0;
  });
}

/** Seed the demo fleet for the demo customer and its sub-organisation, with its history up to now. */
export async function seedDemoFleet(
  ctx: AppContext,
  operator: Actor,
  orgs: { customerId: string; subId: string },
  count = 250,
) {
  const now = ctx.clock.now().getTime();
  const plan = planFleet(now, count, orgs);
  await importStock(ctx, stockCsv(1, count + 80));
  await addPool(ctx, orgs.customerId, '10.64.0.0/16');
  await addPool(ctx, orgs.subId, '10.65.0.0/20');
  const people = await demoUsers(ctx);
  const rnd = mulberry32(7);
  const gateway = openGateway(plan.sims, rnd);
  const actions: Action[] = [];

  for (const a of plan.assignments) {
    const req = {
      orgId: a.orgId,
      iccidFrom: demoIdentifiers(a.from).iccid,
      iccidTo: demoIdentifiers(a.to).iccid,
      contractMonths: a.months,
      dataMb: 500,
      sms: 250,
    };
    const cohort = plan.sims.filter((s) => s.n >= a.from && s.n <= a.to);
    actions.push({ at: a.at, order: 0, run: (c) => assignStock(c, operator, req) });
    // installed the same day: a first session each sets the SIMs' network data
    actions.push({ at: a.at + 2 * HOUR, order: 4, run: (c) => installDevices(c, gateway, cohort) });
    actions.push({ at: a.at + 3 * HOUR, order: 4, run: (c) => endInstallation(c, gateway, cohort) });
  }
  const sittings = new Map<string, PlannedChange[]>();
  for (const change of plan.changes) {
    const key = `${change.at} ${change.by}`;
    sittings.set(key, [...(sittings.get(key) ?? []), change]);
  }
  const byNumber = new Map(plan.sims.map((s) => [s.n, s]));
  for (const group of sittings.values()) {
    const first = group[0];
    if (!first) continue;
    const changes = group.flatMap((c) => {
      const sim = byNumber.get(c.n);
      return sim ? [{ sim, iccid: sim.iccid, req: c.req }] : [];
    });
    actions.push({
      at: first.at,
      order: 1,
      run: async (c) => {
        if (await sitting(c, people[first.by], changes)) gateway.disconnectsQueued = true;
        for (const { sim, req } of changes) if (req.status) sim.deactivated = req.status === 'deactivated';
      },
    });
  }
  for (const t of plan.lifetimeRuns) {
    actions.push({
      at: t,
      order: 2,
      run: async (c) => {
        await applyLifetime(c);
        gateway.disconnectsQueued = true;
      },
    });
  }
  // usage until the network window in bulk, batches ending at volume crossings; then the network, by hour
  const hourlyFrom = hourlyRetentionCutoff(new Date(now), ctx.config.OPENCMP_HOURLY_RETENTION_DAYS).getTime();
  const windowFrom = Math.max(hourlyFrom, now - WINDOW);
  const bulk = planBulkUsage(
    plan.sims,
    plan.changes,
    { hourlyFrom, until: windowFrom },
    topUpPackage(ctx),
    rnd,
  );
  // the SMS the history counts are messages in the SIMs' SMS tabs; the MT ones sent by the demo user
  const texter = actorOf(people.user);
  for (const [t, usage] of bulk) actions.push({ at: t, order: 3, run: (c) => recordUsage(c, usage, texter) });
  for (let day = Math.floor(windowFrom / DAY) * DAY; day < now; day += DAY) {
    const t = day + 12 * HOUR + Math.floor(rnd() * 60) * MINUTE;
    if (t > windowFrom && t < now)
      actions.push({ at: t, order: 3, run: (c) => smsDay(c, plan.sims, rnd, texter) });
  }
  for (let step = windowFrom + 10 * MINUTE; step < now; step += STEP) {
    const t = step + Math.floor(rnd() * 50) * MINUTE;
    if (t < now) actions.push({ at: t, order: 4, run: (c) => gatewayStep(c, gateway) });
  }

  actions.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const action of actions) await action.run(at(ctx, action.at));
  // the installation sessions of months ago left hourly rows: summed into their days, as the worker's
  // roll-up does (decision 026), the retention job keeps the days only
  await rollUpUsage(ctx.db, new Date(now));
  await applyRetention(at(ctx, now));

  // The notices the history raised (volume, lifetime) would carry today's date and, with SMTP set up,
  // all go out at the first start: the demo's outbox starts empty, as before.
  await ctx.db
    .delete(mailOutbox)
    .where(
      and(
        inArray(mailOutbox.orgId, [orgs.customerId, orgs.subId]),
        inArray(mailOutbox.template, ['volume-notice', 'lifetime-notice', 'limit-reached']),
      ),
    );
}

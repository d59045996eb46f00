import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../contracts/events.js';
import { bootstrap } from '../bootstrap.js';
import { createHarness, type Harness } from '../test/harness.js';
import { demoIdentifiers, demoLabel } from './plan.js';
import { demoLogins } from './seed.js';

let h: Harness;
const rows = <T>(q: SQL) => h.ctx.database.query<T>(q);
const people = demoLogins.map((l) => `${l.firstName} ${l.lastName}`);

beforeAll(async () => {
  h = await createHarness({ OPENCMP_DEMO: '1', OPENCMP_DEMO_PASSWORD: 'demo-password-for-tests' });
  await bootstrap(h.ctx);
}, 120_000);
afterAll(() => h.close());

/** The ICCIDs of demo SIMs matching a condition on `sims` (alias s) that have no event matching another (alias e). */
async function without(simWhere: SQL, eventWhere: SQL) {
  const found = await rows<{ iccid: string }>(sql`
    SELECT s.iccid FROM sims s
    WHERE s.org_id IS NOT NULL AND ${simWhere}
      AND NOT EXISTS (SELECT 1 FROM sim_events e WHERE e.iccid = s.iccid AND ${eventWhere})
    ORDER BY s.iccid`);
  return found.map((r) => r.iccid);
}

describe('the seeded demo fleet', () => {
  it('when the demo is seeded, then every SIM’s used data and SMS are the sum of its daily usage rows', async () => {
    const mismatches = await rows(sql`
      SELECT s.iccid, s.data_used::text, s.sms_used, u.data::text, u.sms
      FROM sims s
      LEFT JOIN (SELECT iccid, sum(data_up + data_down) AS data, sum(sms_mo + sms_mt)::int AS sms
                 FROM sim_usage_days GROUP BY iccid) u ON u.iccid = s.iccid
      WHERE s.org_id IS NOT NULL
        AND (s.data_used <> coalesce(u.data, 0) OR s.sms_used <> coalesce(u.sms, 0))`);
    expect(mismatches).toEqual([]);
    const [org] = await rows<{ mismatched: number }>(sql`
      SELECT count(*)::int AS mismatched FROM (
        SELECT org_id, day, sum(data_up) AS up, sum(data_down) AS down, sum(sms_mo) AS mo, sum(sms_mt) AS mt
        FROM sim_usage_days GROUP BY 1, 2) d
      FULL JOIN (
        SELECT org_id, day, sum(data_up) AS data_up, sum(data_down) AS data_down, sum(sms_mo) AS sms_mo,
          sum(sms_mt) AS sms_mt
        FROM org_usage_daily GROUP BY 1, 2) o USING (org_id, day)
      WHERE o.data_up IS DISTINCT FROM d.up OR o.data_down IS DISTINCT FROM d.down
         OR o.sms_mo IS DISTINCT FROM d.mo OR o.sms_mt IS DISTINCT FROM d.mt`);
    expect(org?.mismatched).toBe(0);
  });

  it('when the demo is seeded, then every SMS its usage counts is a message in the SIM’s SMS tab, on the day counted', async () => {
    const [counted] = await rows<{ mo: number; mt: number; messages: number }>(sql`
      SELECT sum(sms_mo)::int AS mo, sum(sms_mt)::int AS mt,
        (SELECT count(*)::int FROM sms_messages) AS messages
      FROM sim_usage_days`);
    expect(counted?.mo).toBeGreaterThan(1000);
    expect(counted?.mt).toBeGreaterThan(500);
    const mismatches = await rows(sql`
      SELECT iccid, day, u.mo, u.mt, m.mo AS rows_mo, m.mt AS rows_mt
      FROM (SELECT iccid, day, sum(sms_mo)::int AS mo, sum(sms_mt)::int AS mt
            FROM sim_usage_days GROUP BY 1, 2) u
      FULL JOIN (SELECT iccid, (created_at AT TIME ZONE 'UTC')::date AS day,
                   (sum(segments) FILTER (WHERE direction = 'MO'))::int AS mo,
                   (sum(segments) FILTER (WHERE direction = 'MT'))::int AS mt
                 FROM sms_messages GROUP BY 1, 2) m USING (iccid, day)
      WHERE coalesce(u.mo, 0) <> coalesce(m.mo, 0) OR coalesce(u.mt, 0) <> coalesce(m.mt, 0)
      ORDER BY iccid, day LIMIT 10`);
    expect(mismatches).toEqual([]);
    const [mt] = await rows<{ undelivered: number; unsigned: number; partsPending: number }>(sql`
      SELECT count(*) FILTER (WHERE status <> 'delivered' OR done_at IS NULL)::int AS undelivered,
        count(*) FILTER (WHERE direction = 'MT' AND actor_name IS NULL)::int AS unsigned,
        -- a delivered MT's parts were all delivered: the SMS tab shows each part's state
        count(*) FILTER (WHERE direction = 'MT' AND (cardinality(part_states) <> segments
          OR NOT 'delivered' = ALL (part_states)))::int AS "partsPending"
      FROM sms_messages`);
    expect(mt).toEqual({ undelivered: 0, unsigned: 0, partsPending: 0 });
  });

  it('when a SIM’s volume ran low or out, then it got there by usage and its events say when', async () => {
    const groups = await rows<{ data_group: string; sms_group: string; n: number }>(
      sql`SELECT data_group, sms_group, count(*)::int AS n FROM sims WHERE org_id IS NOT NULL GROUP BY 1, 2`,
    );
    const count = (key: 'data_group' | 'sms_group', g: string) =>
      groups.filter((r) => r[key] === g).reduce((n, r) => n + r.n, 0);
    for (const g of ['sufficient', 'low', 'none']) {
      expect(count('data_group', g), `data ${g}`).toBeGreaterThan(0);
      expect(count('sms_group', g), `sms ${g}`).toBeGreaterThan(0);
    }
    expect(await without(sql`s.data_group = 'none'`, sql`e.type = ${eventTypes.dataUsedUp}`)).toEqual([]);
    expect(await without(sql`s.sms_group = 'none'`, sql`e.type = ${eventTypes.smsUsedUp}`)).toEqual([]);
    expect(
      await without(sql`s.data_group <> 'sufficient'`, sql`e.type = ${eventTypes.dataThreshold}`),
    ).toEqual([]);
    expect(await without(sql`s.sms_group <> 'sufficient'`, sql`e.type = ${eventTypes.smsThreshold}`)).toEqual(
      [],
    );
    // a SIM whose data ran out was refused by the AAA afterwards
    const dry = await rows<{ session_state: string }>(
      sql`SELECT session_state FROM sims WHERE org_id IS NOT NULL AND data_group = 'none'`,
    );
    expect(dry.map((r) => r.session_state)).toContain('blocked');
    // an auto top-up added a package when a SIM crossed the mark, and nothing else did
    const topUps = await rows<{ iccid: string; auto: boolean; source: string }>(sql`
      SELECT c.iccid, s.auto_top_up AS auto, c.source FROM sim_charges c JOIN sims s USING (iccid)`);
    expect(topUps.length).toBeGreaterThan(0);
    for (const t of topUps) expect(t).toMatchObject({ auto: true, source: 'auto' });
  });

  it('when people changed SIMs, then each change is an event naming the person', async () => {
    const states = await rows<{ status: string; n: number }>(
      sql`SELECT status, count(*)::int AS n FROM sims WHERE org_id IS NOT NULL GROUP BY 1`,
    );
    expect(Object.fromEntries(states.map((s) => [s.status, s.n]))).toMatchObject({
      activated: expect.any(Number),
      deactivated: expect.any(Number),
      expired: expect.any(Number),
    });
    const [flags] = await rows<{ labelled: number; locked: number; auto: number }>(sql`
      SELECT count(label)::int AS labelled, count(*) FILTER (WHERE imei_lock)::int AS locked,
             count(*) FILTER (WHERE auto_top_up)::int AS auto
      FROM sims WHERE org_id IS NOT NULL`);
    expect(flags?.labelled).toBeGreaterThan(200);
    expect(flags?.locked).toBeGreaterThan(10);
    expect(flags?.auto).toBeGreaterThan(10);
    const byUser = sql`e.source = 'user' AND e.actor_name IN (${sql.join(
      people.map((p) => sql`${p}`),
      sql`, `,
    )})`;
    expect(
      await without(sql`s.status = 'deactivated'`, sql`e.type = ${eventTypes.simSuspension} AND ${byUser}`),
    ).toEqual([]);
    expect(
      await without(
        sql`s.label IS NOT NULL`,
        sql`e.type = ${eventTypes.labelChanged} AND ${byUser} AND e.details->>'after' = s.label`,
      ),
    ).toEqual([]);
    expect(
      await without(sql`s.imei_lock`, sql`e.type = ${eventTypes.imeiLockChanged} AND ${byUser}`),
    ).toEqual([]);
    expect(
      await without(sql`s.auto_top_up`, sql`e.type = ${eventTypes.autoTopUpChanged} AND ${byUser}`),
    ).toEqual([]);
    // a lock without an IMEI bound to the device at its next attach, through the AAA
    expect(
      await without(
        sql`s.imei_lock AND s.locked_imei IS NOT NULL`,
        sql`e.type = ${eventTypes.imeiLockChanged} AND e.details->>'imei' = s.locked_imei`,
      ),
    ).toEqual([]);
  });

  it('when the browser tests pick their demo SIMs, then those are activated, with their labels and volume left', async () => {
    const picked = [2, 10, 11, 12, 13].map((n) => demoIdentifiers(n).iccid);
    const found = await rows<{
      iccid: string;
      status: string;
      label: string | null;
      data: string;
      sms: string;
    }>(
      sql`SELECT iccid, status, label, data_group AS data, sms_group AS sms FROM sims
          WHERE iccid IN (${sql.join(
            picked.map((i) => sql`${i}`),
            sql`, `,
          )}) ORDER BY iccid`,
    );
    expect(found.map((s) => s.status)).toEqual(picked.map(() => 'activated'));
    expect(found.map((s) => s.label)).toEqual([2, 10, 11, 12, 13].map(demoLabel));
    expect(found.find((s) => s.iccid === demoIdentifiers(11).iccid)).toMatchObject({
      label: 'E-bike Hamburg #11',
      sms: 'sufficient',
    });
    for (const s of found) expect(s.data, s.iccid).not.toBe('none');
  });

  it('when a lifetime ended, then the lifetime job expired the SIM at its end', async () => {
    expect(
      await without(
        sql`s.status = 'expired'`,
        sql`e.type = ${eventTypes.lifetimeExpired} AND e.occurred_at >= s.end_of_life`,
      ),
    ).toEqual([]);
    const [late] = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM sims WHERE status = 'expired' AND end_of_life > ${h.clock.now().toISOString()}::timestamptz`,
    );
    expect(late?.n).toBe(0);
  });

  it('when devices used the network, then sessions, network data and refusals came through the AAA', async () => {
    const now = h.clock.now().toISOString();
    const [net] = await rows<{ countries: number; operators: number; bearers: number; missing: number }>(sql`
      SELECT count(DISTINCT country)::int AS countries, count(DISTINCT operator_name)::int AS operators,
             count(DISTINCT bearer)::int AS bearers, count(*) FILTER (WHERE country IS NULL OR cell IS NULL)::int AS missing
      FROM sims WHERE org_id IS NOT NULL`);
    expect(net?.countries).toBeGreaterThanOrEqual(5);
    expect(net?.operators).toBeGreaterThanOrEqual(8);
    expect(net?.bearers).toBe(6);
    expect(net?.missing).toBe(0);
    const sessions = await rows<{ session_state: string }>(
      sql`SELECT DISTINCT session_state FROM sims WHERE org_id IS NOT NULL`,
    );
    expect(sessions.map((s) => s.session_state)).toEqual(
      expect.arrayContaining(['online', 'offline', 'blocked']),
    );
    // every online SIM has its open session; every session event came from the network
    expect(
      await rows(sql`SELECT iccid FROM sims s WHERE session_state = 'online'
        AND NOT EXISTS (SELECT 1 FROM radius_sessions r WHERE r.iccid = s.iccid AND r.stopped_at IS NULL)`),
    ).toEqual([]);
    const types = await rows<{ type: number; sources: string[]; latest: string }>(sql`
      SELECT type, array_agg(DISTINCT source) AS sources, max(occurred_at)::text AS latest
      FROM sim_events GROUP BY type`);
    const byType = new Map(types.map((t) => [t.type, t]));
    for (const type of [
      eventTypes.createPdpContext,
      eventTypes.deletePdpContext,
      eventTypes.updateLocation,
      eventTypes.authenticationFailed,
    ]) {
      expect(byType.get(type)?.sources, `event type ${type}`).toEqual(['network']);
    }
    for (const t of types) expect(new Date(t.latest).getTime()).toBeLessThanOrEqual(Date.parse(now));
    // the network's disconnects were carried out, and no notice about the past waits in the outbox
    expect(await rows(sql`SELECT id FROM disconnect_requests WHERE state <> 'acked'`)).toEqual([]);
    expect(await rows(sql`SELECT id FROM mail_outbox`)).toEqual([]);
  });
});

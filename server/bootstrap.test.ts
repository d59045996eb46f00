import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from './bootstrap.js';
import { loadConfig } from './config.js';
import type { AppContext } from './context.js';
import type { Db } from './db/client.js';
import { authTokens, ipPools, organisations, simEvents, sims, users } from './db/schema/index.js';
import { demoLogins, demoSubOwner } from './demo/seed.js';
import { hourlyRetentionCutoff } from './jobs/retention.js';
import { digest, randomToken } from './lib/tokens.js';
import { insertAuthToken } from './modules/auth/auth.repository.js';
import { staleDataLeft } from './modules/usage/data-left.js';
import { readRollupState, rollUpUsage } from './modules/usage/rollup.js';
import { as, createHarness, type Harness, signIn, TestClock } from './test/harness.js';

const demoPassword = 'demo-password-for-tests';

/** Row counts of the tables the first start fills. */
async function counts(db: Db) {
  const n = async (table: Parameters<ReturnType<Db['select']>['from']>[0]) =>
    (await db.select({ n: count() }).from(table))[0]?.n ?? 0;
  return {
    organisations: await n(organisations),
    users: await n(users),
    sims: await n(sims),
    events: await n(simEvents),
    pools: await n(ipPools),
    tokens: await n(authTokens),
  };
}

describe('first start with the demo on', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness({ OPENCMP_DEMO: '1', OPENCMP_DEMO_PASSWORD: demoPassword });
  });
  afterAll(() => h.close());

  it('when the database is empty, then the demo is seeded with the configured password', async () => {
    const result = await bootstrap(h.ctx);
    expect(result).toEqual({ kind: 'demo', password: demoPassword, generated: false });
    const c = await counts(h.ctx.db);
    expect(c.organisations).toBe(3);
    expect(c.users).toBe(demoLogins.length + 1);
    expect(c.sims).toBeGreaterThan(200);
    // the history's usage is in the "data left" sort keys (decision 022)
    expect(await staleDataLeft(h.ctx.db)).toEqual([]);
  });

  it('when the demo history is seeded and rolled up, then its recent days have hourly rows that add up to the daily rows, none in the future', async () => {
    const now = h.clock.now();
    // the seed ran the worker's roll-up up to yesterday, or the day before in the first minutes of a day
    // (decision 026), and no hour of a day not summed is deleted
    expect(await rollUpUsage(h.ctx.db, now)).toEqual([]);
    const twoDaysAgo = new Date(now.getTime() - 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await readRollupState(h.ctx.db)).dailyFrom >= twoDaysAgo).toBe(true);
    const [hours] = await h.ctx.database.query<{ n: number; latest: string; earliest: string }>(
      sql`SELECT count(*)::int AS n, max(hour)::text AS latest, min(hour)::text AS earliest FROM sim_usage_hourly`,
    );
    expect(hours?.n).toBeGreaterThan(1000);
    expect(new Date(hours?.latest ?? '').getTime()).toBeLessThanOrEqual(now.getTime());
    expect(new Date(hours?.earliest ?? '').getTime()).toBeGreaterThanOrEqual(
      hourlyRetentionCutoff(now, h.ctx.config.OPENCMP_HOURLY_RETENTION_DAYS).getTime(),
    );
    // every daily row of the hourly retention window against its hours: no difference anywhere, and
    // every summed day has its daily rows
    const { dailyFrom } = await readRollupState(h.ctx.db);
    const cutoff = hourlyRetentionCutoff(now, h.ctx.config.OPENCMP_HOURLY_RETENTION_DAYS)
      .toISOString()
      .slice(0, 10);
    const mismatches = await h.ctx.database.query<{ iccid: string; day: string }>(
      sql`SELECT coalesce(d.iccid, h.iccid) AS iccid, coalesce(d.day, h.day)::text AS day
          FROM (SELECT * FROM sim_usage_daily WHERE day >= ${cutoff}::date AND day < ${dailyFrom}::date) d
          FULL JOIN (SELECT iccid, (hour AT TIME ZONE 'UTC')::date AS day, sum(data_up) AS up, sum(data_down) AS down,
                            sum(sms_mo) AS mo, sum(sms_mt) AS mt
                     FROM sim_usage_hourly WHERE hour < ${dailyFrom}::timestamp AT TIME ZONE 'UTC'
                     GROUP BY 1, 2) h ON h.iccid = d.iccid AND h.day = d.day
          WHERE d.iccid IS NULL OR h.iccid IS NULL OR h.up <> d.data_up OR h.down <> d.data_down
             OR h.mo <> d.sms_mo OR h.mt <> d.sms_mt`,
    );
    expect(mismatches).toEqual([]);
  });

  it('when each demo login signs in with that password, then it succeeds with its role', async () => {
    for (const login of demoLogins) {
      const s = await signIn(h.app, login.email, demoPassword);
      const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(s) });
      expect(me.json().role, login.email).toBe(login.role);
    }
    const sub = await signIn(h.app, demoSubOwner, demoPassword);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(sub) });
    expect(me.json()).toMatchObject({ role: 'owner', user: { language: 'de' } });
  });

  it('when bootstrap runs again, then it reports the existing data and creates nothing', async () => {
    const before = await counts(h.ctx.db);
    expect(await bootstrap(h.ctx)).toEqual({ kind: 'existing' });
    expect(await counts(h.ctx.db)).toEqual(before);
  });
});

describe('first start with the demo off', () => {
  let h: Harness;
  let link: string;
  let laterLink: string;
  const operator = {
    email: 'first.operator@provider.example',
    firstName: 'Fiona',
    lastName: 'First',
    password: 'first-operator-password',
  };
  const setup = (token: string, body: Partial<typeof operator> = {}) =>
    h.app.inject({ method: 'POST', url: '/api/v1/auth/setup', payload: { token, ...operator, ...body } });
  const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('when the database is empty, then a one-time set-up link is returned and only the provider exists', async () => {
    const result = await bootstrap(h.ctx);
    expect(result.kind).toBe('setup');
    link = result.kind === 'setup' ? result.link : '';
    expect(link.startsWith(`${h.ctx.config.publicUrl}/setup?token=`)).toBe(true);
    expect(tokenOf(link).length).toBeGreaterThanOrEqual(40);
    const orgs = await h.ctx.db.select().from(organisations);
    expect(orgs.map((o) => o.kind)).toEqual(['provider']);
    expect(await counts(h.ctx.db)).toMatchObject({ users: 0, sims: 0 });
  });

  it('when bootstrap runs again before anyone used the link, then a fresh link on the public URL comes and no second provider', async () => {
    const ctx: AppContext = {
      ...h.ctx,
      config: loadConfig({ OPENCMP_DEMO: '0', PUBLIC_URL: 'https://cmp.example.com/' }),
    };
    const again = await bootstrap(ctx);
    expect(again.kind).toBe('setup');
    laterLink = again.kind === 'setup' ? again.link : '';
    expect(laterLink.startsWith('https://cmp.example.com/setup?token=')).toBe(true);
    expect(tokenOf(laterLink)).not.toBe(tokenOf(link));
    const providers = await h.ctx.db.select().from(organisations).where(eq(organisations.kind, 'provider'));
    expect(providers).toHaveLength(1);
  });

  it('when a set-up link is older than 24 hours, then it is refused and no user is created', async () => {
    const dayAgo = new TestClock(h.clock.now().getTime() - 24 * 3_600_000 - 60_000);
    const old = await bootstrap({ ...h.ctx, clock: dayAgo });
    const res = await setup(old.kind === 'setup' ? tokenOf(old.link) : '');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_token');
    expect(await counts(h.ctx.db)).toMatchObject({ users: 0 });
  });

  it('when a newer link was printed, then the older ones no longer work', async () => {
    const res = await setup(tokenOf(laterLink));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_token');
    const fresh = await bootstrap(h.ctx);
    link = fresh.kind === 'setup' ? fresh.link : '';
    expect(await counts(h.ctx.db)).toMatchObject({ users: 0 });
  });

  it('when the set-up form has a bad e-mail or a short password, then 400 names the field and the link stays usable', async () => {
    const res = await setup(tokenOf(link), { email: 'nope', password: 'short' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password']));
    expect(await counts(h.ctx.db)).toMatchObject({ users: 0 });
  });

  it('when the link is used, then an operator is created who can sign in and holds the console permission', async () => {
    const res = await setup(tokenOf(link));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ ok: true });
    const s = await signIn(h.app, operator.email, operator.password);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(s) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      role: 'operator',
      user: { email: operator.email, firstName: 'Fiona', lastName: 'First' },
      organisation: { kind: 'provider' },
    });
    expect(me.json().permissions).toContain('operator:console');
    expect(me.json().permissions).not.toContain('sims:read');
  });

  it('when the link is used again, then 400 invalid_token and no second operator', async () => {
    const res = await setup(tokenOf(link), { email: 'second.operator@provider.example' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_token');
    expect(await counts(h.ctx.db)).toMatchObject({ users: 1 });
  });

  it('when an operator exists, then a still-unused set-up link creates no second operator', async () => {
    const [provider] = await h.ctx.db.select().from(organisations).where(eq(organisations.kind, 'provider'));
    const leftover = randomToken();
    await insertAuthToken(h.ctx.db, {
      orgId: provider?.id,
      purpose: 'setup',
      tokenHash: digest(leftover),
      expiresAt: new Date(h.clock.now().getTime() + 3_600_000),
    });
    const res = await setup(leftover, { email: 'second.operator@provider.example' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_token');
    const operators = await h.ctx.db.select().from(users).where(eq(users.role, 'operator'));
    expect(operators.map((u) => u.email)).toEqual([operator.email]);
  });

  it('when bootstrap runs after set-up, then it reports existing and creates no new link', async () => {
    const before = await counts(h.ctx.db);
    expect(await bootstrap(h.ctx)).toEqual({ kind: 'existing' });
    expect(await counts(h.ctx.db)).toEqual(before);
  });

  it('when the demo is switched on after set-up, then the installation stays as it is', async () => {
    const before = await counts(h.ctx.db);
    const ctx: AppContext = {
      ...h.ctx,
      config: loadConfig({ OPENCMP_DEMO: '1', OPENCMP_DEMO_PASSWORD: demoPassword }),
    };
    expect(await bootstrap(ctx)).toEqual({ kind: 'existing' });
    expect(await counts(h.ctx.db)).toEqual(before);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@demo.example', password: demoPassword },
    });
    expect(res.statusCode).toBe(401);
  });
});

/**
 * Test harness: a fresh database per test file (in-memory PGlite, or a new database on the PostgreSQL
 * server named by DATABASE_URL), the app around it, and helpers to sign in.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { AppContext } from '../context.js';
import { openDatabase } from '../db/client.js';
import { seedDemo } from '../demo/seed.js';
import type { Clock } from '../lib/clock.js';
import { hashPassword } from '../modules/auth/auth.service.js';
import { insertOrganisation } from '../modules/orgs/orgs.repository.js';
import { insertUser } from '../modules/users/users.repository.js';

export const password = 'correct-horse-battery';

/** A clock tests can move. */
export class TestClock implements Clock {
  constructor(private t = Date.now()) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export interface Harness {
  app: FastifyInstance;
  ctx: AppContext;
  clock: TestClock;
  close(): Promise<void>;
}

async function freshPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `opencmp_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Build the app on a fresh database; `env` overrides configuration. */
export async function createHarness(env: Record<string, string> = {}): Promise<Harness> {
  const baseUrl = process.env.DATABASE_URL;
  const pgdb = baseUrl ? await freshPostgres(baseUrl) : undefined;
  const config = loadConfig({
    OPENCMP_DEMO: '0',
    LOG_LEVEL: 'silent',
    ...env,
    DATABASE_URL: pgdb?.url ?? '',
  });
  const database = await openDatabase({ url: pgdb?.url, poolSize: 4 });
  const clock = new TestClock();
  const ctx: AppContext = { config, database, db: database.db, clock };
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    clock,
    close: async () => {
      await app.close();
      await database.close();
      await pgdb?.drop();
    },
  };
}

/** Seed the demo organisations plus a second, unrelated customer ("Other Corp" with other-owner@other.example). */
export async function seedFixtures(ctx: AppContext) {
  const demo = await seedDemo(ctx, password);
  const other = await insertOrganisation(ctx.db, {
    kind: 'customer',
    accountNumber: '8100099999',
    name: 'Other Corp',
    billingCountry: 'AT',
    language: 'de',
  });
  await insertUser(ctx.db, {
    orgId: other.id,
    email: 'other-owner@other.example',
    firstName: 'Oscar',
    lastName: 'Other',
    role: 'owner',
    status: 'active',
    passwordHash: await hashPassword(password),
  });
  return { otherOrgId: other.id, demoOrgId: demo.customerId };
}

/** A signed-in browser: its cookie header and CSRF token. */
export interface Session {
  cookie: string;
  csrf: string;
}

/** Turn Set-Cookie headers into a Cookie header. */
export function cookieHeader(res: LightMyRequestResponse): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** Sign in through the API and return the session. */
export async function signIn(app: FastifyInstance, email: string, pw = password): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: pw },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
  return { cookie: cookieHeader(res), csrf: res.json().csrfToken };
}

/** Headers for a request as this session, with the CSRF token for writes. */
export function as(session: Session): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrf };
}

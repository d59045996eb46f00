import { asc, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, mailOutbox, organisations, sims } from '../../db/schema/index.js';
import { demoSubOwner } from '../../demo/seed.js';
import { digest, randomToken } from '../../lib/tokens.js';
import { actionOf } from '../../plugins/audit.js';
import { fixtureIds, seedFleet, stockCsv } from '../../test/fleet.js';
import {
  as,
  createHarness,
  type Harness,
  password,
  type Session,
  seedFixtures,
  signIn,
} from '../../test/harness.js';
import { insertAuthToken } from '../auth/auth.repository.js';
import { currentTotp } from '../auth/totp.js';
import { insertOrganisation } from '../orgs/orgs.repository.js';

let h: Harness;
let owner: Session;
let admin: Session;
let operator: Session;
let otherOwner: Session;
let subOwner: Session;
let demoId: string;
let subId: string;
let otherId: string;
let providerId: string;
let iccids: string[];
/** A full API client of the demo organisation: its client_id and a bearer token. */
let client: { clientId: string; secret: string; token: string };

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
const call = (s: Session | null, method: Method, url: string, payload?: object | string, headers = {}) =>
  h.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...(s ? as(s) : {}), 'user-agent': 'audit-test/1.0', ...headers },
    ...(payload !== undefined ? { payload } : {}),
  });
const bearer = (method: Method, url: string, payload?: object) =>
  h.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${client.token}` },
    ...(payload ? { payload } : {}),
  });

/** The audit rows a response left, found by its request id. */
async function rowsOf(res: LightMyRequestResponse) {
  const id = String(res.headers['x-request-id']);
  return h.ctx.db.select().from(auditLog).where(eq(auditLog.requestId, id));
}
async function rowOf(res: LightMyRequestResponse) {
  const rows = await rowsOf(res);
  expect(rows, `${res.statusCode} ${res.body}`).toHaveLength(1);
  const [row] = rows;
  if (!row) throw new Error('no audit row');
  return row;
}

async function orgIdOf(accountNumber: string) {
  const [org] = await h.ctx.db
    .select()
    .from(organisations)
    .where(eq(organisations.accountNumber, accountNumber));
  return org?.id ?? '';
}

async function linkFor(email: string): Promise<string> {
  const mails = await h.ctx.db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.to, email))
    .orderBy(asc(mailOutbox.createdAt));
  const token = mails.at(-1)?.text.match(/token=([\w-]+)/)?.[1];
  if (!token) throw new Error(`no link mailed to ${email}`);
  return token;
}

beforeAll(async () => {
  h = await createHarness();
  ({ otherOrgId: otherId } = await seedFixtures(h.ctx));
  demoId = await orgIdOf('8100012345');
  subId = await orgIdOf('8100012346');
  const [provider] = await h.ctx.db.select().from(organisations).where(eq(organisations.kind, 'provider'));
  providerId = provider?.id ?? '';
  iccids = await seedFleet(h.ctx, demoId, 7, 5, '10.91.0.0/24');
  await seedFleet(h.ctx, subId, 8, 2, '10.92.0.0/24');
  owner = await signIn(h.app, 'owner@demo.example');
  admin = await signIn(h.app, 'admin@demo.example');
  operator = await signIn(h.app, 'operator@provider.example');
  otherOwner = await signIn(h.app, 'other-owner@other.example');
  subOwner = await signIn(h.app, demoSubOwner);
  const created = (await call(owner, 'POST', '/api-clients', { name: 'telemetry', readOnly: false })).json();
  const basic = Buffer.from(`${created.clientId}:${created.clientSecret}`).toString('base64');
  const token = await h.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { authorization: `Basic ${basic}` },
    payload: { grant_type: 'client_credentials' },
  });
  client = { clientId: created.clientId, secret: created.clientSecret, token: token.json().access_token };
});
afterAll(() => h.close());

describe('every write route is audited (generated from the route table)', () => {
  // every write route of the whole app, not only /api/v1: a write surface registered elsewhere (a
  // compatibility API) must register the audit plugin too, or the tests below fail for it
  const writeRoutes = () => h.app.routeTable.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));

  /** Shared state of the sample calls below, filled as they run in order. */
  const state: Record<string, string> = {};
  const sample = (url: string) => url.replace(':id', state.id ?? '').replace(':iccid', iccids[0] ?? '');

  /**
   * One successful call per write route. A new write route fails the first test until it is added
   * here, and the second test then proves that its success leaves an audit row.
   */
  const samples: Record<string, () => Promise<LightMyRequestResponse>> = {
    'POST /api/v1/auth/login': () =>
      call(null, 'POST', '/auth/login', { email: 'admin@demo.example', password }),
    'POST /api/v1/auth/logout': async () =>
      call(await signIn(h.app, 'user@demo.example'), 'POST', '/auth/logout'),
    'POST /api/v1/auth/password/forgot': () =>
      call(null, 'POST', '/auth/password/forgot', { email: 'readonly@demo.example' }),
    'POST /api/v1/auth/password/reset': async () =>
      call(null, 'POST', '/auth/password/reset', { token: await linkFor('readonly@demo.example'), password }),
    'POST /api/v1/auth/setup': async () => {
      // a second provider without an operator, so that a set-up link is valid
      const org = await insertOrganisation(h.ctx.db, { kind: 'provider', name: 'Second provider' });
      const token = randomToken();
      const now = h.clock.now();
      await insertAuthToken(h.ctx.db, {
        orgId: org.id,
        purpose: 'setup',
        tokenHash: digest(token),
        createdAt: now,
        expiresAt: new Date(now.getTime() + 3_600_000),
      });
      return call(null, 'POST', '/auth/setup', {
        token,
        email: 'second.operator@provider.example',
        firstName: 'Sam',
        lastName: 'Second',
        password: 'second-operator-password',
      });
    },
    'POST /api/v1/oauth/token': () =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/oauth/token',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`,
        },
        payload: { grant_type: 'client_credentials' },
      }),
    'POST /api/v1/api-clients': async () => {
      const res = await call(owner, 'POST', '/api-clients', { name: 'coverage', readOnly: true });
      state.id = res.json().id;
      return res;
    },
    'DELETE /api/v1/api-clients/:id': () => call(owner, 'DELETE', sample('/api-clients/:id')),
    'PATCH /api/v1/me': () => call(admin, 'PATCH', '/me', { firstName: 'Adam' }),
    'POST /api/v1/me/password': async () =>
      call(await signIn(h.app, 'thirdparty@demo.example'), 'POST', '/me/password', {
        currentPassword: password,
        newPassword: password,
      }),
    'PUT /api/v1/me/preferences': () => call(admin, 'PUT', '/me/preferences', { simColumns: ['iccid'] }),
    'DELETE /api/v1/me/sessions/:id': async () => {
      await signIn(h.app, 'user@demo.example');
      const second = await signIn(h.app, 'user@demo.example');
      const list = (await call(second, 'GET', '/me/sessions')).json();
      const other = list.items.find((s: { current: boolean }) => !s.current);
      return call(second, 'DELETE', `/me/sessions/${other.id}`);
    },
    'POST /api/v1/me/totp/setup': async () => {
      const res = await call(admin, 'POST', '/me/totp/setup');
      state.secret = res.json().secret;
      return res;
    },
    'POST /api/v1/me/totp/enable': () =>
      call(admin, 'POST', '/me/totp/enable', { code: currentTotp(state.secret ?? '') }),
    'POST /api/v1/me/totp/disable': () => call(admin, 'POST', '/me/totp/disable', { password }),
    'PATCH /api/v1/account': () => call(owner, 'PATCH', '/account', { contactName: 'Audit Contact' }),
    'POST /api/v1/account/emails': async () => {
      const res = await call(owner, 'POST', '/account/emails', {
        email: 'audit@demo.example',
        category: 'invoice',
      });
      state.id = res.json().emails.find((e: { email: string }) => e.email === 'audit@demo.example').id;
      return res;
    },
    'DELETE /api/v1/account/emails/:id': () => call(owner, 'DELETE', sample('/account/emails/:id')),
    'POST /api/v1/account/addresses': async () => {
      const res = await call(owner, 'POST', '/account/addresses', {
        kind: 'delivery',
        company: 'Demo GmbH',
        street: 'Hafenstrasse 1',
        postalCode: '20457',
        city: 'Hamburg',
        country: 'DE',
      });
      state.id = res.json().id;
      return res;
    },
    'PATCH /api/v1/account/addresses/:id': () =>
      call(owner, 'PATCH', sample('/account/addresses/:id'), { city: 'Bremen' }),
    'DELETE /api/v1/account/addresses/:id': () => call(owner, 'DELETE', sample('/account/addresses/:id')),
    'PATCH /api/v1/sims/:iccid': () => call(owner, 'PATCH', sample('/sims/:iccid'), { label: 'coverage' }),
    'POST /api/v1/sims/bulk': () =>
      call(owner, 'POST', '/sims/bulk', { action: 'deactivate', iccids: iccids.slice(3) }),
    'POST /api/v1/users': async () => {
      const res = await call(owner, 'POST', '/users', {
        firstName: 'Cora',
        lastName: 'Coverage',
        email: 'cora@demo.example',
        role: 'user',
      });
      state.id = res.json().id;
      return res;
    },
    'POST /api/v1/users/:id/invitation': () => call(owner, 'POST', sample('/users/:id/invitation')),
    'PATCH /api/v1/users/:id': () => call(owner, 'PATCH', sample('/users/:id'), { role: 'readonly' }),
    'POST /api/v1/users/:id/deactivate': () => call(owner, 'POST', sample('/users/:id/deactivate')),
    'POST /api/v1/users/:id/activate': () => call(owner, 'POST', sample('/users/:id/activate')),
    'DELETE /api/v1/users/:id': () => call(owner, 'DELETE', sample('/users/:id')),
    'POST /api/v1/operator/stock/import': () =>
      call(operator, 'POST', '/operator/stock/import', stockCsv(9, 3), { 'content-type': 'text/csv' }),
    'POST /api/v1/operator/customers/:id/ip-pools': () =>
      call(operator, 'POST', `/operator/customers/${otherId}/ip-pools`, { cidr: '10.93.0.0/29' }),
    'POST /api/v1/operator/stock/assign': () =>
      call(operator, 'POST', '/operator/stock/assign', {
        orgId: otherId,
        iccidFrom: fixtureIds(9, 1).iccid,
        iccidTo: fixtureIds(9, 3).iccid,
      }),
    'POST /api/v1/operator/customers': () =>
      call(operator, 'POST', '/operator/customers', {
        company: 'Audit Sensors AG',
        billingCountry: 'CH',
        language: 'de',
        invoiceEmail: 'billing@audit.example',
        owner: { firstName: 'Ada', lastName: 'Audit', email: 'ada@audit.example' },
      }),
    'POST /api/v1/operator/customers/:id/owners': async () => {
      const res = await call(operator, 'POST', `/operator/customers/${otherId}/owners`, {
        firstName: 'Olga',
        lastName: 'Owner',
        email: 'olga@other.example',
      });
      state.userId = res.json().id;
      return res;
    },
    'POST /api/v1/operator/customers/:id/owners/:userId/invitation': () =>
      call(operator, 'POST', `/operator/customers/${otherId}/owners/${state.userId}/invitation`),
    'POST /api/v1/operator/customers/:id/owners/:userId/deactivate': () =>
      call(operator, 'POST', `/operator/customers/${otherId}/owners/${state.userId}/deactivate`),
    'POST /api/v1/operator/customers/:id/owners/:userId/activate': () =>
      call(operator, 'POST', `/operator/customers/${otherId}/owners/${state.userId}/activate`),
    'POST /api/v1/organisations': async () => {
      const res = await call(owner, 'POST', '/organisations', {
        company: 'Demo Audit Sub GmbH',
        billingCountry: 'de',
        address: { street: 'Hafenstraße 5', postalCode: '20457', city: 'Hamburg', country: 'DE' },
        owner: { firstName: 'Suse', lastName: 'Sub', email: 'suse@sub.example' },
      });
      state.id = res.json().id;
      return res;
    },
    'PATCH /api/v1/organisations/:id': () =>
      call(owner, 'PATCH', sample('/organisations/:id'), { name: 'Demo Audit Sub AG' }),
    'DELETE /api/v1/organisations/:id': () => call(owner, 'DELETE', sample('/organisations/:id')),
    'POST /api/v1/sims/transfer': () =>
      call(owner, 'POST', '/sims/transfer', {
        sourceOrgId: subId,
        targetOrgId: demoId,
        iccid: fixtureIds(8, 1).iccid,
      }),
    'POST /api/v1/sims/:iccid/top-up': () => call(owner, 'POST', sample('/sims/:iccid/top-up')),
    'POST /api/v1/sims/:iccid/extend': async () => {
      const iccid = iccids[1] ?? '';
      await h.ctx.db
        .update(sims)
        .set({ endOfLife: new Date(h.clock.now().getTime() + 10 * 86_400_000) })
        .where(eq(sims.iccid, iccid));
      return call(owner, 'POST', `/sims/${iccid}/extend`);
    },
    'POST /api/v1/sims/:iccid/sms': async () => {
      const res = await call(owner, 'POST', sample('/sims/:iccid/sms'), { text: 'audit ping' });
      state.smsId = res.json().id;
      return res;
    },
    'DELETE /api/v1/sims/:iccid/sms/:id': () =>
      call(owner, 'DELETE', `/sims/${iccids[0]}/sms/${state.smsId}`),
    'PUT /api/v1/operator/network/smsc': () =>
      call(operator, 'PUT', '/operator/network/smsc', { url: 'smpp://audit:Smsc-P77@127.0.0.1:2775' }),
    'POST /api/v1/operator/network/nas-clients': async () => {
      const res = await call(operator, 'POST', '/operator/network/nas-clients', {
        name: 'PGW Audit',
        address: '192.0.2.77',
        secret: 'audit-nas-secret-42',
        daePort: 3799,
      });
      state.nasId = res.json().id;
      return res;
    },
    'PATCH /api/v1/operator/network/nas-clients/:id': () =>
      call(operator, 'PATCH', `/operator/network/nas-clients/${state.nasId}`, { name: 'PGW Audit 2' }),
    'DELETE /api/v1/operator/network/nas-clients/:id': () =>
      call(operator, 'DELETE', `/operator/network/nas-clients/${state.nasId}`),
    'POST /api/v1/sims/:iccid/reset': async () => {
      const iccid = iccids[0] ?? '';
      await h.ctx.db.execute(
        sql`INSERT INTO radius_sessions (nas_address, session_id, iccid, org_id, started_at, updated_at)
            VALUES ('127.0.0.1', 'audit-session', ${iccid}, ${demoId}, now(), now())`,
      );
      return call(owner, 'POST', `/sims/${iccid}/reset`);
    },
    'PUT /api/v1/configuration/settings': () =>
      call(owner, 'PUT', '/configuration/settings', {
        dataLimitMb: 1000,
        smsMoLimit: null,
        smsMtLimit: null,
        simDataLimitMb: null,
        imeiLockDefault: false,
        autoTopUpDefault: false,
      }),
  };

  it('when write routes are registered, then each has a sample call in this test', () => {
    const writes = writeRoutes().map((r) => `${r.method} ${r.url}`);
    expect(writes.length).toBeGreaterThan(25);
    expect(writes.filter((w) => !(w in samples))).toEqual([]);
  });

  it('when each write route succeeds, then it leaves one audit row with its action, actor and status', async () => {
    const byKey = new Map(writeRoutes().map((r) => [`${r.method} ${r.url}`, r]));
    for (const [key, run] of Object.entries(samples)) {
      const route = byKey.get(key);
      if (!route) continue; // a route that no longer exists; the first test keeps the table honest
      const res = await run();
      expect(res.statusCode, `${key}: ${res.body}`).toBeLessThan(300);
      const row = await rowOf(res);
      expect(row, key).toMatchObject({
        action: actionOf(route.method, route.url, route.audit),
        method: route.method,
        route: route.url,
        status: res.statusCode,
        outcome: 'ok',
        userAgent: expect.any(String),
        ip: expect.any(String),
      });
      if (key !== 'POST /api/v1/auth/password/forgot') {
        expect(row.actorKind, key).not.toBe('anonymous');
        expect(row.actorId, key).toEqual(expect.any(String));
        expect(row.orgId, key).toEqual(expect.any(String));
      }
    }
  });

  it('when nobody is signed in, then every guarded write route refuses with 401 and leaves a row saying so', async () => {
    for (const route of writeRoutes().filter((r) => !r.public)) {
      const res = await h.app.inject({
        method: route.method as 'POST',
        url: route.url.replace(/:(id|iccid)\b/g, '00000000-0000-4000-8000-000000000000'),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(await rowOf(res)).toMatchObject({
        action: actionOf(route.method, route.url, route.audit),
        actorKind: 'anonymous',
        orgId: null,
        status: 401,
        outcome: 'unauthenticated',
      });
    }
  });
});

describe('what a row says', () => {
  it('when the owner changes a SIM label, then the row has the SIM as target and the label before and after', async () => {
    const iccid = iccids[1] ?? '';
    await call(owner, 'PATCH', `/sims/${iccid}`, { label: 'before' });
    const res = await call(owner, 'PATCH', `/sims/${iccid}`, { label: 'after', autoTopUp: false });
    expect(res.statusCode).toBe(200);
    const row = await rowOf(res);
    expect(row).toMatchObject({
      orgId: demoId,
      actorOrgId: demoId,
      actorKind: 'user',
      actorName: 'Olivia Owner',
      actorEmail: 'owner@demo.example',
      actorRole: 'owner',
      action: 'sim.update',
      target: `sim:${iccid}`,
      changes: { before: { label: 'before' }, after: { label: 'after' } },
      request: { label: 'after', autoTopUp: false },
      userAgent: 'audit-test/1.0',
    });
  });

  it('when an Admin changes a user role, then the row has the role before and after', async () => {
    const created = (
      await call(admin, 'POST', '/users', {
        firstName: 'Rolf',
        lastName: 'Role',
        email: 'rolf@demo.example',
        role: 'user',
      })
    ).json();
    const res = await call(admin, 'PATCH', `/users/${created.id}`, { role: 'thirdparty', lastName: 'Roll' });
    expect(res.statusCode).toBe(200);
    expect(await rowOf(res)).toMatchObject({
      action: 'user.update',
      actorEmail: 'admin@demo.example',
      target: `user:${created.id}`,
      changes: {
        before: { role: 'user', lastName: 'Role' },
        after: { role: 'thirdparty', lastName: 'Roll' },
      },
    });
  });

  it('when an API client is created with a secret, a password changed or a sign-in made, then no secret reaches the log', async () => {
    const secret = 'Correct-Horse-Battery-Staple-42!';
    const created = await call(owner, 'POST', '/api-clients', {
      name: 'with-secret',
      secret,
      readOnly: false,
    });
    expect(created.statusCode).toBe(201);
    const row = await rowOf(created);
    expect(row.request).toMatchObject({ name: 'with-secret', secret: '[redacted]' });
    expect(row.changes).toEqual({
      before: {},
      after: { clientId: '8100012345_with-secret', name: 'with-secret', readOnly: false },
    });
    const login = await call(null, 'POST', '/auth/login', { email: 'owner@demo.example', password });
    const loginRow = await rowOf(login);
    expect(loginRow).toMatchObject({ action: 'auth.login', actorEmail: 'owner@demo.example', orgId: demoId });
    expect(loginRow.request).toEqual({ email: 'owner@demo.example', password: '[redacted]' });
    const all = JSON.stringify(await h.ctx.db.select().from(auditLog));
    expect(all).not.toContain(secret);
    expect(all).not.toContain(password);
    expect(all).not.toContain(client.secret);
    expect(all).not.toContain(client.token);
    // the SMSC password inside the URL that the coverage test set above
    expect(all).toContain('smpp://audit:[redacted]@127.0.0.1:2775');
    expect(all).not.toContain('Smsc-P77');
  });

  it('when an API client changes a SIM, then the row names the client', async () => {
    const res = await bearer('PATCH', `/sims/${iccids[2]}`, { label: 'by-api' });
    expect(res.statusCode).toBe(200);
    expect(await rowOf(res)).toMatchObject({
      actorKind: 'client',
      actorName: client.clientId,
      actorRole: 'api',
      orgId: demoId,
      changes: { before: { label: null }, after: { label: 'by-api' } },
    });
  });

  it('when a bulk job is started, then the row names the job and the action and count', async () => {
    const res = await call(owner, 'POST', '/sims/bulk', { action: 'activate', iccids: iccids.slice(3) });
    expect(res.statusCode).toBeLessThan(300);
    expect(await rowOf(res)).toMatchObject({
      action: 'sim.bulk',
      target: `job:${res.json().id}`,
      changes: { after: { action: 'activate', count: 2 } },
    });
  });

  it('when SIMs (with PIN/PUK) or the log itself are exported, then a row names the export and its filter; other reads leave none', async () => {
    const res = await call(owner, 'GET', '/sims/export.csv?status=activated');
    expect(res.statusCode).toBe(200);
    expect(await rowOf(res)).toMatchObject({
      action: 'sims.export',
      method: 'GET',
      status: 200,
      request: { status: ['activated'] },
    });
    const log = await call(owner, 'GET', '/audit/export.csv?action=sims.export');
    expect(log.statusCode).toBe(200);
    expect(await rowOf(log)).toMatchObject({ action: 'audit.export', request: { action: 'sims.export' } });
    const list = await call(owner, 'GET', '/sims?pageSize=5');
    expect(list.statusCode).toBe(200);
    expect(await rowsOf(list)).toEqual([]);
  });

  it('when a Read only user tries to change a SIM or a sign-in fails, then the refusal is logged in the organisation', async () => {
    const reader = await signIn(h.app, 'readonly@demo.example');
    const res = await call(reader, 'PATCH', `/sims/${iccids[0]}`, { label: 'nope' });
    expect(res.statusCode).toBe(403);
    expect(await rowOf(res)).toMatchObject({
      orgId: demoId,
      actorEmail: 'readonly@demo.example',
      status: 403,
      outcome: 'forbidden',
      changes: null,
    });
    const failed = await call(null, 'POST', '/auth/login', {
      email: 'owner@demo.example',
      password: 'wrong-pw',
    });
    expect(failed.statusCode).toBe(401);
    expect(await rowOf(failed)).toMatchObject({
      action: 'auth.login',
      orgId: demoId,
      actorEmail: 'owner@demo.example',
      outcome: 'invalid_credentials',
      request: { email: 'owner@demo.example', password: '[redacted]' },
    });
    const unknown = await call(null, 'POST', '/auth/login', { email: 'nobody@x.example', password: 'x' });
    expect(await rowOf(unknown)).toMatchObject({
      orgId: null,
      actorKind: 'anonymous',
      actorEmail: 'nobody@x.example',
    });
  });

  it('when a request fails validation, then nothing is logged (nothing was written)', async () => {
    const res = await call(owner, 'PATCH', `/sims/${iccids[0]}`, { label: 'x'.repeat(500) });
    expect(res.statusCode).toBe(400);
    expect(await rowsOf(res)).toEqual([]);
  });
});

describe('operators and customers', () => {
  it("when an operator adds an IP block to a customer, then it appears in that customer's log and the console", async () => {
    const res = await call(operator, 'POST', `/operator/customers/${demoId}/ip-pools`, {
      cidr: '10.94.0.0/29',
    });
    expect(res.statusCode).toBe(201);
    const row = await rowOf(res);
    expect(row).toMatchObject({
      orgId: demoId,
      actorOrgId: providerId,
      actorKind: 'operator',
      target: `customer:${demoId}`,
    });
    const own = (await call(owner, 'GET', '/audit?action=operator.customer.ip-pool.add')).json();
    expect(own.items.map((e: { id: string }) => e.id)).toContain(row.id);
    expect(own.items[0].actor).toMatchObject({ kind: 'operator', email: 'operator@provider.example' });
    const consoleLog = (
      await call(operator, 'GET', `/operator/customers/${demoId}/audit?action=operator.customer.ip-pool.add`)
    ).json();
    expect(consoleLog.items.map((e: { id: string }) => e.id)).toContain(row.id);
  });

  it('when the operator asks for the log of the provider or an unknown organisation, then 404', async () => {
    for (const id of [providerId, '00000000-0000-4000-8000-000000000000']) {
      expect((await call(operator, 'GET', `/operator/customers/${id}/audit`)).statusCode).toBe(404);
      expect((await call(operator, 'GET', `/operator/customers/${id}/audit/export.csv`)).statusCode).toBe(
        404,
      );
    }
  });

  it("when the operator exports a customer's log, then the CSV holds that customer's rows only", async () => {
    const res = await call(operator, 'GET', `/operator/customers/${otherId}/audit/export.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('operator.customer.ip-pool.add');
    // SIMs assigned to the customer are that customer's business, though the operator did it
    expect(res.body).toContain(`operator.stock.assign,customer:${otherId}`);
    expect(res.body).not.toContain('owner@demo.example');
  });
});

describe('tenant isolation', () => {
  it("when another organisation and a sub-organisation write, then the demo owner never sees their rows, nor they the demo's", async () => {
    const otherWrite = await call(otherOwner, 'PATCH', '/me', { firstName: 'Oskar' });
    const subWrite = await call(subOwner, 'PATCH', '/me', { firstName: 'Sabine' });
    expect([otherWrite.statusCode, subWrite.statusCode]).toEqual([200, 200]);
    const other = await rowOf(otherWrite);
    const sub = await rowOf(subWrite);
    expect([other.orgId, sub.orgId]).toEqual([otherId, subId]);
    const demoLog = await call(owner, 'GET', '/audit?pageSize=500');
    const ids = demoLog.json().items.map((e: { id: string }) => e.id);
    expect(ids).not.toContain(other.id);
    expect(ids).not.toContain(sub.id);
    expect(
      demoLog
        .json()
        .items.every(
          (e: { actor: { email: string | null } }) => e.actor.email !== 'other-owner@other.example',
        ),
    ).toBe(true);
    for (const q of ['Oskar', 'Sabine', demoSubOwner]) {
      expect((await call(owner, 'GET', `/audit?q=${encodeURIComponent(q)}`)).json().total).toBe(0);
      expect((await call(owner, 'GET', `/audit/export.csv?q=${encodeURIComponent(q)}`)).body).not.toContain(
        q,
      );
    }
    const subLog = (await call(subOwner, 'GET', '/audit?pageSize=500')).json();
    expect(subLog.items.map((e: { id: string }) => e.id)).toContain(sub.id);
    expect(
      subLog.items.every((e: { actor: { email: string | null } }) => e.actor.email !== 'owner@demo.example'),
    ).toBe(true);
    const otherLog = (await call(otherOwner, 'GET', '/audit?pageSize=500')).json();
    expect(otherLog.items.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([other.id]));
    expect(
      otherLog.items.some((e: { actor: { email: string | null } }) => e.actor.email === 'owner@demo.example'),
    ).toBe(false);
  });
});

describe('reading the log', () => {
  it('when filtered by action, prefix, actor, target, text and time, then only matching rows come, newest first', async () => {
    const get = async (query: string) => {
      const res = await call(owner, 'GET', `/audit?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const simRows = await get('action=sim.update');
    expect(simRows.total).toBeGreaterThan(2);
    expect(simRows.items.every((e: { action: string }) => e.action === 'sim.update')).toBe(true);
    const times = simRows.items.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    const prefix = await get('action=sim.*&pageSize=500');
    expect(new Set(prefix.items.map((e: { action: string }) => e.action))).toEqual(
      new Set(['sim.update', 'sim.bulk']),
    );
    const byActor = await get(`actor=${encodeURIComponent(client.clientId)}`);
    expect(byActor.total).toBeGreaterThan(0);
    expect(byActor.items.every((e: { actor: { name: string } }) => e.actor.name === client.clientId)).toBe(
      true,
    );
    const target = await get(`target=${iccids[1]}`);
    expect(target.items.every((e: { target: string }) => e.target === `sim:${iccids[1]}`)).toBe(true);
    expect(target.total).toBeGreaterThan(0);
    const text = await get('q=Olivia');
    expect(text.total).toBeGreaterThan(0);
    const future = new Date(h.clock.now().getTime() + 60_000).toISOString();
    expect((await get(`from=${encodeURIComponent(future)}`)).total).toBe(0);
    expect((await get(`to=${encodeURIComponent(future)}&pageSize=1`)).items).toHaveLength(1);
    const paged = await get('pageSize=2&page=2');
    expect(paged).toMatchObject({ page: 2, pageSize: 2 });
    expect(paged.items).toHaveLength(2);
  });

  it('when a filter is malformed, then 400 names the field', async () => {
    for (const [query, field] of [
      ['from=yesterday', 'from'],
      ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
      ['pageSize=501', 'pageSize'],
    ]) {
      const res = await call(owner, 'GET', `/audit?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('when exported as CSV, then the filtered rows stream with a header and the before/after', async () => {
    const res = await call(owner, 'GET', `/audit/export.csv?target=${iccids[1]}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-.*\.csv"/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Time,Actor kind,Actor,E-mail,Role,Action,Target,Status,Outcome,Before,After,Request,IP,User agent,Request id',
    );
    const json = (await call(owner, 'GET', `/audit?target=${iccids[1]}`)).json();
    expect(lines).toHaveLength(json.total + 1);
    expect(res.body).toContain('"{""label"":""before""}"');
  });

  it('when each role asks for the log, then only Owner and Admin may; operators and API clients may not', async () => {
    const codes: Record<string, number> = {};
    for (const email of ['owner', 'admin', 'user', 'readonly', 'thirdparty']) {
      const s = await signIn(h.app, `${email}@demo.example`);
      codes[email] = (await call(s, 'GET', '/audit')).statusCode;
      codes[`${email} csv`] = (await call(s, 'GET', '/audit/export.csv')).statusCode;
      codes[`${email} console`] = (await call(s, 'GET', `/operator/customers/${demoId}/audit`)).statusCode;
    }
    codes.operator = (await call(operator, 'GET', '/audit')).statusCode;
    codes.api = (await bearer('GET', '/audit')).statusCode;
    expect(codes).toEqual({
      owner: 200,
      'owner csv': 200,
      'owner console': 403,
      admin: 200,
      'admin csv': 200,
      'admin console': 403,
      user: 403,
      'user csv': 403,
      'user console': 403,
      readonly: 403,
      'readonly csv': 403,
      'readonly console': 403,
      thirdparty: 403,
      'thirdparty csv': 403,
      'thirdparty console': 403,
      operator: 403,
      api: 403,
    });
  });
});

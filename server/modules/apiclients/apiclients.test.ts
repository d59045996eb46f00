import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClients } from '../../db/schema/index.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

let h: Harness;
let owner: Session;
let user: Session;
let readonly: Session;
let thirdparty: Session;
let admin: Session;
let other: Session;
let iccids: string[];

beforeAll(async () => {
  h = await createHarness({ OPENCMP_API_RATE_LIMIT: '40' });
  const { demoOrgId } = await seedFixtures(h.ctx);
  iccids = await seedFleet(h.ctx, demoOrgId, 5, 3, '10.70.0.0/24');
  owner = await signIn(h.app, 'owner@demo.example');
  user = await signIn(h.app, 'user@demo.example');
  readonly = await signIn(h.app, 'readonly@demo.example');
  thirdparty = await signIn(h.app, 'thirdparty@demo.example');
  admin = await signIn(h.app, 'admin@demo.example');
  other = await signIn(h.app, 'other-owner@other.example');
});
afterAll(() => h.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (session: Session, method: Method, url: string, payload?: object) =>
  h.app.inject({ method, url: `/api/v1${url}`, headers: as(session), ...(payload ? { payload } : {}) });

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Create a client as the owner; returns its client id and secret. */
async function createClient(name: string, extra: { readOnly?: boolean; secret?: string } = {}) {
  const res = await call(owner, 'POST', '/api-clients', { name, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; clientId: string; clientSecret: string; readOnly: boolean };
}

async function tokenFor(clientId: string, secret: string): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { authorization: basic(clientId, secret) },
    payload: { grant_type: 'client_credentials' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token;
}

const bearer = (token: string, method: Method, url: string, payload?: object) =>
  h.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

describe('managing API clients', () => {
  it('when the owner creates a client, then the secret is shown once and the list never carries it', async () => {
    const created = await createClient('telemetry');
    expect(created).toMatchObject({
      clientId: '8100012345_telemetry',
      name: 'telemetry',
      readOnly: false,
      createdBy: 'Olivia Owner',
      lastUsedAt: null,
    });
    expect(created.clientSecret).toMatch(/^[\w-]{43}$/);
    const [row] = await h.ctx.db.select().from(apiClients).where(eq(apiClients.id, created.id));
    expect(row?.secretHash).not.toContain(created.clientSecret);
    const list = await call(owner, 'GET', '/api-clients');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { clientId: string }) => c.clientId)).toContain('8100012345_telemetry');
    expect(list.body).not.toContain(created.clientSecret);
    expect(list.json().items[0]).not.toHaveProperty('clientSecret');
  });

  it('when a name is taken, malformed, or a chosen secret is weak, then creation is refused', async () => {
    await createClient('dupe');
    expect((await call(owner, 'POST', '/api-clients', { name: 'dupe' })).statusCode).toBe(409);
    expect((await call(owner, 'POST', '/api-clients', { name: 'No Caps' })).statusCode).toBe(400);
    const weak = await call(owner, 'POST', '/api-clients', {
      name: 'weak',
      secret: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors).toEqual([{ field: 'secret', message: expect.stringContaining('three') }]);
    const short = await call(owner, 'POST', '/api-clients', { name: 'short', secret: 'Ab1!' });
    expect(short.json().errors[0].message).toContain('24');
  });

  it('when a user with configuration rights creates a client, then it works; a read-only user is refused', async () => {
    expect((await call(user, 'POST', '/api-clients', { name: 'by-user' })).statusCode).toBe(201);
    expect((await call(readonly, 'GET', '/api-clients')).statusCode).toBe(403);
    expect((await call(readonly, 'POST', '/api-clients', { name: 'by-ro' })).statusCode).toBe(403);
  });

  it("when a User or a 3rd party revokes another's client, then 403 and it keeps working; their own they may revoke", async () => {
    const owners = await createClient('owners-integration');
    const token = await tokenFor(owners.clientId, owners.clientSecret);
    for (const session of [thirdparty, user]) {
      const refused = await call(session, 'DELETE', `/api-clients/${owners.id}`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().detail).toContain('only the API clients you created');
      // the portal offers revoke only where it is allowed
      const listed = (await call(session, 'GET', '/api-clients')).json().items;
      expect(listed.find((c: { id: string }) => c.id === owners.id)).toMatchObject({ mayRevoke: false });
    }
    expect((await bearer(token, 'GET', '/me')).statusCode).toBe(200);
    const [row] = await h.ctx.db.select().from(apiClients).where(eq(apiClients.id, owners.id));
    expect(row?.revokedAt).toBeNull();

    const own = await call(thirdparty, 'POST', '/api-clients', { name: 'tp-own' });
    expect(own.json()).toMatchObject({ mayRevoke: true });
    const listed = (await call(thirdparty, 'GET', '/api-clients')).json().items;
    expect(listed.find((c: { id: string }) => c.id === own.json().id)).toMatchObject({ mayRevoke: true });
    expect((await call(thirdparty, 'DELETE', `/api-clients/${own.json().id}`)).statusCode).toBe(200);

    // Owners and Admins administer API users: any client of the organisation
    const byUser = await call(user, 'POST', '/api-clients', { name: 'users-own' });
    expect(
      (await call(owner, 'GET', '/api-clients'))
        .json()
        .items.every((c: { mayRevoke: boolean }) => c.mayRevoke),
    ).toBe(true);
    expect((await call(admin, 'DELETE', `/api-clients/${byUser.json().id}`)).statusCode).toBe(200);
    expect((await call(admin, 'DELETE', `/api-clients/${owners.id}`)).statusCode).toBe(200);
    expect((await bearer(token, 'GET', '/me')).statusCode).toBe(401);
  });

  it("when another organisation revokes or lists, then this organisation's clients are invisible (404)", async () => {
    const mine = await createClient('private');
    expect((await call(other, 'DELETE', `/api-clients/${mine.id}`)).statusCode).toBe(404);
    const theirs = (await call(other, 'GET', '/api-clients')).json();
    expect(theirs.items).toEqual([]);
    const token = await tokenFor(mine.clientId, mine.clientSecret);
    expect((await bearer(token, 'GET', '/me')).statusCode).toBe(200);
  });
});

describe('the token endpoint', () => {
  it('when a client authenticates, then it gets a bearer token for /sims and /me', async () => {
    const c = await createClient('reader-one');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: { authorization: basic(c.clientId, c.clientSecret) },
      payload: { grant_type: 'client_credentials' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
    const token = res.json().access_token;
    const list = await bearer(token, 'GET', '/sims');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(3);
    const me = await bearer(token, 'GET', '/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      client: { clientId: c.clientId, readOnly: false },
      role: 'api',
      organisation: { accountNumber: '8100012345' },
    });
    expect(me.json().permissions).toContain('sims:write');
    expect(me.json().permissions).not.toContain('config:read');
    const listed = (await call(owner, 'GET', '/api-clients')).json();
    const used = listed.items.find((i: { clientId: string }) => i.clientId === c.clientId);
    expect(used.lastUsedAt).toEqual(expect.any(String));
  });

  it('when the body is form-encoded, then the token is issued too', async () => {
    const c = await createClient('form-client', { secret: 'My-own-Secret-0123456789-xyz' });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: {
        authorization: basic(c.clientId, 'My-own-Secret-0123456789-xyz'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await bearer(res.json().access_token, 'GET', '/sims')).statusCode).toBe(200);
  });

  it('when the secret is wrong or missing, then 401 invalid_client with WWW-Authenticate', async () => {
    const c = await createClient('wrong-secret');
    for (const authorization of [basic(c.clientId, 'nope'), basic('8100012345_unknown', 'x'), undefined]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/oauth/token',
        headers: authorization ? { authorization } : {},
        payload: { grant_type: 'client_credentials' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
      expect(res.json()).toMatchObject({ error: 'invalid_client', code: 'invalid_client', status: 401 });
    }
  });

  it('when the grant type is not client_credentials, then 400 unsupported_grant_type', async () => {
    const c = await createClient('grant-type');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: { authorization: basic(c.clientId, c.clientSecret) },
      payload: { grant_type: 'password' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'unsupported_grant_type', code: 'unsupported_grant_type' });
  });
});

describe('bearer requests', () => {
  it('when a client is revoked, then its existing token is refused at once and no new one is issued', async () => {
    const c = await createClient('to-revoke');
    const token = await tokenFor(c.clientId, c.clientSecret);
    expect((await bearer(token, 'GET', '/sims')).statusCode).toBe(200);
    expect((await call(owner, 'DELETE', `/api-clients/${c.id}`)).statusCode).toBe(200);
    const after = await bearer(token, 'GET', '/sims');
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('invalid_token');
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: { authorization: basic(c.clientId, c.clientSecret) },
      payload: { grant_type: 'client_credentials' },
    });
    expect(again.statusCode).toBe(401);
    const list = (await call(owner, 'GET', '/api-clients')).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
  });

  it('when a token is older than an hour, then it is refused', async () => {
    const c = await createClient('expiring');
    const token = await tokenFor(c.clientId, c.clientSecret);
    h.clock.advance(3599_000);
    expect((await bearer(token, 'GET', '/sims')).statusCode).toBe(200);
    h.clock.advance(2_000);
    expect((await bearer(token, 'GET', '/sims')).statusCode).toBe(401);
  });

  it('when a token is forged or garbage, then it is refused', async () => {
    expect((await bearer('not-a-jwt', 'GET', '/sims')).statusCode).toBe(401);
    const c = await createClient('forged');
    const token = await tokenFor(c.clientId, c.clientSecret);
    expect((await bearer(token, 'GET', '/sims')).statusCode).toBe(200); // verified once, then remembered
    const [head, body, signature] = token.split('.');
    expect((await bearer(`${head}.${body}.AAAA`, 'GET', '/sims')).statusCode).toBe(401);
    // the remembered token's signature does not make another payload valid
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString());
    const widened = Buffer.from(JSON.stringify({ ...claims, ro: false, exp: claims.exp + 3600 })).toString(
      'base64url',
    );
    expect((await bearer(`${head}.${widened}.${signature}`, 'GET', '/sims')).statusCode).toBe(401);
  });

  it('when a read-only client changes a SIM, then 403; reads work', async () => {
    const c = await createClient('ro-client', { readOnly: true });
    const token = await tokenFor(c.clientId, c.clientSecret);
    expect((await bearer(token, 'GET', `/sims/${iccids[0]}`)).statusCode).toBe(200);
    const res = await bearer(token, 'PATCH', `/sims/${iccids[0]}`, { label: 'nope' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    expect((await bearer(token, 'GET', '/me')).json().permissions).toEqual([
      'sims:read',
      'orders:read',
      'support:read',
    ]);
  });

  it('when a full client changes a SIM, then it works without CSRF and the event names the client', async () => {
    const c = await createClient('writer');
    const token = await tokenFor(c.clientId, c.clientSecret);
    const res = await bearer(token, 'PATCH', `/sims/${iccids[1]}`, { label: 'set by API' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().label).toBe('set by API');
    const events = (await call(owner, 'GET', `/sims/${iccids[1]}/events`)).json();
    expect(events.items[0]).toMatchObject({ source: 'api', actor: c.clientId });
  });

  it('when a User or a 3rd party creates a client, then it may do no more than its creator (no top-up; 3rd party: no changes)', async () => {
    const thirdparty = await signIn(h.app, 'thirdparty@demo.example');
    const viaUser = (await call(user, 'POST', '/api-clients', { name: 'user-writer' })).json();
    const viaThird = (await call(thirdparty, 'POST', '/api-clients', { name: 'tp-writer' })).json();
    expect(viaUser).toMatchObject({ actsAs: 'user', readOnly: false });
    expect(viaUser.permissions).not.toContain('sims:billing');
    expect(viaThird).toMatchObject({ actsAs: 'thirdparty', permissions: ['sims:read', 'sims:operate'] });
    const list = (await call(owner, 'GET', '/api-clients')).json().items;
    expect(list.find((c: { name: string }) => c.name === 'tp-writer')).toMatchObject({
      actsAs: 'thirdparty',
    });

    const userToken = await tokenFor(viaUser.clientId, viaUser.clientSecret);
    const sim = iccids[2];
    expect((await bearer(userToken, 'PATCH', `/sims/${sim}`, { label: 'by user client' })).statusCode).toBe(
      200,
    );
    const topUp = await bearer(userToken, 'POST', `/sims/${sim}/top-up`, {});
    expect(topUp.statusCode).toBe(403);
    expect(topUp.json().detail).toContain("acts with the rights of its creator's role, user");
    expect((await bearer(userToken, 'PATCH', `/sims/${sim}`, { autoTopUp: true })).statusCode).toBe(403);

    const tpToken = await tokenFor(viaThird.clientId, viaThird.clientSecret);
    expect((await bearer(tpToken, 'GET', `/sims/${sim}`)).statusCode).toBe(200);
    expect((await bearer(tpToken, 'PATCH', `/sims/${sim}`, { status: 'deactivated' })).statusCode).toBe(403);
    expect((await bearer(tpToken, 'POST', `/sims/${sim}/top-up`, {})).statusCode).toBe(403);
    expect((await bearer(tpToken, 'GET', '/me')).json()).toMatchObject({
      client: { actsAs: 'thirdparty' },
      permissions: ['sims:read', 'sims:operate'],
    });
    // nothing of the refused calls happened
    const after = (await call(owner, 'GET', `/sims/${sim}`)).json();
    expect(after).toMatchObject({ status: 'activated', autoTopUp: false, label: 'by user client' });

    // the owner's client keeps an API user's rights
    const full = await createClient('owner-full');
    expect(full).toMatchObject({ actsAs: null });
    const ownerToken = await tokenFor(full.clientId, full.clientSecret);
    expect((await bearer(ownerToken, 'POST', `/sims/${sim}/top-up`, {})).statusCode).toBe(200);
  });

  it('when a client calls what API users may not (configuration, users, own data), then 403', async () => {
    const c = await createClient('nosy');
    const token = await tokenFor(c.clientId, c.clientSecret);
    expect((await bearer(token, 'GET', '/api-clients')).statusCode).toBe(403);
    expect((await bearer(token, 'GET', '/users')).statusCode).toBe(403);
    expect((await bearer(token, 'GET', '/me/preferences')).statusCode).toBe(403);
    expect((await bearer(token, 'POST', '/auth/logout')).statusCode).toBe(403);
  });

  it('when a client exceeds its per-second limit, then 429 problem+json with Retry-After and RateLimit headers', async () => {
    const c = await createClient('chatty');
    const token = await tokenFor(c.clientId, c.clientSecret);
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof bearer>> | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await bearer(token, 'GET', '/me');
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(statuses.filter((s) => s === 200).length).toBe(40);
    expect(limited?.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited?.headers['ratelimit-limit']).toBe('40');
    expect(limited?.headers['ratelimit-remaining']).toBe('0');
    expect(limited?.headers['content-type']).toContain('application/problem+json');
    expect(limited?.json().code).toBe('too_many_requests');
    // another client has its own budget
    const d = await createClient('quiet');
    expect((await bearer(await tokenFor(d.clientId, d.clientSecret), 'GET', '/me')).statusCode).toBe(200);
  });
});

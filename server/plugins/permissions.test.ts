import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRole, can, type Role } from '../../contracts/permissions.js';
import { demoLogins } from '../demo/seed.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../test/harness.js';

let h: Harness;
const sessions = new Map<Role, Session>();
/** Bearer tokens of two API clients of the demo organisation: full and read-only. */
const clients = new Map<'full' | 'read-only', string>();

/** Create an API client as the owner and exchange its credentials for a bearer token. */
async function clientToken(owner: Session, name: string, readOnly: boolean): Promise<string> {
  const created = (
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/api-clients',
      headers: as(owner),
      payload: { name, readOnly },
    })
  ).json();
  const basic = Buffer.from(`${created.clientId}:${created.clientSecret}`).toString('base64');
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { authorization: `Basic ${basic}` },
    payload: { grant_type: 'client_credentials' },
  });
  return res.json().access_token;
}

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
  for (const login of demoLogins) sessions.set(login.role, await signIn(h.app, login.email));
  const owner = sessions.get('owner');
  if (!owner) throw new Error('no owner session');
  clients.set('full', await clientToken(owner, 'matrix-full', false));
  clients.set('read-only', await clientToken(owner, 'matrix-readonly', true));
});
afterAll(() => h.close());

const sample = (url: string) => url.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000');

describe('the permission matrix, generated from the permission module and the routes', () => {
  it('when routes are registered, then every API route is either public or guarded', () => {
    const api = h.app.routeTable.filter((r) => r.url.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThan(15);
    const guarded = api.filter((r) => r.permission);
    expect(guarded.length).toBeGreaterThan(10);
  });

  it('when each role calls each guarded route, then exactly the roles the matrix forbids get 403', async () => {
    const guarded = h.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && r.permission);
    const mismatches: string[] = [];
    for (const route of guarded) {
      for (const [role, session] of sessions) {
        const permission = route.permission;
        if (!permission) continue;
        const res = await h.app.inject({
          method: route.method as 'GET',
          url: sample(route.url),
          headers: as(session),
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        const allowed = can(role, permission);
        const refused = res.statusCode === 403;
        if (allowed === refused) mismatches.push(`${role} ${route.method} ${route.url} -> ${res.statusCode}`);
        if (res.statusCode === 403) expect(res.json().code).toBe('forbidden');
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('when API clients (full and read-only) call each guarded route, then exactly the API user column and read-only scope decide', async () => {
    const guarded = h.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && r.permission);
    const mismatches: string[] = [];
    for (const route of guarded) {
      for (const [scope, token] of clients) {
        const permission = route.permission;
        if (!permission) continue;
        const res = await h.app.inject({
          method: route.method as 'GET',
          url: sample(route.url),
          headers: { authorization: `Bearer ${token}` },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        const allowed = can(apiRole, permission) && (scope === 'full' || route.method === 'GET');
        const refused = res.statusCode === 403;
        if (allowed === refused)
          mismatches.push(`${scope} ${route.method} ${route.url} -> ${res.statusCode}`);
        if (res.statusCode === 403) expect(res.json().code).toBe('forbidden');
        expect(res.statusCode, `${scope} ${route.method} ${route.url}`).not.toBe(401);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('when nobody is signed in, then every non-public API route answers 401', async () => {
    const closed = h.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && !r.public);
    for (const route of closed) {
      const res = await h.app.inject({ method: route.method as 'GET', url: sample(route.url) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});

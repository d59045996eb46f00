import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Role } from '../../contracts/permissions.js';
import { demoLogins } from '../demo/seed.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../test/harness.js';

let h: Harness;
const sessions = new Map<Role, Session>();

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
  for (const login of demoLogins) sessions.set(login.role, await signIn(h.app, login.email));
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

  it('when nobody is signed in, then every non-public API route answers 401', async () => {
    const closed = h.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && !r.public);
    for (const route of closed) {
      const res = await h.app.inject({ method: route.method as 'GET', url: sample(route.url) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});

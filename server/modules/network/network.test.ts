import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../demo/seed.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

let h: Harness;
const s = new Map<string, Session>();
const url = '/api/v1/operator/network/nas-clients';

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
  for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
});
afterAll(() => h.close());

const headers = (role = 'operator') => {
  const found = s.get(role);
  if (!found) throw new Error(`no session for ${role}`);
  return as(found);
};
const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  payload?: object,
  role = 'operator',
) => h.app.inject({ method, url: path, headers: headers(role), ...(payload ? { payload } : {}) });

describe('NAS clients in the operator console', () => {
  it('when the operator adds a client, then it is listed with the secret masked and the address canonical', async () => {
    const res = await call('POST', url, {
      name: 'PGW Frankfurt',
      address: '10.20.0.0/16',
      secret: 'sup3r-secret-42',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ name: 'PGW Frankfurt', address: '10.20.0.0/16', daePort: 3799 });
    expect(created.secretMasked).toMatch(/^•+42$/);
    expect(JSON.stringify(created)).not.toContain('sup3r-secret-42');
    const single = await call('POST', url, {
      name: 'PGW Berlin',
      address: '192.0.2.7',
      secret: 'another-secret',
      daePort: 13799,
    });
    expect(single.json().address).toBe('192.0.2.7/32');
    const list = await call('GET', url);
    expect(list.json().items.map((c: { name: string }) => c.name)).toEqual(['PGW Berlin', 'PGW Frankfurt']);
    expect(list.body).not.toContain('sup3r-secret-42');
  });

  it('when the input is invalid, then 400 names each field', async () => {
    const res = await call('POST', url, { name: '', address: '10.0.0.300', secret: 'short', daePort: 70000 });
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['address', 'daePort', 'name', 'secret']);
  });

  it('when a name or address is taken, then 409 names the field', async () => {
    const res = await call('POST', url, {
      name: 'pgw frankfurt',
      address: '10.20.0.0/16',
      secret: 'sup3r-secret-43',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['name', 'address']);
  });

  it('when a client is changed without a secret, then the secret stays; removed, then it is gone', async () => {
    const [berlin] = (await call('GET', url)).json().items;
    const res = await call('PATCH', `${url}/${berlin.id}`, { daePort: 3799, name: 'PGW Berlin 2' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'PGW Berlin 2',
      daePort: 3799,
      secretMasked: berlin.secretMasked,
    });
    expect((await call('PATCH', `${url}/${berlin.id}`, {})).statusCode).toBe(400);
    expect((await call('DELETE', `${url}/${berlin.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `${url}/${berlin.id}`)).statusCode).toBe(404);
    expect(
      (await call('PATCH', `${url}/00000000-0000-4000-8000-000000000000`, { name: 'x' })).statusCode,
    ).toBe(404);
  });

  it('when a customer role asks, then the network area is forbidden', async () => {
    expect((await call('GET', url, undefined, 'owner')).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/operator/network/status', undefined, 'admin')).statusCode).toBe(403);
  });

  it('when no AAA runs, then the status says so with zero counters and the open session count', async () => {
    const res = await call('GET', '/api/v1/operator/network/status');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ aaaRunning: false, accepts: 0, openSessions: 0, drops: {} });
  });
});

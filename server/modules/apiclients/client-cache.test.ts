/**
 * The cache of live API clients (decision 015): a revocation or change by any writer — this process,
 * another process, plain SQL — reaches the cache through the triggers' NOTIFY, not only through the
 * revoke route of this process (that case is in apiclients.test.ts).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations } from '../../db/schema/index.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { eventually, elsewhere as otherWriter } from '../../test/writers.js';

let h: Harness;
let owner: Session;

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
  owner = await signIn(h.app, 'owner@demo.example');
});
afterAll(() => h.close());

const elsewhere = (statement: string) => otherWriter(h, statement);

async function clientWithToken(name: string) {
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/v1/api-clients',
    headers: as(owner),
    payload: { name },
  });
  expect(created.statusCode, created.body).toBe(201);
  const c = created.json() as { id: string; clientId: string; clientSecret: string };
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}` },
    payload: { grant_type: 'client_credentials' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return { id: c.id, token: res.json().access_token as string };
}

const get = (token: string, url: string) =>
  h.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } });

describe('the cache of live API clients', () => {
  it('when another writer revokes a client, then its token is refused within moments, not after the cache TTL', async () => {
    const c = await clientWithToken('revoked-elsewhere');
    expect((await get(c.token, '/sims')).statusCode).toBe(200);
    expect((await get(c.token, '/sims')).statusCode).toBe(200); // now answered from the cache
    await elsewhere(`UPDATE api_clients SET revoked_at = now() WHERE id = '${c.id}'`);
    expect(await eventually(async () => (await get(c.token, '/sims')).statusCode === 401)).toBe(true);
    // and it stays refused: no stale read put it back
    expect((await get(c.token, '/me')).statusCode).toBe(401);
  });

  it('when another writer renames the organisation, then /me of a cached client shows the new name', async () => {
    const c = await clientWithToken('sees-renames');
    const before = await get(c.token, '/me');
    expect(before.statusCode).toBe(200);
    const orgId = before.json().organisation.id as string;
    const [org] = await h.ctx.db.select().from(organisations).where(eq(organisations.id, orgId));
    await elsewhere(`UPDATE organisations SET name = 'Renamed Elsewhere' WHERE id = '${orgId}'`);
    try {
      expect(
        await eventually(
          async () => (await get(c.token, '/me')).json().organisation.name === 'Renamed Elsewhere',
        ),
      ).toBe(true);
    } finally {
      await h.ctx.db
        .update(organisations)
        .set({ name: org?.name ?? '' })
        .where(eq(organisations.id, orgId));
    }
  });

  it('when a client is deleted outright, then its token is refused', async () => {
    const c = await clientWithToken('deleted-elsewhere');
    expect((await get(c.token, '/sims')).statusCode).toBe(200);
    await elsewhere(`DELETE FROM api_clients WHERE id = '${c.id}'`);
    expect(await eventually(async () => (await get(c.token, '/sims')).statusCode === 401)).toBe(true);
  });
});

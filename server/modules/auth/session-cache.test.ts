/**
 * The cache of signed-in sessions (decision 018): what a request is authenticated with follows every
 * change of the session, its user or its organisation by any writer (another process, plain SQL:
 * the triggers' NOTIFY), and the session's expiry on the request's clock. Sign-out, revocation,
 * deactivation through this process are in auth.test.ts and users.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { eventually, elsewhere as otherWriter } from '../../test/writers.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
});
afterAll(() => h.close());

const elsewhere = (statement: string) => otherWriter(h, statement);
const me = (s: Session) => h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(s) });
const refused = (s: Session) => async () => (await me(s)).statusCode === 401;

describe('the cache of signed-in sessions', () => {
  it('when another writer revokes the session, then its cookie is refused within moments', async () => {
    const s = await signIn(h.app, 'user@demo.example');
    expect((await me(s)).statusCode).toBe(200);
    expect((await me(s)).statusCode).toBe(200); // now from the cache
    await elsewhere(
      `UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = 'user@demo.example')`,
    );
    expect(await eventually(refused(s))).toBe(true);
  });

  it('when another writer deactivates the user, then every session of the user is refused', async () => {
    const a = await signIn(h.app, 'readonly@demo.example');
    const b = await signIn(h.app, 'readonly@demo.example');
    expect((await me(a)).statusCode).toBe(200);
    expect((await me(b)).statusCode).toBe(200);
    await elsewhere(`UPDATE users SET status = 'deactivated' WHERE email = 'readonly@demo.example'`);
    expect(await eventually(refused(a))).toBe(true);
    expect(await eventually(refused(b))).toBe(true);
    await elsewhere(`UPDATE users SET status = 'active' WHERE email = 'readonly@demo.example'`);
  });

  it('when another writer changes the role or the organisation, then the next requests see it', async () => {
    const s = await signIn(h.app, 'thirdparty@demo.example');
    expect((await me(s)).json()).toMatchObject({ role: 'thirdparty' });
    await elsewhere(`UPDATE users SET role = 'readonly' WHERE email = 'thirdparty@demo.example'`);
    expect(await eventually(async () => (await me(s)).json().role === 'readonly')).toBe(true);
    await elsewhere(
      `UPDATE organisations SET name = 'Renamed by SQL' WHERE id = (SELECT org_id FROM users WHERE email = 'thirdparty@demo.example')`,
    );
    expect(await eventually(async () => (await me(s)).json().organisation.name === 'Renamed by SQL')).toBe(
      true,
    );
    await elsewhere(`UPDATE users SET role = 'thirdparty' WHERE email = 'thirdparty@demo.example'`);
  });

  it('when another writer deletes the sessions, then the cookie is refused', async () => {
    const s = await signIn(h.app, 'other-owner@other.example');
    expect((await me(s)).statusCode).toBe(200);
    await elsewhere(
      `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'other-owner@other.example')`,
    );
    expect(await eventually(refused(s))).toBe(true);
  });

  it('when a cached session reaches its expiry, then it is refused at once, cache or not', async () => {
    const s = await signIn(h.app, 'admin@demo.example');
    expect((await me(s)).statusCode).toBe(200);
    const days = h.ctx.config.OPENCMP_SESSION_DAYS;
    h.clock.advance((days * 24 + 1) * 3_600_000);
    try {
      expect((await me(s)).statusCode).toBe(401);
    } finally {
      h.clock.advance(-(days * 24 + 1) * 3_600_000);
    }
  });

  it('when a cached session is used a minute later, then last_seen_at is written once and shown in the session list', async () => {
    const s = await signIn(h.app, 'owner@demo.example');
    expect((await me(s)).statusCode).toBe(200);
    h.clock.advance(5 * 60_000);
    try {
      const list = await h.app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: as(s) });
      expect(list.statusCode, list.body).toBe(200);
      const current = list.json().items.find((i: { current: boolean }) => i.current);
      expect(new Date(current.lastSeenAt).getTime()).toBe(h.clock.now().getTime());
    } finally {
      h.clock.advance(-5 * 60_000);
    }
  });
});

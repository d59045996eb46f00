import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../db/schema/index.js';
import {
  as,
  cookieHeader,
  createHarness,
  type Harness,
  password,
  seedFixtures,
  signIn,
} from '../../test/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
});
afterAll(() => h.close());

const login = (email: string, pw: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: pw }, headers });

async function linkFor(email: string): Promise<string> {
  const mails = await h.ctx.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
  const last = mails.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
  const token = last?.text.match(/token=([\w-]+)/)?.[1];
  if (!token) throw new Error(`no link mailed to ${email}`);
  return token;
}

describe('sign-in', () => {
  it('when the password is right, then a session cookie is set and /me answers with role and permissions', async () => {
    const res = await login('owner@demo.example', password);
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'opencmp_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    const me = await h.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: cookieHeader(res) },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { email: 'owner@demo.example' },
      role: 'owner',
      organisation: { accountNumber: '8100012345', name: 'Demo Industries GmbH', kind: 'customer' },
    });
    expect(me.json().permissions).toContain('users:admin-admins');
  });

  it('when the e-mail differs only in case, then sign-in still works', async () => {
    expect((await login('Owner@Demo.Example', password)).statusCode).toBe(200);
  });

  it('when the password is wrong, then 401 invalid_credentials and no cookie', async () => {
    const res = await login('admin@demo.example', 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'invalid_credentials', status: 401 });
    expect(res.cookies).toHaveLength(0);
  });

  it('when the e-mail is unknown, then the same 401 as a wrong password', async () => {
    const res = await login('nobody@demo.example', 'whatever-password');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_credentials');
  });

  it('when the body is malformed, then 400 names the field', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'not-an-email' },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('when no cookie is sent, then /me is 401', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });
});

describe('throttling', () => {
  it('when an account fails 5 times, then the 6th attempt is 429 with Retry-After even with the right password', async () => {
    for (let i = 0; i < 5; i++)
      expect((await login('user@demo.example', 'bad-password-x')).statusCode).toBe(401);
    const res = await login('user@demo.example', password);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json().code).toBe('too_many_requests');
  });

  it('when the lock time has passed, then the account can sign in again', async () => {
    h.clock.advance(16 * 60_000);
    expect((await login('user@demo.example', password)).statusCode).toBe(200);
  });

  it('when one address fails across many accounts, then that address is locked', async () => {
    const h2 = await createHarness({ OPENCMP_LOGIN_MAX_FAILURES_PER_IP: '3' });
    try {
      await seedFixtures(h2.ctx);
      const attempt = (email: string, pw: string) =>
        h2.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: pw } });
      await attempt('a1@demo.example', 'bad-password');
      await attempt('a2@demo.example', 'bad-password');
      await attempt('a3@demo.example', 'bad-password');
      const res = await attempt('owner@demo.example', password);
      expect(res.statusCode).toBe(429);
    } finally {
      await h2.close();
    }
  });
});

describe('cross-site requests', () => {
  it('when a cookie-authenticated write lacks the CSRF header, then 403 and nothing changes', async () => {
    const s = await signIn(h.app, 'admin@demo.example');
    const res = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: s.cookie },
      payload: { firstName: 'Mallory' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } });
    expect(me.json().user.firstName).toBe('Adam');
  });

  it('when a write comes from a foreign Origin, then 403 even with the token', async () => {
    const s = await signIn(h.app, 'admin@demo.example');
    const res = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { ...as(s), origin: 'https://evil.example' },
      payload: { firstName: 'Mallory' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
  });

  it('when a write carries the right token and origin, then it succeeds', async () => {
    const s = await signIn(h.app, 'admin@demo.example');
    const res = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { ...as(s), origin: 'http://localhost:80', host: 'localhost:80' },
      payload: { firstName: 'Adam' },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('logout and sessions', () => {
  it('when a user logs out, then the cookie no longer works', async () => {
    const s = await signIn(h.app, 'readonly@demo.example');
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: as(s) })).statusCode,
    ).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(s) })).statusCode).toBe(401);
  });

  it('when a user revokes another of their sessions, then that session is refused and this one still works', async () => {
    const laptop = await signIn(h.app, 'thirdparty@demo.example');
    const phone = await signIn(h.app, 'thirdparty@demo.example');
    const list = await h.app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: as(laptop) });
    const other = list.json().items.find((s: { current: boolean }) => !s.current);
    expect(list.json().items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${other.id}`,
      headers: as(laptop),
    });
    expect(del.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(phone) })).statusCode).toBe(
      401,
    );
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(laptop) })).statusCode).toBe(
      200,
    );
  });

  it("when a user tries to revoke someone else's session, then 404 and it stays valid", async () => {
    const victim = await signIn(h.app, 'other-owner@other.example');
    const victimList = await h.app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: as(victim) });
    const id = victimList.json().items[0].id;
    const attacker = await signIn(h.app, 'owner@demo.example');
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${id}`,
      headers: as(attacker),
    });
    expect(del.statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(victim) })).statusCode).toBe(
      200,
    );
  });

  it('when a session has expired, then it is refused', async () => {
    const s = await signIn(h.app, 'owner@demo.example');
    h.clock.advance(15 * 86_400_000);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(s) })).statusCode).toBe(401);
  });
});

describe('password forgotten', () => {
  it('when the e-mail exists or not, then the answer is the same 202, and only the real account gets a mail', async () => {
    const known = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: 'admin@demo.example' },
    });
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: 'ghost@demo.example' },
    });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const ghostMails = await h.ctx.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.to, 'ghost@demo.example'));
    expect(ghostMails).toHaveLength(0);
  });

  it('when the reset link is used, then the new password works, the old does not, and the link cannot be reused', async () => {
    const old = await signIn(h.app, 'admin@demo.example');
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: 'admin@demo.example' },
    });
    const token = await linkFor('admin@demo.example');
    const reset = (pw: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/auth/password/reset', payload: { token, password: pw } });
    expect((await reset('a-brand-new-password')).statusCode).toBe(200);
    expect((await login('admin@demo.example', 'a-brand-new-password')).statusCode).toBe(200);
    expect((await login('admin@demo.example', password)).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(old) })).statusCode).toBe(401);
    const again = await reset('yet-another-password');
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('invalid_token');
  });

  it('when the reset link is older than an hour, then it is refused', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: 'thirdparty@demo.example' },
    });
    const token = await linkFor('thirdparty@demo.example');
    h.clock.advance(61 * 60_000);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'a-brand-new-password' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_token');
    expect((await login('thirdparty@demo.example', password)).statusCode).toBe(200);
  });

  it('when the new password is too short, then 400 names the field and the link stays usable', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: 'owner@demo.example' },
    });
    const token = await linkFor('owner@demo.example');
    const short = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].field).toBe('password');
    const good = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password },
    });
    expect(good.statusCode).toBe(200);
  });
});

import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOf } from '../../../contracts/permissions.js';
import { mailOutbox } from '../../db/schema/index.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { findUserByEmail } from './users.repository.js';

let h: Harness;
let owner: Session;
let admin: Session;
let other: Session;
let ids: Record<string, string>;

const newPassword = 'a-brand-new-password';

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
  owner = await signIn(h.app, 'owner@demo.example');
  admin = await signIn(h.app, 'admin@demo.example');
  other = await signIn(h.app, 'other-owner@other.example');
  ids = {};
  for (const role of ['owner', 'admin', 'user', 'readonly', 'thirdparty']) {
    const found = await findUserByEmail(h.ctx.db, `${role}@demo.example`);
    ids[role] = found?.user.id ?? '';
  }
});
afterAll(() => h.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (session: Session, method: Method, url: string, payload?: object) =>
  h.app.inject({ method, url: `/api/v1${url}`, headers: as(session), ...(payload ? { payload } : {}) });

/** The invitation mails sent to an address, oldest first. */
async function mailsTo(email: string) {
  return h.ctx.db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.to, email))
    .orderBy(asc(mailOutbox.createdAt));
}

/** The set-password token of the newest mail to an address. */
async function latestToken(email: string): Promise<string> {
  const token = (await mailsTo(email)).at(-1)?.text.match(/set-password\?token=([\w-]+)/)?.[1];
  if (!token) throw new Error(`no invitation mailed to ${email}`);
  return token;
}

const setPassword = (token: string, password = newPassword) =>
  h.app.inject({ method: 'POST', url: '/api/v1/auth/password/reset', payload: { token, password } });

async function invite(session: Session, email: string, role: string) {
  return call(session, 'POST', '/users', { firstName: 'Nina', lastName: 'New', email, role });
}

describe('listing users', () => {
  it('when the owner lists users, then the organisation’s people come with role, state and last sign-in', async () => {
    const res = await call(owner, 'GET', '/users');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ page: 1, pageSize: 50 });
    const emails = body.items.map((u: { email: string }) => u.email);
    expect(emails).toEqual(
      expect.arrayContaining([
        'owner@demo.example',
        'admin@demo.example',
        'user@demo.example',
        'readonly@demo.example',
        'thirdparty@demo.example',
      ]),
    );
    expect(emails).not.toContain('other-owner@other.example');
    expect(emails).not.toContain('operator@provider.example');
    expect(body.total).toBe(body.items.length);
    const me = body.items.find((u: { email: string }) => u.email === 'owner@demo.example');
    expect(me).toMatchObject({ role: 'owner', status: 'active', firstName: 'Olivia', lastName: 'Owner' });
    expect(me.lastLoginAt).toEqual(expect.any(String));
    expect(Object.keys(me).sort()).toEqual(
      ['createdAt', 'email', 'firstName', 'id', 'lastLoginAt', 'lastName', 'role', 'status'].sort(),
    );
  });

  it('when searching by part of a name or e-mail, then only matching users come back', async () => {
    const byName = (await call(owner, 'GET', '/users?q=ursula%20us')).json();
    expect(byName.items.map((u: { email: string }) => u.email)).toEqual(['user@demo.example']);
    const byEmail = (await call(owner, 'GET', '/users?q=READONLY@')).json();
    expect(byEmail.items.map((u: { email: string }) => u.email)).toEqual(['readonly@demo.example']);
    const wildcard = (await call(owner, 'GET', '/users?q=%25')).json();
    expect(wildcard.total).toBe(0);
  });

  it('when paging, then pageSize limits the items and total counts all', async () => {
    const res = (await call(owner, 'GET', '/users?pageSize=2&page=2')).json();
    expect(res.items).toHaveLength(2);
    expect(res.total).toBeGreaterThanOrEqual(5);
  });
});

describe('inviting', () => {
  it('when the owner invites a user, then the link sets the password and they sign in with exactly their role', async () => {
    const res = await invite(owner, 'Nina.New@Demo.Example', 'readonly');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'nina.new@demo.example',
      role: 'readonly',
      status: 'invited',
      lastLoginAt: null,
    });
    const [mail] = await mailsTo('nina.new@demo.example');
    expect(mail).toMatchObject({ template: 'invitation', language: 'en' });
    expect(mail?.subject).toContain('Demo Industries GmbH');
    expect(mail?.text).toContain(`${h.ctx.config.publicUrl}/set-password?token=`);
    expect(mail?.text).toContain('7 days');

    // not before the password is set
    const early = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nina.new@demo.example', password: newPassword },
    });
    expect(early.statusCode).toBe(401);

    const token = await latestToken('nina.new@demo.example');
    expect((await setPassword(token)).statusCode).toBe(200);
    const nina = await signIn(h.app, 'nina.new@demo.example', newPassword);
    const me = (await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(nina) })).json();
    expect(me.role).toBe('readonly');
    expect(me.permissions).toEqual(permissionsOf('readonly'));

    const listed = (await call(owner, 'GET', '/users?q=nina.new')).json().items[0];
    expect(listed).toMatchObject({ status: 'active', lastLoginAt: expect.any(String) });

    // single use
    const again = await setPassword(token, 'yet-another-password');
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('invalid_token');
  });

  it('when a user of a German organisation is invited, then the mail is in German', async () => {
    const res = await invite(other, 'deutsch@other.example', 'user');
    expect(res.statusCode).toBe(201);
    const [mail] = await mailsTo('deutsch@other.example');
    expect(mail).toMatchObject({ language: 'de', template: 'invitation' });
    expect(mail?.subject).toContain('Einladung');
  });

  it('when the invitation is resent, then the old link no longer works and the new one does', async () => {
    const res = await invite(owner, 'resend@demo.example', 'user');
    const id = res.json().id;
    const first = await latestToken('resend@demo.example');
    const resent = await call(owner, 'POST', `/users/${id}/invitation`);
    expect(resent.statusCode).toBe(200);
    const second = await latestToken('resend@demo.example');
    expect(second).not.toBe(first);
    expect((await mailsTo('resend@demo.example')).length).toBe(2);
    expect((await setPassword(first)).statusCode).toBe(400);
    expect((await setPassword(second)).statusCode).toBe(200);

    // active now: no more invitations
    const late = await call(owner, 'POST', `/users/${id}/invitation`);
    expect(late.statusCode).toBe(409);
  });

  it('when the e-mail is already used, even in another organisation, then 409 names the e-mail', async () => {
    for (const email of ['USER@demo.example', 'other-owner@other.example']) {
      const res = await invite(owner, email, 'user');
      expect(res.statusCode).toBe(409);
      expect(res.json().errors[0].field).toBe('email');
    }
  });

  it('when fields are invalid, then 400 names each field and nothing is created', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ firstName: 'A', lastName: 'B', email: 'not-an-email', role: 'user' }, 'email'],
      [{ firstName: 'x'.repeat(101), lastName: 'B', email: 'long@demo.example', role: 'user' }, 'firstName'],
      [{ firstName: 'A', lastName: 'x'.repeat(101), email: 'long@demo.example', role: 'user' }, 'lastName'],
      [{ firstName: 'A', lastName: 'B', email: 'role@demo.example', role: 'superuser' }, 'role'],
      [{ firstName: 'A', lastName: 'B', email: 'role@demo.example', role: 'operator' }, 'role'],
      [{ firstName: '', lastName: 'B', email: 'empty@demo.example', role: 'user' }, 'firstName'],
    ];
    for (const [payload, field] of cases) {
      const res = await call(owner, 'POST', '/users', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const bad = await call(owner, 'PATCH', `/users/${ids.user}`, { role: 'root' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('role');
    const empty = await call(owner, 'PATCH', `/users/${ids.user}`, {});
    expect(empty.statusCode).toBe(400);
    expect((await call(owner, 'GET', '/users?q=demo.example&pageSize=100')).json().items).not.toContainEqual(
      expect.objectContaining({ email: 'long@demo.example' }),
    );
  });
});

describe('who may administer whom', () => {
  it('when an admin invites or promotes to admin, then 403; the owner may do both', async () => {
    const denied = await invite(admin, 'would-be-admin@demo.example', 'admin');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().errors[0].field).toBe('role');
    const created = await invite(admin, 'plain@demo.example', 'user');
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const promote = await call(admin, 'PATCH', `/users/${id}`, { role: 'admin' });
    expect(promote.statusCode).toBe(403);

    const byOwner = await call(owner, 'PATCH', `/users/${id}`, { role: 'admin', firstName: 'Paula' });
    expect(byOwner.statusCode).toBe(200);
    expect(byOwner.json()).toMatchObject({ role: 'admin', firstName: 'Paula' });
    expect((await invite(owner, 'second-admin@demo.example', 'admin')).statusCode).toBe(201);

    // an admin may not touch another admin
    expect((await call(admin, 'PATCH', `/users/${id}`, { firstName: 'X' })).statusCode).toBe(403);
    expect((await call(admin, 'POST', `/users/${id}/deactivate`)).statusCode).toBe(403);
    expect((await call(admin, 'DELETE', `/users/${id}`)).statusCode).toBe(403);
  });

  it('when anyone tries to make someone an Owner, then 403', async () => {
    expect((await invite(owner, 'new-owner@demo.example', 'owner')).statusCode).toBe(403);
    const res = await call(owner, 'PATCH', `/users/${ids.user}`, { role: 'owner' });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/owner/i);
  });

  it('when the owner or an admin tries to edit, deactivate or delete an Owner, then 403 and the Owner stays', async () => {
    for (const session of [owner, admin]) {
      const attempts = [
        call(session, 'PATCH', `/users/${ids.owner}`, { role: 'user' }),
        call(session, 'PATCH', `/users/${ids.owner}`, { firstName: 'Renamed' }),
        call(session, 'POST', `/users/${ids.owner}/deactivate`),
        call(session, 'DELETE', `/users/${ids.owner}`),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('forbidden');
      }
    }
    const owners = (await call(owner, 'GET', '/users?q=owner@demo')).json().items;
    expect(owners[0]).toMatchObject({ role: 'owner', status: 'active', firstName: 'Olivia' });
  });

  it('when someone acts on themselves, then 403 with a clear detail', async () => {
    const self = [
      call(admin, 'PATCH', `/users/${ids.admin}`, { role: 'user' }),
      call(admin, 'POST', `/users/${ids.admin}/deactivate`),
      call(admin, 'DELETE', `/users/${ids.admin}`),
      call(owner, 'PATCH', `/users/${ids.owner}`, { lastName: 'Self' }),
    ];
    for (const res of await Promise.all(self)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toMatch(/yourself/);
    }
  });

  it('when user, read only or 3rd party call any /users route, then 403', async () => {
    const routes = h.app.routeTable.filter((r) => r.url.startsWith('/api/v1/users'));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const role of ['user', 'readonly', 'thirdparty']) {
      const session = await signIn(h.app, `${role}@demo.example`);
      for (const route of routes) {
        const url = route.url.replace(':id', ids.user ?? '');
        const res = await h.app.inject({
          method: route.method as Method,
          url,
          headers: as(session),
          ...(route.method === 'GET' || route.method === 'DELETE'
            ? {}
            : { payload: { firstName: 'A', lastName: 'B', email: 'x@demo.example', role: 'user' } }),
        });
        expect(res.statusCode, `${role} ${route.method} ${url}`).toBe(403);
      }
    }
  });
});

describe('another organisation', () => {
  it('when a user id of another organisation is used, then 404 and it never appears in the list', async () => {
    const foreign = (await findUserByEmail(h.ctx.db, 'other-owner@other.example'))?.user.id;
    const list = (await call(owner, 'GET', '/users?pageSize=500')).json();
    expect(list.items.map((u: { id: string }) => u.id)).not.toContain(foreign);
    const attempts = [
      call(owner, 'GET', `/users/${foreign}`),
      call(owner, 'PATCH', `/users/${foreign}`, { firstName: 'Hacked' }),
      call(owner, 'POST', `/users/${foreign}/deactivate`),
      call(owner, 'POST', `/users/${foreign}/activate`),
      call(owner, 'POST', `/users/${foreign}/invitation`),
      call(owner, 'DELETE', `/users/${foreign}`),
    ];
    for (const res of await Promise.all(attempts)) expect(res.statusCode).toBe(404);
    const still = (await call(other, 'GET', `/users/${foreign}`)).json();
    expect(still.firstName).toBe('Oscar');
  });
});

describe('deactivating, activating and deleting', () => {
  it('when a user is deactivated, then their session ends at once and sign-in is refused until activated', async () => {
    const ursula = await signIn(h.app, 'user@demo.example');
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(ursula) })).statusCode).toBe(
      200,
    );
    const res = await call(admin, 'POST', `/users/${ids.user}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('deactivated');
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(ursula) })).statusCode).toBe(
      401,
    );
    await expect(signIn(h.app, 'user@demo.example')).rejects.toThrow(/401/);
    expect((await call(admin, 'POST', `/users/${ids.user}/deactivate`)).statusCode).toBe(409);

    const back = await call(admin, 'POST', `/users/${ids.user}/activate`);
    expect(back.statusCode).toBe(200);
    expect(back.json().status).toBe('active');
    await signIn(h.app, 'user@demo.example');
  });

  it('when an invited user is deactivated, then their link stops working', async () => {
    const id = (await invite(owner, 'stopped@demo.example', 'thirdparty')).json().id;
    const token = await latestToken('stopped@demo.example');
    expect((await call(owner, 'POST', `/users/${id}/deactivate`)).statusCode).toBe(200);
    expect((await setPassword(token)).statusCode).toBe(400);
    const back = await call(owner, 'POST', `/users/${id}/activate`);
    expect(back.json().status).toBe('invited');
  });

  it('when a user is deleted, then they are gone and cannot sign in', async () => {
    const res = await call(owner, 'DELETE', `/users/${ids.thirdparty}`);
    expect(res.statusCode).toBe(200);
    expect((await call(owner, 'GET', `/users/${ids.thirdparty}`)).statusCode).toBe(404);
    await expect(signIn(h.app, 'thirdparty@demo.example')).rejects.toThrow(/401/);
    expect((await call(owner, 'DELETE', `/users/${ids.thirdparty}`)).statusCode).toBe(404);
  });
});

describe('link expiry', () => {
  it('when an invitation link is older than 7 days, then it is refused', async () => {
    await invite(owner, 'late@demo.example', 'user');
    const token = await latestToken('late@demo.example');
    h.clock.advance(7 * 86_400_000 + 60_000);
    const res = await setPassword(token);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_token');
  });
});

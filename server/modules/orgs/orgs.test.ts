import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, customerRoles } from '../../../contracts/permissions.js';
import { addresses, mailOutbox, organisations, sims, users } from '../../db/schema/index.js';
import { demoSubOwner } from '../../demo/seed.js';
import { renderFieldError, renderProblem } from '../../test/error-text.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

let h: Harness;
let owner: Session;
let subOwner: Session;
let other: Session;
let masterId: string;
let subId: string;
let otherOrgId: string;
const sessions: Record<string, Session> = {};

async function orgId(name: string) {
  const [row] = await h.ctx.db.select().from(organisations).where(eq(organisations.name, name));
  if (!row) throw new Error(`no organisation ${name}`);
  return row.id;
}

beforeAll(async () => {
  h = await createHarness();
  ({ otherOrgId } = await seedFixtures(h.ctx));
  masterId = await orgId('Demo Industries GmbH');
  subId = await orgId('Demo Industries Logistics GmbH');
  for (const role of customerRoles) sessions[role] = await signIn(h.app, `${role}@demo.example`);
  owner = sessions.owner as Session;
  other = await signIn(h.app, 'other-owner@other.example');
  subOwner = await signIn(h.app, demoSubOwner);
  await seedFleet(h.ctx, subId, 3, 4, '10.91.0.0/24');
  await seedFleet(h.ctx, otherOrgId, 4, 2, '10.92.0.0/24');
});
afterAll(() => h.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (session: Session, method: Method, url: string, payload?: object) =>
  h.app.inject({ method, url: `/api/v1${url}`, headers: as(session), ...(payload ? { payload } : {}) });

const newSub = (overrides: Record<string, unknown> = {}) => ({
  company: 'Demo Industries Field Service GmbH',
  billingCountry: 'de',
  address: { street: 'Hafenstraße 5', postalCode: '20457', city: 'Hamburg', country: 'DE' },
  owner: { firstName: 'Fiona', lastName: 'Field', email: 'Fiona@Field.example' },
  ...overrides,
});

async function mailsTo(email: string) {
  return h.ctx.db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.to, email))
    .orderBy(asc(mailOutbox.createdAt));
}

describe('who may manage sub-organisations', () => {
  it.each(customerRoles)(
    'when a %s lists sub-organisations, then the permission matrix decides',
    async (role) => {
      const res = await call(sessions[role] as Session, 'GET', '/organisations');
      expect(res.statusCode).toBe(can(role, 'orgs:manage') ? 200 : 403);
    },
  );

  it.each(['user', 'readonly', 'thirdparty'] as const)(
    'when a %s tries to create, rename, delete or transfer, then each is refused with 403',
    async (role) => {
      const s = sessions[role] as Session;
      expect((await call(s, 'POST', '/organisations', newSub())).statusCode).toBe(403);
      expect((await call(s, 'GET', `/organisations/${subId}`)).statusCode).toBe(403);
      expect((await call(s, 'PATCH', `/organisations/${subId}`, { name: 'X' })).statusCode).toBe(403);
      expect((await call(s, 'DELETE', `/organisations/${subId}`)).statusCode).toBe(403);
      const transfer = { sourceOrgId: subId, targetOrgId: masterId, iccid: '8949039999999000001' };
      expect((await call(s, 'POST', '/sims/transfer', transfer)).statusCode).toBe(403);
    },
  );
});

describe('listing and reading sub-organisations', () => {
  it('when the owner lists, then each sub-organisation comes with account number, owner and counts only', async () => {
    const res = await call(owner, 'GET', '/organisations');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      total: 1,
      items: [
        {
          id: subId,
          name: 'Demo Industries Logistics GmbH',
          accountNumber: '8100012346',
          owner: { name: expect.any(String), email: demoSubOwner, status: 'active' },
          simCount: 4,
          userCount: 1,
          subOrganisationCount: 0,
          createdAt: expect.any(String),
        },
      ],
    });
  });

  it('when the admin reads one sub-organisation, then it has the same counts and no SIMs or users', async () => {
    const res = await call(sessions.admin as Session, 'GET', `/organisations/${subId}`);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(
      [
        'accountNumber',
        'createdAt',
        'id',
        'name',
        'owner',
        'simCount',
        'subOrganisationCount',
        'userCount',
      ].sort(),
    );
    expect(res.json()).toMatchObject({ simCount: 4, userCount: 1 });
  });

  it('when the master asks for a sub-organisation’s SIMs through the SIM API, then they are not there', async () => {
    const [sim] = await h.ctx.db.select().from(sims).where(eq(sims.orgId, subId)).limit(1);
    expect((await call(owner, 'GET', `/sims/${sim?.iccid}`)).statusCode).toBe(404);
    expect((await call(owner, 'GET', '/sims')).json().total).toBe(0);
  });

  it('when any organisation that is not a direct sub-organisation is asked for, then every verb answers 404', async () => {
    const cases: [Session, string][] = [
      [owner, otherOrgId], // foreign
      [owner, masterId], // oneself
      [subOwner, masterId], // sub-organisation → master
      [other, subId], // foreign → someone's sub-organisation
    ];
    for (const [s, id] of cases) {
      expect((await call(s, 'GET', `/organisations/${id}`)).statusCode).toBe(404);
      expect((await call(s, 'PATCH', `/organisations/${id}`, { name: 'Taken over' })).statusCode).toBe(404);
      expect((await call(s, 'DELETE', `/organisations/${id}`)).statusCode).toBe(404);
    }
    expect((await call(other, 'GET', '/organisations')).json()).toEqual({ items: [], total: 0 });
    expect((await call(subOwner, 'GET', '/organisations')).json()).toEqual({ items: [], total: 0 });
    const names = (await h.ctx.db.select().from(organisations)).map((o) => o.name);
    expect(names).toContain('Other Corp');
    expect(names).toContain('Demo Industries GmbH');
  });

  it('when a sub-organisation asks for its sibling, then it answers 404', async () => {
    const sibling = await call(
      owner,
      'POST',
      '/organisations',
      newSub({
        company: 'Sibling GmbH',
        owner: { firstName: 'Sid', lastName: 'Sibling', email: 'sid@sibling.example' },
      }),
    );
    expect(sibling.statusCode).toBe(201);
    expect((await call(subOwner, 'GET', `/organisations/${sibling.json().id}`)).statusCode).toBe(404);
    expect((await call(owner, 'DELETE', `/organisations/${sibling.json().id}`)).statusCode).toBe(200);
  });
});

describe('creating a sub-organisation', () => {
  let createdId = '';

  it('when the owner creates one, then it gets the next account number, the invoice address and an invited owner', async () => {
    const res = await call(owner, 'POST', '/organisations', newSub());
    expect(res.statusCode).toBe(201);
    createdId = res.json().id;
    expect(res.json()).toMatchObject({
      name: 'Demo Industries Field Service GmbH',
      accountNumber: '8100100000', // one above the highest (Other Corp's 8100099999)
      owner: { name: 'Fiona Field', email: 'fiona@field.example', status: 'invited' },
      simCount: 0,
      userCount: 1,
    });
    const [org] = await h.ctx.db.select().from(organisations).where(eq(organisations.id, createdId));
    expect(org).toMatchObject({ parentId: masterId, kind: 'customer', billingCountry: 'DE', language: 'en' });
    const addr = await h.ctx.db.select().from(addresses).where(eq(addresses.orgId, createdId));
    expect(addr).toEqual([expect.objectContaining({ kind: 'invoice', city: 'Hamburg', company: org?.name })]);
    const mails = await mailsTo('fiona@field.example');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ template: 'invitation', orgId: createdId });
    expect(mails[0]?.text).toContain('/set-password?token=');
  });

  it('when the invited owner uses the link, then they sign in to the new organisation, and the link works once', async () => {
    const token = (await mailsTo('fiona@field.example'))
      .at(-1)
      ?.text.match(/set-password\?token=([\w-]+)/)?.[1];
    const reset = (pw: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/auth/password/reset', payload: { token, password: pw } });
    expect((await reset('a-fresh-field-password')).statusCode).toBeLessThan(300);
    expect((await reset('another-field-password')).statusCode).toBe(400);
    const fiona = await signIn(h.app, 'fiona@field.example', 'a-fresh-field-password');
    const me = (await call(fiona, 'GET', '/me')).json();
    expect(me).toMatchObject({ role: 'owner', organisation: { id: createdId } });
    expect((await call(owner, 'GET', `/organisations/${createdId}`)).json().owner.status).toBe('active');
  });

  it('when the account number or the owner’s e-mail is taken, or a field is bad, then nothing is created', async () => {
    const before = (await h.ctx.db.select().from(organisations)).length;
    const taken = await call(
      owner,
      'POST',
      '/organisations',
      newSub({
        owner: { firstName: 'A', lastName: 'B', email: 'user@demo.example' },
      }),
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors).toEqual([
      { field: 'owner.email', message: 'is already in use', reason: 'in_use' },
    ]);
    expect(renderFieldError('de', taken.json().errors[0])).toBe('Wird bereits verwendet.');
    const bad = await call(
      owner,
      'POST',
      '/organisations',
      newSub({
        company: ' ',
        billingCountry: 'XX',
        address: { street: 'S', postalCode: '!', city: 'C', country: 'de' },
      }),
    );
    expect(bad.statusCode).toBe(400);
    const fields = bad
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['address.country', 'address.postalCode', 'billingCountry', 'company']);
    expect((await h.ctx.db.select().from(organisations)).length).toBe(before);
  });

  it('when the owner renames it, then the list shows the new name', async () => {
    const res = await call(owner, 'PATCH', `/organisations/${createdId}`, { name: 'Field Service GmbH' });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Field Service GmbH');
    expect((await call(owner, 'PATCH', `/organisations/${createdId}`, { name: '' })).statusCode).toBe(400);
  });

  it('when it holds SIMs, then deleting is refused with 409 naming the count; empty, it goes with its users', async () => {
    const refused = await call(owner, 'DELETE', `/organisations/${subId}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('still holds 4 SIM(s)');
    expect(renderProblem('en', refused.json())).toBe(refused.json().detail);
    expect(renderProblem('de', refused.json())).toMatch(/ hat noch 4 SIM\(s\): /);
    const removed = await call(owner, 'DELETE', `/organisations/${createdId}`);
    expect(removed.statusCode).toBe(200);
    expect((await call(owner, 'GET', `/organisations/${createdId}`)).statusCode).toBe(404);
    expect(await h.ctx.db.select().from(users).where(eq(users.orgId, createdId))).toEqual([]);
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'fiona@field.example', password: 'a-fresh-field-password' },
    });
    expect(login.statusCode).toBe(401);
    const left = await h.ctx.db
      .select()
      .from(organisations)
      .where(and(eq(organisations.parentId, masterId)));
    expect(left.map((o) => o.id)).toEqual([subId]);
  });
});

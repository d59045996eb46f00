import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox, organisations } from '../../db/schema/index.js';
import { renderProblem } from '../../test/error-text.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { findUserByEmail } from './users.repository.js';

let h: Harness;
let operator: Session;
let owner: Session;
let customerId: string;
let otherOrgId: string;
let oliviaId: string;

beforeAll(async () => {
  h = await createHarness();
  ({ otherOrgId } = await seedFixtures(h.ctx));
  operator = await signIn(h.app, 'operator@provider.example');
  owner = await signIn(h.app, 'owner@demo.example');
  const [org] = await h.ctx.db
    .select()
    .from(organisations)
    .where(eq(organisations.name, 'Demo Industries GmbH'));
  customerId = org?.id ?? '';
  oliviaId = (await findUserByEmail(h.ctx.db, 'owner@demo.example'))?.user.id ?? '';
});
afterAll(() => h.close());

const call = (session: Session, url: string, payload?: object) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: as(session),
    ...(payload ? { payload } : {}),
  });

async function mailsTo(email: string) {
  return h.ctx.db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.to, email))
    .orderBy(asc(mailOutbox.createdAt));
}

describe("operators administer a customer's Owners", () => {
  let newOwnerId = '';

  it('when the operator invites another Owner, then they are invited by mail and listed in the customer', async () => {
    const res = await call(operator, `/operator/customers/${customerId}/owners`, {
      firstName: 'Nora',
      lastName: 'Neu',
      email: 'Nora@Demo.example',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'nora@demo.example', role: 'owner', status: 'invited' });
    newOwnerId = res.json().id;
    expect(await mailsTo('nora@demo.example')).toEqual([expect.objectContaining({ template: 'invitation' })]);
    const detail = await h.app.inject({
      method: 'GET',
      url: `/api/v1/operator/customers/${customerId}`,
      headers: as(operator),
    });
    expect(detail.json().users).toContainEqual(expect.objectContaining({ id: newOwnerId, role: 'owner' }));
  });

  it('when the operator resends the invitation, then a new link is mailed and the first one stops working', async () => {
    const first = (await mailsTo('nora@demo.example'))[0]?.text.match(/token=([\w-]+)/)?.[1];
    const res = await call(operator, `/operator/customers/${customerId}/owners/${newOwnerId}/invitation`);
    expect(res.statusCode).toBe(200);
    expect(await mailsTo('nora@demo.example')).toHaveLength(2);
    const reset = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token: first, password: 'nora-password-123' },
    });
    expect(reset.statusCode).toBe(400);
  });

  it('when the operator deactivates an Owner, then their sessions end; activated again, they sign in', async () => {
    const res = await call(operator, `/operator/customers/${customerId}/owners/${oliviaId}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('deactivated');
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: as(owner) })).statusCode).toBe(
      401,
    );
    const again = await call(operator, `/operator/customers/${customerId}/owners/${oliviaId}/activate`);
    expect(again.json().status).toBe('active');
    owner = await signIn(h.app, 'owner@demo.example');
  });

  it('when only one Owner who can sign in would remain none, then deactivating is refused with 409', async () => {
    expect(
      (await call(operator, `/operator/customers/${customerId}/owners/${newOwnerId}/deactivate`)).statusCode,
    ).toBe(200);
    const last = await call(operator, `/operator/customers/${customerId}/owners/${oliviaId}/deactivate`);
    expect(last.statusCode).toBe(409);
    expect(last.json().detail).toMatch(/last Owner/);
    expect(last.json().reason).toBe('last_owner');
    expect(renderProblem('en', last.json())).toBe(last.json().detail);
    expect(renderProblem('de', last.json())).toMatch(/ist der letzte Owner der Organisation/);
    expect(
      (await call(operator, `/operator/customers/${customerId}/owners/${newOwnerId}/activate`)).json().status,
    ).toBe('invited');
  });

  it('when the user is not an Owner, or belongs to another customer, then the operator is refused', async () => {
    const admin = (await findUserByEmail(h.ctx.db, 'admin@demo.example'))?.user.id;
    expect(
      (await call(operator, `/operator/customers/${customerId}/owners/${admin}/deactivate`)).statusCode,
    ).toBe(403);
    expect(
      (await call(operator, `/operator/customers/${otherOrgId}/owners/${oliviaId}/deactivate`)).statusCode,
    ).toBe(404);
    const taken = await call(operator, `/operator/customers/${customerId}/owners`, {
      firstName: 'X',
      lastName: 'Y',
      email: 'user@demo.example',
    });
    expect(taken.statusCode).toBe(409);
  });

  it('when a customer’s own Owner calls these endpoints, then 403', async () => {
    expect(
      (await call(owner, `/operator/customers/${customerId}/owners/${newOwnerId}/invitation`)).statusCode,
    ).toBe(403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

let h: Harness;
let owner: Session;
let other: Session;

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
  owner = await signIn(h.app, 'owner@demo.example');
  other = await signIn(h.app, 'other-owner@other.example');
});
afterAll(() => h.close());

const newAddress = {
  kind: 'delivery',
  company: 'Demo Industries GmbH',
  recipient: 'Lab',
  street: 'Teststraße 1',
  postalCode: '80331',
  city: 'München',
  country: 'DE',
};

describe('customer data', () => {
  it('when the owner reads the account, then it shows the account number, company and extra e-mails', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/account', headers: as(owner) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      accountNumber: '8100012345',
      name: 'Demo Industries GmbH',
      billingCountry: 'DE',
    });
    expect(
      res
        .json()
        .emails.map((e: { category: string }) => e.category)
        .sort(),
    ).toEqual(['invoice', 'volume-notifications']);
  });

  it('when the owner tries to change the company name, then 400 and the name stays', async () => {
    const res = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/account',
      headers: as(owner),
      payload: { name: 'Renamed Ltd' },
    });
    expect(res.statusCode).toBe(400);
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/account', headers: as(owner) });
    expect(after.json().name).toBe('Demo Industries GmbH');
  });

  it('when the owner changes the invoice e-mail and language, then they are stored', async () => {
    const res = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/account',
      headers: as(owner),
      payload: { invoiceEmail: 'Billing@Demo.Example', language: 'de' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ invoiceEmail: 'billing@demo.example', language: 'de' });
  });

  it('when an extra e-mail is invalid, then 400 names the field', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/account/emails',
      headers: as(owner),
      payload: { email: 'nope', category: 'invoice' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('email');
  });
});

describe('addresses', () => {
  it('when a delivery address is added as default, then it is the only default', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/account/addresses',
      headers: as(owner),
      payload: { ...newAddress, isDefault: true },
    });
    expect(res.statusCode).toBe(201);
    const list = await h.app.inject({ method: 'GET', url: '/api/v1/account/addresses', headers: as(owner) });
    const defaults = list.json().items.filter((a: { isDefault: boolean }) => a.isDefault);
    expect(defaults).toHaveLength(1);
    expect(defaults[0].city).toBe('München');
  });

  it('when a second invoice address is added, then 409', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/account/addresses',
      headers: as(owner),
      payload: { ...newAddress, kind: 'invoice' },
    });
    expect(res.statusCode).toBe(409);
  });

  it('when an address has a bad country code, then 400 names the field and nothing is added', async () => {
    const before = await h.app.inject({
      method: 'GET',
      url: '/api/v1/account/addresses',
      headers: as(owner),
    });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/account/addresses',
      headers: as(owner),
      payload: { ...newAddress, country: 'Germany' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('country');
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/account/addresses', headers: as(owner) });
    expect(after.json().total).toBe(before.json().total);
  });

  it("when another organisation addresses this organisation's address, then 404 and it is unchanged", async () => {
    const list = await h.app.inject({ method: 'GET', url: '/api/v1/account/addresses', headers: as(owner) });
    const target = list.json().items.find((a: { kind: string }) => a.kind === 'delivery');
    const patch = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/account/addresses/${target.id}`,
      headers: as(other),
      payload: { city: 'Hacked' },
    });
    expect(patch.statusCode).toBe(404);
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/account/addresses/${target.id}`,
      headers: as(other),
    });
    expect(del.statusCode).toBe(404);
    const otherList = await h.app.inject({
      method: 'GET',
      url: '/api/v1/account/addresses',
      headers: as(other),
    });
    expect(otherList.json().total).toBe(0);
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/account/addresses', headers: as(owner) });
    expect(after.json().items.find((a: { id: string }) => a.id === target.id).city).toBe(target.city);
  });

  it('when the invoice address is deleted, then 409: it can only be changed', async () => {
    const list = await h.app.inject({ method: 'GET', url: '/api/v1/account/addresses', headers: as(owner) });
    const invoice = list.json().items.find((a: { kind: string }) => a.kind === 'invoice');
    const res = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/account/addresses/${invoice.id}`,
      headers: as(owner),
    });
    expect(res.statusCode).toBe(409);
  });

  it('when the default delivery address is removed, then the oldest remaining one becomes the default', async () => {
    const list = await h.app.inject({ method: 'GET', url: '/api/v1/account/addresses', headers: as(owner) });
    const current = list.json().items.find((a: { isDefault: boolean }) => a.isDefault);
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/account/addresses/${current.id}`,
      headers: as(owner),
    });
    expect(del.statusCode).toBe(200);
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/account/addresses', headers: as(owner) });
    const defaults = after.json().items.filter((a: { isDefault: boolean }) => a.isDefault);
    expect(defaults).toHaveLength(1);
    expect(defaults[0].id).not.toBe(current.id);
  });
});

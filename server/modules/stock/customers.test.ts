import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox, organisations } from '../../db/schema/index.js';
import { demoLogins, seedDemo } from '../../demo/seed.js';
import { as, createHarness, type Harness, password, type Session, signIn } from '../../test/harness.js';

let h: Harness;
let operator: Session;
const newPassword = 'a-fresh-owner-password';

beforeAll(async () => {
  h = await createHarness();
  await seedDemo(h.ctx, password);
  operator = await signIn(h.app, 'operator@provider.example');
});
afterAll(() => h.close());

const call = (session: Session, method: 'GET' | 'POST', url: string, payload?: object) =>
  h.app.inject({ method, url: `/api/v1${url}`, headers: as(session), ...(payload ? { payload } : {}) });

const customer = (overrides: Record<string, unknown> = {}) => ({
  company: 'Acme Sensors AG',
  billingCountry: 'ch',
  language: 'de',
  invoiceEmail: 'Billing@Acme.example',
  cidr: '10.80.0.0/24',
  owner: { firstName: 'Anna', lastName: 'Acme', email: 'anna@acme.example' },
  ...overrides,
});

const orgCount = async () => (await h.ctx.db.select({ n: count() }).from(organisations))[0]?.n ?? 0;

async function mailsTo(email: string) {
  return h.ctx.db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.to, email))
    .orderBy(asc(mailOutbox.createdAt));
}

describe('creating a customer', () => {
  let createdId = '';

  it('when the operator creates a customer, then the next account number is allocated, the block added and the owner invited', async () => {
    const res = await call(operator, 'POST', '/operator/customers', customer());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    createdId = body.id;
    expect(body).toMatchObject({
      accountNumber: '8100012347',
      name: 'Acme Sensors AG',
      billingCountry: 'CH',
      invoiceEmail: 'billing@acme.example',
      language: 'de',
      simCount: 0,
      ipPools: [{ cidr: '10.80.0.0/24', size: 254, used: 0 }],
      users: [{ email: 'anna@acme.example', role: 'owner', status: 'invited', lastLoginAt: null }],
    });
    const [provider] = await h.ctx.db.select().from(organisations).where(eq(organisations.kind, 'provider'));
    expect(body.parentId).toBe(provider?.id);
    const mails = await mailsTo('anna@acme.example');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ template: 'invitation', language: 'de' });
    expect(mails[0]?.text).toContain(`${h.ctx.config.publicUrl}/set-password?token=`);
  });

  it('when the owner sets a password from the mail, then they sign in as owner of the new organisation and see no SIMs', async () => {
    const token = (await mailsTo('anna@acme.example'))
      .at(-1)
      ?.text.match(/set-password\?token=([\w-]+)/)?.[1];
    expect(token).toBeTruthy();
    const reset = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: newPassword },
    });
    expect(reset.statusCode).toBeLessThan(300);
    const owner = await signIn(h.app, 'anna@acme.example', newPassword);
    const me = (await call(owner, 'GET', '/me')).json();
    expect(me).toMatchObject({ role: 'owner', organisation: { id: createdId } });
    const sims = await call(owner, 'GET', '/sims');
    expect(sims.statusCode).toBe(200);
    expect(sims.json().total).toBe(0);
    const detail = (await call(operator, 'GET', `/operator/customers/${createdId}`)).json();
    expect(detail.users[0]).toMatchObject({ status: 'active', lastLoginAt: expect.any(String) });
  });

  it('when the owner e-mail is in use, then 409 naming owner.email and nothing is created', async () => {
    const before = await orgCount();
    const res = await call(
      operator,
      'POST',
      '/operator/customers',
      customer({
        cidr: '10.81.0.0/24',
        owner: { firstName: 'O', lastName: 'O', email: 'OWNER@demo.example' },
      }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([
      { field: 'owner.email', message: expect.any(String), reason: 'in_use' },
    ]);
    expect(await orgCount()).toBe(before);
  });

  it('when the country or the block is bad, then 400 naming the field and nothing is created', async () => {
    const before = await orgCount();
    const fresh = (n: number) => ({ firstName: 'B', lastName: 'B', email: `b${n}@bad.example` });
    const cases: [Record<string, unknown>, string][] = [
      [{ billingCountry: 'XX', owner: fresh(1) }, 'billingCountry'],
      [{ billingCountry: 'Germany', owner: fresh(2) }, 'billingCountry'],
      [{ cidr: 'banana', owner: fresh(3) }, 'cidr'],
      [{ cidr: '10.90.0.1/24', owner: fresh(4) }, 'cidr'],
      [{ cidr: '300.1.0.0/16', owner: fresh(5) }, 'cidr'],
      [{ owner: { ...fresh(6), email: 'not-an-email' } }, 'owner.email'],
    ];
    for (const [overrides, field] of cases) {
      const res = await call(operator, 'POST', '/operator/customers', customer(overrides));
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const overlap = await call(
      operator,
      'POST',
      '/operator/customers',
      customer({ cidr: '10.80.0.0/16', owner: fresh(7) }),
    );
    expect(overlap.statusCode).toBe(409);
    expect(await orgCount()).toBe(before);
    expect(await mailsTo('b7@bad.example')).toHaveLength(0);
  });

  it('when created without a block, then the customer has no IP space and the next number follows', async () => {
    const res = await call(
      operator,
      'POST',
      '/operator/customers',
      customer({
        company: 'Beta Logistics Ltd',
        billingCountry: 'GB',
        language: 'en',
        cidr: undefined,
        owner: { firstName: 'Ben', lastName: 'Beta', email: 'ben@beta.example' },
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ accountNumber: '8100012348', ipPools: [] });
    expect((await mailsTo('ben@beta.example'))[0]?.language).toBe('en');
  });
});

describe('listing and searching customers', () => {
  it('when the operator searches by account number or name, then only matching customers are listed', async () => {
    const byNumber = (await call(operator, 'GET', '/operator/customers?q=8100012347')).json();
    expect(byNumber.items.map((c: { name: string }) => c.name)).toEqual(['Acme Sensors AG']);
    const byName = (await call(operator, 'GET', '/operator/customers?q=demo%20industries')).json();
    expect(byName.total).toBe(2);
    const all = (await call(operator, 'GET', '/operator/customers')).json();
    expect(all.total).toBe(4);
    const none = (await call(operator, 'GET', '/operator/customers?q=%25')).json();
    expect(none.total).toBe(0);
  });

  it('when the detail of an unknown or provider organisation is asked, then 404', async () => {
    const unknown = await call(operator, 'GET', '/operator/customers/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
  });
});

describe('customers cannot use the console', () => {
  it('when any customer role calls the customer endpoints, then 403', async () => {
    for (const login of demoLogins.filter((l) => l.role !== 'operator')) {
      const s = await signIn(h.app, login.email);
      const list = await call(s, 'GET', '/operator/customers');
      const create = await call(
        s,
        'POST',
        '/operator/customers',
        customer({ owner: { firstName: 'X', lastName: 'X', email: `x-${login.role}@x.example` } }),
      );
      expect([list.statusCode, create.statusCode], login.role).toEqual([403, 403]);
    }
    expect(await mailsTo('x-owner@x.example')).toHaveLength(0);
  });
});

/** The demo provider and customer that the first start creates, so the portal has someone to sign in as. */
import type { CustomerRole, Role } from '../../contracts/permissions.js';
import type { AppContext } from '../context.js';
import { insertAddress, insertEmail } from '../modules/account/account.repository.js';
import { hashPassword } from '../modules/auth/auth.service.js';
import { insertOrganisation } from '../modules/orgs/orgs.repository.js';
import { insertUser } from '../modules/users/users.repository.js';

/** The demo sign-ins, one per role; all share the demo password. */
export const demoLogins: { email: string; role: Role; firstName: string; lastName: string }[] = [
  { email: 'owner@demo.example', role: 'owner', firstName: 'Olivia', lastName: 'Owner' },
  { email: 'admin@demo.example', role: 'admin', firstName: 'Adam', lastName: 'Admin' },
  { email: 'user@demo.example', role: 'user', firstName: 'Ursula', lastName: 'User' },
  { email: 'readonly@demo.example', role: 'readonly', firstName: 'Rita', lastName: 'Reader' },
  { email: 'thirdparty@demo.example', role: 'thirdparty', firstName: 'Theo', lastName: 'Thirdparty' },
  { email: 'operator@provider.example', role: 'operator', firstName: 'Otto', lastName: 'Operator' },
];

/** The sub-organisation's owner, so that the tree is complete. */
export const demoSubOwner = 'owner@logistics.demo.example';

/** Create the demo organisations, addresses and users in one transaction. */
export async function seedDemo(ctx: AppContext, password: string) {
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const provider = await insertOrganisation(tx, {
      kind: 'provider',
      name: 'OpenCMP Demo Provider',
      billingCountry: 'DE',
      language: 'en',
    });
    const customer = await insertOrganisation(tx, {
      kind: 'customer',
      parentId: provider.id,
      accountNumber: '8100012345',
      name: 'Demo Industries GmbH',
      billingCountry: 'DE',
      invoiceEmail: 'invoices@demo.example',
      language: 'en',
      contactName: 'Olivia Owner',
      contactPhone: '+49 30 1234567',
    });
    const sub = await insertOrganisation(tx, {
      kind: 'customer',
      parentId: customer.id,
      accountNumber: '8100012346',
      name: 'Demo Industries Logistics GmbH',
      billingCountry: 'DE',
      invoiceEmail: 'invoices@logistics.demo.example',
      language: 'de',
    });
    await insertEmail(tx, {
      orgId: customer.id,
      email: 'fleet@demo.example',
      category: 'volume-notifications',
    });
    await insertEmail(tx, {
      orgId: customer.id,
      email: 'accounting@demo.example',
      category: 'invoice',
    });
    const address = { company: 'Demo Industries GmbH', country: 'DE' };
    await insertAddress(tx, {
      ...address,
      orgId: customer.id,
      kind: 'invoice',
      recipient: 'Accounts Payable',
      street: 'Friedrichstraße 100',
      postalCode: '10117',
      city: 'Berlin',
    });
    await insertAddress(tx, {
      ...address,
      orgId: customer.id,
      kind: 'delivery',
      recipient: 'Goods receipt, gate 2',
      street: 'Industriestraße 12',
      postalCode: '70565',
      city: 'Stuttgart',
      isDefault: true,
    });
    await insertAddress(tx, {
      ...address,
      orgId: customer.id,
      kind: 'delivery',
      recipient: 'Field service',
      street: 'Hafenstraße 5',
      postalCode: '20457',
      city: 'Hamburg',
    });
    await insertAddress(tx, {
      orgId: sub.id,
      kind: 'invoice',
      company: 'Demo Industries Logistics GmbH',
      street: 'Lagerweg 3',
      postalCode: '04109',
      city: 'Leipzig',
      country: 'DE',
    });
    for (const login of demoLogins) {
      await insertUser(tx, {
        ...login,
        orgId: login.role === 'operator' ? provider.id : customer.id,
        status: 'active',
        passwordHash,
      });
    }
    const subOwnerRole: CustomerRole = 'owner';
    await insertUser(tx, {
      orgId: sub.id,
      email: demoSubOwner,
      firstName: 'Lena',
      lastName: 'Logistik',
      role: subOwnerRole,
      status: 'active',
      passwordHash,
      language: 'de',
    });
    return { providerId: provider.id, customerId: customer.id, subId: sub.id };
  });
}

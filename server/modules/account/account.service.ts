/** The Account tab: the organisation's customer data, e-mail addresses and postal addresses. */
import type { z } from 'zod';
import type {
  addEmailRequest,
  createAddressRequest,
  updateAddressRequest,
  updateCustomerData,
} from '../../../contracts/account.js';
import type { AppContext } from '../../context.js';
import { AppError, conflict, notFound } from '../../lib/errors.js';
import { auditChange, auditTarget } from '../audit/audit.context.js';
import { findOrganisation, updateOrganisation } from '../orgs/orgs.repository.js';
import {
  type AddressRow,
  clearDefaultDelivery,
  deleteAddress,
  deleteEmail,
  findAddress,
  insertAddress,
  insertEmail,
  listAddresses,
  listEmails,
  updateAddress,
} from './account.repository.js';

/** The organisation's customer data with its extra e-mail addresses. */
export async function getCustomerData(ctx: AppContext, orgId: string) {
  const org = await findOrganisation(ctx.db, orgId);
  if (!org) throw notFound('Organisation');
  const emails = await listEmails(ctx.db, orgId);
  return {
    accountNumber: org.accountNumber,
    name: org.name,
    billingCountry: org.billingCountry,
    invoiceEmail: org.invoiceEmail,
    language: org.language,
    contactName: org.contactName,
    contactPhone: org.contactPhone,
    emails: emails.map((e) => ({ id: e.id, email: e.email, category: e.category })),
  };
}

export async function changeCustomerData(
  ctx: AppContext,
  orgId: string,
  input: z.infer<typeof updateCustomerData>,
) {
  const before = await getCustomerData(ctx, orgId);
  await updateOrganisation(ctx.db, orgId, input);
  const after = await getCustomerData(ctx, orgId);
  const { emails: _b, ...beforeFields } = before;
  const { emails: _a, ...afterFields } = after;
  auditChange(beforeFields, afterFields);
  return after;
}

export async function addEmail(ctx: AppContext, orgId: string, input: z.infer<typeof addEmailRequest>) {
  const existing = await listEmails(ctx.db, orgId);
  if (existing.some((e) => e.email === input.email && e.category === input.category)) {
    throw conflict(
      'email_already_listed',
      { email: input.email, category: input.category },
      `${input.email} is already listed for ${input.category}.`,
    );
  }
  const row = await insertEmail(ctx.db, { orgId, ...input });
  auditTarget(`email:${row.id}`);
  auditChange(null, { email: input.email, category: input.category });
  return getCustomerData(ctx, orgId);
}

export async function removeEmail(ctx: AppContext, orgId: string, id: string) {
  const before = (await listEmails(ctx.db, orgId)).find((e) => e.id === id);
  if (!(await deleteEmail(ctx.db, orgId, id))) throw notFound('E-mail address');
  if (before) auditChange({ email: before.email, category: before.category }, null);
  return getCustomerData(ctx, orgId);
}

function present(a: AddressRow) {
  return {
    id: a.id,
    kind: a.kind,
    company: a.company,
    recipient: a.recipient,
    street: a.street,
    postalCode: a.postalCode,
    city: a.city,
    country: a.country,
    isDefault: a.isDefault,
  };
}

/** An address as the audit log keeps it (no ids, no timestamps). */
function addressFields(a: AddressRow) {
  const { id: _id, ...fields } = present(a);
  return fields;
}

export async function getAddresses(ctx: AppContext, orgId: string) {
  const rows = await listAddresses(ctx.db, orgId);
  return { items: rows.map(present), total: rows.length };
}

/** Add a delivery address, or the invoice address when there is none yet (there is only ever one). */
export async function createAddress(
  ctx: AppContext,
  orgId: string,
  input: z.infer<typeof createAddressRequest>,
) {
  const existing = await listAddresses(ctx.db, orgId);
  if (input.kind === 'invoice' && existing.some((a) => a.kind === 'invoice')) {
    throw conflict(
      'invoice_address_exists',
      {},
      'The organisation already has an invoice address; change that one instead.',
    );
  }
  const isDefault =
    input.kind === 'delivery' && (input.isDefault || !existing.some((a) => a.kind === 'delivery'));
  const row = await ctx.db.transaction(async (tx) => {
    const created = await insertAddress(tx, {
      ...input,
      recipient: input.recipient ?? null,
      orgId,
      isDefault,
    });
    if (isDefault) await clearDefaultDelivery(tx, orgId, created.id);
    return created;
  });
  auditTarget(`address:${row.id}`);
  auditChange(null, addressFields(row));
  return present(row);
}

export async function changeAddress(
  ctx: AppContext,
  orgId: string,
  id: string,
  input: z.infer<typeof updateAddressRequest>,
) {
  const current = await findAddress(ctx.db, orgId, id);
  if (!current) throw notFound('Address');
  if (input.isDefault !== undefined && current.kind === 'invoice') {
    throw new AppError('validation_failed', 'isDefault: applies to delivery addresses only', {
      errors: [
        {
          field: 'isDefault',
          message: 'applies to delivery addresses only',
          reason: 'default_delivery_only',
        },
      ],
    });
  }
  const row = await ctx.db.transaction(async (tx) => {
    const updated = await updateAddress(tx, orgId, id, input);
    if (input.isDefault) await clearDefaultDelivery(tx, orgId, id);
    return updated;
  });
  if (!row) throw notFound('Address');
  auditChange(addressFields(current), addressFields(row));
  return present(row);
}

/** Remove a delivery address; the invoice address can only be changed. */
export async function removeAddress(ctx: AppContext, orgId: string, id: string) {
  const current = await findAddress(ctx.db, orgId, id);
  if (!current) throw notFound('Address');
  if (current.kind === 'invoice')
    throw conflict('invoice_address_required', {}, 'The invoice address can be changed, not removed.');
  await ctx.db.transaction(async (tx) => {
    await deleteAddress(tx, orgId, id);
    if (!current.isDefault) return;
    // the oldest remaining delivery address becomes the default, so orders always have one
    const next = (await listAddresses(tx, orgId)).find((a) => a.kind === 'delivery');
    if (next) await updateAddress(tx, orgId, next.id, { isDefault: true });
  });
  auditChange(addressFields(current), null);
}

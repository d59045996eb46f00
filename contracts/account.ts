/** Contracts of the Account tab: customer data, extra e-mail addresses, postal addresses. */
import { z } from 'zod';
import { email, language } from './common.js';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const emailCategory = z.enum(['invoice', 'volume-notifications']);

export const customerData = z.object({
  accountNumber: z.string().nullable(),
  name: z.string(),
  billingCountry: z.string().nullable(),
  invoiceEmail: z.string().nullable(),
  language,
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  emails: z.array(z.object({ id: z.uuid(), email: z.string(), category: emailCategory })),
});
export type CustomerData = z.infer<typeof customerData>;

/** What a customer may change; company name and billing country are on invoices and stay read-only. */
export const updateCustomerData = z
  .strictObject({
    invoiceEmail: email,
    language,
    contactName: text(100).nullable(),
    contactPhone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()/-]{5,30}$/, 'must be a phone number (digits, spaces, + ( ) / -)')
      .nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

export const addEmailRequest = z.strictObject({ email, category: emailCategory });

export const addressFields = z.strictObject({
  company: text(100),
  recipient: text(100).nullable().optional(),
  street: text(200),
  postalCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9 -]{2,12}$/, 'must be 2 to 12 letters, digits, spaces or dashes'),
  city: text(100),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE'),
});

export const address = addressFields.extend({
  id: z.uuid(),
  kind: z.enum(['delivery', 'invoice']),
  recipient: z.string().nullable(),
  isDefault: z.boolean(),
});
export type Address = z.infer<typeof address>;
export const addressList = z.object({ items: z.array(address), total: z.number().int() });

export const createAddressRequest = addressFields.extend({
  kind: z.enum(['delivery', 'invoice']),
  isDefault: z.boolean().optional(),
});
export const updateAddressRequest = addressFields
  .extend({ isDefault: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

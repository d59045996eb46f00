/** Contracts of the operator console's SIM stock: import, assignment, IP address spaces. */
import { z } from 'zod';
import { email, language, personName, searchText } from './common.js';
import { iccid } from './ids.js';
import { userSummary } from './users.js';

export const importError = z.object({ line: z.number().int(), field: z.string(), message: z.string() });
export const importResult = z.object({ imported: z.number().int() });

export const stockSummary = z.object({
  total: z.number().int(),
  byFormFactor: z.array(z.object({ formFactor: z.string(), count: z.number().int() })),
  ranges: z.array(z.object({ first: z.string(), last: z.string(), count: z.number().int() })),
});

export const assignRequest = z
  .strictObject({
    orgId: z.uuid({ message: 'must be an organisation id' }),
    iccidFrom: iccid,
    iccidTo: iccid,
    contractMonths: z.number().int().min(1).max(240).default(120),
    dataMb: z.number().int().min(0).max(10_000_000).default(500),
    sms: z.number().int().min(0).max(10_000_000).default(250),
  })
  .refine((v) => v.iccidFrom <= v.iccidTo, { message: 'must not be after iccidTo', path: ['iccidFrom'] });
export const assignResult = z.object({
  assigned: z.number().int(),
  firstIp: z.string().nullable(),
  lastIp: z.string().nullable(),
});

export const customerSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  accountNumber: z.string().nullable(),
  parentId: z.uuid().nullable(),
  simCount: z.number().int(),
});
export const customerList = z.object({ items: z.array(customerSummary), total: z.number().int() });
/** Search customers by name or account number. */
export const customerListQuery = z.object({ q: searchText(100).optional() });

export const ipPool = z.object({
  id: z.uuid(),
  cidr: z.string(),
  size: z.number().int(),
  used: z.number().int(),
});
export const ipPoolList = z.object({ items: z.array(ipPool) });
export const addIpPoolRequest = z.strictObject({
  cidr: z
    .string()
    .trim()
    .regex(
      /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/,
      'must be an IPv4 CIDR block such as 10.64.0.0/16',
    ),
});

/** An IPv4 block as typed: dotted quad and prefix length (the service checks ranges and host bits). */
const cidr = z
  .string()
  .trim()
  .regex(
    /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/,
    'must be an IPv4 CIDR block such as 10.64.0.0/16',
  );

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** An ISO 3166-1 alpha-2 country code such as DE (upper-cased). */
export const countryCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => /^[A-Z]{2}$/.test(v) && v !== 'ZZ' && regionNames.of(v) !== undefined, {
    message: 'must be an ISO 3166-1 alpha-2 country code such as DE',
  });

/** A new customer organisation with its first Owner, who is invited by e-mail. */
export const createCustomerRequest = z.strictObject({
  company: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
  billingCountry: countryCode,
  language,
  invoiceEmail: email,
  cidr: cidr.optional(),
  owner: z.strictObject({ firstName: personName, lastName: personName, email }),
});
export type CreateCustomerRequest = z.infer<typeof createCustomerRequest>;

/** A customer organisation as the operator console shows it, with its users, SIM count and IP blocks. */
export const customerDetail = customerSummary.extend({
  billingCountry: z.string().nullable(),
  invoiceEmail: z.string().nullable(),
  language,
  createdAt: z.string(),
  users: z.array(userSummary),
  ipPools: z.array(ipPool),
});
export type CustomerDetail = z.infer<typeof customerDetail>;

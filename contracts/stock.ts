/** Contracts of the operator console's SIM stock: import, assignment, IP address spaces. */
import { z } from 'zod';
import { iccid } from './ids.js';

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

/** Contracts of the audit log: who wrote what, when and from where (PRODUCT.md §10, issue 6). */
import { z } from 'zod';
import { paged, pageQuery, searchText } from './common.js';

export const auditActorKinds = ['user', 'operator', 'client', 'anonymous'] as const;

export const auditEntry = z.object({
  id: z.uuid(),
  at: z.string(),
  actor: z.object({
    kind: z.enum(auditActorKinds),
    id: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    role: z.string().nullable(),
  }),
  action: z.string(),
  method: z.string(),
  route: z.string(),
  target: z.string().nullable(),
  status: z.number().int(),
  outcome: z.string(),
  request: z.unknown().nullable(),
  changes: z
    .object({ before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) })
    .nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

const fromBeforeTo = (f: { from?: string; to?: string }) =>
  !f.from || !f.to || new Date(f.from) < new Date(f.to);

/** Filters of the audit log; all optional, combined with AND. */
const auditFilterFields = z.object({
  actor: searchText(254)
    .optional()
    .describe('Actor: a user or API client id, or part of a name, e-mail or client_id'),
  action: searchText(120)
    .optional()
    .describe('Action, e.g. `sim.update`; a trailing `*` matches a prefix (`sim.*`)'),
  target: searchText(120).optional().describe('Target, e.g. `sim:8988…`; partial match'),
  from: instant.optional().describe('From this instant (inclusive)'),
  to: instant.optional().describe('Up to this instant (exclusive)'),
  q: searchText(100).optional().describe('Free text over actor, action, target, IP and user agent'),
});
export const auditFilter = auditFilterFields.refine(fromBeforeTo, {
  message: 'must be after from',
  path: ['to'],
});
export type AuditFilter = z.infer<typeof auditFilter>;

export const auditQuery = pageQuery
  .extend(auditFilterFields.shape)
  .refine(fromBeforeTo, { message: 'must be after from', path: ['to'] });
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditPage = paged(auditEntry);
export type AuditPage = z.infer<typeof auditPage>;

/** Contracts of the operator console. */
import { z } from 'zod';
import { paged, pageQuery, searchText } from './common.js';

export const outboxMail = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  template: z.string(),
  language: z.string(),
  status: z.enum(['stored', 'pending', 'sent', 'failed']),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  error: z.string().nullable(),
});
export type OutboxMail = z.infer<typeof outboxMail>;
export const outboxPage = paged(outboxMail);
export const outboxQuery = pageQuery.extend({
  to: searchText(254).optional(),
});

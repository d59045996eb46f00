/** Shared building blocks for request and response schemas. */
import { z } from 'zod';

/** An e-mail address as typed by a person: trimmed, lower-cased, validated. */
export const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be a valid e-mail address' }))
  .transform((v) => v.toLowerCase());

/** A person's name part: visible characters only, no control characters. */
export const personName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** Free text typed into a search box: trimmed, at most `max` characters, no control characters (NUL breaks SQL text). */
export function searchText(max = 64) {
  return z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
}

/** A new password: long enough to resist guessing, short enough to hash cheaply. */
export const newPassword = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

/** Languages the portal and e-mails speak. */
export const language = z.enum(['en', 'de']);
export type Language = z.infer<typeof language>;

/** RFC 9457 problem details, as every error answers. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z
    .array(
      z.object({
        field: z.string(),
        message: z.string(),
        line: z.number().int().optional(),
        /** What is wrong with the field, as a stable key (e.g. `in_use`), with the values it names. */
        reason: z.string().optional(),
        params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
  /** What exactly is in the way of a 409, as a stable key (e.g. `sim_expired`), with the values it names. */
  reason: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type Problem = z.infer<typeof problem>;

/** The body of an action that takes none: nothing (Fastify gives null), or `{}`; anything else is refused, not ignored. */
export const noBody = z.strictObject({}).nullish();

/** A plain acknowledgement for actions that return nothing else. */
export const ok = z.object({ ok: z.literal(true) });

/** Paging parameters every list takes. */
export const pageQuery = z.object({
  page: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').default(1),
  pageSize: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
});

/** A page of a list: items plus the total the query matches. */
export function paged<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

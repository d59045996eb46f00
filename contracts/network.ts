/** Contracts of the network side: NAS clients, AAA status, reset connection. */
import { z } from 'zod';

const ipv4Part = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4OrCidr = new RegExp(`^${ipv4Part}(\\.${ipv4Part}){3}(/([0-9]|[12]\\d|3[0-2]))?$`);

/** What the operator types for a NAS client. */
export const nasClientRequest = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
  address: z.string().trim().regex(ipv4OrCidr, 'must be an IPv4 address (10.0.0.1) or block (10.0.0.0/24)'),
  secret: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(128, 'must be at most 128 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  daePort: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(3799),
});
const daePort = z.coerce
  .number()
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');
export type NasClientRequest = z.input<typeof nasClientRequest>;

/** A change: every field optional; an absent secret keeps the stored one. */
export const nasClientUpdate = nasClientRequest
  .extend({ daePort })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

/** A NAS client as the API shows it: the secret only masked. */
export const nasClient = z.object({
  id: z.uuid(),
  name: z.string(),
  address: z.string(),
  secretMasked: z.string(),
  daePort: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type NasClient = z.infer<typeof nasClient>;
export const nasClientList = z.object({ items: z.array(nasClient) });
export const nasClientParams = z.object({ id: z.uuid({ message: 'must be a NAS client id' }) });

const counts = z.record(z.string(), z.number());

/** The AAA's response times over the last minute (read to reply); null without answers in that minute. */
const responseTime = z.object({ count: z.number().int(), p50Ms: z.number(), p99Ms: z.number() }).nullable();

/** The AAA's counters summed over every process running the `aaa` role. */
export const networkStatus = z.object({
  aaaRunning: z.boolean(),
  requests: counts,
  accepts: z.number(),
  rejects: counts,
  accounting: counts,
  drops: counts,
  disconnects: counts,
  responseTimes: z.object({ access: responseTime, accounting: responseTime }),
  openSessions: z.number(),
  at: z.iso.datetime(),
});
export type NetworkStatus = z.infer<typeof networkStatus>;

/** Answer of POST /sims/{iccid}/reset: the Disconnect-Requests are queued. */
export const resetResult = z.object({
  iccid: z.string(),
  sessions: z.number().int(),
  resetPending: z.literal(true),
});
export type ResetResult = z.infer<typeof resetResult>;

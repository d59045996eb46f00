/** Contracts of a SIM's SMS (PRODUCT.md §3 SMS tab, §11 SMPP) and the operator's SMSC connection. */
import { z } from 'zod';
import { paged, pageQuery } from './common.js';
import { iccid } from './ids.js';
import { countSegments, maxSmsParts } from './sms-encoding.js';

export const smsDirection = z.enum(['MT', 'MO']);
export const smsStatus = z.enum(['pending', 'submitted', 'delivered', 'failed', 'expired', 'cancelled']);
export type SmsStatus = z.infer<typeof smsStatus>;
export const smsEncoding = z.enum(['gsm7', 'ucs2']);

export const smsParams = z.object({ iccid, id: z.uuid({ message: 'must be a message id (UUID)' }) });

export const smsListQuery = pageQuery.extend({ direction: smsDirection.optional() });

/** An MT text: 1 to 10 parts (1,530 GSM-7 or 670 UCS-2 characters), no control characters but line breaks. */
export const smsText = z
  .string()
  .refine((t) => t.trim().length > 0, 'must not be empty or blank')
  .max(1600, 'must be at most 1,530 GSM-7 or 670 UCS-2 characters')
  .refine((t) => !/[^\P{Cc}\n\r]/u.test(t), 'must not contain control characters other than line breaks')
  .refine(
    (t) => countSegments(t).segments <= maxSmsParts,
    `must fit ${maxSmsParts} parts (1,530 GSM-7 or 670 UCS-2 characters)`,
  );

/**
 * The sender an MT shows on the device: a number of 1 to 15 digits (a leading + is dropped), or an
 * alphanumeric sender of up to 11 letters, digits, spaces, dots and hyphens with at least one letter
 * (GSM 03.40 allows 11 characters; SMPP sends it with TON 5).
 */
export const smsSourceAddress = z
  .string()
  .trim()
  .regex(
    /^(\+?\d{1,15}|(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9 .-]{0,10})$/,
    'must be a number of 1 to 15 digits, or up to 11 letters, digits, spaces, dots and hyphens with a letter',
  )
  .transform((a) => a.replace(/^\+/, ''));

export const sendSmsRequest = z.strictObject({
  text: smsText,
  /** Absent: the provider's default sender (SMPP_SOURCE_ADDR). */
  sourceAddress: smsSourceAddress.optional(),
});
export type SendSmsRequest = z.infer<typeof sendSmsRequest>;

export const smsPartState = z.enum(['pending', 'submitted', 'delivered', 'failed', 'expired']);

export const smsMessage = z.object({
  id: z.uuid(),
  iccid: z.string(),
  direction: smsDirection,
  /** Where it was sent to: the SIM's MSISDN for an MT, the number an MO was sent to. */
  peer: z.string(),
  /** The sender: an MT's sender as the device shows it, an MO's MSISDN; null for MTs from before senders were kept. */
  from: z.string().nullable(),
  /** The same as `peer`. */
  to: z.string(),
  text: z.string(),
  encoding: smsEncoding,
  segments: z.number().int(),
  status: smsStatus,
  parts: z.array(z.object({ smscId: z.string().nullable(), state: smsPartState })),
  error: z.string().nullable(),
  actor: z.string().nullable(),
  createdAt: z.iso.datetime(),
  submittedAt: z.iso.datetime().nullable(),
  doneAt: z.iso.datetime().nullable(),
});
export type SmsMessage = z.infer<typeof smsMessage>;

export const smsPage = paged(smsMessage).extend({
  /** The SIM's SMS volume, for the send form. */
  volume: z.object({ smsTotal: z.number().int(), smsUsed: z.number().int() }),
  /** The sender an MT gets when the form names none (SMPP_SOURCE_ADDR). */
  defaultSource: z.string(),
});
export type SmsPage = z.infer<typeof smsPage>;

export const smscState = z.enum(['disconnected', 'connecting', 'bound']);
export type SmscState = z.infer<typeof smscState>;

export const smscStatus = z.object({
  /** The SMSC URL with the password masked; null when none is configured. */
  url: z.string().nullable(),
  /** Where the URL comes from: the console's setting, SMPP_URL, the built-in simulator, or nowhere. */
  urlSource: z.enum(['console', 'environment', 'simulator', 'none']),
  state: smscState,
  lastError: z.string().nullable(),
  since: z.iso.datetime().nullable(),
  /** When the process running the ESME last reported; null when no ESME runs anywhere. */
  reportedAt: z.iso.datetime().nullable(),
  counters: z.object({
    submitted: z.number().int(),
    rejected: z.number().int(),
    throttled: z.number().int(),
    delivered: z.number().int(),
    failed: z.number().int(),
    mo: z.number().int(),
    moRefused: z.number().int(),
    receipts: z.number().int(),
    malformed: z.number().int(),
    reconnects: z.number().int(),
  }),
  throughput: z.object({ submitPerSecond: z.number(), deliverPerSecond: z.number() }),
  window: z.object({ size: z.number().int(), outstanding: z.number().int(), queued: z.number().int() }),
  /** MT messages waiting in the outbox. */
  outbox: z.number().int(),
});
export type SmscStatus = z.infer<typeof smscStatus>;

export const updateSmscRequest = z.strictObject({
  /** smpp://system_id:password@host:port[?receipt_zone=Area/City], or null to fall back to SMPP_URL. */
  url: z.string().trim().max(300, 'must be at most 300 characters').nullable(),
});
export type UpdateSmscRequest = z.infer<typeof updateSmscRequest>;

/** Contracts of the Organisation tab: sub-organisations (counts only) and SIM transfer (PRODUCT.md §2). */
import { z } from 'zod';
import { addressFields } from './account.js';
import { email, language, personName } from './common.js';
import { iccid } from './ids.js';
import { countryCode } from './stock.js';

const companyName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** A sub-organisation as its master sees it: name, owner and counts, never its SIMs, users or orders. */
export const subOrganisation = z.object({
  id: z.uuid(),
  name: z.string(),
  accountNumber: z.string().nullable(),
  owner: z
    .object({ name: z.string(), email: z.string(), status: z.enum(['invited', 'active', 'deactivated']) })
    .nullable(),
  simCount: z.number().int(),
  userCount: z.number().int(),
  /** Its own sub-organisations (nesting deeper is allowed); one with any cannot be deleted. */
  subOrganisationCount: z.number().int(),
  createdAt: z.string(),
});
export type SubOrganisation = z.infer<typeof subOrganisation>;
export const subOrganisationList = z.object({ items: z.array(subOrganisation), total: z.number().int() });

/** A new sub-organisation: company, invoice address, billing country and its Owner, who is invited. */
export const createSubOrganisationRequest = z.strictObject({
  company: companyName,
  billingCountry: countryCode,
  /** E-mails and invoices; the master's language when left out. */
  language: language.optional(),
  /** Where invoices go; the owner's e-mail when left out. */
  invoiceEmail: email.optional(),
  address: addressFields.omit({ company: true }),
  owner: z.strictObject({ firstName: personName, lastName: personName, email }),
});
export type CreateSubOrganisationRequest = z.infer<typeof createSubOrganisationRequest>;

export const updateSubOrganisationRequest = z.strictObject({ name: companyName });

/** One line of a transfer: an inclusive ICCID range (a single SIM has start = end). */
export const transferRange = z.strictObject({ start: z.string().trim(), end: z.string().trim() });

/** The most lines one transfer takes (ranges or file lines). */
export const maxTransferLines = 100_000;

/**
 * Move SIMs between the caller's organisation and one of its sub-organisations (never sub to sub),
 * given as one ICCID, ICCID ranges, or the text of a CSV/TXT file of `ICCID_START;ICCID_END` lines.
 * Every line is checked; nothing moves unless all lines are good. `dryRun` checks and counts only.
 */
export const transferRequest = z
  .strictObject({
    sourceOrgId: z.uuid({ message: 'must be an organisation id' }),
    targetOrgId: z.uuid({ message: 'must be an organisation id' }),
    iccid: iccid.optional(),
    ranges: z
      .array(transferRange)
      .min(1, 'must have at least one range')
      .max(maxTransferLines, `must have at most ${maxTransferLines} ranges`)
      .optional(),
    file: z
      .string()
      .max(16 * 1024 * 1024, 'must be at most 16 MiB')
      .optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((v) => [v.iccid, v.ranges, v.file].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of iccid, ranges or file',
    path: ['iccid'],
  })
  .refine((v) => v.sourceOrgId !== v.targetOrgId, {
    message: 'must differ from sourceOrgId',
    path: ['targetOrgId'],
  });
export type TransferRequest = z.infer<typeof transferRequest>;

export const transferLine = z.object({
  line: z.number().int(),
  start: z.string(),
  end: z.string(),
  count: z.number().int(),
});
export const transferResult = z.object({
  dryRun: z.boolean(),
  /** SIMs moved (or, in a dry run, that would move). */
  count: z.number().int(),
  source: z.object({ id: z.uuid(), name: z.string() }),
  target: z.object({ id: z.uuid(), name: z.string() }),
  /** Per line (the first 1,000): its range and how many SIMs it holds. */
  lines: z.array(transferLine),
  lineCount: z.number().int(),
  /** Free addresses in the target's IP space before the transfer. */
  freeAddresses: z.number().int(),
  firstIp: z.string().nullable(),
  lastIp: z.string().nullable(),
});
export type TransferResult = z.infer<typeof transferResult>;

/** Contracts of the Configuration tab's own settings: monthly limits and defaults for new SIMs. */
import { z } from 'zod';

const limit = (max: number) =>
  z
    .number({ message: 'must be a whole number or null for no limit' })
    .int('must be a whole number')
    .min(1, 'must be at least 1 (null for no limit)')
    .max(max, `must be at most ${max}`)
    .nullable();

/** `PUT /configuration/settings`: every field, null meaning "no limit". */
export const orgSettingsRequest = z.strictObject({
  dataLimitMb: limit(1_000_000_000).describe('organisation-wide data per calendar month, MB'),
  smsMoLimit: limit(100_000_000).describe('organisation-wide mobile-originated SMS per calendar month'),
  smsMtLimit: limit(100_000_000).describe('organisation-wide mobile-terminated SMS per calendar month'),
  simDataLimitMb: limit(10_000_000).describe('data per SIM per calendar month, MB'),
  imeiLockDefault: z.boolean().describe('new SIMs arrive with the IMEI lock on'),
  autoTopUpDefault: z.boolean().describe('new SIMs arrive with auto top-up on'),
});
export type OrgSettingsRequest = z.infer<typeof orgSettingsRequest>;

export const orgSettings = orgSettingsRequest.extend({
  month: z.string().describe('the current calendar month (UTC), YYYY-MM'),
  monthToDate: z.object({ dataBytes: z.number(), smsMo: z.number(), smsMt: z.number() }),
  reached: z.object({ data: z.boolean(), smsMo: z.boolean(), smsMt: z.boolean() }),
});
export type OrgSettings = z.infer<typeof orgSettings>;

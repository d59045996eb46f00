/** Contracts of an organisation's usage (per day, week or month) and of the Dashboard. */
import { z } from 'zod';

const day = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

export const usageGranularities = ['day', 'week', 'month'] as const;
export const usageGranularity = z.enum(usageGranularities);

/** `GET /usage`: the organisation's usage by day, ISO week (Monday to Sunday) or calendar month. */
export const orgUsageQuery = z
  .object({
    granularity: usageGranularity.default('day'),
    from: day.optional(),
    to: day.optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type OrgUsageQuery = z.infer<typeof orgUsageQuery>;

const usageFigures = {
  dataUp: z.number().describe('bytes sent by the devices'),
  dataDown: z.number().describe('bytes received by the devices'),
  smsMo: z.number().describe('mobile-originated SMS (segments)'),
  smsMt: z.number().describe('delivered mobile-terminated SMS (segments)'),
};

/** One period of usage: a day, an ISO week or a calendar month, named by its first day. */
export const usagePeriod = z.object({
  period: z.string().describe('YYYY-MM-DD for days, YYYY-Www for weeks, YYYY-MM for months'),
  start: z.string().describe('first day of the period'),
  end: z.string().describe('last day of the period'),
  ...usageFigures,
});
export type UsagePeriod = z.infer<typeof usagePeriod>;

export const orgUsage = z.object({
  granularity: usageGranularity,
  from: z.string(),
  to: z.string(),
  periods: z.array(usagePeriod),
  totals: z.object(usageFigures),
});
export type OrgUsage = z.infer<typeof orgUsage>;

const groups = z.object({ sufficient: z.number(), low: z.number(), none: z.number() });

/** `GET /dashboard`: the figures of PRODUCT.md §4, all of one moment. */
export const dashboard = z.object({
  asOf: z.string().describe('when these figures were read (ISO 8601)'),
  sims: z.object({
    total: z.number(),
    activated: z.number(),
    deactivated: z.number(),
    expired: z.number(),
  }),
  sessions: z.object({ online: z.number(), attached: z.number(), offline: z.number(), blocked: z.number() }),
  dataVolume: groups,
  smsVolume: groups,
  limitsReached: z
    .object({ data: z.boolean(), smsMo: z.boolean(), smsMt: z.boolean() })
    .describe(
      "the organisation's monthly limits reached this month: that service is refused for every SIM until the 1st",
    ),
  usage: z.object({
    months: z.array(usagePeriod).describe('the last six calendar months, the current one last'),
    weeks: z.array(usagePeriod).describe('the last eight ISO weeks, the current one last'),
  }),
});
export type Dashboard = z.infer<typeof dashboard>;

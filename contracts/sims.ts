/** Contracts of SIM cards: list, detail, changes, events, usage, bulk jobs, stock import. */
import { z } from 'zod';
import { paged, pageQuery, searchText } from './common.js';
import { canonicalIccid, iccid, iccidProblem, imei, label } from './ids.js';

export const simStatus = z.enum(['activated', 'deactivated', 'expired']);
export const sessionState = z.enum(['online', 'attached', 'offline', 'blocked']);
export const volumeGroup = z.enum(['sufficient', 'low', 'none']);
export const bearer = z.enum(['2G', '3G', '4G', 'LTE-M', 'NB-IoT', '5G']);

/** Columns the list can be sorted by. */
export const simSortKeys = [
  'iccid',
  'imsi',
  'msisdn',
  'status',
  'session',
  'label',
  'imei',
  'ip',
  'dataLeft',
  'smsLeft',
  'endOfLife',
  'imeiLock',
  'autoTopUp',
] as const;
export const simSort = z
  .string()
  .regex(
    new RegExp(`^-?(${simSortKeys.join('|')})$`),
    `must be one of ${simSortKeys.join(', ')}, optionally prefixed with -`,
  )
  .default('iccid');

/**
 * The text search of My SIMs. An ICCID as printed on the card (20 digits, the last the Luhn check
 * digit) is searched as the 19 digits that are stored.
 */
// a 20-digit ICCID is searched by its 19 stored digits; an MSISDN in E.164 with its + by its digits
const simSearch = searchText(64).transform((v) => {
  if (/^\+\d+$/.test(v)) return v.slice(1);
  return /^\d{20}$/.test(v) && iccidProblem(v) === null ? canonicalIccid(v) : v;
});

/**
 * The values of a list parameter of a query string: comma-separated (`status=activated,deactivated`),
 * repeated (`status=activated&status=deactivated`), or both.
 */
const listParam = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean));

/**
 * A list of enum values in a query string (see `listParam`). Validation is the pipe's, with its
 * messages; the description and pattern are for the OpenAPI document, which sees only the input.
 */
function csv<E extends z.ZodEnum<Record<string, string>>>(values: E) {
  const one = `(${values.options.join('|')})`;
  return listParam
    .meta({
      description: `One or more of ${values.options.join(', ')}: comma-separated, or the parameter repeated`,
      pattern: `^${one}(,${one})*$`,
      example: values.options.slice(0, 2).join(','),
    })
    .pipe(z.array(values).min(1, 'must name at least one value'))
    .optional();
}

export const simListQuery = z.object({
  q: simSearch.optional(),
  status: csv(simStatus),
  session: csv(sessionState),
  dataVolume: csv(volumeGroup),
  smsVolume: csv(volumeGroup),
  sort: simSort,
  page: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').default(1),
  pageSize: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
});
export type SimListQuery = z.infer<typeof simListQuery>;

/** The filter part of a list query: what "all that match the filter" means for bulk actions and exports. */
export const simFilter = simListQuery.pick({
  q: true,
  status: true,
  session: true,
  dataVolume: true,
  smsVolume: true,
});
export type SimFilter = z.infer<typeof simFilter>;

/** The same filter in a JSON body (arrays instead of comma-separated strings). */
export const simFilterBody = z.strictObject({
  q: simSearch.optional(),
  status: z.array(simStatus).min(1).optional(),
  session: z.array(sessionState).min(1).optional(),
  dataVolume: z.array(volumeGroup).min(1).optional(),
  smsVolume: z.array(volumeGroup).min(1).optional(),
});

export const simSummary = z.object({
  iccid: z.string(),
  iccidWithLuhn: z.string(),
  imsi: z.string(),
  msisdn: z.string(),
  status: simStatus,
  session: sessionState,
  label: z.string().nullable(),
  imei: z.string().nullable(),
  imeiLock: z.boolean(),
  ipAddress: z.string().nullable(),
  dataTotal: z.number(),
  dataUsed: z.number(),
  dataVolume: volumeGroup,
  smsTotal: z.number(),
  smsUsed: z.number(),
  smsVolume: volumeGroup,
  endOfLife: z.iso.datetime().nullable(),
  autoTopUp: z.boolean(),
});
export type SimSummary = z.infer<typeof simSummary>;
/**
 * A page of My SIMs. A search counts its matches only so far (1,000, or on a deep page to the end
 * of the next page): past that, `totalExact` is false and more than `total` SIMs match;
 * `GET /sims/count` counts them all. Without a search the total is always exact.
 */
export const simPage = z.object({
  items: z.array(simSummary),
  total: z.number().int(),
  totalExact: z.boolean().meta({
    description: 'false: the search was counted only this far, and more than `total` SIMs match',
  }),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export type SimPage = z.infer<typeof simPage>;

/** Every SIM a filter matches, counted. */
export const simCount = z.object({ total: z.number().int() });

export const simDetail = simSummary.extend({
  formFactor: z.string(),
  /** A Disconnect-Request is on its way; cleared when the session's Stop arrives. */
  resetPending: z.boolean(),
  lockedImei: z.string().nullable(),
  activatedAt: z.iso.datetime().nullable(),
  lifetime: z.object({
    percentPassed: z.number().nullable(),
    daysLeft: z.number().nullable(),
    endOfLife: z.iso.datetime().nullable(),
  }),
  network: z.object({
    country: z.string().nullable(),
    operatorName: z.string().nullable(),
    mccMnc: z.string().nullable(),
    cell: z.string().nullable(),
    bearer: bearer.nullable(),
    lastSeenAt: z.iso.datetime().nullable(),
  }),
});
export type SimDetail = z.infer<typeof simDetail>;

export const simParams = z.object({ iccid });

export const updateSimRequest = z
  .strictObject({
    label: label.nullable(),
    status: z.enum(['activated', 'deactivated']),
    imeiLock: z.boolean(),
    imei: imei.nullable(),
    autoTopUp: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');
export type UpdateSimRequest = z.infer<typeof updateSimRequest>;

export const eventSeverity = z.enum(['info', 'warning', 'critical']);
export const eventSource = z.enum(['network', 'policy', 'user', 'api']);
export const simEvent = z.object({
  id: z.number(),
  occurredAt: z.iso.datetime(),
  type: z.number().int(),
  typeName: z.string(),
  severity: eventSeverity,
  source: eventSource,
  actor: z.string().nullable(),
  description: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export const simEventPage = paged(simEvent);
export const simEventQuery = z.object({
  type: listParam
    .transform((values) => values.map(Number))
    .pipe(
      z
        .array(
          z
            .number({ message: 'must be event type numbers, comma-separated' })
            .int('must be event type numbers, comma-separated')
            .min(0, 'must be event types from 0 to 255')
            .max(255, 'must be event types from 0 to 255'),
        )
        .min(1, 'must name at least one event type'),
    )
    .optional(),
  severity: csv(eventSeverity),
  page: pageQuery.shape.page,
  pageSize: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(50),
});

const day = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
/** The longest range, in days (both ends included), that a SIM's usage may be asked for by hour. */
export const maxHourlyDays = 7;
export const simUsageGranularities = ['hour', 'day'] as const;
export const usageQuery = z
  .object({
    granularity: z
      .enum(simUsageGranularities)
      .default('day')
      .describe(`day, or hour for a range of at most ${maxHourlyDays} days within the hourly retention`),
    from: day.optional(),
    to: day.optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
const usageFigures = { dataUp: z.number(), dataDown: z.number(), smsMo: z.number(), smsMt: z.number() };
export const simUsage = z.object({
  granularity: z.enum(simUsageGranularities),
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ day: z.string(), ...usageFigures })),
  hours: z
    .array(z.object({ hour: z.string().describe('start of the UTC hour (ISO 8601)'), ...usageFigures }))
    .optional()
    .describe('with granularity=hour: every hour of the range, oldest first; they add up to `days`'),
  totals: z.object(usageFigures),
  volume: z.object({
    dataTotal: z.number(),
    dataUsed: z.number(),
    smsTotal: z.number(),
    smsUsed: z.number(),
  }),
});
export type SimUsage = z.infer<typeof simUsage>;

export const bulkActions = [
  'activate',
  'deactivate',
  'imeiLockOn',
  'imeiLockOff',
  'autoTopUpOn',
  'autoTopUpOff',
  'topUp',
] as const;
export const bulkAction = z.enum(bulkActions);
/** Bulk actions that need the sims:billing permission besides sims:write. */
export const billingBulkActions: readonly (typeof bulkActions)[number][] = [
  'autoTopUpOn',
  'autoTopUpOff',
  'topUp',
];

/** `GET /sims/top-up-package`: what one top-up adds (the server's configuration). */
export const topUpPackage = z.object({
  dataMb: z.number().int().describe('data added, in MB (1 MB = 1024 × 1024 bytes)'),
  dataBytes: z.number().int().describe('data added, in bytes'),
  sms: z.number().int().describe('SMS added'),
});
export type TopUpPackage = z.infer<typeof topUpPackage>;
export const bulkRequest = z
  .strictObject({
    action: bulkAction,
    iccids: z
      .array(iccid)
      .min(1, 'must name at least one SIM')
      .max(100_000, 'must be at most 100000')
      .optional(),
    filter: simFilterBody.optional(),
  })
  .refine((v) => Boolean(v.iccids) !== Boolean(v.filter), {
    message: 'give either iccids or filter (all SIMs that match it)',
    path: ['iccids'],
  });

export const job = z.object({
  id: z.uuid(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  error: z.string().nullable(),
});
export const jobItemPage = paged(
  z.object({
    iccid: z.string(),
    result: z.enum(['pending', 'ok', 'unchanged', 'error']),
    message: z.string().nullable(),
  }),
);
export const jobItemQuery = z.object({
  result: z.enum(['pending', 'ok', 'unchanged', 'error']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
});

/** SIM cards, the organisations' IP address spaces, and each SIM's events and daily usage. */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  cidr,
  customType,
  date,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Text compared byte by byte (COLLATE "C"): the same order on PostgreSQL and PGlite, whatever their locale. */
const byteText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

import { organisations } from './orgs.js';

export const simStatuses = ['stock', 'activated', 'deactivated', 'expired'] as const;
export const sessionStates = ['online', 'attached', 'offline', 'blocked'] as const;
export const bearers = ['2G', '3G', '4G', 'LTE-M', 'NB-IoT', '5G'] as const;

/** A provider-assigned IPv4 block of an organisation; SIMs get their static address from it. */
export const ipPools = pgTable(
  'ip_pools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    cidr: cidr('cidr').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ip_pools_org_idx').on(t.orgId)],
);

export const sims = pgTable(
  'sims',
  {
    iccid: text('iccid').primaryKey(),
    orgId: uuid('org_id').references(() => organisations.id),
    imsi: text('imsi').notNull(),
    msisdn: text('msisdn').notNull(),
    pin1: text('pin1'),
    puk1: text('puk1'),
    pin2: text('pin2'),
    puk2: text('puk2'),
    formFactor: text('form_factor').notNull(),
    status: text('status', { enum: simStatuses }).notNull().default('stock'),
    sessionState: text('session_state', { enum: sessionStates }).notNull().default('offline'),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    endOfLife: timestamp('end_of_life', { withTimezone: true }),
    dataTotal: bigint('data_total', { mode: 'number' }).notNull().default(0),
    dataUsed: bigint('data_used', { mode: 'number' }).notNull().default(0),
    smsTotal: integer('sms_total').notNull().default(0),
    smsUsed: integer('sms_used').notNull().default(0),
    dataGroup: text('data_group', { enum: ['sufficient', 'low', 'none'] }).generatedAlwaysAs(
      sql`CASE WHEN data_total - data_used <= 0 THEN 'none' WHEN (data_total - data_used) * 5 <= data_total THEN 'low' ELSE 'sufficient' END`,
    ),
    smsGroup: text('sms_group', { enum: ['sufficient', 'low', 'none'] }).generatedAlwaysAs(
      sql`CASE WHEN sms_total - sms_used <= 0 THEN 'none' WHEN (sms_total - sms_used) * 5 <= sms_total THEN 'low' ELSE 'sufficient' END`,
    ),
    imei: text('imei'),
    imeiLock: boolean('imei_lock').notNull().default(false),
    lockedImei: text('locked_imei'),
    ipAddress: inet('ip_address'),
    label: text('label'),
    /**
     * The label's sort key, kept by a trigger whenever the label is written (migration 0027): lower
     * case, digit runs padded to 20 digits, so that "Pump 2" sorts before "Pump 10".
     */
    labelKey: byteText('label_key'),
    autoTopUp: boolean('auto_top_up').notNull().default(false),
    country: text('country'),
    operatorName: text('operator_name'),
    mccMnc: text('mcc_mnc'),
    cell: text('cell'),
    bearer: text('bearer', { enum: bearers }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /**
     * When the platform last refused the SIM a data session (at most once a minute, as last seen):
     * a blocked SIM not refused for an hour is offline again (decision 025).
     */
    refusedAt: timestamp('refused_at', { withTimezone: true }),
    /** The last lifetime notice mailed: 3 or 1 (months before the end of life); cleared by an extension. */
    expiryNotice: smallint('expiry_notice'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    searchText: text('search_text').generatedAlwaysAs(
      sql`iccid || ' ' || imsi || ' ' || msisdn || ' ' || lower(coalesce(label, ''))`,
    ),
  },
  (t) => [
    uniqueIndex('sims_imsi_idx').on(t.imsi),
    uniqueIndex('sims_msisdn_idx').on(t.msisdn),
    uniqueIndex('sims_org_ip_idx').on(t.orgId, t.ipAddress),
    index('sims_org_iccid_idx').on(t.orgId, t.iccid),
    index('sims_org_status_idx').on(t.orgId, t.status, t.iccid),
    index('sims_org_session_idx').on(t.orgId, t.sessionState, t.iccid),
    index('sims_org_data_group_idx').on(t.orgId, t.dataGroup, t.iccid),
    index('sims_org_sms_group_idx').on(t.orgId, t.smsGroup, t.iccid),
    index('sims_org_imsi_idx').on(t.orgId, t.imsi),
    index('sims_org_msisdn_idx').on(t.orgId, t.msisdn),
    index('sims_org_label_idx').on(t.orgId, t.labelKey, t.iccid),
    index('sims_org_imei_idx').on(t.orgId, t.imei, t.iccid),
    index('sims_org_eol_idx').on(t.orgId, t.endOfLife, t.iccid),
    // Descending by a column that may be empty, the empty ones last as in ascending order (an ascending
    // index read backwards would put them first): these are read forwards (sims.page.ts)
    index('sims_org_label_desc_idx').on(t.orgId, t.labelKey.desc().nullsLast(), t.iccid.desc().nullsFirst()),
    index('sims_org_imei_desc_idx').on(t.orgId, t.imei.desc().nullsLast(), t.iccid.desc().nullsFirst()),
    index('sims_org_ip_desc_idx').on(t.orgId, t.ipAddress.desc().nullsLast(), t.iccid.desc().nullsFirst()),
    index('sims_org_eol_desc_idx').on(t.orgId, t.endOfLife.desc().nullsLast(), t.iccid.desc().nullsFirst()),
    index('sims_org_imei_lock_idx').on(t.orgId, t.imeiLock, t.iccid),
    index('sims_org_auto_top_up_idx').on(t.orgId, t.autoTopUp, t.iccid),
    index('sims_org_sms_left_idx').on(t.orgId, sql`(sms_total - sms_used)`, t.iccid),
    index('sims_search_idx').using('gin', sql`search_text gin_trgm_ops`),
    // the attached SIMs, for the sweep that takes silent ones offline (modules/network/registration.ts);
    // session_state is indexed already, so this costs accounting's heap-only updates nothing
    index('sims_attached_idx').on(t.iccid).where(sql`session_state = 'attached'`),
    // and the blocked ones, which go offline after the same silence (decision 025)
    index('sims_blocked_idx').on(t.iccid).where(sql`session_state = 'blocked'`),
    // Identifiers are digits on every input path (contracts/ids.ts); the database holds them to it, so
    // the list page may write them into JSON without escaping (sims.page.ts, decision 015).
    check('sims_imsi_digits', sql`${t.imsi} ~ '^[0-9]+$'`),
    check('sims_msisdn_digits', sql`${t.msisdn} ~ '^[0-9]+$'`),
    check('sims_imei_digits', sql`${t.imei} ~ '^[0-9]+$'`),
  ],
);

/**
 * What a SIM was charged for beyond its product: top-ups and lifetime extensions, by a person, an
 * API client or auto top-up. Orders and invoices will pick these up (`invoiced_at` stays null until then).
 */
export const simCharges = pgTable(
  'sim_charges',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: uuid('org_id').notNull(),
    iccid: text('iccid').notNull(),
    kind: text('kind', { enum: ['top-up', 'extension'] }).notNull(),
    dataBytes: bigint('data_bytes', { mode: 'number' }).notNull().default(0),
    smsCount: integer('sms_count').notNull().default(0),
    months: integer('months').notNull().default(0),
    source: text('source', { enum: ['user', 'api', 'auto'] }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    invoicedAt: timestamp('invoiced_at', { withTimezone: true }),
  },
  (t) => [index('sim_charges_org_idx').on(t.orgId, t.createdAt), index('sim_charges_sim_idx').on(t.iccid)],
);

/** Everything that happened to a SIM (PRODUCT.md §6); type ids match 1NCE's Data Streamer. */
export const simEvents = pgTable(
  'sim_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: uuid('org_id').notNull(),
    iccid: text('iccid').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    type: smallint('type').notNull(),
    severity: text('severity', { enum: ['info', 'warning', 'critical'] }).notNull(),
    source: text('source', { enum: ['network', 'policy', 'user', 'api'] }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    description: text('description').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('sim_events_sim_idx').on(t.orgId, t.iccid, t.occurredAt.desc(), t.id.desc()),
    index('sim_events_time_idx').on(t.occurredAt),
  ],
);

/** A SIM's usage of a day: data up/down in bytes, SMS mobile-originated and -terminated. */
const usageDayColumns = () => ({
  orgId: uuid('org_id').notNull(),
  iccid: text('iccid').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  dataUp: bigint('data_up', { mode: 'number' }).notNull().default(0),
  dataDown: bigint('data_down', { mode: 'number' }).notNull().default(0),
  smsMo: integer('sms_mo').notNull().default(0),
  smsMt: integer('sms_mt').notNull().default(0),
});

/**
 * Per SIM and UTC day (`usageDayColumns`). Holds the days
 * the usage roll-up summed (before `coalesce(pending, daily_from)` of `usage_rollup`, from the hourly rows by
 * `modules/usage/rollup.ts`) and usage without an hour (history older than the hourly retention).
 * Usage of an hour is written to `sim_usage_hourly` only, so the accounting batch does not also
 * update a daily row per record (decision 026). Read through `sim_usage_days`, never alone.
 */
export const simUsageDaily = pgTable('sim_usage_daily', usageDayColumns(), (t) => [
  primaryKey({ columns: [t.iccid, t.day] }),
  index('sim_usage_daily_org_day_idx').on(t.orgId, t.day),
]);

/**
 * Usage of an hour whose day the roll-up had already closed when it was written (an Interim that
 * straddled midnight, a refund of yesterday's SMS): written to its hourly row and here, in the same
 * statement, so the roll-up of that day can leave it out and `sim_usage_days` adds it (decision 026).
 * Rare: a handful of rows a day.
 */
export const simUsageLate = pgTable('sim_usage_late', usageDayColumns(), (t) => [
  primaryKey({ columns: [t.iccid, t.day] }),
]);

/**
 * The state of the daily roll-up, one row. `daily_from`: the first day not closed — usage of an hour
 * of an earlier day is also written to `sim_usage_late`. `pending`: the day closed but not yet summed
 * into `sim_usage_daily` (readers still take it from the hourly rows). Writers read `daily_from`
 * through the function `usage_daily_from()`, which waits for a closing in progress (decision 026).
 */
export const usageRollup = pgTable(
  'usage_rollup',
  {
    id: smallint('id').primaryKey().default(1),
    dailyFrom: date('daily_from', { mode: 'string' }).notNull(),
    pending: date('pending', { mode: 'string' }),
  },
  (t) => [check('usage_rollup_one_row', sql`${t.id} = 1`)],
);

/**
 * Per SIM, organisation and UTC day, whatever table holds the day now (migration 0034): the daily rows,
 * the late rows of closed days, and the hourly rows of the days not yet summed. Every reader of a
 * SIM's usage per day reads this view.
 */
export const simUsageDays = pgView('sim_usage_days', {
  orgId: uuid('org_id').notNull(),
  iccid: text('iccid').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  dataUp: bigint('data_up', { mode: 'number' }).notNull(),
  dataDown: bigint('data_down', { mode: 'number' }).notNull(),
  smsMo: integer('sms_mo').notNull(),
  smsMt: integer('sms_mt').notNull(),
}).existing();

/**
 * Per SIM and UTC hour (`hour` is the hour's start): every usage of an hour, written by `addUsage`; the
 * daily roll-up sums a closed day's hours into `sim_usage_daily` (decision 026). Kept for
 * OPENCMP_HOURLY_RETENTION_DAYS only; the index on `hour` lets the hourly retention run delete the
 * oldest hour without scanning the table.
 */
export const simUsageHourly = pgTable(
  'sim_usage_hourly',
  {
    iccid: text('iccid').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    orgId: uuid('org_id').notNull(),
    dataUp: bigint('data_up', { mode: 'number' }).notNull().default(0),
    dataDown: bigint('data_down', { mode: 'number' }).notNull().default(0),
    smsMo: integer('sms_mo').notNull().default(0),
    smsMt: integer('sms_mt').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.iccid, t.hour] }), index('sim_usage_hourly_hour_idx').on(t.hour)],
);

/**
 * Per organisation and UTC day: the sum of its SIMs' daily usage, kept by `addUsage` in the same
 * statement batch as the per-SIM rows. The dashboard's and `GET /usage`'s weeks and months add up
 * at most a few hundred days of these rows instead of scanning per-SIM usage.
 *
 * A day is split over up to `orgUsageStripes` rows (`stripe`), each batch adding to one picked at
 * random, and readers sum them: with a single row per day every accounting batch of a big
 * organisation updated the same row and held its lock to commit, so concurrent batches queued
 * behind each other (decision 009).
 */
export const orgUsageDaily = pgTable(
  'org_usage_daily',
  {
    orgId: uuid('org_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    stripe: smallint('stripe').notNull().default(0),
    dataUp: bigint('data_up', { mode: 'number' }).notNull().default(0),
    dataDown: bigint('data_down', { mode: 'number' }).notNull().default(0),
    smsMo: integer('sms_mo').notNull().default(0),
    smsMt: integer('sms_mt').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.stripe] })],
);

/** How many rows an organisation's day is split over in `org_usage_daily`. */
export const orgUsageStripes = 8;

/**
 * Each SIM's data left, the sort key of My SIMs' "data left" column: kept by a statement-level trigger
 * on `sims` (migrations 0014, 0028) for every change but usage, which reaches it through the refresh of
 * `modules/usage/data-left.ts` within about 45 s (decision 022). It lives outside `sims` because `data_used` changes with every
 * accounting record; no index of `sims` may mention it, or none of those updates could be HOT
 * (heap-only, touching no index) — see decision 013.
 */
export const simDataLeft = pgTable(
  'sim_data_left',
  {
    iccid: text('iccid').primaryKey(),
    orgId: uuid('org_id'),
    dataLeft: bigint('data_left', { mode: 'number' }).notNull(),
  },
  (t) => [index('sim_data_left_org_idx').on(t.orgId, t.dataLeft, t.iccid)],
);

/**
 * Each SIM's label sort key and status, for a search sorted by label (`sims.search.ts`, the key walk,
 * decision 024): a term without digits walks these indexes alone, without reading a table. Not the
 * indexes of `sims`: every accounting update clears the visibility of its page there, and a walk
 * through pages not known visible reads the table for each row (1,000,000 SIMs, 30 % of them updated:
 * 1.2–1.7 s instead of 0.12 s). These rows change only with a SIM's label, status or organisation;
 * kept by triggers on `sims` (migration 0031).
 */
export const simLabelKeys = pgTable(
  'sim_label_keys',
  {
    iccid: text('iccid').primaryKey(),
    orgId: uuid('org_id'),
    status: text('status').notNull(),
    labelKey: byteText('label_key'),
  },
  (t) => [
    index('sim_label_keys_org_idx').on(t.orgId, t.labelKey, t.iccid, t.status),
    index('sim_label_keys_org_desc_idx').on(
      t.orgId,
      t.labelKey.desc().nullsLast(),
      t.iccid.desc().nullsFirst(),
      t.status,
    ),
  ],
);

/**
 * SIM counts per organisation and combination of status, session state and volume groups, kept
 * by a statement-level trigger on `sims` (migration 0005): list totals without a text search, and
 * the dashboard's shares, read these ≤ 144 rows instead of counting up to millions of SIMs.
 */
export const simCounts = pgTable(
  'sim_counts',
  {
    orgId: uuid('org_id').notNull(),
    status: text('status').notNull(),
    sessionState: text('session_state').notNull(),
    dataGroup: text('data_group').notNull(),
    smsGroup: text('sms_group').notNull(),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.status, t.sessionState, t.dataGroup, t.smsGroup] })],
);

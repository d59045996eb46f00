/** An organisation's own settings from the Configuration tab: monthly limits and defaults for new SIMs. */
import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './orgs.js';

/**
 * Monthly limits (PRODUCT.md §3; null = no limit) per calendar month in UTC, and the defaults new SIMs
 * take when they arrive. One row per organisation, created on first save.
 */
export const orgSettings = pgTable('org_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  dataLimitBytes: bigint('data_limit_bytes', { mode: 'number' }),
  smsMoLimit: integer('sms_mo_limit'),
  smsMtLimit: integer('sms_mt_limit'),
  simDataLimitBytes: bigint('sim_data_limit_bytes', { mode: 'number' }),
  imeiLockDefault: boolean('imei_lock_default').notNull().default(false),
  autoTopUpDefault: boolean('auto_top_up_default').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Which limit an organisation reached in which month: the event and the e-mail go out once. */
export const limitNotices = pgTable(
  'limit_notices',
  {
    orgId: uuid('org_id').notNull(),
    month: text('month').notNull(),
    kind: text('kind', { enum: ['data', 'sms-mo', 'sms-mt'] }).notNull(),
    reachedAt: timestamp('reached_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.month, t.kind] })],
);

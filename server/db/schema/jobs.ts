/** Background jobs (bulk SIM actions) and their per-item results; claimed with SKIP LOCKED, resumable. */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './orgs.js';

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id),
    kind: text('kind').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] })
      .notNull()
      .default('queued'),
    total: integer('total').notNull().default(0),
    processed: integer('processed').notNull().default(0),
    succeeded: integer('succeeded').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    source: text('source', { enum: ['user', 'api'] })
      .notNull()
      .default('user'),
    error: text('error'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_org_idx').on(t.orgId, t.createdAt),
    index('jobs_queue_idx').on(t.status, t.createdAt).where(sql`status in ('queued', 'running')`),
  ],
);

/** Stored with fillfactor 50 (migration 0025): each item's one update, its result, stays on its page. */
export const jobItems = pgTable(
  'job_items',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    iccid: text('iccid').notNull(),
    result: text('result', { enum: ['pending', 'ok', 'unchanged', 'error'] })
      .notNull()
      .default('pending'),
    message: text('message'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

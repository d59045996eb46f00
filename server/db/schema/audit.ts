/**
 * The audit log: one row per write (and per refused write) through the API — who, what, target,
 * before/after where it matters, when, from where. Rows are only ever inserted and, after the
 * retention period, deleted; never updated.
 */
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The organisation whose data was touched (for an operator acting on a customer: the customer); null when unknown (a failed sign-in with an unknown e-mail, a request without credentials). */
    orgId: uuid('org_id'),
    /** The organisation the actor belongs to (the provider for operators). */
    actorOrgId: uuid('actor_org_id'),
    actorKind: text('actor_kind', { enum: ['user', 'operator', 'client', 'anonymous'] }).notNull(),
    /** The user id or the API client's row id. */
    actorId: uuid('actor_id'),
    /** A person's name or the API client's client_id. */
    actorName: text('actor_name'),
    actorEmail: text('actor_email'),
    actorRole: text('actor_role'),
    /** A stable name: the route's `audit` config (e.g. `sim.update`) or `METHOD /route/pattern`. */
    action: text('action').notNull(),
    method: text('method').notNull(),
    route: text('route').notNull(),
    /** What was acted on, e.g. `sim:8988…` or `user:<id>`. */
    target: text('target'),
    status: integer('status').notNull(),
    /** `ok` for a 2xx/3xx answer, else the problem code (unauthenticated, forbidden, invalid_credentials …). */
    outcome: text('outcome').notNull(),
    /** The request body with secrets redacted (large or non-JSON bodies summarised). */
    request: jsonb('request').$type<unknown>(),
    /** Before and after of the fields that changed, secrets redacted. */
    changes: jsonb('changes').$type<{
      before: Record<string, unknown>;
      after: Record<string, unknown>;
    } | null>(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_log_org_at_idx').on(t.orgId, t.at.desc(), t.id.desc()),
    index('audit_log_org_actor_idx').on(t.orgId, t.actorId, t.at.desc()),
    index('audit_log_org_action_idx').on(t.orgId, t.action, t.at.desc()),
    index('audit_log_at_idx').on(t.at),
  ],
);

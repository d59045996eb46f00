/** The RADIUS side of the network: NAS clients, data sessions, the disconnect outbox and AAA counters. */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { disconnectReasons } from '../../../contracts/events.js';

/** A packet gateway (NAS) allowed to talk RADIUS to the AAA: matched by source address, with its shared secret. */
export const nasClients = pgTable(
  'nas_clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** IPv4 address or CIDR block in canonical form, e.g. `10.0.0.1/32`. */
    address: text('address').notNull(),
    secret: text('secret').notNull(),
    /** Where the NAS listens for Disconnect-Requests (RFC 5176). */
    daePort: integer('dae_port').notNull().default(3799),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('nas_clients_name_idx').on(t.name),
    uniqueIndex('nas_clients_address_idx').on(t.address),
  ],
);

/** One data session as accounting reports it, keyed by the NAS's address and its Acct-Session-Id. */
export const radiusSessions = pgTable(
  'radius_sessions',
  {
    nasAddress: text('nas_address').notNull(),
    sessionId: text('session_id').notNull(),
    iccid: text('iccid').notNull(),
    orgId: uuid('org_id').notNull(),
    userName: text('user_name'),
    callingStationId: text('calling_station_id'),
    framedIp: text('framed_ip'),
    /** Last cumulative counters seen (octets + gigawords × 2^32). */
    inputOctets: bigint('input_octets', { mode: 'number' }).notNull().default(0),
    outputOctets: bigint('output_octets', { mode: 'number' }).notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    stopCause: text('stop_cause'),
    /** A Disconnect-Request is on its way: the SIM shows "reset pending" until the Stop arrives. */
    resetRequestedAt: timestamp('reset_requested_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.nasAddress, t.sessionId] }),
    index('radius_sessions_open_sim_idx').on(t.iccid).where(sql`stopped_at IS NULL`),
    index('radius_sessions_open_nas_idx').on(t.nasAddress).where(sql`stopped_at IS NULL`),
  ],
);

/** Disconnect-Requests to send, written by any process and drained by the one running the `aaa` role. */
export const disconnectRequests = pgTable(
  'disconnect_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    nasAddress: text('nas_address').notNull(),
    sessionId: text('session_id').notNull(),
    iccid: text('iccid').notNull(),
    orgId: uuid('org_id').notNull(),
    reason: text('reason', { enum: disconnectReasons }).notNull(),
    state: text('state', { enum: ['pending', 'sending', 'acked', 'nak', 'timeout', 'failed'] })
      .notNull()
      .default('pending'),
    errorCause: integer('error_cause'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('disconnect_requests_pending_idx').on(t.id).where(sql`state = 'pending'`)],
);

/** The AAA's counters, flushed every few seconds by each process running the `aaa` role. */
export const radiusCounters = pgTable('radius_counters', {
  instance: text('instance').primaryKey(),
  counters: jsonb('counters').$type<Record<string, number>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

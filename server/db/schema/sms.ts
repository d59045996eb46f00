/** SMS to and from SIMs (MT outbox + history, MO) and the SMSC connection the operator console sets. */
import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations } from './orgs.js';

export const smsDirections = ['MT', 'MO'] as const;
export const smsStatuses = ['pending', 'submitted', 'delivered', 'failed', 'expired', 'cancelled'] as const;
export const smsPartStates = ['pending', 'submitted', 'delivered', 'failed', 'expired'] as const;

/**
 * One SMS. An MT starts `pending` (the outbox), the process with the `smpp` role claims it (lease,
 * SKIP LOCKED), submits its parts and stores their SMSC message ids; receipts move it on.
 * An MO is stored `delivered` when it arrives.
 */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id),
    iccid: text('iccid').notNull(),
    direction: text('direction', { enum: smsDirections }).notNull(),
    /** Where it was sent to: the SIM's MSISDN for an MT; for an MO, the number the device sent it to. */
    peer: text('peer').notNull(),
    /**
     * Who sent it: an MT's sender as the device shows it (digits, or an alphanumeric sender); an MO's
     * MSISDN. Null for MTs stored before senders were kept (migration 0024): sent as SMPP_SOURCE_ADDR then.
     */
    sourceAddress: text('source_address'),
    text: text('text').notNull(),
    encoding: text('encoding', { enum: ['gsm7', 'ucs2'] }).notNull(),
    segments: smallint('segments').notNull(),
    status: text('status', { enum: smsStatuses }).notNull(),
    /** The SMSC's message id of each part, in part order (MT, once submitted). */
    smscIds: text('smsc_ids').array().notNull().default(sql`'{}'::text[]`),
    /** Each part's state from its receipt, parallel to smsc_ids. */
    partStates: text('part_states').array().notNull().default(sql`'{}'::text[]`),
    /** Concatenation reference (0–255) used for the parts. */
    ref: smallint('ref').notNull().default(0),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    /** While set in the future, a submitter holds the message. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    source: text('source', { enum: ['user', 'api', 'network'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    /** Hidden from the SIM's SMS list (DELETE of a finished message); kept for usage history. */
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
  },
  (t) => [
    index('sms_messages_sim_idx').on(t.orgId, t.iccid, t.createdAt.desc(), t.id),
    index('sms_messages_outbox_idx').on(t.nextAttemptAt, t.createdAt).where(sql`status = 'pending'`),
    index('sms_messages_smsc_ids_idx').using('gin', t.smscIds),
  ],
);

/** The SMSC connection: one row (id 1). The URL overrides SMPP_URL; the status is the ESME's last report. */
export const smscSettings = pgTable('smsc_settings', {
  id: smallint('id').primaryKey(),
  url: text('url'),
  updatedAt: timestamp('updated_at', { withTimezone: true }),
  updatedBy: text('updated_by'),
  status: jsonb('status').$type<Record<string, unknown>>(),
  statusAt: timestamp('status_at', { withTimezone: true }),
});

/**
 * Parts of concatenated MO SMS, one row per part: every part is answered when it arrives, so the
 * parts must outlive a restart until the message is complete. Keyed by the SMSC (host:port/system_id),
 * the sender's MSISDN, the UDH reference and part count, and the part's number. `held` parts wait for
 * the rest; when the last arrives the message is stored and its parts become `stored`; a refused
 * message's parts are `refused`. Finished rows stay an hour so that a repeated part (same number and
 * text) is recognised and answered as before; held parts of a message still incomplete after 24 h are
 * stored as what arrived (see sms.mo.ts).
 */
export const smsMoParts = pgTable(
  'sms_mo_parts',
  {
    smsc: text('smsc').notNull(),
    source: text('source').notNull(),
    /** The UDH reference: 8 or 16 bits. */
    ref: integer('ref').notNull(),
    total: smallint('total').notNull(),
    seq: smallint('seq').notNull(),
    state: text('state', { enum: ['held', 'stored', 'refused'] }).notNull(),
    destination: text('destination').notNull(),
    encoding: text('encoding', { enum: ['gsm7', 'ucs2'] }).notNull(),
    text: text('text').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** When the message was stored or refused. */
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.smsc, t.source, t.ref, t.total, t.seq] }),
    index('sms_mo_parts_received_idx').on(t.receivedAt),
  ],
);

/** Machine access to the API: API clients (client credentials) and the platform's token-signing key. */
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { CustomerRole } from '../../../contracts/permissions.js';
import { organisations } from './orgs.js';
import { users } from './users.js';

/**
 * An API user (PRODUCT.md §9): `client_id` is the account number, an underscore and a chosen name;
 * only a salted SHA-256 of the secret is kept. Revoked rows stay so that events and audit still name them.
 */
export const apiClients = pgTable(
  'api_clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    clientId: text('client_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    readOnly: boolean('read_only').notNull().default(false),
    /**
     * The role of a creator who may do less than an API user (User, 3rd party): the client may do only
     * what both an API user and that role may. Null: an API user's full rights (created by an Owner or Admin).
     */
    actsAs: text('acts_as').$type<CustomerRole>(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_clients_client_id_idx').on(t.clientId), index('api_clients_org_idx').on(t.orgId)],
);

/** Secrets the platform generates once and every process shares (e.g. the bearer-token signing key). */
export const platformSecrets = pgTable('platform_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

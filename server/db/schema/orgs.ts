/** Organisations: the provider at the root, customers below it, sub-organisations below those. */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id),
    kind: text('kind', { enum: ['provider', 'customer'] }).notNull(),
    accountNumber: text('account_number').unique(),
    name: text('name').notNull(),
    billingCountry: text('billing_country'),
    invoiceEmail: text('invoice_email'),
    language: text('language', { enum: ['en', 'de'] })
      .notNull()
      .default('en'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organisations_parent_idx').on(t.parentId)],
);

/** Extra e-mail addresses of an organisation, each with a category (PRODUCT.md §2). */
export const organisationEmails = pgTable(
  'organisation_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    category: text('category', { enum: ['invoice', 'volume-notifications'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organisation_emails_org_idx').on(t.orgId)],
);

/** Delivery addresses (several) and the one invoice address of an organisation. */
export const addresses = pgTable(
  'addresses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['delivery', 'invoice'] }).notNull(),
    company: text('company').notNull(),
    recipient: text('recipient'),
    street: text('street').notNull(),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
    country: text('country').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('addresses_org_idx').on(t.orgId),
    uniqueIndex('addresses_one_invoice_idx').on(t.orgId).where(sql`kind = 'invoice'`),
  ],
);

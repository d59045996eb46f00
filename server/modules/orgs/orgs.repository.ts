/** Queries of organisations, their e-mail addresses and postal addresses. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { addresses, organisationEmails, organisations } from '../../db/schema/index.js';

export type OrganisationRow = typeof organisations.$inferSelect;

export async function insertOrganisation(
  db: Db,
  values: typeof organisations.$inferInsert,
): Promise<OrganisationRow> {
  const [row] = await db.insert(organisations).values(values).returning();
  if (!row) throw new Error('organisation insert returned nothing');
  return row;
}

/** The provider organisation at the root of the tree, if one exists. */
export async function findProvider(db: Db): Promise<OrganisationRow | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.kind, 'provider')).limit(1);
  return row;
}

/** The next free account number: one above the highest, starting at 8100012345. */
export async function nextAccountNumber(db: Db): Promise<string> {
  const [row] = await db
    .select({ max: sql<string | null>`max(${organisations.accountNumber}::bigint)::text` })
    .from(organisations);
  return row?.max ? (BigInt(row.max) + 1n).toString() : '8100012345';
}

export async function insertOrganisationEmail(db: Db, values: typeof organisationEmails.$inferInsert) {
  await db.insert(organisationEmails).values(values);
}

/** The organisation's addresses of one kind, or all, oldest first. */
export async function listAddresses(db: Db, orgId: string) {
  return db.select().from(addresses).where(eq(addresses.orgId, orgId)).orderBy(asc(addresses.createdAt));
}

export async function insertAddress(db: Db, values: typeof addresses.$inferInsert) {
  const [row] = await db.insert(addresses).values(values).returning();
  if (!row) throw new Error('address insert returned nothing');
  return row;
}

/** Addresses of e-mail category for an organisation (e.g. volume notifications). */
export async function listOrganisationEmails(
  db: Db,
  orgId: string,
  category?: 'invoice' | 'volume-notifications',
) {
  return db
    .select()
    .from(organisationEmails)
    .where(
      and(
        eq(organisationEmails.orgId, orgId),
        category ? eq(organisationEmails.category, category) : undefined,
      ),
    );
}

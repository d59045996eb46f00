/** Queries of an organisation's e-mail addresses and postal addresses; every one is scoped by orgId. */
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { addresses, organisationEmails } from '../../db/schema/index.js';

export type AddressRow = typeof addresses.$inferSelect;

export async function listEmails(db: Db, orgId: string) {
  return db
    .select()
    .from(organisationEmails)
    .where(eq(organisationEmails.orgId, orgId))
    .orderBy(asc(organisationEmails.createdAt));
}

export async function insertEmail(db: Db, values: typeof organisationEmails.$inferInsert) {
  const [row] = await db.insert(organisationEmails).values(values).returning();
  if (!row) throw new Error('e-mail insert returned nothing');
  return row;
}

/** Delete one of the organisation's e-mail addresses; false when it has no such address. */
export async function deleteEmail(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(organisationEmails)
    .where(and(eq(organisationEmails.id, id), eq(organisationEmails.orgId, orgId)))
    .returning({ id: organisationEmails.id });
  return rows.length > 0;
}

/** The organisation's addresses: invoice first, then delivery addresses oldest first. */
export async function listAddresses(db: Db, orgId: string) {
  return db
    .select()
    .from(addresses)
    .where(eq(addresses.orgId, orgId))
    .orderBy(asc(addresses.kind), asc(addresses.createdAt));
}

export async function findAddress(db: Db, orgId: string, id: string): Promise<AddressRow | undefined> {
  const [row] = await db
    .select()
    .from(addresses)
    .where(and(eq(addresses.id, id), eq(addresses.orgId, orgId)))
    .limit(1);
  return row;
}

export async function insertAddress(db: Db, values: typeof addresses.$inferInsert): Promise<AddressRow> {
  const [row] = await db.insert(addresses).values(values).returning();
  if (!row) throw new Error('address insert returned nothing');
  return row;
}

export async function updateAddress(
  db: Db,
  orgId: string,
  id: string,
  values: Partial<typeof addresses.$inferInsert>,
) {
  const [row] = await db
    .update(addresses)
    .set(values)
    .where(and(eq(addresses.id, id), eq(addresses.orgId, orgId)))
    .returning();
  return row;
}

/** Make every other delivery address of the organisation non-default. */
export async function clearDefaultDelivery(db: Db, orgId: string, exceptId: string) {
  await db
    .update(addresses)
    .set({ isDefault: false })
    .where(and(eq(addresses.orgId, orgId), eq(addresses.kind, 'delivery'), ne(addresses.id, exceptId)));
}

export async function deleteAddress(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(addresses)
    .where(and(eq(addresses.id, id), eq(addresses.orgId, orgId)))
    .returning({ id: addresses.id });
  return rows.length > 0;
}

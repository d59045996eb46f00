/** Queries of organisations. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { organisations } from '../../db/schema/index.js';

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

/** An organisation by id, unscoped: callers pass their own organisation's id. */
export async function findOrganisation(db: Db, orgId: string): Promise<OrganisationRow | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, orgId)).limit(1);
  return row;
}

/** Update an organisation's own record. */
export async function updateOrganisation(
  db: Db,
  orgId: string,
  values: Partial<typeof organisations.$inferInsert>,
) {
  const [row] = await db.update(organisations).set(values).where(eq(organisations.id, orgId)).returning();
  return row;
}

/** Queries of organisations. */
import { and, eq, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';
import { organisations } from '../../db/schema/index.js';
import { forgetAuth } from '../auth/session-cache.js';

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
  forgetAuth('org', orgId);
  return row;
}

/** Columns of a sub-organisation as its master sees it: counts, the first Owner, never SIMs or users. */
function subOrgSelect() {
  return sql`
    o.id, o.name, o.account_number AS "accountNumber", o.created_at AS "createdAt",
    (SELECT coalesce(sum(c.n), 0)::int FROM sim_counts c WHERE c.org_id = o.id) AS "simCount",
    (SELECT count(*)::int FROM users u WHERE u.org_id = o.id) AS "userCount",
    (SELECT count(*)::int FROM organisations k WHERE k.parent_id = o.id) AS "subOrganisationCount",
    (SELECT json_build_object('name', u.first_name || ' ' || u.last_name, 'email', u.email, 'status', u.status)
       FROM users u WHERE u.org_id = o.id AND u.role = 'owner'
       ORDER BY (u.status = 'active') DESC, u.created_at LIMIT 1) AS owner`;
}

export interface SubOrgRow {
  id: string;
  name: string;
  accountNumber: string | null;
  createdAt: Date | string;
  simCount: number;
  userCount: number;
  subOrganisationCount: number;
  owner: { name: string; email: string; status: 'invited' | 'active' | 'deactivated' } | null;
}

/** The direct sub-organisations of `parentId`, by name. */
export async function listSubOrganisations(db: Db, parentId: string): Promise<SubOrgRow[]> {
  return selectRows<SubOrgRow>(
    db,
    sql`SELECT ${subOrgSelect()} FROM ${organisations} o WHERE o.parent_id = ${parentId} ORDER BY o.name, o.id`,
  );
}

/** One direct sub-organisation of `parentId`; undefined for any other organisation (sibling, master, foreign). */
export async function findSubOrganisation(
  db: Db,
  parentId: string,
  id: string,
): Promise<SubOrgRow | undefined> {
  const [row] = await selectRows<SubOrgRow>(
    db,
    sql`SELECT ${subOrgSelect()} FROM ${organisations} o WHERE o.parent_id = ${parentId} AND o.id = ${id}`,
  );
  return row;
}

/** Lock a direct sub-organisation's row for a delete or a transfer; undefined when it is not one. */
export async function lockSubOrganisation(db: Db, parentId: string, id: string) {
  const [row] = await db
    .select()
    .from(organisations)
    .where(and(eq(organisations.id, id), eq(organisations.parentId, parentId)))
    .for('update');
  return row;
}

/**
 * Delete an empty sub-organisation with everything that is only its own: users (their sessions and
 * links cascade), jobs, the history of SIMs it once held, count rows; IP blocks, addresses, e-mail
 * addresses and API clients cascade. Hourly usage rows (no index by organisation) go with the hourly
 * retention, and the daily roll-up skips them. Mails keep their text with the organisation set to null.
 */
export async function deleteOrganisation(db: Db, id: string) {
  await db.execute(sql`DELETE FROM jobs WHERE org_id = ${id}`);
  await db.execute(sql`DELETE FROM users WHERE org_id = ${id}`);
  await db.execute(sql`DELETE FROM sim_events WHERE org_id = ${id}`);
  await db.execute(sql`DELETE FROM sim_usage_daily WHERE org_id = ${id}`);
  await db.execute(sql`DELETE FROM sim_usage_late WHERE org_id = ${id}`);
  await db.execute(sql`DELETE FROM sim_counts WHERE org_id = ${id}`);
  await db.delete(organisations).where(eq(organisations.id, id));
  forgetAuth('org', id);
}

/**
 * Serialise address allocation in one customer tree (a master shares its IP space with
 * sub-organisations that have none of their own, docs/decisions/010): a transaction-scoped lock on the
 * tree's top customer organisation, taken before choosing free addresses.
 */
export async function lockIpSpace(db: Db, orgId: string) {
  await db.execute(sql`
    WITH RECURSIVE up AS (
      SELECT id, parent_id, kind, 0 AS depth FROM organisations WHERE id = ${orgId}
      UNION ALL
      SELECT o.id, o.parent_id, o.kind, up.depth + 1 FROM organisations o JOIN up ON o.id = up.parent_id
    )
    SELECT pg_advisory_xact_lock(hashtext('ip-space:' || (
      SELECT id::text FROM up WHERE kind = 'customer' ORDER BY depth DESC LIMIT 1)))`);
}

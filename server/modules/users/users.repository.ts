/** Queries of users. Lookups by id are scoped by organisation unless they serve sign-in. */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { organisations, users } from '../../db/schema/index.js';

export type UserRow = typeof users.$inferSelect;

/** A user by login e-mail (case-insensitive), with the organisation: for sign-in and password reset. */
export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db
    .select({ user: users, org: organisations })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return row;
}

/** A user by id with the organisation, unscoped: only for the signed-in user's own record. */
export async function findUserById(db: Db, userId: string) {
  const [row] = await db
    .select({ user: users, org: organisations })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

/** Whether an e-mail is taken by any user other than `exceptUserId`. */
export async function emailTaken(db: Db, email: string, exceptUserId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        sql`lower(${users.email}) = ${email.toLowerCase()}`,
        exceptUserId ? sql`${users.id} <> ${exceptUserId}` : undefined,
      ),
    )
    .limit(1);
  return Boolean(row);
}

export async function insertUser(db: Db, values: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  if (!row) throw new Error('user insert returned nothing');
  return row;
}

/** Update a user within its organisation. */
export async function updateUser(
  db: Db,
  orgId: string,
  userId: string,
  values: Partial<typeof users.$inferInsert>,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(users.id, userId), eq(users.orgId, orgId)))
    .returning();
  return row;
}

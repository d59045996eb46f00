/** Queries of users. Lookups by id are scoped by organisation unless they serve sign-in. */
import { and, asc, count, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { authTokens, organisations, users } from '../../db/schema/index.js';
import { forgetAuth } from '../auth/session-cache.js';

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
  forgetAuth('user', userId);
  return row;
}

/** One page of an organisation's users by last name, optionally matching `q` in name or e-mail. */
export async function pageUsers(db: Db, orgId: string, opts: { page: number; pageSize: number; q?: string }) {
  const pattern = opts.q ? `%${opts.q.replace(/[%_\\]/g, '\\$&')}%` : undefined;
  const where = and(
    eq(users.orgId, orgId),
    pattern
      ? or(
          sql`${users.email} ILIKE ${pattern}`,
          sql`(${users.firstName} || ' ' || ${users.lastName}) ILIKE ${pattern}`,
          sql`(${users.lastName} || ' ' || ${users.firstName}) ILIKE ${pattern}`,
        )
      : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(asc(sql`lower(${users.lastName})`), asc(sql`lower(${users.firstName})`), asc(users.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** A user of the organisation; undefined when it does not exist or belongs to another organisation. */
export async function findOrgUser(db: Db, orgId: string, userId: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.orgId, orgId)))
    .limit(1);
  return row;
}

/** Delete a user of the organisation (sessions and links go with it); false when there is none. */
export async function deleteOrgUser(db: Db, orgId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(users)
    .where(and(eq(users.id, userId), eq(users.orgId, orgId)))
    .returning({ id: users.id });
  forgetAuth('user', userId);
  return rows.length > 0;
}

/** Mark a user's unused invitation links as used, so that only a newly sent one works. */
export async function expireInvitations(db: Db, userId: string, now: Date) {
  await db
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, 'invite'), isNull(authTokens.usedAt)));
}

/** Record a TOTP step as used unless it, or a later one, was used already; false means a replay. */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), sql`(${users.totpLastStep} IS NULL OR ${users.totpLastStep} < ${step})`))
    .returning({ id: users.id });
  return rows.length > 0;
}

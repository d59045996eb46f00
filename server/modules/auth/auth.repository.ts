/** Queries of sign-in: sessions, one-time links and failure counters. */
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { authTokens, loginThrottle, organisations, sessions, users } from '../../db/schema/index.js';
import { forgetAuth } from './session-cache.js';

function prepareSessionLookup(db: Db) {
  return db
    .select({ session: sessions, user: users, org: organisations })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(
      and(
        eq(sessions.tokenHash, sql.placeholder('tokenHash')),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql.placeholder('now')),
        eq(users.status, 'active'),
      ),
    )
    .limit(1)
    .prepare('find_active_session');
}

// Every request authenticates, so the lookup is built once per database and reused (a named prepared statement).
const sessionLookups = new WeakMap<Db, ReturnType<typeof prepareSessionLookup>>();

/** A session row joined with its user and organisation: what authenticates a request. */
export async function findActiveSession(db: Db, tokenHash: string, now: Date) {
  let lookup = sessionLookups.get(db);
  if (!lookup) {
    lookup = prepareSessionLookup(db);
    sessionLookups.set(db, lookup);
  }
  const [row] = await lookup.execute({ tokenHash, now: now.toISOString() });
  return row;
}

export async function insertSession(db: Db, values: typeof sessions.$inferInsert) {
  const [row] = await db.insert(sessions).values(values).returning();
  if (!row) throw new Error('session insert returned nothing');
  return row;
}

/** Record that a session was used; callers throttle this to once a minute. */
export async function touchSession(db: Db, sessionId: string, now: Date) {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId));
}

/** Revoke one of the user's own sessions; false when the user has no such live session. */
export async function revokeSession(db: Db, userId: string, sessionId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  forgetAuth('session', sessionId);
  return rows.length > 0;
}

/** Revoke every live session of a user, optionally sparing one. */
export async function revokeAllSessions(db: Db, userId: string, now: Date, except?: string) {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        except ? sql`${sessions.id} <> ${except}` : undefined,
      ),
    );
  // the spared session goes too, harmlessly: it is read again on its next request
  forgetAuth('user', userId);
}

/** The user's live sessions, newest use first. */
export async function listSessions(db: Db, userId: string, now: Date) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}

export async function insertAuthToken(db: Db, values: typeof authTokens.$inferInsert) {
  await db.insert(authTokens).values(values);
}

/** Mark every unused set-up link of the provider used, so only the newest one works. */
export async function expireSetupLinks(db: Db, orgId: string, now: Date) {
  await db
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.orgId, orgId), eq(authTokens.purpose, 'setup'), isNull(authTokens.usedAt)));
}

/** Whether an organisation already has an operator. */
export async function hasOperator(db: Db, orgId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'operator')))
    .limit(1);
  return Boolean(row);
}

/** Use up a one-time link: succeeds once, only before it expires. */
export async function consumeAuthToken(
  db: Db,
  tokenHash: string,
  purposes: (typeof authTokens.$inferSelect.purpose)[],
  now: Date,
) {
  const [row] = await db
    .update(authTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, now),
        inArray(authTokens.purpose, purposes),
      ),
    )
    .returning();
  return row;
}

/** The current failure counters for the given keys. */
export async function readThrottle(db: Db, keys: string[]) {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(loginThrottle)
    .where(
      sql`${loginThrottle.key} IN (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
}

/**
 * Count one failure for a key inside a sliding window; lock the key when the count reaches max.
 * One upsert, so concurrent processes count every failure.
 */
export async function recordFailure(
  db: Db,
  key: string,
  now: Date,
  opts: { windowMinutes: number; max: number; lockMinutes: number },
) {
  const windowStart = new Date(now.getTime() - opts.windowMinutes * 60_000).toISOString();
  const lockUntil = new Date(now.getTime() + opts.lockMinutes * 60_000);
  const nowIso = now.toISOString();
  await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStart: now, lockedUntil: opts.max <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`CASE WHEN ${loginThrottle.windowStart} < ${windowStart}::timestamptz THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
        windowStart: sql`CASE WHEN ${loginThrottle.windowStart} < ${windowStart}::timestamptz THEN ${nowIso}::timestamptz ELSE ${loginThrottle.windowStart} END`,
        lockedUntil: sql`CASE WHEN (CASE WHEN ${loginThrottle.windowStart} < ${windowStart}::timestamptz THEN 1 ELSE ${loginThrottle.failures} + 1 END) >= ${opts.max} THEN ${lockUntil.toISOString()}::timestamptz ELSE ${loginThrottle.lockedUntil} END`,
      },
    });
}

/** Forget a key's failures (after a successful sign-in). */
export async function clearThrottle(db: Db, key: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

/**
 * The signed-in sessions a process has recently authenticated, so a cookie request needs no database
 * round trip (decision 018): a `NotifiedCache` keyed by the token's digest. What it holds of a session,
 * its user or its organisation goes
 * - in this process as soon as a repository here revokes a session or changes or deletes a user
 *   (`forgetAuth`), and again when that commits;
 * - in every process when a row of `sessions`, `users` or `organisations` changes or goes, whoever
 *   changed it: triggers (migration 0020) NOTIFY `auth_changes`.
 * A session's expiry is checked on every use, against the request's clock.
 */
import type { Database } from '../../db/client.js';
import { cacheFor, type NotifiedCache } from '../../db/notified-cache.js';
import { findActiveSession } from './auth.repository.js';

export type SessionRow = NonNullable<Awaited<ReturnType<typeof findActiveSession>>>;

/** The channel the triggers notify; payloads are `session:<id>`, `user:<id>` or `org:<id>`. */
export const authChangesChannel = 'auth_changes';

const caches = new WeakMap<Database, NotifiedCache<SessionRow>>();
/** Every session cache of this process, for the repositories' `forgetAuth` (which know no Database). */
const live = new Set<WeakRef<NotifiedCache<SessionRow>>>();
/** Read a session whatever its expiry: the caller checks that against its own clock. */
const always = new Date(0);

function cacheOf(database: Database): NotifiedCache<SessionRow> {
  const known = caches.get(database);
  if (known) return known;
  const cache = cacheFor(caches, database, (db) => ({
    channel: authChangesChannel,
    load: (tokenHash: string) => findActiveSession(db.db, tokenHash, always),
    concerns: (row: SessionRow, kind: string, id: string) =>
      kind === 'session'
        ? row.session.id === id
        : kind === 'user'
          ? row.user.id === id
          : kind === 'org'
            ? row.org.id === id
            : undefined,
    ttlMs: 10_000,
    maxEntries: 10_000,
  }));
  live.add(new WeakRef(cache));
  return cache;
}

/** The live session of a token digest at `now`, with its user and organisation; from the cache or the database. */
export async function activeSession(database: Database, tokenHash: string, now: Date) {
  const cache = cacheOf(database);
  await cache.ready;
  const row = await cache.get(tokenHash);
  return row && row.session.expiresAt > now ? row : undefined;
}

/** Record in the cache that this process wrote the session's `last_seen_at`. */
export function sessionTouched(database: Database, tokenHash: string, at: Date) {
  caches.get(database)?.update(tokenHash, (row) => ({ ...row, session: { ...row.session, lastSeenAt: at } }));
}

/** Drop what this process caches of a session, user or organisation (other processes hear the NOTIFY). */
export function forgetAuth(kind: 'session' | 'user' | 'org', id: string) {
  for (const ref of live) {
    const cache = ref.deref();
    if (cache) cache.forget(kind, id);
    else live.delete(ref);
  }
}

/**
 * The live API clients a process has recently authenticated, so a bearer request needs no database
 * round trip to learn that its client is still live (decision 015): a `NotifiedCache` that forgets a
 * client when it is revoked here, or when a row of `api_clients` or `organisations` changes or goes,
 * by whoever changed it (triggers of migration 0017 NOTIFY `api_client_changes`).
 */
import type { Database } from '../../db/client.js';
import { cacheFor, type NotifiedCache } from '../../db/notified-cache.js';
import { findActiveClient } from './apiclients.repository.js';

export type ActiveClient = NonNullable<Awaited<ReturnType<typeof findActiveClient>>>;

/** The channel the triggers notify; payloads are `client:<id>` or `org:<id>`. */
export const clientChangesChannel = 'api_client_changes';

const caches = new WeakMap<Database, NotifiedCache<ActiveClient>>();

const cacheOf = (database: Database) =>
  cacheFor(caches, database, (db) => ({
    channel: clientChangesChannel,
    load: (id) => findActiveClient(db.db, id),
    concerns: (row, kind, id) =>
      kind === 'client' ? row.client.id === id : kind === 'org' ? row.client.orgId === id : undefined,
    ttlMs: 10_000,
    maxEntries: 10_000,
  }));

/** A live client by row id with its organisation, from the cache or the database. */
export async function activeClient(database: Database, id: string): Promise<ActiveClient | undefined> {
  const cache = cacheOf(database);
  await cache.ready;
  return cache.get(id);
}

/** Record in the cache that this process wrote the client's `last_used_at`. */
export function clientTouched(database: Database, id: string, at: Date) {
  caches.get(database)?.update(id, (row) => ({ ...row, client: { ...row.client, lastUsedAt: at } }));
}

/** Drop a client from this process's cache at once (the other processes hear the trigger's NOTIFY). */
export function forgetClient(database: Database, id: string) {
  caches.get(database)?.forget('client', id);
}

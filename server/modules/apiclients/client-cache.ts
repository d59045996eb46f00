/**
 * The live API clients a process has recently authenticated, so a bearer request needs no database
 * round trip to learn that its client is still live (decision 015). An entry goes away:
 * - at once in this process when the client is revoked here (`forgetClient`);
 * - within milliseconds in every process when a row of `api_clients` or `organisations` changes or
 *   goes, by whoever changed it: triggers (migration 0017) NOTIFY `api_client_changes`;
 * - after `ttlMs` anyway, a safety net.
 * Nothing is cached while the listener is not live (PostgreSQL connection lost): every request then
 * reads the row, as without a cache. A lookup that raced an invalidation is used for its own request
 * but not kept, so a revocation can never be undone by a slower read.
 */
import type { Database } from '../../db/client.js';
import { findActiveClient } from './apiclients.repository.js';

export type ActiveClient = NonNullable<Awaited<ReturnType<typeof findActiveClient>>>;

/** The channel the triggers notify; payloads are `client:<id>` or `org:<id>`. */
export const clientChangesChannel = 'api_client_changes';
const ttlMs = 10_000;
const maxEntries = 10_000;

interface Entry {
  row: ActiveClient;
  until: number;
}

class ClientCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a lookup started before one must not be kept. */
  private generation = 0;
  private live = false;
  readonly ready: Promise<unknown>;

  constructor(private readonly database: Database) {
    this.ready = database
      .listen(clientChangesChannel, {
        notify: (payload) => this.onNotify(payload),
        live: (live) => {
          this.live = live;
          this.clear();
        },
      })
      .catch(() => {
        // not live: every lookup reads the row
      });
  }

  async get(id: string): Promise<ActiveClient | undefined> {
    const now = performance.now();
    const hit = this.entries.get(id);
    if (hit && hit.until > now) return hit.row;
    const generation = this.generation;
    const row = await findActiveClient(this.database.db, id);
    if (!row) {
      this.entries.delete(id);
      return undefined;
    }
    if (this.live && generation === this.generation) {
      if (this.entries.size >= maxEntries) this.evictExpired(now);
      this.entries.set(id, { row, until: now + ttlMs });
    }
    return row;
  }

  /** Note a write this process made to the cached row (`last_used_at`). */
  touched(id: string, at: Date) {
    const hit = this.entries.get(id);
    if (hit) hit.row = { ...hit.row, client: { ...hit.row.client, lastUsedAt: at } };
  }

  forgetClient(id: string) {
    this.generation++;
    this.entries.delete(id);
  }

  forgetOrganisation(orgId: string) {
    this.generation++;
    for (const [id, entry] of this.entries) if (entry.row.client.orgId === orgId) this.entries.delete(id);
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }

  private onNotify(payload: string) {
    const colon = payload.indexOf(':');
    const kind = payload.slice(0, colon);
    const id = payload.slice(colon + 1);
    if (kind === 'client') this.forgetClient(id);
    else if (kind === 'org') this.forgetOrganisation(id);
    else this.clear();
  }

  private evictExpired(now: number) {
    for (const [id, entry] of this.entries) if (entry.until <= now) this.entries.delete(id);
    // still full of live entries: start over rather than grow without bound
    if (this.entries.size >= maxEntries) this.entries.clear();
  }
}

const caches = new WeakMap<Database, ClientCache>();

function cacheOf(database: Database): ClientCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = new ClientCache(database);
    caches.set(database, cache);
  }
  return cache;
}

/** A live client by row id with its organisation, from the cache or the database. */
export async function activeClient(database: Database, id: string): Promise<ActiveClient | undefined> {
  const cache = cacheOf(database);
  await cache.ready;
  return cache.get(id);
}

/** Record in the cache that this process wrote the client's `last_used_at`. */
export function clientTouched(database: Database, id: string, at: Date) {
  caches.get(database)?.touched(id, at);
}

/** Drop a client from this process's cache at once (the other processes hear the trigger's NOTIFY). */
export function forgetClient(database: Database, id: string) {
  caches.get(database)?.forgetClient(id);
}

/**
 * A per-process cache of rows that the database tells us about when they change (decision 015): an
 * entry goes away
 * - at once in this process when a service here says so (`forget`);
 * - within milliseconds in every process when a trigger NOTIFYs its channel, whoever changed the row;
 * - after `ttlMs` anyway, a safety net.
 * Nothing is cached while the listener is not live (PostgreSQL connection lost): every lookup then
 * reads the database, as without a cache. A lookup that raced an invalidation is used for its own
 * request but not kept, so a revocation can never be undone by a slower read.
 */
import type { Database } from './client.js';

/** How a cache reads a row, and which rows a NOTIFY payload (`<kind>:<id>`) concerns. */
export interface NotifiedCacheSpec<V> {
  /** The channel the triggers notify. */
  channel: string;
  /** Read the row by key; undefined when there is none (or it is not live): nothing is kept then. */
  load(key: string): Promise<V | undefined>;
  /** Whether a changed `<kind>:<id>` concerns this value; unknown kinds clear the whole cache. */
  concerns(value: V, kind: string, id: string): boolean | undefined;
  ttlMs: number;
  maxEntries: number;
}

interface Entry<V> {
  value: V;
  until: number;
}

export class NotifiedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** Bumped by every invalidation: a lookup started before one must not be kept. */
  private generation = 0;
  private live = false;
  readonly ready: Promise<unknown>;

  constructor(
    database: Database,
    private readonly spec: NotifiedCacheSpec<V>,
  ) {
    this.ready = database
      .listen(spec.channel, {
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

  async get(key: string): Promise<V | undefined> {
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const generation = this.generation;
    const value = await this.spec.load(key);
    if (value === undefined) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.live && generation === this.generation) {
      if (this.entries.size >= this.spec.maxEntries) this.evictExpired(now);
      this.entries.set(key, { value, until: now + this.spec.ttlMs });
    }
    return value;
  }

  /** Replace a cached value after a write this process made to its row (no NOTIFY for that column). */
  update(key: string, change: (value: V) => V) {
    const hit = this.entries.get(key);
    if (hit) hit.value = change(hit.value);
  }

  /** Drop the entries a change of `<kind>:<id>` concerns, here and now. */
  forget(kind: string, id: string) {
    this.generation++;
    for (const [key, entry] of this.entries) {
      const concerns = this.spec.concerns(entry.value, kind, id);
      if (concerns === undefined) return this.clear();
      if (concerns) this.entries.delete(key);
    }
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }

  private onNotify(payload: string) {
    const colon = payload.indexOf(':');
    if (colon < 0) return this.clear();
    this.forget(payload.slice(0, colon), payload.slice(colon + 1));
  }

  private evictExpired(now: number) {
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
    // still full of live entries: start over rather than grow without bound
    if (this.entries.size >= this.spec.maxEntries) this.entries.clear();
  }
}

/** One cache per database and spec, made on first use. */
export function cacheFor<V>(
  caches: WeakMap<Database, NotifiedCache<V>>,
  database: Database,
  spec: (database: Database) => NotifiedCacheSpec<V>,
): NotifiedCache<V> {
  let cache = caches.get(database);
  if (!cache) {
    cache = new NotifiedCache(database, spec(database));
    caches.set(database, cache);
  }
  return cache;
}

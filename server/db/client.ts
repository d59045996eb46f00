/** Opens the database: PGlite in a data directory by default, PostgreSQL when DATABASE_URL is set. */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type Column, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDirectory } from '../lib/lockfile.js';
import { migrationsDir } from '../lib/paths.js';
import { pgliteListener, postgresListener, type Subscriber } from './listen.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The Drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** An open database plus how to close it. */
export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Run raw SQL and return its rows. */
  query<T>(statement: SQL): Promise<T[]>;
  /**
   * Run one parameterised statement outside Drizzle and return its rows as arrays of driver values
   * (hot read paths only: no query building, no row mapping). On PostgreSQL the `name` of a
   * `generic` statement prepares it once per connection (parsed and planned once); any other
   * statement is sent unnamed and planned for each run's values. The same name must always carry
   * the same text.
   */
  arrays(statement: RawStatement): Promise<unknown[][]>;
  /** Hear NOTIFYs on a channel from every process (see listen.ts); resolves with an unsubscribe. */
  listen(channel: string, subscriber: Subscriber): Promise<() => void>;
  close(): Promise<void>;
}

export interface RawStatement {
  name?: string;
  text: string;
  values: unknown[];
  /**
   * Run a named statement on a generic plan, planned once per connection instead of on every call.
   * Only for a statement whose best plan does not depend on its values (the unfiltered SIM list,
   * the AAA's SIM lookup); the choice cannot be made per statement in PostgreSQL, so such statements
   * run on a pool of their own (up to `poolSize` more connections) whose sessions set
   * `plan_cache_mode = force_generic_plan`. PGlite ignores it.
   */
  generic?: boolean;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  url?: string;
  /** PGlite data directory; absent means in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

/** Open the database and apply the committed migrations. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    // The generic pool's sessions fix their plan cache mode with a SET, not the startup `options`
    // parameter: a URL's own ?options= would replace that, and poolers such as PgBouncer refuse it.
    // pg-pool awaits `onConnect` before it hands the client out (a 'connect' listener's query would
    // overlap the caller's, which pg deprecates); if the SET fails, the pool ends the client and the
    // caller gets the error. The main pool keeps PostgreSQL's default (`auto`): forcing custom plans
    // there (session 13) also re-planned the query of every foreign-key check and trigger statement,
    // for every row: inserting 200,000 job items took 4.4 s instead of 1.2 s.
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // connections are opened on first use, so this pool costs nothing until a generic statement runs
    const genericPool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      onConnect: async (client) => {
        await client.query('SET plan_cache_mode = force_generic_plan');
      },
    });
    for (const p of [pool, genericPool])
      p.on('error', () => {
        // an idle client lost its connection; the pool replaces it on next use
      });
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder: migrationsDir });
    const listener = postgresListener({ connectionString: opts.url });
    return {
      db,
      driver: 'postgres',
      query: async <T>(statement: SQL) => (await db.execute(statement)).rows as T[],
      // Only generic statements are prepared under their name. Under `auto`, PostgreSQL switches a
      // named statement to a generic plan from its sixth run when that plan looks no dearer than the
      // custom ones so far; for the SIM list's text search that was a plan made for no particular
      // term, and a search matching most of a million SIMs went from 0.2 s to 1.4-3 s. Sent
      // unnamed, a statement is planned for its values on every run (parsing it again costs far less).
      arrays: async ({ name, text, values, generic }) =>
        generic
          ? (await genericPool.query<unknown[]>({ name, text, values, rowMode: 'array' })).rows
          : (await pool.query<unknown[]>({ text, values, rowMode: 'array' })).rows,
      listen: (channel, subscriber) => listener.listen(channel, subscriber),
      close: async () => {
        await listener.close();
        await Promise.all([pool.end(), genericPool.end()]);
      },
    };
  }
  const release = opts.dataDir ? lockDirectory(opts.dataDir) : () => {};
  try {
    const client = new PGlite({ dataDir: opts.dataDir, extensions: { pg_trgm } });
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: migrationsDir });
    const listener = pgliteListener(client);
    return {
      db,
      driver: 'pglite',
      query: async <T>(statement: SQL) => (await db.execute(statement)).rows as T[],
      arrays: async ({ text, values }) =>
        (await client.query<unknown[]>(text, values, { rowMode: 'array' })).rows,
      listen: (channel, subscriber) => listener.listen(channel, subscriber),
      close: async () => {
        await listener.close();
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

const dialect = new PgDialect();

/**
 * `selectRows`, but prepared under `name` on the connection that runs it (a transaction's, or one of
 * the pool's), so that PostgreSQL parses it once per connection and, from its sixth run, reuses a
 * generic plan instead of planning it again. For the statements of the AAA's accounting batch: set-based
 * statements over arrays of keys, whose plan (index lookups per key) does not depend on the values,
 * and whose planning cost more than their execution in small batches (decision 021). The same name
 * must always carry the same text. PGlite ignores the name.
 */
export async function preparedRows<T>(db: Db, name: string, statement: SQL): Promise<T[]> {
  const built = dialect.sqlToQuery(statement);
  built.params = built.params.map((p) => (Array.isArray(p) ? (arrayLiteral(p) ?? p) : p));
  const query = db._.session.prepareQuery(built, undefined, name, false);
  const result = (await query.execute()) as unknown as { rows: T[] };
  return result.rows;
}

/** An array element in a literal: quoted, with `\` and `"` escaped. */
const quoted = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;

/**
 * The PostgreSQL array literal (`{"a","b"}`, `{1,2}`, NULL for null) of a list of strings, numbers,
 * booleans and nulls; undefined when an element is anything else (a Date, a Buffer, a nested array),
 * which the driver then serialises itself. Both drivers pass a string through as the parameter's text.
 * node-postgres's own (`arrayString`) quotes every element through two regular-expression replaces and
 * appends it to a growing string: for the AAA's accounting batches, whose statements carry some twenty
 * arrays of a hundred-odd elements, it was a fifth of what the server allocated per record and 4–5 %
 * of its CPU. Here a list of plain strings or of finite numbers is one `join`.
 */
export function arrayLiteral(values: readonly unknown[]): string | undefined {
  let strings = true;
  let numbers = true;
  for (const v of values) {
    if (typeof v === 'string') {
      numbers = false;
      if (v.includes('"') || v.includes('\\')) strings = false;
    } else if (typeof v === 'number' && Number.isFinite(v)) strings = false;
    else if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') {
      strings = false;
      numbers = false;
    } else return undefined;
  }
  if (values.length === 0) return '{}';
  if (strings) return `{"${values.join('","')}"}`;
  if (numbers) return `{${values.join(',')}}`;
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : typeof v === 'string' ? quoted(v) : String(v))).join(',')}}`;
}

/** Run raw SQL through Drizzle (inside a transaction when `db` is one) and return its rows; both drivers answer `{ rows }`. */
export async function selectRows<T>(db: Db, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * `column = ANY($1::text[])`: a list of values as one array parameter. Drizzle's inArray sends one
 * parameter per value and builds the SQL of each: for chunks of 1,000 ICCIDs that was most of the
 * server's CPU in a bulk job (and PostgreSQL parsed 1,000 parameters).
 */
export function anyText(column: Column | SQL, values: readonly string[]): SQL {
  return sql`${column} = ANY(${sql.param(values)}::text[])`;
}

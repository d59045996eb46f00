/** Helpers for tests of the NOTIFY-invalidated caches: SQL by "another writer", and polling for its effect. */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Harness } from './harness.js';

/** Run SQL as another writer: its own connection on PostgreSQL (as another process would), else PGlite. */
export async function elsewhere(h: Harness, statement: string) {
  const url = h.ctx.config.DATABASE_URL;
  if (!url) {
    await h.ctx.database.query(sql.raw(statement));
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Poll until `check` holds; the NOTIFY of another connection arrives within milliseconds. */
export async function eventually(check: () => Promise<boolean>, ms = 2000) {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

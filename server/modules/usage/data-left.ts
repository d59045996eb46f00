/**
 * The sort key of My SIMs' "data left" column (`sim_data_left`, decisions 013 and 022) as usage moves it.
 * Every other change of a SIM's volume or organisation reaches the key at once, through the trigger of
 * migration 0028; usage does not: the accounting batches note the SIMs whose data grew here, and the
 * refresh writes their keys once per interval, however many records each SIM had in it. A process that
 * ended before its refresh leaves keys behind, so a starting refresh compares every SIM once.
 */
import { sql } from 'drizzle-orm';
import { type Database, type Db, selectRows } from '../../db/client.js';

/** ICCIDs whose data left changed through usage since the last refresh, per database. */
const pending = new WeakMap<Database, Set<string>>();

/** SIMs written per statement: a short transaction each, so a top-up waits for none for long. */
const chunk = 2_000;

/** Note SIMs whose used data grew: their sort keys are written by the next refresh. */
export function noteDataUsed(database: Database, iccids: Iterable<string>) {
  let set = pending.get(database);
  if (!set) {
    set = new Set();
    pending.set(database, set);
  }
  for (const iccid of iccids) set.add(iccid);
}

/**
 * Write the sort keys that differ from `sims`: of these SIMs, or of every SIM when none are named.
 * Returns how many keys were written.
 */
export async function refreshDataLeft(db: Db, iccids?: string[]): Promise<number> {
  const rows = await selectRows<{ n: number }>(
    db,
    sql`WITH w AS (
          UPDATE sim_data_left d SET org_id = s.org_id, data_left = s.data_total - s.data_used
          FROM sims s
          WHERE d.iccid = s.iccid ${iccids ? sql`AND s.iccid = ANY(${sql.param(iccids)}::text[])` : sql``}
            AND (d.data_left <> s.data_total - s.data_used OR d.org_id IS DISTINCT FROM s.org_id)
          RETURNING 1)
        SELECT count(*)::int AS n FROM w`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Write the noted SIMs' keys, in ICCID order (the order the trigger and other refreshes lock them in),
 * in chunks spread over `spreadMs`: written at once, the keys of a busy interval (one per SIM with
 * usage, 100,000 and more) took both cores from the AAA for a second and its answers waited. What
 * could not be written stays noted for the next refresh.
 */
export async function refreshNotedDataLeft(database: Database, spreadMs = 0): Promise<number> {
  const set = pending.get(database);
  if (!set || set.size === 0) return 0;
  const iccids = [...set].sort();
  set.clear();
  const chunks = Math.ceil(iccids.length / chunk);
  const started = performance.now();
  let written = 0;
  for (let i = 0; i < chunks; i++) {
    const due = started + (spreadMs * i) / chunks;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    try {
      written += await refreshDataLeft(database.db, iccids.slice(i * chunk, (i + 1) * chunk));
    } catch (err) {
      noteDataUsed(database, iccids.slice(i * chunk));
      throw err;
    }
  }
  return written;
}

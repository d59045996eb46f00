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

/**
 * SIMs written per transaction: a short one each. Each key is a non-HOT update with two index entries
 * after a lock, ~20–30 µs of PostgreSQL's CPU; 2,000 at a time held a core for some 50 ms every
 * 300 ms, and the AAA's batches waiting behind them were the slowest answers of the radius bench.
 */
const chunk = 500;

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
 * Write these SIMs' sort keys where they differ from `sims`; returns how many were written and the
 * SIMs skipped because another transaction holds their key.
 *
 * The keys are locked first (SKIP LOCKED), and `sims` is read by a second statement: a transaction
 * that moves a SIM or changes its volume writes the key through the trigger, so it either holds the
 * key's lock (the SIM is skipped, and the trigger's value stands) or waits for ours and writes its
 * value after us. Read in the locking statement's snapshot, `sims` could still show the SIM from
 * before such a change that committed meanwhile, and the refresh would undo the trigger's write.
 */
export async function refreshDataLeftOf(
  db: Db,
  iccids: string[],
): Promise<{ written: number; skipped: string[] }> {
  return db.transaction(async (tx) => {
    const locked = await selectRows<{ iccid: string }>(
      tx,
      sql`SELECT iccid FROM sim_data_left WHERE iccid = ANY(${sql.param(iccids)}::text[])
          ORDER BY iccid FOR UPDATE SKIP LOCKED`,
    );
    const keys = locked.map((r) => r.iccid);
    const got = new Set(keys);
    const rows = await selectRows<{ n: number }>(
      tx,
      sql`WITH w AS (
            UPDATE sim_data_left d SET org_id = s.org_id, data_left = s.data_total - s.data_used
            FROM sims s
            WHERE d.iccid = s.iccid AND s.iccid = ANY(${sql.param(keys)}::text[])
              AND (d.data_left <> s.data_total - s.data_used OR d.org_id IS DISTINCT FROM s.org_id)
            RETURNING 1)
          SELECT count(*)::int AS n FROM w`,
    );
    // a SIM without a key (deleted meanwhile) is neither locked nor worth noting again
    const missed = iccids.filter((i) => !got.has(i));
    const existing =
      missed.length === 0
        ? []
        : await selectRows<{ iccid: string }>(
            tx,
            sql`SELECT iccid FROM sims WHERE iccid = ANY(${sql.param(missed)}::text[])`,
          );
    return { written: rows[0]?.n ?? 0, skipped: existing.map((r) => r.iccid) };
  });
}

/** The SIMs whose sort key differs from `sims` (a read: the keys are written by `refreshDataLeftOf`). */
export async function staleDataLeft(db: Db): Promise<string[]> {
  const rows = await selectRows<{ iccid: string }>(
    db,
    sql`SELECT d.iccid FROM sim_data_left d JOIN sims s ON s.iccid = d.iccid
        WHERE d.data_left <> s.data_total - s.data_used OR d.org_id IS DISTINCT FROM s.org_id`,
  );
  return rows.map((r) => r.iccid);
}

/** Compare every SIM and write the keys that differ; returns how many were written. */
export async function refreshDataLeft(database: Database): Promise<number> {
  noteDataUsed(database, await staleDataLeft(database.db));
  return refreshNotedDataLeft(database);
}

/**
 * Write the noted SIMs' keys in chunks, spread over `spreadMs`: written at once, the keys of a busy
 * interval (one per SIM with usage, 100,000 and more) took both cores from the AAA for a second and
 * its answers waited. `hurry` cuts the spreading short (the process is stopping). What was skipped or
 * could not be written stays noted for the next refresh.
 */
export async function refreshNotedDataLeft(
  database: Database,
  spreadMs = 0,
  hurry?: AbortSignal,
): Promise<number> {
  const set = pending.get(database);
  if (!set || set.size === 0) return 0;
  // in the order they were noted: sorting 100,000 ICCIDs here held the AAA's one thread for 30-40 ms
  // (its answers waited), and nothing needs it (each chunk locks its keys in order, SKIP LOCKED)
  const iccids = [...set];
  set.clear();
  const chunks = Math.ceil(iccids.length / chunk);
  const started = performance.now();
  let written = 0;
  for (let i = 0; i < chunks; i++) {
    const wait = started + (spreadMs * i) / chunks - performance.now();
    if (wait > 0 && !hurry?.aborted) await pause(wait, hurry);
    try {
      const done = await refreshDataLeftOf(database.db, iccids.slice(i * chunk, (i + 1) * chunk));
      written += done.written;
      noteDataUsed(database, done.skipped);
    } catch (err) {
      noteDataUsed(database, iccids.slice(i * chunk));
      throw err;
    }
  }
  return written;
}

/** Wait `ms`, or less if `hurry` is aborted meanwhile. */
function pause(ms: number, hurry?: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      hurry?.removeEventListener('abort', done);
      resolve();
    }
    hurry?.addEventListener('abort', done, { once: true });
  });
}

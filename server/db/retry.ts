/**
 * Run a transaction again when PostgreSQL aborted it so that others could go on: a deadlock
 * (40P01) or a serialization failure (40001). PostgreSQL's documented remedy is to retry the
 * whole transaction. Such aborts are expected here: a user's change locks a SIM and then its
 * sessions (to queue Disconnect-Requests), while an accounting batch locks sessions and then
 * their SIMs' counters. PostgreSQL breaks the cycle after `deadlock_timeout` (1 s) by aborting one
 * side. The AAA batches (server/network/radius/server.ts isolate), user changes and job chunks retry here.
 */

/** SQLSTATEs whose transaction may simply be run again. */
const retryable = new Set(['40P01', '40001']);

/** The SQLSTATE of a driver error, also when wrapped (Drizzle keeps the driver's error as `cause`). */
export function sqlStateOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Run `transaction` up to `attempts` times while it fails with a deadlock or serialization failure. */
export async function retryOnConflict<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      const state = sqlStateOf(err);
      if (attempt >= attempts || !state || !retryable.has(state)) throw err;
    }
  }
}

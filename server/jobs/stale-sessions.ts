/**
 * Every minute: closes the RADIUS sessions the network stopped reporting (modules/network/stale-sessions.ts),
 * and takes offline the attached SIMs the network has been silent about and the blocked SIMs the
 * platform has not refused for as long (modules/network/registration.ts).
 */
import type { AppContext } from '../context.js';
import { ATTACHED_SILENCE_MS, detachSilentSims } from '../modules/network/registration.js';
import { closeStaleSessions } from '../modules/network/stale-sessions.js';
import { runPeriodically } from './periodic.js';

/** Run the sweep at start and then every `intervalMs`; returns a stop function. */
export function startStaleSessions(ctx: AppContext, intervalMs = 60_000): () => Promise<void> {
  const started = ctx.clock.now();
  return runPeriodically(
    'stale-sessions',
    async () => {
      // the two sweeps are independent: one failing does not hold the other back
      const failed: unknown[] = [];
      await closeStaleSessions(ctx, started).catch((err: unknown) => failed.push(err));
      const now = ctx.clock.now();
      const cutoff = new Date(now.getTime() - ATTACHED_SILENCE_MS);
      await detachSilentSims(ctx.db, cutoff, started, now).catch((err: unknown) => failed.push(err));
      if (failed.length === 1) throw failed[0];
      if (failed.length > 1)
        throw new Error(failed.map((e) => (e instanceof Error ? e.message : String(e))).join('; '));
    },
    intervalMs,
  );
}

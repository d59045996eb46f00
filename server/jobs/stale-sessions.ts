/**
 * Every minute: closes the RADIUS sessions the network stopped reporting (modules/network/stale-sessions.ts),
 * and takes attached SIMs the network has been silent about offline (modules/network/registration.ts).
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
      const closed = await closeStaleSessions(ctx, started).then(
        () => null,
        (err: unknown) => err,
      );
      const now = ctx.clock.now();
      const detached = await detachSilentSims(
        ctx.db,
        new Date(now.getTime() - ATTACHED_SILENCE_MS),
        started,
        now,
      ).then(
        () => null,
        (err: unknown) => err,
      );
      if (closed && detached) throw new AggregateError([closed, detached], 'both sweeps failed');
      if (closed ?? detached) throw closed ?? detached;
    },
    intervalMs,
  );
}

/** Closes the RADIUS sessions the network stopped reporting (modules/network/stale-sessions.ts), every minute. */
import type { AppContext } from '../context.js';
import { closeStaleSessions } from '../modules/network/stale-sessions.js';
import { runPeriodically } from './periodic.js';

/** Run the sweep at start and then every `intervalMs`; returns a stop function. */
export function startStaleSessions(ctx: AppContext, intervalMs = 60_000): () => Promise<void> {
  const started = ctx.clock.now();
  return runPeriodically('stale-sessions', () => closeStaleSessions(ctx, started), intervalMs);
}

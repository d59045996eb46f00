/**
 * Every five minutes: sums each UTC day that ended (ten minutes of grace) from the per-SIM hourly usage
 * rows into the daily ones (modules/usage/rollup.ts, decision 026). Most runs find nothing to do.
 */
import type { AppContext } from '../context.js';
import { rollUpUsage } from '../modules/usage/rollup.js';
import { runPeriodically } from './periodic.js';

/** Run the roll-up at start and then every `intervalMs`; returns a stop function. */
export function startUsageRollup(ctx: AppContext, intervalMs = 5 * 60_000): () => Promise<void> {
  return runPeriodically('usage-rollup', () => rollUpUsage(ctx.db, ctx.clock.now()), intervalMs);
}

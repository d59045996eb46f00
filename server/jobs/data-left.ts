/**
 * Writes the "data left" sort keys that usage moved (modules/usage/data-left.ts): every SIM's at start,
 * then those the accounting noted, every `intervalMs`, and once more on the way out.
 */
import type { AppContext } from '../context.js';
import { refreshDataLeft, refreshNotedDataLeft } from '../modules/usage/data-left.js';
import { reportFailure, runPeriodically } from './periodic.js';

/** How long usage may go unseen by the sort of My SIMs by data left. */
export const dataLeftRefreshMs = 30_000;

/** Start the refresh; returns a stop function that writes what is still noted, without spreading it. */
export function startDataLeftRefresh(ctx: AppContext, intervalMs = dataLeftRefreshMs): () => Promise<void> {
  let started = false;
  const stopping = new AbortController();
  const stop = runPeriodically(
    'data-left',
    async () => {
      if (!started) {
        // keys a process left behind when it ended before its refresh
        await refreshDataLeft(ctx.database);
        started = true;
      }
      // spread over most of the interval, so that the writes are a steady trickle beside the AAA's
      // batches rather than a burst, and a run is done before the next begins
      await refreshNotedDataLeft(ctx.database, intervalMs * 0.8, stopping.signal);
    },
    intervalMs,
  );
  return async () => {
    stopping.abort();
    await stop();
    await refreshNotedDataLeft(ctx.database).catch(reportFailure('data-left'));
  };
}

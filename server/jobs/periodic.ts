/**
 * The schedule of the worker's periodic jobs (retention, lifetime): run at start, then every
 * interval. A failed run is reported on stderr, next to the request log, and the next run tries again;
 * a silent failure would leave expired SIMs active or old data kept without anybody knowing.
 */

/** A handler for a job's failure: writes "<job>: <message>" to stderr. */
export function reportFailure(job: string): (err: unknown) => void {
  return (err) => {
    process.stderr.write(`${job}: ${err instanceof Error ? err.message : String(err)}\n`);
  };
}

/** Run `run` now and then every `intervalMs`; returns a stop function that waits for the run in progress. */
export function runPeriodically(
  job: string,
  run: () => Promise<unknown>,
  intervalMs: number,
): () => Promise<void> {
  const failed = reportFailure(job);
  let running: Promise<unknown> = run().catch(failed);
  const timer = setInterval(() => {
    running = run().catch(failed);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

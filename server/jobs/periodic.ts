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

/**
 * Run `run` now and then every `intervalMs`; returns a stop function that waits for the run in progress.
 * Runs never overlap: a run that outlasts the interval is followed by the next at once, not joined by
 * it (two retention deletes or two refreshes of the same keys would only contend with each other).
 */
export function runPeriodically(
  job: string,
  run: () => Promise<unknown>,
  intervalMs: number,
): () => Promise<void> {
  const failed = reportFailure(job);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    const started = performance.now();
    running = run()
      .catch(failed)
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, Math.max(0, started + intervalMs - performance.now()));
        timer.unref();
      });
  };
  tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

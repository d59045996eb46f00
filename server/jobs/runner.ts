/**
 * Runs background jobs in the worker role: claims a job (lease), processes its pending items chunk
 * by chunk, each chunk in one transaction with its results, so a restart resumes where it stopped.
 * A worker that shuts down releases its lease after the chunk at hand; one that dies leaves the lease
 * to run out (leaseMs).
 */
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { retryOnConflict } from '../db/retry.js';
import {
  claimJob,
  finishJob,
  type JobItemRow,
  type JobRow,
  pendingItems,
  recordResults,
  releaseJob,
} from '../modules/jobs/jobs.repository.js';
import { bulkKind, processBulkChunk } from '../modules/sims/bulk.service.js';
import { reportFailure } from './periodic.js';

export interface JobHandler {
  chunkSize: number;
  /** Must return one result per item: the worker moves past the whole chunk once it commits. */
  process(
    ctx: AppContext,
    tx: Db,
    job: JobRow,
    items: JobItemRow[],
  ): Promise<{ seq: number; result: 'ok' | 'unchanged' | 'error'; message: string | null }[]>;
}

/** The job kinds this codebase knows. */
export const handlers: Record<string, JobHandler> = {
  [bulkKind]: { chunkSize: 1000, process: processBulkChunk },
};

const leaseMs = 60_000;

/**
 * Limits of one run: how many chunks at most (tests stop there as if the process died, keeping the
 * lease), and a check between chunks for shutting down (the lease is then released).
 */
export interface RunLimits {
  maxChunks?: number;
  stopping?: () => boolean;
}

/** Process one job's chunks until it is finished or the limits stop us (the lease then lets another resume). */
async function work(
  ctx: AppContext,
  job: JobRow,
  budget: { chunks: number },
  limits: RunLimits,
): Promise<void> {
  const handler = handlers[job.kind];
  if (!handler) {
    await finishJob(ctx.db, job.id, ctx.clock.now(), `unknown job kind ${job.kind}`);
    return;
  }
  // the lease as this worker last set it (claim, then each chunk's commit)
  let lease = job.leaseUntil;
  // where this worker is in the job's items: the processed ones are a prefix (pendingItems)
  let from = 1;
  while (budget.chunks > 0) {
    // PGlite answers in microtasks: without this yield, requests (and a SIGTERM) wait for the whole job
    await new Promise((resolve) => setImmediate(resolve));
    if (limits.stopping?.()) {
      // between chunks: the last one committed, so the next worker may take over now
      if (lease) await releaseJob(ctx.db, job.id, lease, ctx.clock.now());
      return;
    }
    budget.chunks--;
    // the renewed lease once a chunk committed, or null when no item was left
    let renewed: { until: Date; next: number } | null;
    try {
      // a chunk that PostgreSQL aborted to break a deadlock (e.g. with an accounting batch) runs again
      renewed = await retryOnConflict(() =>
        ctx.db.transaction(async (tx) => {
          const items = await pendingItems(tx, job.id, handler.chunkSize, from);
          if (items.length === 0) return null;
          const results = await handler.process(ctx, tx, job, items);
          const until = new Date(ctx.clock.now().getTime() + leaseMs);
          await recordResults(tx, job.id, results, until);
          return { until, next: (items.at(-1)?.seq ?? from) + 1 };
        }),
      );
    } catch (err) {
      await finishJob(
        ctx.db,
        job.id,
        ctx.clock.now(),
        `stopped by an internal error: ${(err as Error).message}`,
      );
      return;
    }
    if (!renewed) {
      await finishJob(ctx.db, job.id, ctx.clock.now());
      return;
    }
    lease = renewed.until;
    from = renewed.next;
  }
}

/** Claim and run jobs until none is left or the limits stop us; for the worker loop and tests. */
export async function runJobs(ctx: AppContext, limits: RunLimits = {}): Promise<void> {
  const budget = { chunks: limits.maxChunks ?? Number.POSITIVE_INFINITY };
  while (budget.chunks > 0 && !limits.stopping?.()) {
    const job = await claimJob(ctx.db, ctx.clock.now(), leaseMs);
    if (!job) return;
    await work(ctx, job, budget, limits);
  }
}

/** Poll for jobs every `intervalMs`; returns a function that stops after the current chunk and releases its job. */
export function startJobRunner(ctx: AppContext, intervalMs = 500): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = runJobs(ctx, { stopping: () => stopped })
      .catch(reportFailure('job runner'))
      .then(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}

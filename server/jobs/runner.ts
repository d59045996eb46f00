/**
 * Runs background jobs in the worker role: claims a job (lease), processes its pending items chunk
 * by chunk, each chunk in one transaction with its results, so a restart resumes where it stopped.
 * On PostgreSQL a job runs in `lanes` concurrent chunk loops, each on its own connection, so that
 * the database works on one chunk while this process prepares the next (decision 005).
 * A worker that shuts down releases its lease after the chunks at hand; one that dies leaves the
 * lease to run out (leaseMs).
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
  /** How many chunks of one job may run at once on PostgreSQL (PGlite has one connection: always 1). */
  lanes: number;
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
  [bulkKind]: { chunkSize: 1000, lanes: 2, process: processBulkChunk },
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
  const state: LaneState = {
    // the lease as this worker last set it (claim, then the chunks' commits, which only extend it)
    lease: job.leaseUntil,
    // where the next chunk starts in the job's items (pendingItems skips what is already processed)
    next: 1,
    outcome: 'working',
    error: undefined,
  };
  const lanes = ctx.database.driver === 'postgres' ? Math.max(1, handler.lanes) : 1;
  await Promise.all(Array.from({ length: lanes }, () => lane(ctx, job, handler, state, budget, limits)));
  if (state.outcome === 'failed') {
    await finishJob(ctx.db, job.id, ctx.clock.now(), `stopped by an internal error: ${state.error}`);
  } else if (state.outcome === 'finished') {
    await finishJob(ctx.db, job.id, ctx.clock.now());
  } else if (state.lease && limits.stopping?.()) {
    // between chunks: the last ones committed, so the next worker may take over now
    await releaseJob(ctx.db, job.id, state.lease, ctx.clock.now());
  }
}

/** What the lanes of one job share. */
interface LaneState {
  lease: Date | null;
  next: number;
  /** working; finished (no pending item left); failed (an error stopped a chunk); stopped (limits). */
  outcome: 'working' | 'finished' | 'failed' | 'stopped';
  error: string | undefined;
}

/** One loop of chunks of a job; lanes take consecutive windows of items from `state.next`. */
async function lane(
  ctx: AppContext,
  job: JobRow,
  handler: JobHandler,
  state: LaneState,
  budget: { chunks: number },
  limits: RunLimits,
): Promise<void> {
  for (;;) {
    // PGlite answers in microtasks: without this yield, requests (and a SIGTERM) wait for the whole job
    await new Promise((resolve) => setImmediate(resolve));
    if (state.outcome !== 'working') return;
    if (limits.stopping?.() || budget.chunks <= 0) {
      state.outcome = 'stopped';
      return;
    }
    budget.chunks--;
    const from = state.next;
    state.next += handler.chunkSize;
    // the renewed lease once a chunk committed, or null when no item was left at or after `from`
    let renewed: { until: Date; last: number } | null;
    try {
      // a chunk that PostgreSQL aborted to break a deadlock (e.g. with an accounting batch) runs again
      renewed = await retryOnConflict(() =>
        ctx.db.transaction(async (tx) => {
          const items = await pendingItems(tx, job.id, handler.chunkSize, from);
          if (items.length === 0) return null;
          const results = await handler.process(ctx, tx, job, items);
          const until = new Date(ctx.clock.now().getTime() + leaseMs);
          await recordResults(tx, job.id, results, until);
          return { until, last: items.at(-1)?.seq ?? from };
        }),
      );
    } catch (err) {
      state.outcome = 'failed';
      state.error ??= (err as Error).message;
      return;
    }
    if (!renewed) {
      // nothing pending from here on; another lane may still be working on an earlier window
      if (state.outcome === 'working') state.outcome = 'finished';
      return;
    }
    if (!state.lease || renewed.until > state.lease) state.lease = renewed.until;
    // a chunk that jumped ahead (pendingItems skips processed windows) moves the next window too
    state.next = Math.max(state.next, renewed.last + 1);
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

/** Group commit for the AAA: packets are stored in batches, a few batches in flight, each session in order. */

/**
 * Collects items and hands them to `commit` in batches. Up to `concurrency` batches are in flight, so
 * one batch's statements run in the database while the next batch is decoded and sent; two batches in
 * flight never share a key (a session), so each session's packets are stored in arrival order and
 * never wait on each other's row locks. An item whose key is null (Accounting-On/Off: every session
 * of a NAS) is a barrier: it is committed alone, after what came before it and before what follows.
 *
 * Under overload an item that waited longer than `maxWaitMs` is handed to `expired` instead of being
 * committed: its peer has retransmitted or given up by then, and storing it would only delay the
 * items that can still be answered in time (the retransmit is taken as new; accounting is idempotent).
 */
export class GroupCommit<T> {
  private queue: { item: T; at: number }[] = [];
  private timer: { cancel(): void } | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busyKeys = new Set<string>();
  private barrierRunning = false;

  constructor(
    private readonly ms: number,
    private readonly size: number,
    private readonly concurrency: number,
    private readonly keyOf: (item: T) => string | null,
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly overload: { maxWaitMs: number; expired: (item: T) => void } | null = null,
  ) {}

  push(item: T) {
    this.queue.push({ item, at: performance.now() });
    if (this.inFlight.size >= this.concurrency) return;
    if (this.queue.length >= this.size) this.flush();
    else this.schedule();
  }

  /**
   * Flush after `ms`; with 0, once the packets already received in this turn of the event loop are
   * queued (setImmediate: no timer's 1 ms minimum), so an idle queue adds no wait and a busy one
   * still batches whatever arrived while its batches were in flight.
   */
  private schedule() {
    if (this.timer) return;
    if (this.ms === 0) {
      const immediate = setImmediate(() => this.flush());
      this.timer = { cancel: () => clearImmediate(immediate) };
    } else {
      const timeout = setTimeout(() => this.flush(), this.ms);
      this.timer = { cancel: () => clearTimeout(timeout) };
    }
  }

  /** The next batch that may start now: items in order, skipping keys in flight, stopping at a barrier. */
  private take(): { batch: T[]; keys: string[]; barrier: boolean } {
    const batch: T[] = [];
    const keys = new Set<string>();
    const rest: { item: T; at: number }[] = [];
    let barrier = false;
    let stopped = false;
    const staleBefore = this.overload ? performance.now() - this.overload.maxWaitMs : -1;
    for (const queued of this.queue) {
      const { item } = queued;
      if (queued.at < staleBefore) {
        this.overload?.expired(item);
        continue;
      }
      if (stopped || batch.length >= this.size) {
        rest.push(queued);
        continue;
      }
      const key = this.keyOf(item);
      if (key === null) {
        if (batch.length === 0 && this.inFlight.size === 0) {
          batch.push(item);
          barrier = true;
        } else rest.push(queued);
        stopped = true;
        continue;
      }
      if (this.busyKeys.has(key)) rest.push(queued);
      else {
        batch.push(item);
        keys.add(key);
      }
    }
    this.queue = rest;
    return { batch, keys: [...keys], barrier };
  }

  private flush() {
    this.timer?.cancel();
    this.timer = null;
    while (this.inFlight.size < this.concurrency && this.queue.length > 0 && !this.barrierRunning) {
      const { batch, keys, barrier } = this.take();
      if (batch.length === 0) break;
      for (const k of keys) this.busyKeys.add(k);
      this.barrierRunning = barrier;
      const running: Promise<void> = this.commit(batch)
        .catch(() => {})
        .finally(() => {
          this.inFlight.delete(running);
          for (const k of keys) this.busyKeys.delete(k);
          if (barrier) this.barrierRunning = false;
          if (this.queue.length >= this.size) this.flush();
          else if (this.queue.length > 0) this.schedule();
        });
      this.inFlight.add(running);
    }
  }

  async drain() {
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      if (this.inFlight.size === 0) {
        this.flush();
        // the flush may only have dropped expired items: nothing to wait for, look again
        if (this.inFlight.size === 0) continue;
      }
      await Promise.race(this.inFlight);
    }
  }
}

/** Group commit for the AAA: packets are stored in batches, a few batches in flight, each session in order. */

/**
 * Collects items and hands them to `commit` in batches. Up to `concurrency` batches are in flight, so
 * one batch's statements run in the database while the next batch is decoded and sent; two batches in
 * flight never share a key (a session), so each session's packets are stored in arrival order and
 * never wait on each other's row locks. An item whose key is null (Accounting-On/Off: every session
 * of a NAS) is a barrier: it is committed alone, after what came before it and before what follows.
 */
export class GroupCommit<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busyKeys = new Set<string>();
  private barrierRunning = false;

  constructor(
    private readonly ms: number,
    private readonly size: number,
    private readonly concurrency: number,
    private readonly keyOf: (item: T) => string | null,
    private readonly commit: (items: T[]) => Promise<void>,
  ) {}

  push(item: T) {
    this.queue.push(item);
    if (this.inFlight.size >= this.concurrency) return;
    if (this.queue.length >= this.size) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.ms);
  }

  /** The next batch that may start now: items in order, skipping keys in flight, stopping at a barrier. */
  private take(): { batch: T[]; keys: string[]; barrier: boolean } {
    const batch: T[] = [];
    const keys = new Set<string>();
    const rest: T[] = [];
    let barrier = false;
    let stopped = false;
    for (const item of this.queue) {
      if (stopped || batch.length >= this.size) {
        rest.push(item);
        continue;
      }
      const key = this.keyOf(item);
      if (key === null) {
        if (batch.length === 0 && this.inFlight.size === 0) {
          batch.push(item);
          barrier = true;
        } else rest.push(item);
        stopped = true;
        continue;
      }
      if (this.busyKeys.has(key)) rest.push(item);
      else {
        batch.push(item);
        keys.add(key);
      }
    }
    this.queue = rest;
    return { batch, keys: [...keys], barrier };
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer);
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
          else if (this.queue.length > 0) this.timer ??= setTimeout(() => this.flush(), this.ms);
        });
      this.inFlight.add(running);
    }
  }

  async drain() {
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      if (this.inFlight.size === 0) this.flush();
      await Promise.race(this.inFlight);
    }
  }
}

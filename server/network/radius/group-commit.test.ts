import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

interface Item {
  key: string | null;
  n: number;
}

/** A GroupCommit whose commits finish only when the test says so, recording what ran together. */
function harness(size: number, concurrency: number, ms = 1) {
  const batches: Item[][] = [];
  const open: { items: Item[]; finish: () => void }[] = [];
  let maxInFlight = 0;
  const gc = new GroupCommit<Item>(
    ms,
    size,
    concurrency,
    (i) => i.key,
    (items) => {
      batches.push(items);
      return new Promise<void>((resolve) => {
        open.push({ items, finish: resolve });
        maxInFlight = Math.max(maxInFlight, open.length);
      });
    },
  );
  const finishOldest = async () => {
    const b = open.shift();
    b?.finish();
    await new Promise((r) => setTimeout(r, 5));
  };
  return { gc, batches, open, finishOldest, maxInFlight: () => maxInFlight };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('GroupCommit', () => {
  it('keeps up to `concurrency` batches in flight, never two with the same key, each key in order', async () => {
    const h = harness(3, 2);
    const keys = ['a', 'b', 'c', 'a', 'd', 'e', 'a', 'b', 'f'];
    for (const [n, key] of keys.entries()) h.gc.push({ key, n });
    // the first batch takes a,b,c; the second skips the next a (in flight) and takes d,e — and the third waits
    expect(h.open.map((b) => b.items.map((i) => i.n))).toEqual([
      [0, 1, 2],
      [4, 5],
    ]);
    await h.finishOldest();
    // a and b are free again: the next batch takes them, in arrival order
    expect(h.open.map((b) => b.items.map((i) => i.n))).toEqual([
      [4, 5],
      [3, 6, 7],
    ]);
    while (h.open.length > 0) await h.finishOldest();
    await h.gc.drain();
    const done = h.batches.flat();
    expect(done.map((i) => i.n).sort((x, y) => x - y)).toEqual(keys.map((_, n) => n));
    expect(done.filter((i) => i.key === 'a').map((i) => i.n)).toEqual([0, 3, 6]);
    expect(h.maxInFlight()).toBe(2);
  });

  it('commits a barrier (null key) alone, after what came before and before what follows', async () => {
    const h = harness(10, 2);
    h.gc.push({ key: 'a', n: 0 });
    h.gc.push({ key: null, n: 1 });
    h.gc.push({ key: 'b', n: 2 });
    await tick();
    expect(h.open.map((b) => b.items.map((i) => i.n))).toEqual([[0]]);
    await h.finishOldest();
    expect(h.open.map((b) => b.items.map((i) => i.n))).toEqual([[1]]);
    await h.finishOldest();
    expect(h.open.map((b) => b.items.map((i) => i.n))).toEqual([[2]]);
    await h.finishOldest();
    await h.gc.drain();
    expect(h.batches.map((b) => b.map((i) => i.n))).toEqual([[0], [1], [2]]);
  });

  it('goes on after a failed commit', async () => {
    let calls = 0;
    const done: number[] = [];
    const gc = new GroupCommit<Item>(
      1,
      1,
      1,
      (i) => i.key,
      async (items) => {
        calls++;
        if (calls === 1) throw new Error('store failed');
        done.push(...items.map((i) => i.n));
      },
    );
    gc.push({ key: 'a', n: 0 });
    gc.push({ key: 'a', n: 1 });
    await gc.drain();
    expect(done).toEqual([1]);
  });

  it('under overload, drops what waited longer than maxWaitMs instead of committing it', async () => {
    const committed: number[] = [];
    const expired: number[] = [];
    let release: () => void = () => {};
    const gc = new GroupCommit<Item>(
      1,
      10,
      1,
      (i) => i.key,
      (items) => {
        committed.push(...items.map((i) => i.n));
        // the first batch is slow; later ones are quick
        return committed.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      { maxWaitMs: 30, expired: (i) => expired.push(i.n) },
    );
    gc.push({ key: 'a', n: 0 });
    await tick();
    gc.push({ key: 'b', n: 1 });
    gc.push({ key: 'c', n: 2 });
    await new Promise((r) => setTimeout(r, 60));
    gc.push({ key: 'd', n: 3 });
    release();
    await gc.drain();
    expect(committed).toEqual([0, 3]);
    expect(expired).toEqual([1, 2]);
  });

  it('when the wait is 0, then what arrived in one event-loop turn is one batch, started before any timer', async () => {
    const h = harness(100, 1, 0);
    for (const n of [0, 1, 2]) h.gc.push({ key: `k${n}`, n });
    expect(h.batches).toEqual([]);
    await new Promise((r) => setImmediate(r));
    // no 1 ms timer minimum: the batch runs in the check phase of this very loop turn
    expect(h.open.map((b) => b.items.map((i) => i.n))).toEqual([[0, 1, 2]]);
    // while it is in flight, later arrivals gather, and go as one batch as soon as it finishes
    for (const n of [3, 4]) h.gc.push({ key: `k${n}`, n });
    await new Promise((r) => setImmediate(r));
    expect(h.batches.length).toBe(1);
    h.open.shift()?.finish();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(h.open.map((b) => b.items.map((i) => i.n))).toEqual([[3, 4]]);
    h.open.shift()?.finish();
    await h.gc.drain();
  });

  it('when only expired items wait, then drain drops them and returns instead of waiting forever', async () => {
    const expired: number[] = [];
    const committed: number[] = [];
    const gc = new GroupCommit<Item>(
      60_000,
      100,
      1,
      (i) => i.key,
      async (items) => {
        committed.push(...items.map((i) => i.n));
      },
      { maxWaitMs: 1, expired: (i) => expired.push(i.n) },
    );
    gc.push({ key: 'a', n: 1 });
    await new Promise((r) => setTimeout(r, 10));
    await gc.drain();
    expect(expired).toEqual([1]);
    expect(committed).toEqual([]);
  });
});

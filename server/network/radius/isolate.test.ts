import { describe, expect, it } from 'vitest';
import { isolate } from './server.js';

/** A driver error as Drizzle wraps it: the SQLSTATE on the cause. */
const sqlError = (code: string) => Object.assign(new Error('failed query'), { cause: { code } });

describe('isolate (how the AAA stores a batch)', () => {
  it('when PostgreSQL aborts a batch to break a deadlock, then the whole batch runs again and every item is answered', async () => {
    const runs: number[][] = [];
    const out = await isolate([1, 2, 3], async (batch) => {
      runs.push(batch);
      if (runs.length === 1) throw sqlError('40P01');
      return batch.length;
    });
    expect(runs).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(out).toEqual([{ item: [1, 2, 3], result: 3 }]);
  });

  it('when one item cannot be stored, then the others are stored one by one, each retried after a deadlock', async () => {
    let deadlocked = false;
    const out = await isolate([1, 2, 3], async (batch) => {
      if (batch.includes(2)) throw sqlError('22P05'); // bad content: never retried
      if (batch.length === 1 && batch[0] === 3 && !deadlocked) {
        deadlocked = true;
        throw sqlError('40P01');
      }
      return batch[0];
    });
    expect(out).toEqual([
      { item: [1], result: 1 },
      { item: [3], result: 3 },
    ]);
  });
});

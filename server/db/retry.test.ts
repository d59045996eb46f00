import { describe, expect, it } from 'vitest';
import { retryOnConflict, sqlStateOf } from './retry.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });
/** As Drizzle throws it: its own error with the driver's as the cause. */
const wrapped = (code: string) => Object.assign(new Error('Failed query'), { cause: pgError(code) });

describe('retryOnConflict', () => {
  it('when PostgreSQL broke a deadlock or a serialization conflict, then the transaction runs again', async () => {
    for (const failure of [pgError('40P01'), wrapped('40P01'), wrapped('40001')]) {
      let calls = 0;
      const result = await retryOnConflict(async () => {
        calls++;
        if (calls === 1) throw failure;
        return 'done';
      });
      expect(result).toBe('done');
      expect(calls).toBe(2);
    }
  });

  it('when it keeps failing, then it gives up after the attempts with the last error', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw wrapped('40P01');
      }, 3),
    ).rejects.toThrow('Failed query');
    expect(calls).toBe(3);
  });

  it('when the error is anything else, then it is thrown at once', async () => {
    for (const failure of [
      pgError('23505'),
      new Error('boom'),
      Object.assign(new Error('x'), { code: 'not_found' }),
    ]) {
      let calls = 0;
      await expect(
        retryOnConflict(async () => {
          calls++;
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(calls).toBe(1);
    }
  });

  it('when reading the SQLSTATE, then only five-character codes count, however deep the cause', () => {
    expect(sqlStateOf(wrapped('40001'))).toBe('40001');
    expect(sqlStateOf(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(sqlStateOf(undefined)).toBeUndefined();
  });
});

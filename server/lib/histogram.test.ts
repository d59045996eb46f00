import { describe, expect, it } from 'vitest';
import { quantileFromBuckets } from './histogram.js';

describe('quantileFromBuckets', () => {
  const inf = Number.POSITIVE_INFINITY;

  it('when the rank falls inside a bucket, then the quantile is interpolated linearly within it', () => {
    // 100 observations: 50 up to 1, 40 in (1, 5], 10 in (5, 10]
    const b = [
      [1, 50],
      [5, 90],
      [10, 100],
      [inf, 100],
    ] as const;
    expect(quantileFromBuckets(b, 0.5)).toBe(1);
    expect(quantileFromBuckets(b, 0.7)).toBe(3); // 20 of the 40 in (1, 5]
    expect(quantileFromBuckets(b, 0.95)).toBe(7.5);
    expect(quantileFromBuckets(b, 0.25)).toBe(0.5);
  });

  it('when the rank falls in the +Inf bucket, then it is the highest finite bound; empty buckets are skipped', () => {
    expect(
      quantileFromBuckets(
        [
          [1, 10],
          [5, 10],
          [10, 98],
          [inf, 100],
        ],
        0.99,
      ),
    ).toBe(10);
    expect(
      quantileFromBuckets(
        [
          [1, 0],
          [5, 0],
          [10, 4],
          [inf, 4],
        ],
        0.5,
      ),
    ).toBe(7.5);
  });

  it('when there are no observations, then there is no quantile', () => {
    expect(
      quantileFromBuckets(
        [
          [1, 0],
          [inf, 0],
        ],
        0.5,
      ),
    ).toBeNull();
    expect(quantileFromBuckets([], 0.5)).toBeNull();
  });
});

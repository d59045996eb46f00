/** Quantiles of latency histograms with fixed buckets (the AAA's response times, the radius bench). */

/**
 * The q-quantile (0–1) of a histogram given as cumulative counts per upper bound, ascending, the last
 * bound Infinity: interpolated linearly within the bucket it falls in, as Prometheus'
 * `histogram_quantile` does; in the +Inf bucket, the highest finite bound. Null without observations.
 */
export function quantileFromBuckets(
  buckets: ReadonlyArray<readonly [number, number]>,
  q: number,
): number | null {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank && cumulative > below) {
      if (bound === Number.POSITIVE_INFINITY) return lower;
      return lower + ((bound - lower) * (rank - below)) / (cumulative - below);
    }
    lower = bound;
    below = cumulative;
  }
  return lower;
}

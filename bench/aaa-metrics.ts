/**
 * The AAA's own response times as the radius bench reads them: the Prometheus histogram
 * `opencmp_radius_response_seconds` scraped from /metrics before and after a phase, and the
 * percentiles of the answers in between — the server's share of the latency the generator measures.
 */
import { quantileFromBuckets } from '../server/lib/histogram.js';

/** The histogram of a kind (`access`, `accounting`): cumulative count per bucket bound (seconds). */
export async function serverHistogram(url: string, kind: string): Promise<Map<number, number>> {
  const body = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map<number, number>();
  const line = new RegExp(
    `^opencmp_radius_response_seconds_bucket\\{le="([^"]+)",kind="${kind}"\\} (\\d+)$`,
    'gm',
  );
  for (const m of body.matchAll(line)) buckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  return buckets;
}

/** The p-th percentile (ms, one decimal) of the answers between two scrapes; NaN without answers. */
export function serverPercentile(before: Map<number, number>, after: Map<number, number>, p: number) {
  const buckets = [...after]
    .map(([le, n]): [number, number] => [le, n - (before.get(le) ?? 0)])
    .sort((x, y) => x[0] - y[0]);
  const q = quantileFromBuckets(buckets, p / 100);
  return q === null ? Number.NaN : Math.round(q * 10_000) / 10;
}

/**
 * What the radius bench reads off the AAA besides its answers: its own response times (the Prometheus
 * histogram `opencmp_radius_response_seconds` scraped from /metrics before and after a phase, and the
 * percentiles of the answers in between — the server's share of the latency the generator
 * measures), and the usage rollups' sums.
 */
import type pg from 'pg';
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

/**
 * Whether the rollups grew by exactly what the Interims reported: each session's last counters
 * (Start reported 0), output = 3 × input, in each of the three rollups.
 */
export function rollupsMatch(before: number[], after: number[], counters: Float64Array): boolean {
  let reportedUp = 0;
  for (const c of counters) reportedUp += c;
  return after.every((v, i) => v - (before[i] ?? 0) === (i % 2 === 0 ? reportedUp : 3 * reportedUp));
}

/**
 * `rollupsMatch`, and when they do not, a line on stderr with how much each rollup grew against what
 * the Interims reported: an unanswered Interim the AAA dropped was reported but never stored.
 */
export function rollupsMatchOrSay(
  before: number[],
  after: number[],
  counters: Float64Array,
  unanswered: number,
) {
  if (rollupsMatch(before, after, counters)) return true;
  let reportedUp = 0;
  for (const c of counters) reportedUp += c;
  const grew = after.map((v, i) => v - (before[i] ?? 0));
  console.error(
    `rollups do not match (${unanswered} unanswered): reported up ${reportedUp} down ${3 * reportedUp}; ` +
      `grew hourly ${grew[0]}/${grew[1]}, days ${grew[2]}/${grew[3]}, organisations ${grew[4]}/${grew[5]}`,
  );
  return false;
}

/** Data up and down in the three rollups (SIM hourly, SIM daily, organisation daily), summed over all rows. */
export async function rollupSums(sql: pg.Client): Promise<number[]> {
  const { rows } = await sql.query<Record<string, string>>(
    `SELECT (SELECT coalesce(sum(data_up), 0) FROM sim_usage_hourly) AS hu,
            (SELECT coalesce(sum(data_down), 0) FROM sim_usage_hourly) AS hd,
            (SELECT coalesce(sum(data_up), 0) FROM sim_usage_days) AS du,
            (SELECT coalesce(sum(data_down), 0) FROM sim_usage_days) AS dd,
            (SELECT coalesce(sum(data_up), 0) FROM org_usage_daily) AS ou,
            (SELECT coalesce(sum(data_down), 0) FROM org_usage_daily) AS od`,
  );
  const r = rows[0] ?? {};
  return ['hu', 'hd', 'du', 'dd', 'ou', 'od'].map((k) => Number(r[k]));
}

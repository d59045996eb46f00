/**
 * The counters of the AAA running in this process, if any, and how counter snapshots add up: the
 * operator's network status reads them; the network layer registers its AAA here
 * (server/network/radius/server.ts), so the module never imports server/network.
 */
import { quantileFromBuckets } from '../../lib/histogram.js';

/**
 * Counter keys are `<group>.<name>`, e.g. `drops.unknown_client` or `rejects.IMSI_NOT_FOUND`; the
 * group `response` holds the last minute's response times per bucket, `response.<kind>.<bound ms>`.
 */
export type CounterSnapshot = Record<string, number>;

/** The AAA of this process: its instance name and its live counters. */
export interface LocalAaa {
  instance: string;
  counters: { snapshot(): CounterSnapshot };
}

let local: LocalAaa | null = null;

/** Register (or, with null, unregister) the AAA of this process; startAaa calls it. */
export function setLocalAaa(value: LocalAaa | null) {
  local = value;
}

/** The AAA of this process, for /metrics and the operator API; null without the `aaa` role. */
export function localAaa() {
  return local;
}

/**
 * Upper bounds (ms) of the AAA's response-time buckets, finest around the targets (Access-Request
 * p99 < 10 ms, Interim p99 < 50 ms); a last bucket (`inf`) takes what is slower.
 */
export const RESPONSE_BUCKETS_MS = [0.5, 1, 2.5, 5, 7.5, 10, 15, 25, 50, 75, 100, 250, 500, 1000, 2500, 5000];

/** An AAA's response times over the last minute: how many answers, and their median and 99th percentile. */
export interface ResponseStats {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * The last minute's response times of a kind from a (summed) snapshot, whose `response.<kind>.<bound>`
 * keys count the answers per bucket (bound in ms, or `inf`); null without answers.
 */
export function responseStats(
  snapshot: CounterSnapshot,
  kind: 'access' | 'accounting',
): ResponseStats | null {
  let cumulative = 0;
  const histogram = [...RESPONSE_BUCKETS_MS, Number.POSITIVE_INFINITY].map((bound): [number, number] => {
    cumulative += snapshot[`response.${kind}.${bound === Number.POSITIVE_INFINITY ? 'inf' : bound}`] ?? 0;
    return [bound, cumulative];
  });
  const p50 = quantileFromBuckets(histogram, 0.5);
  const p99 = quantileFromBuckets(histogram, 0.99);
  if (p50 === null || p99 === null) return null;
  const ms = (v: number) => Math.round(v * 100) / 100;
  return { count: cumulative, p50Ms: ms(p50), p99Ms: ms(p99) };
}

/** Add the counter groups of several snapshots together. */
export function sumSnapshots(snapshots: CounterSnapshot[]): CounterSnapshot {
  const out: CounterSnapshot = {};
  for (const s of snapshots) for (const [k, v] of Object.entries(s)) out[k] = (out[k] ?? 0) + v;
  return out;
}

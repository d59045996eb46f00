/** The AAA's counters: requests, accepts, rejects by cause, accounting by type, drops by reason, disconnects. */
import { Counter, Histogram, type Registry } from 'prom-client';
import { type CounterSnapshot, localAaa } from '../../modules/network/aaa-registry.js';

/** Counts of one AAA instance; plain numbers, cheap to bump on the hot path. */
export class RadiusCounters {
  readonly values = new Map<string, number>();

  inc(key: string, by = 1) {
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(key: string): number {
    return this.values.get(key) ?? 0;
  }

  snapshot(): CounterSnapshot {
    return Object.fromEntries(this.values);
  }
}

const GROUPS: Record<string, { name: string; help: string; label: string }> = {
  requests: {
    name: 'opencmp_radius_requests_total',
    help: 'RADIUS requests received, by kind',
    label: 'kind',
  },
  accepts: { name: 'opencmp_radius_accepts_total', help: 'Access-Accepts sent', label: 'kind' },
  rejects: { name: 'opencmp_radius_rejects_total', help: 'Access-Rejects sent, by cause', label: 'cause' },
  accounting: {
    name: 'opencmp_radius_accounting_total',
    help: 'Accounting-Requests stored and answered, by Acct-Status-Type',
    label: 'type',
  },
  drops: { name: 'opencmp_radius_drops_total', help: 'RADIUS packets dropped, by reason', label: 'reason' },
  disconnects: {
    name: 'opencmp_radius_disconnects_total',
    help: 'Disconnect-Requests finished, by outcome',
    label: 'outcome',
  },
};

/**
 * How long the AAA of this process took to answer, by kind (`access`, `accounting`): from the moment
 * a request was read off its socket to the moment its reply was handed back to it — the batch's wait
 * and its transaction included, the time in the socket's receive queue not. The buckets are finest
 * around the targets (Access-Request p99 < 10 ms, Interim p99 < 50 ms), so `histogram_quantile`
 * tells the server's share of a latency a NAS (or the benchmark's generator) sees from its own.
 */
export const radiusResponseSeconds = new Histogram({
  name: 'opencmp_radius_response_seconds',
  help: 'Time from reading a RADIUS request to sending its reply, by kind',
  labelNames: ['kind'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [],
});

/** Expose the local AAA's counters and response times in a prom-client registry (read at scrape time). */
export function registerRadiusMetrics(registry: Registry) {
  registry.registerMetric(radiusResponseSeconds);
  for (const [group, g] of Object.entries(GROUPS)) {
    new Counter({
      name: g.name,
      help: g.help,
      labelNames: [g.label],
      registers: [registry],
      collect() {
        this.reset();
        const local = localAaa();
        if (!local) return;
        for (const [key, value] of Object.entries(local.counters.snapshot())) {
          const dot = key.indexOf('.');
          if (key.slice(0, dot) === group) this.inc({ [g.label]: key.slice(dot + 1) }, value);
        }
      },
    });
  }
}

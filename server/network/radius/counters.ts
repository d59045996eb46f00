/** The AAA's counters: requests, accepts, rejects by cause, accounting by type, drops by reason, disconnects. */
import { Counter, Histogram, type Registry } from 'prom-client';
import { type CounterSnapshot, localAaa, RESPONSE_BUCKETS_MS } from '../../modules/network/aaa-registry.js';

/**
 * How long the AAA of this process took to answer, by kind (`access`, `accounting`), since it
 * started: from the moment a request was read off its socket to the moment its reply was handed back
 * to it — the batch's wait and its transaction included, the time in the socket's receive queue not.
 * `histogram_quantile` over it tells the server's share of a latency a NAS sees from the rest.
 */
export const radiusResponseSeconds = new Histogram({
  name: 'opencmp_radius_response_seconds',
  help: 'Time from reading a RADIUS request to sending its reply, by kind',
  labelNames: ['kind'],
  buckets: RESPONSE_BUCKETS_MS.map((ms) => ms / 1000),
  registers: [],
});

/** The response-time window: the last minute, in slots of 5 s. */
const SLOT_MS = 5000;
const SLOTS = 12;

/** Counts per response-time bucket over the last minute, for the operator console. */
class ResponseWindow {
  private readonly slots = Array.from({ length: SLOTS }, () => ({
    index: -1,
    counts: new Uint32Array(RESPONSE_BUCKETS_MS.length + 1),
  }));

  observe(ms: number, now: number) {
    const index = Math.floor(now / SLOT_MS);
    const slot = this.slots[index % SLOTS] as (typeof this.slots)[number];
    if (slot.index !== index) {
      slot.index = index;
      slot.counts.fill(0);
    }
    let b = 0;
    while (b < RESPONSE_BUCKETS_MS.length && ms > (RESPONSE_BUCKETS_MS[b] as number)) b++;
    slot.counts[b] = (slot.counts[b] ?? 0) + 1;
  }

  /** Counts per bucket (not cumulative) of the slots of the last minute. */
  counts(now: number): number[] {
    const current = Math.floor(now / SLOT_MS);
    const out = new Array<number>(RESPONSE_BUCKETS_MS.length + 1).fill(0);
    for (const slot of this.slots) {
      if (slot.index <= current - SLOTS || slot.index > current) continue;
      slot.counts.forEach((n, b) => {
        out[b] = (out[b] ?? 0) + n;
      });
    }
    return out;
  }
}

/** Counts of one AAA instance; plain numbers, cheap to bump on the hot path. */
export class RadiusCounters {
  readonly values = new Map<string, number>();
  private readonly windows = { access: new ResponseWindow(), accounting: new ResponseWindow() };
  private readonly timers = {
    access: radiusResponseSeconds.labels({ kind: 'access' }),
    accounting: radiusResponseSeconds.labels({ kind: 'accounting' }),
  };

  constructor(private readonly now: () => number = Date.now) {}

  inc(key: string, by = 1) {
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(key: string): number {
    return this.values.get(key) ?? 0;
  }

  /** A request of this kind was answered `ms` after it was read: /metrics and the last minute's window. */
  observeResponse(kind: 'access' | 'accounting', ms: number) {
    this.timers[kind].observe(ms / 1000);
    this.windows[kind].observe(ms, this.now());
  }

  /**
   * The counters, plus the last minute's response times as `response.<kind>.<bucket>` (bucket: its
   * upper bound in ms, or `inf`): counts per bucket, which add up across AAA processes like the rest.
   */
  snapshot(): CounterSnapshot {
    const out: CounterSnapshot = Object.fromEntries(this.values);
    const now = this.now();
    for (const kind of ['access', 'accounting'] as const) {
      this.windows[kind].counts(now).forEach((n, b) => {
        if (n > 0) out[`response.${kind}.${RESPONSE_BUCKETS_MS[b] ?? 'inf'}`] = n;
      });
    }
    return out;
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

import { describe, expect, it } from 'vitest';
import { responseStats, sumSnapshots } from '../../modules/network/aaa-registry.js';
import { RadiusCounters } from './counters.js';

describe('response times of the last minute', () => {
  it('when answers are timed, then the snapshot counts them per bucket by kind, and a minute later they are gone', () => {
    let now = Date.UTC(2026, 10, 27, 12, 0, 0);
    const c = new RadiusCounters(() => now);
    c.observeResponse('access', 0.3);
    c.observeResponse('access', 8);
    c.observeResponse('access', 10);
    c.observeResponse('access', 12);
    c.observeResponse('accounting', 40);
    c.observeResponse('accounting', 9000);
    c.inc('accepts.access', 4);
    expect(c.snapshot()).toEqual({
      'accepts.access': 4,
      'response.access.0.5': 1,
      'response.access.10': 2,
      'response.access.15': 1,
      'response.accounting.50': 1,
      'response.accounting.inf': 1,
    });
    now += 30_000;
    c.observeResponse('access', 1);
    expect(c.snapshot()['response.access.1']).toBe(1);
    expect(c.snapshot()['response.access.10']).toBe(2);
    // the first answers are older than a minute now; the one of 30 s ago is not
    now += 31_000;
    const later = c.snapshot();
    expect(Object.keys(later).filter((k) => k.startsWith('response.'))).toEqual(['response.access.1']);
    // a minute with nothing: no response keys at all, the counters stay
    now += 120_000;
    expect(c.snapshot()).toEqual({ 'accepts.access': 4 });
  });

  it('when AAA processes report, then their windows add up and the median and p99 come from the sum', () => {
    const a = new RadiusCounters(() => 0);
    const b = new RadiusCounters(() => 0);
    for (let i = 0; i < 98; i++) a.observeResponse('access', 0.8);
    b.observeResponse('access', 20);
    b.observeResponse('access', 20);
    const total = sumSnapshots([a.snapshot(), b.snapshot()]);
    // 98 answers in (0.5, 1] ms, 2 in (15, 25] ms: the median within the first, p99 within the second
    expect(responseStats(total, 'access')).toEqual({ count: 100, p50Ms: 0.76, p99Ms: 20 });
    expect(responseStats(total, 'accounting')).toBeNull();
  });
});

/**
 * Target (issue "Usage, volumes, limits, lifetime and the Dashboard"): GET /api/v1/dashboard for an
 * organisation with 1,000,000 SIMs and 20,000,000 usage records: p95 < 100 ms, on PostgreSQL.
 * BENCH_SIMS and BENCH_USAGE_ROWS scale it down for a quick run.
 */
import { benchClient, benchPassword, freshPostgres, report, signIn, startServer } from './lib.js';
import { fleetSql } from './sims.js';

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function benchDashboard() {
  const simCount = Number(process.env.BENCH_SIMS ?? 1_000_000);
  const usageRows = Number(process.env.BENCH_USAGE_ROWS ?? 20_000_000);
  const perSim = Math.max(1, Math.round(usageRows / simCount));
  const db = await freshPostgres();
  const server = await startServer(
    { DATABASE_URL: db.url, OPENCMP_DEMO_PASSWORD: benchPassword, OPENCMP_API_RATE_LIMIT: '1000000' },
    3925,
  );
  try {
    const client = await benchClient(db.url);
    const t0 = performance.now();
    await client.query(fleetSql(simCount));
    // perSim days per SIM, 9 days apart, spread over the last six months: 20 M rows for 1 M SIMs
    await client.query(`
      INSERT INTO sim_usage_daily (org_id, iccid, day, data_up, data_down, sms_mo, sms_mt)
      SELECT s.org_id, s.iccid, current_date - (k * 9), (hashtext(s.iccid) & 65535) * 16, (hashtext(s.iccid) & 65535) * 64,
        k % 3, k % 2
      FROM sims s, generate_series(0, ${perSim - 1}) k
      WHERE s.iccid LIKE '8988%'`);
    // the rollup as addUsage keeps it, built again from the daily rows (one stripe a day: readers
    // sum the stripes, so the demo history's stripes go first). The running server adds today's demo
    // usage meanwhile: locked, its upsert waits for the rebuild and then adds to it (unlocked, it
    // could insert today's row between the DELETE and the INSERT, and the INSERT failed on the key).
    await client.query('BEGIN');
    await client.query('LOCK TABLE org_usage_daily IN EXCLUSIVE MODE');
    await client.query('DELETE FROM org_usage_daily');
    await client.query(`
      INSERT INTO org_usage_daily (org_id, day, data_up, data_down, sms_mo, sms_mt)
      SELECT org_id, day, sum(data_up), sum(data_down), sum(sms_mo), sum(sms_mt) FROM sim_usage_days GROUP BY 1, 2`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
    const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM sim_usage_daily');
    await client.end();
    const loadSeconds = Math.round((performance.now() - t0) / 1000);

    const cookie = await signIn(server.url, 'owner@demo.example', benchPassword);
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      const res = await fetch(`${server.url}/api/v1/dashboard`, { headers: { cookie } });
      if (!res.ok) throw new Error(`dashboard: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { sims: { total: number } };
      if (i === 0 && body.sims.total < simCount) throw new Error(`dashboard counts ${body.sims.total} SIMs`);
      if (i >= 20) times.push(performance.now() - t);
    }
    const p95 = Math.round(percentile(times, 95) * 10) / 10;
    report('dashboard', {
      sims: simCount,
      usageRecords: Number(rows[0]?.n ?? 0),
      loadSeconds,
      p50Ms: Math.round(percentile(times, 50) * 10) / 10,
      p95Ms: p95,
      met: p95 < 100,
    });
  } finally {
    await server.stop();
    await db.drop();
  }
}

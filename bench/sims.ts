/**
 * Targets (issue "SIM inventory and My SIMs"), PostgreSQL, 1,000,000 SIMs in one organisation:
 * list page of 100 with partial search (label or ICCID) and total p95 < 50 ms; sorted by any column
 * p95 < 100 ms; bulk deactivation of 100,000 SIMs < 30 s; CSV export of all < 60 s with the server's
 * memory growing < 200 MB. PGlite with 100,000 SIMs: the same list p95 < 100 ms.
 * A search's page counts its matches only to 1,000 (decision 024); what counting them all costs
 * (`GET /sims/count`, which the portal asks after the page) is reported apart, without a target.
 * BENCH_DETAIL=1 prints every timed request with its time (which query makes the p95).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { simSortKeys } from '../contracts/sims.js';
import { benchClient, benchPassword, freshPostgres, report, signIn, startServer } from './lib.js';

const labels = [
  'Pump',
  'Meter',
  'Tracker',
  'Gateway',
  'Sensor',
  'Vending',
  'E-bike',
  'Camera',
  'Router',
  'Beacon',
];

/** SQL that gives the demo customer `n` SIMs with varied states, labels, volumes and IPs. */
export function fleetSql(n: number) {
  return `
    WITH org AS (SELECT id FROM organisations WHERE account_number = '8100012345')
    INSERT INTO sims (iccid, org_id, imsi, msisdn, pin1, puk1, form_factor, status, session_state, activated_at,
      end_of_life, data_total, data_used, sms_total, sms_used, imei, ip_address, label, auto_top_up, country, bearer)
    SELECT '8988' || lpad(g::text, 15, '0'), org.id, '26288' || lpad(g::text, 10, '0'), '4917' || lpad(g::text, 10, '0'),
      '1234', '12345678', '4FF',
      CASE WHEN g % 10 = 5 THEN 'deactivated' ELSE 'activated' END,
      (ARRAY['online','attached','offline','blocked'])[1 + g % 4],
      now() - (g % 1000) * interval '1 hour', now() + interval '10 years' - (g % 1000) * interval '1 hour',
      524288000, (g::bigint * 7919) % 524288000, 250, g % 251,
      CASE WHEN g % 3 = 0 THEN NULL ELSE '35' || lpad(g::text, 13, '0') END,
      ('10.128.0.0'::inet + g), (ARRAY[${labels.map((l) => `'${l}'`).join(',')}])[1 + g % 10] || ' ' || (g % 9973),
      g % 7 = 0, 'DE', '4G'
    FROM generate_series(1, ${n}) g, org`;
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Time GET requests; `countedOff` is how many answers had a total counted only so far (a search's
 * page counts to 1,000: `totalExact` false).
 */
async function timeList(url: string, cookie: string, paths: string[], rounds: number) {
  const times: number[] = [];
  let countedOff = 0;
  for (let r = 0; r < rounds; r++) {
    for (const path of paths) {
      const t0 = performance.now();
      const res = await fetch(`${url}${path}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { totalExact?: boolean };
      times.push(performance.now() - t0);
      if (body.totalExact === false) countedOff++;
      if (process.env.BENCH_DETAIL) console.log(`${Math.round(times.at(-1) ?? 0)} ms ${path}`);
    }
  }
  return {
    p50: Math.round(percentile(times, 50) * 10) / 10,
    p95: Math.round(percentile(times, 95) * 10) / 10,
    countedOff: `${countedOff} of ${times.length}`,
  };
}

const searches = (n: number) =>
  Array.from({ length: 20 }, (_, i) => [
    `/api/v1/sims?pageSize=100&q=${encodeURIComponent(`${labels[i % 10]} ${(i * 37) % 9973}`.toLowerCase())}`,
    `/api/v1/sims?pageSize=100&q=${String(((i + 1) * 4099) % n).padStart(6, '0')}`,
  ]).flat();
/**
 * Broad searches: a label word one SIM in ten carries (100,000 matches at 1M, every one counted for the
 * total), ICCID prefixes every SIM shares, and one- and two-character terms the trigram index cannot
 * serve. Searches combined with a sort other than ICCID.
 */
const broadSearches = ['pump', 'meter', 'gateway', '8988', '89880000', 'a', 'e-', '12'].map(
  (q) => `/api/v1/sims?pageSize=100&q=${encodeURIComponent(q)}`,
);
const sortedSearches = ['label', '-imei', 'endOfLife', '-dataLeft', 'status'].flatMap((sort, i) => [
  `/api/v1/sims?pageSize=100&sort=${sort}&q=${encodeURIComponent(`${labels[i]} ${(i * 53) % 9973}`.toLowerCase())}`,
  `/api/v1/sims?pageSize=100&sort=${sort}&q=${encodeURIComponent((labels[i + 3] ?? 'pump').toLowerCase())}`,
]);
/**
 * Not targets, reported for what they cost: the exact count the portal asks for after a broad search's
 * page (`GET /sims/count`), and the slowest search sorted by label known, a label word whose run comes
 * last in the label order (the key walk reads every label before it).
 */
const exactCounts = broadSearches.map((path) =>
  path.replace('/api/v1/sims?pageSize=100&', '/api/v1/sims/count?'),
);
const labelRunLast = ['/api/v1/sims?pageSize=100&sort=label&q=vending'];
const sorts = simSortKeys.flatMap((k) => [
  `/api/v1/sims?pageSize=100&sort=${k}`,
  `/api/v1/sims?pageSize=100&sort=-${k}&page=3`,
]);

function rssMb(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export async function benchSimsPostgres(n = Number(process.env.BENCH_SIMS ?? 1_000_000)) {
  const db = await freshPostgres();
  const server = await startServer(
    {
      DATABASE_URL: db.url,
      OPENCMP_DEMO_PASSWORD: benchPassword,
      DATABASE_POOL_SIZE: '20',
      OPENCMP_API_RATE_LIMIT: '1000000',
    },
    3920,
  );
  try {
    const client = await benchClient(db.url);
    const t0 = performance.now();
    await client.query(fleetSql(n));
    // The steady state a customer's list runs in: autovacuum visits a table within a minute of a
    // bulk load. Unvacuumed, the first full scan of each of the 1,000,000 fresh rows also sets their
    // hint bits (a write per page), and that one-off cost, not the query, was the broad searches' p95.
    await client.query('VACUUM ANALYZE sims');
    // and sim_data_left, which the trigger filled: unanalysed, the planner took the organisation's
    // million rows there for a few thousand, and joined them to sims row by row (2 s a page)
    await client.query('VACUUM ANALYZE sim_data_left');
    // and sim_label_keys, which its trigger filled too: until a vacuum marks its pages visible, the key
    // walk's index-only scan reads the table for every row (600 ms instead of 45 ms for a label word).
    // Its autovacuum comes after 1 % of its rows changed (migration 0031).
    await client.query('VACUUM ANALYZE sim_label_keys');
    await client.end();
    const loadS = Math.round((performance.now() - t0) / 100) / 10;
    const cookie = await signIn(server.url, 'owner@demo.example', benchPassword);
    const csrf = cookie.match(/opencmp_csrf=([^;]+)/)?.[1] ?? '';
    await timeList(server.url, cookie, searches(n).slice(0, 4), 1);
    const search = await timeList(server.url, cookie, searches(n), 3);
    const broad = await timeList(server.url, cookie, broadSearches, 3);
    const searchSorted = await timeList(server.url, cookie, sortedSearches, 3);
    const sorted = await timeList(server.url, cookie, sorts, 3);
    const counts = await timeList(server.url, cookie, exactCounts, 2);
    const runLast = await timeList(server.url, cookie, labelRunLast, 3);

    const tb = performance.now();
    const start = await fetch(`${server.url}/api/v1/sims/bulk`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'deactivate', filter: { q: 'pump', status: ['activated'] } }),
    });
    const job = (await start.json()) as { id: string; total: number };
    for (;;) {
      const j = (await (
        await fetch(`${server.url}/api/v1/jobs/${job.id}`, { headers: { cookie } })
      ).json()) as { status: string };
      if (j.status === 'done' || j.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const bulkS = Math.round((performance.now() - tb) / 100) / 10;

    const rssBefore = rssMb(server.proc.pid ?? 0);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(server.proc.pid ?? 0));
    }, 100);
    const te = performance.now();
    const res = await fetch(`${server.url}/api/v1/sims/export.csv`, { headers: { cookie } });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    clearInterval(sampler);
    const exportS = Math.round((performance.now() - te) / 100) / 10;

    report('sims-postgres', {
      sims: n,
      loadSeconds: loadS,
      searchP50Ms: search.p50,
      searchP95Ms: search.p95,
      broadSearchP50Ms: broad.p50,
      broadSearchP95Ms: broad.p95,
      broadCountedOff: broad.countedOff,
      searchSortedP50Ms: searchSorted.p50,
      searchSortedP95Ms: searchSorted.p95,
      sortedP50Ms: sorted.p50,
      sortedP95Ms: sorted.p95,
      exactCountOfBroadP50Ms: counts.p50,
      exactCountOfBroadP95Ms: counts.p95,
      labelRunLastP50Ms: runLast.p50,
      bulkSims: job.total,
      bulkSeconds: bulkS,
      exportSeconds: exportS,
      exportRows: lines - 1,
      exportMB: Math.round(bytes / 1024 / 1024),
      exportRssGrowthMB: Math.round(rssPeak - rssBefore),
      met:
        search.p95 < 50 &&
        broad.p95 < 50 &&
        searchSorted.p95 < 100 &&
        sorted.p95 < 100 &&
        bulkS < 30 &&
        exportS < 60 &&
        rssPeak - rssBefore < 200 &&
        job.total >= n / 10,
    });
  } finally {
    await server.stop();
    await db.drop();
  }
}

export async function benchSimsPglite(n = 100_000) {
  const dir = mkdtempSync(join(tmpdir(), 'opencmp-bench-'));
  try {
    // seed the demo, stop, load the fleet straight into the data directory, start again
    const first = await startServer(
      { OPENCMP_DATA_DIR: dir, OPENCMP_DEMO_PASSWORD: benchPassword, DATABASE_URL: '' },
      3921,
    );
    await first.stop();
    const lite = new PGlite({ dataDir: dir, extensions: { pg_trgm } });
    await lite.exec(fleetSql(n));
    await lite.exec('ANALYZE sims; ANALYZE sim_data_left; ANALYZE sim_label_keys');
    await lite.close();
    const server = await startServer(
      {
        OPENCMP_DATA_DIR: dir,
        OPENCMP_DEMO_PASSWORD: benchPassword,
        DATABASE_URL: '',
        OPENCMP_API_RATE_LIMIT: '1000000',
      },
      3921,
    );
    try {
      const cookie = await signIn(server.url, 'owner@demo.example', benchPassword);
      await timeList(server.url, cookie, searches(n).slice(0, 4), 1);
      const search = await timeList(server.url, cookie, searches(n), 2);
      const broad = await timeList(server.url, cookie, broadSearches, 2);
      const searchSorted = await timeList(server.url, cookie, sortedSearches, 2);
      const sorted = await timeList(server.url, cookie, sorts, 2);
      report('sims-pglite', {
        sims: n,
        searchP95Ms: search.p95,
        broadSearchP95Ms: broad.p95,
        broadCountedOff: broad.countedOff,
        searchSortedP95Ms: searchSorted.p95,
        sortedP95Ms: sorted.p95,
        met: search.p95 < 100 && broad.p95 < 100 && searchSorted.p95 < 100 && sorted.p95 < 100,
      });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

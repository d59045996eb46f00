/**
 * SIM transfer (issue 6, Organisation tab): PostgreSQL, `BENCH_TRANSFER_SIMS` (default 100,000) SIMs
 * of the demo master move to its sub-organisation by one ICCID range, then back by a file of one line
 * per 1,000 SIMs. Each transfer is a fixed number of set-based statements; the figures are seconds
 * per transfer including the dry run (preview) the portal makes first.
 */
import { benchClient, benchPassword, freshPostgres, report, signIn, startServer } from './lib.js';
import { fleetSql } from './sims.js';

async function post(url: string, cookie: string, csrf: string, body: object) {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/v1/sims/transfer`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { count?: number; detail?: string };
  if (!res.ok) throw new Error(`transfer: ${res.status} ${answer.detail}`);
  return { seconds: Math.round(performance.now() - t0) / 1000, count: answer.count ?? 0 };
}

export async function benchTransfer(n = Number(process.env.BENCH_TRANSFER_SIMS ?? 100_000)) {
  const db = await freshPostgres();
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = await startServer(
    { DATABASE_URL: db.url, OPENCMP_DEMO_PASSWORD: benchPassword, OPENCMP_API_RATE_LIMIT: '1000000' },
    port,
  );
  try {
    const client = await benchClient(db.url);
    await client.query(fleetSql(n));
    // The master's SIMs use addresses of a block of their own; the sub-organisation gets a /12.
    await client.query(`
      INSERT INTO ip_pools (org_id, cidr) SELECT id, '10.128.0.0/12' FROM organisations WHERE account_number = '8100012345';
      INSERT INTO ip_pools (org_id, cidr) SELECT id, '10.224.0.0/12' FROM organisations WHERE account_number = '8100012346';
      ANALYZE`);
    const { rows } = await client.query<{ master: string; sub: string }>(`
      SELECT (SELECT id FROM organisations WHERE account_number = '8100012345') AS master,
             (SELECT id FROM organisations WHERE account_number = '8100012346') AS sub`);
    await client.end();
    const { master, sub } = rows[0] ?? { master: '', sub: '' };
    const cookie = await signIn(server.url, 'owner@demo.example', benchPassword);
    const csrf = cookie.match(/opencmp_csrf=([^;]+)/)?.[1] ?? '';
    const iccid = (g: number) => `8988${String(g).padStart(15, '0')}`;

    const range = { sourceOrgId: master, targetOrgId: sub, ranges: [{ start: iccid(1), end: iccid(n) }] };
    const preview = await post(server.url, cookie, csrf, { ...range, dryRun: true });
    const out = await post(server.url, cookie, csrf, range);
    const lines: string[] = ['ICCID_START;ICCID_END'];
    for (let g = 1; g <= n; g += 1000) lines.push(`${iccid(g)};${iccid(Math.min(n, g + 999))}`);
    const back = await post(server.url, cookie, csrf, {
      sourceOrgId: sub,
      targetOrgId: master,
      file: lines.join('\n'),
    });
    if (out.count !== n || back.count !== n)
      throw new Error(`moved ${out.count} and ${back.count}, expected ${n}`);
    report('transfer-postgres', {
      sims: n,
      previewSeconds: preview.seconds,
      rangeSeconds: out.seconds,
      fileLines: lines.length - 1,
      fileSeconds: back.seconds,
    });
  } finally {
    await server.stop();
    await db.drop();
  }
}

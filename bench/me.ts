/** Target: GET /api/v1/me with a session cookie ≥ 3,000 req/s at p99 < 25 ms (50 connections, PostgreSQL). */
import autocannon from 'autocannon';
import { benchPassword, freshPostgres, report, signIn, startServer } from './lib.js';

export async function benchMe() {
  const db = await freshPostgres();
  const server = await startServer(
    {
      DATABASE_URL: db.url,
      OPENCMP_DEMO_PASSWORD: benchPassword,
      DATABASE_POOL_SIZE: '20',
      // the figure is the server's capacity, not its per-session rate limit
      OPENCMP_API_RATE_LIMIT: '1000000',
    },
    3902,
  );
  try {
    const cookie = await signIn(server.url, 'owner@demo.example', benchPassword);
    const run = (duration: number) =>
      autocannon({ url: `${server.url}/api/v1/me`, connections: 50, duration, headers: { cookie } });
    await run(3); // warm-up
    const r = await run(15);
    report('me', {
      requestsPerSecond: Math.round(r.requests.average),
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
      targetRps: 3000,
      targetP99Ms: 25,
      met: r.requests.average >= 3000 && r.latency.p99 < 25 && r.non2xx === 0,
    });
  } finally {
    await server.stop();
    await db.drop();
  }
}

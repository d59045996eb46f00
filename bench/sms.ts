/**
 * Target (issue "Network integration"): MT SMS ≥ 1,000 submits per second through the ESME to the
 * simulator SMSC, on PostgreSQL. BENCH_SMS messages (default 20,000) are queued in the outbox as the
 * API stores them (pending), then the `smpp` role drains them: claim with SKIP LOCKED, submit_sm over
 * a window of SMPP_WINDOW (default 10) outstanding, store the SMSC ids; receipts follow and are
 * applied. Figures: submits per second (parts the SMSC accepted), the CPU this process spent per
 * 1,000 submits (ESME and simulator share it; steadier than the rate on a busy machine), and receipts
 * applied per second. The load average at the start is reported too.
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/config.js';
import type { AppContext } from '../server/context.js';
import { openDatabase } from '../server/db/client.js';
import { seedDemo } from '../server/demo/seed.js';
import { systemClock } from '../server/lib/clock.js';
import { startSmscSimulator } from '../server/network/simulator/smsc.js';
import { startSmpp } from '../server/network/smpp/runner.js';
import { benchPassword, freshPostgres, report } from './lib.js';
import { fleetSql } from './sims.js';

export async function benchSms(n = Number(process.env.BENCH_SMS ?? 20_000)) {
  const pgdb = await freshPostgres();
  const smsc = await startSmscSimulator({ receiptDelayMs: 200 });
  const config = loadConfig({
    DATABASE_URL: pgdb.url,
    OPENCMP_DEMO: '0',
    LOG_LEVEL: 'silent',
    SMPP_URL: smsc.url,
    SMPP_WINDOW: process.env.SMPP_WINDOW ?? '10',
  });
  const database = await openDatabase({ url: pgdb.url, poolSize: 10 });
  const ctx: AppContext = { config, database, db: database.db, clock: systemClock };
  try {
    await seedDemo(ctx, benchPassword);
    await database.query(sql.raw(fleetSql(1000)));
    await database.query(
      sql.raw(`
      INSERT INTO sms_messages (org_id, iccid, direction, peer, text, encoding, segments, status, ref, source, created_at)
      SELECT s.org_id, s.iccid, 'MT', s.msisdn, 'Bench message ' || g, 'gsm7', 1, 'pending', g % 256, 'api', now()
      FROM generate_series(1, ${n}) g
      JOIN LATERAL (SELECT * FROM sims WHERE status = 'activated' ORDER BY iccid OFFSET (g % 900) LIMIT 1) s ON true`),
    );
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const runner = await startSmpp(ctx, { pollMs: 20 });
    await runner.esme.waitBound();
    while (runner.esme.counters.submitted < n) await new Promise((r) => setTimeout(r, 5));
    const submitS = (performance.now() - t0) / 1000;
    // CPU of this process (ESME, SMSC simulator, receipts) per 1,000 submits: steadier than the rate on a busy machine
    const cpu = process.cpuUsage(cpu0);
    const cpuMsPer1000 = Math.round(((cpu.user + cpu.system) / 1000 / n) * 1000);
    // every message submitted (SMSC ids stored) and every receipt applied
    for (;;) {
      const [row] = await database.query<{ open: number }>(
        sql`SELECT count(*)::int AS open FROM sms_messages WHERE status IN ('pending', 'submitted')`,
      );
      if ((row?.open ?? 1) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const doneS = (performance.now() - t0) / 1000;
    const status = runner.esme.status();
    await runner.stop();
    const submitsPerSecond = Math.round(n / submitS);
    report('sms', {
      loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      messages: n,
      window: config.SMPP_WINDOW,
      submitSeconds: Math.round(submitS * 100) / 100,
      submitsPerSecond,
      cpuMsPer1000,
      allDeliveredSeconds: Math.round(doneS * 100) / 100,
      deliveredPerSecond: Math.round(n / doneS),
      throttled: status.counters.throttled,
      reconnects: status.counters.reconnects,
      simulatorReceived: smsc.stats.submits,
      target1000PerSecond: submitsPerSecond >= 1000,
    });
  } finally {
    await smsc.stop();
    await database.close();
    await pgdb.drop();
  }
}

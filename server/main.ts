#!/usr/bin/env -S node --max-semi-space-size=64 --no-allocation-site-pretenuring --heap-growing-percent=200
/** Starts OpenCMP: one process with every role by default, or some of them (`--roles api,worker`). */
import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/client.js';
import { demoLogins } from './demo/seed.js';
import { startDataLeftRefresh } from './jobs/data-left.js';
import { startLifetime } from './jobs/lifetime.js';
import { startMailSender } from './jobs/mail-sender.js';
import { startRetention } from './jobs/retention.js';
import { startJobRunner } from './jobs/runner.js';
import { startStaleSessions } from './jobs/stale-sessions.js';
import { startUsageRollup } from './jobs/usage-rollup.js';
import { systemClock } from './lib/clock.js';
import { DirectoryLockedError } from './lib/lockfile.js';
import { startDisconnectDrainer } from './network/radius/disconnect.js';
import { startAaa } from './network/radius/server.js';
import { simulatorEnabled, startSimulator } from './network/simulator/index.js';
import { startSmpp } from './network/smpp/runner.js';

const allRoles = ['api', 'worker', 'aaa', 'smpp', 'simulator'] as const;
type ProcessRole = (typeof allRoles)[number];

function parseRoles(argv: string[]): ProcessRole[] {
  const i = argv.indexOf('--roles');
  if (i === -1) return [...allRoles];
  const wanted = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((r) => !(allRoles as readonly string[]).includes(r));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new ConfigError(
      `--roles: expected a comma-separated list of ${allRoles.join(', ')}; got "${argv[i + 1] ?? ''}"`,
    );
  }
  return wanted as ProcessRole[];
}

function demoLines(boot: { password: string; generated: boolean }): string[] {
  return [
    'Demo data created. Sign in as:',
    ...demoLogins.map((l) => `    ${l.email.padEnd(28)} ${l.role}`),
    boot.generated
      ? `  Password (shown once, set OPENCMP_DEMO_PASSWORD to choose it): ${boot.password}`
      : '  Password: the value of OPENCMP_DEMO_PASSWORD',
  ];
}

async function main() {
  const started = performance.now();
  const config = loadConfig();
  const roles = parseRoles(process.argv.slice(2));
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : resolve(config.OPENCMP_DATA_DIR),
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const ctx: AppContext = { config, database, db: database.db, clock: systemClock };
  const boot = await bootstrap(ctx);
  // the demo's sign-in goes out at once: should this first start fail later (a port in use), a
  // generated password would otherwise be lost with the seeded database
  if (boot.kind === 'demo') process.stdout.write(`${demoLines(boot).join('\n')}\n`);

  // the HTTP app is built before the background roles start: a resumed bulk job or the simulator's
  // traffic would otherwise compete with the loading of its plugins (see pluginTimeout in app.ts)
  const app = roles.includes('api')
    ? await buildApp(ctx, { logger: { level: config.LOG_LEVEL }, https: config.tls, web: true })
    : null;
  const stops: (() => Promise<void>)[] = [];
  let smscNote: string | null = null;
  if (roles.includes('worker'))
    stops.push(
      startMailSender(ctx),
      startJobRunner(ctx),
      startRetention(ctx),
      startLifetime(ctx),
      startStaleSessions(ctx),
      startUsageRollup(ctx),
    );
  if (roles.includes('smpp')) {
    const runner = await startSmpp(ctx);
    stops.unshift(() => runner.stop());
  }
  let radius = '';
  let aaaPorts: { authPort: number; acctPort: number } | undefined;
  if (roles.includes('aaa')) {
    const aaa = await startAaa(ctx);
    aaaPorts = aaa;
    radius = `  RADIUS: auth ${config.RADIUS_HOST}:${aaa.authPort}, accounting ${config.RADIUS_HOST}:${aaa.acctPort}`;
    const drainer = startDisconnectDrainer(ctx, aaa.nas, aaa.counters);
    // after the AAA, so that the usage of its last batches reaches the sort keys
    const dataLeft = startDataLeftRefresh(ctx);
    stops.push(
      () => drainer.stop(),
      () => aaa.stop(),
      dataLeft,
    );
  }
  let simulatorLine = '';
  if (roles.includes('simulator') && (await simulatorEnabled(ctx))) {
    // the simulated packet gateway talks RADIUS to the AAA of this process, or of RADIUS_HOST
    const host = ['0.0.0.0', '::'].includes(config.RADIUS_HOST) ? '127.0.0.1' : config.RADIUS_HOST;
    const simulator = await startSimulator(ctx, {
      aaa: {
        host,
        authPort: aaaPorts?.authPort ?? config.RADIUS_AUTH_PORT,
        acctPort: aaaPorts?.acctPort ?? config.RADIUS_ACCT_PORT,
      },
      // the demo's SMS centre, when this process runs the ESME and no SMSC is set (SMPP_URL)
      smsc: roles.includes('smpp'),
      log: ['debug', 'trace'].includes(config.LOG_LEVEL) ? (m) => process.stdout.write(`${m}\n`) : undefined,
    });
    // the gateway stops first, so that its Accounting-Off still reaches the AAA; the SMSC last
    stops.unshift(() => simulator.stopGateway());
    stops.push(() => simulator.stop());
    if (simulator.smsc)
      smscNote = `  SMS centre: built-in SMSC simulator on 127.0.0.1:${simulator.smsc.port} (set SMPP_URL for a real one)`;
    simulatorLine = `  Network simulator: ${simulator.pgw.devices().length} devices, Disconnect-Requests on 127.0.0.1:${simulator.pgw.daePort}`;
  }
  if (app) {
    await app.listen({ port: config.PORT, host: config.HOST });
    stops.unshift(() => app.close());
  }

  // the handlers are in place before anyone can read "ready" and send a signal
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    for (const stop of stops) await stop().catch(() => {});
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const ms = Math.round(performance.now() - started);
  const lines = [`OpenCMP ready in ${ms} ms (roles: ${roles.join(', ')}; database: ${database.driver})`];
  if (radius) lines.push(radius);
  if (simulatorLine) lines.push(simulatorLine);
  if (roles.includes('api'))
    lines.push(`  Portal and API: ${config.publicUrl}   API docs: ${config.publicUrl}/api/docs`);
  if (smscNote) lines.push(smscNote);
  if (boot.kind === 'demo') lines.push('  Demo data created: sign in with the demo logins printed above.');
  if (boot.kind === 'setup')
    lines.push(`  No operator yet. Create the first one (link valid 24 h, once): ${boot.link}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DirectoryLockedError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `OpenCMP failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});

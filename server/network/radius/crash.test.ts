import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { demoIdentifiers } from '../../demo/sims.js';
import { rootDir } from '../../lib/paths.js';
import { AcctStatus } from './attributes.js';
import { buildAccountingRequest } from './builders.js';
import { TestNas } from './testkit.js';

// Kill the AAA with SIGKILL in the middle of accounting load, restart it on the same database, let
// the NAS retransmit what was not answered: every answered record survived, and nothing counts twice.
const SECRET = 'crash-secret-1';
const PASSWORD = 'crash-test-pw-1';
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function database(): Promise<Record<string, string>> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), 'opencmp-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { DATABASE_URL: '', OPENCMP_DATA_DIR: dir };
  }
  const name = `opencmp_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { DATABASE_URL: u.toString() };
}

interface Running {
  proc: ChildProcess;
  url: string;
  acctPort: number;
  exited: Promise<unknown>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(rootDir, 'server/main.ts'), '--roles', 'api,aaa'],
    {
      cwd: rootDir,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        RADIUS_AUTH_PORT: '0',
        RADIUS_ACCT_PORT: '0',
        RADIUS_SECRET: SECRET,
        RADIUS_DAE_PORT: '9',
        SIMULATOR: 'off',
        OPENCMP_DEMO_PASSWORD: PASSWORD,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += d;
  });
  proc.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise((r) => proc.once('exit', r));
  cleanups.push(() => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const m = /accounting 127\.0\.0\.1:(\d+)/.exec(out);
    if (out.includes('OpenCMP ready') && m)
      return { proc, url: `http://127.0.0.1:${port}`, acctPort: Number(m[1]), exited };
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function dataUsed(url: string, iccids: string[]): Promise<Map<string, number>> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@demo.example', password: PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const out = new Map<string, number>();
  for (const iccid of iccids) {
    const res = await fetch(`${url}/api/v1/sims/${iccid}`, { headers: { cookie } });
    out.set(iccid, ((await res.json()) as { dataUsed: number }).dataUsed);
  }
  return out;
}

describe('the AAA killed mid-load', () => {
  it('when it is killed with SIGKILL and restarted, then every acknowledged record is stored exactly once', async () => {
    const env = await database();
    const SESSIONS = 20;
    const STEPS = 40;
    const sims = Array.from({ length: SESSIONS }, (_, i) => demoIdentifiers(101 + i));
    let server = await start(env);
    const before = await dataUsed(
      server.url,
      sims.map((s) => s.iccid),
    );
    const nas = await TestNas.open(SECRET);
    cleanups.push(() => nas.close());
    // the packets, in order per session: Start, then Interims with growing cumulative counters
    const packets: { session: number; step: number; packet: Buffer }[] = [];
    let id = 0;
    for (let step = 0; step <= STEPS; step++) {
      for (let n = 0; n < SESSIONS; n++) {
        const sim = sims[n];
        if (!sim) continue;
        packets.push({
          session: n,
          step,
          packet: buildAccountingRequest({
            identifier: id++ & 0xff,
            secret: SECRET,
            fields: {
              statusType: step === 0 ? AcctStatus.Start : AcctStatus.InterimUpdate,
              sessionId: `crash-${n}`,
              userName: sim.imsi,
              imsi: sim.imsi,
              inputOctets: BigInt(step * 1000),
              outputOctets: BigInt(step * 500),
            },
          }),
        });
      }
    }
    const acked = new Array<number>(SESSIONS).fill(-1);
    const send = (p: (typeof packets)[number]) =>
      nas.send(server.acctPort, p.packet, 3000).then((reply) => {
        if (reply) acked[p.session] = Math.max(acked[p.session] ?? -1, p.step);
        return reply;
      });
    // windows of 40 in flight, as a gateway would; a third of the load answered, then one more window mid-flight
    const window = 40;
    let next = 0;
    for (; next < packets.length / 3; next += window) {
      const replies = await Promise.all(packets.slice(next, next + window).map(send));
      expect(replies.every(Boolean)).toBe(true);
    }
    for (const p of packets.slice(next, next + window * 3)) void send(p);
    await new Promise((r) => setTimeout(r, 3));
    server.proc.kill('SIGKILL');
    await server.exited;
    const ackedSnapshot = [...acked];
    expect(ackedSnapshot.filter((s) => s > 0).length).toBeGreaterThan(0);

    server = await start(env);
    const survived = await dataUsed(
      server.url,
      sims.map((s) => s.iccid),
    );
    sims.forEach((sim, n) => {
      const step = ackedSnapshot[n] ?? -1;
      const delta = (survived.get(sim.iccid) ?? 0) - (before.get(sim.iccid) ?? 0);
      // everything acknowledged is there (maybe more: stored, then killed before the answer)
      expect(delta).toBeGreaterThanOrEqual(Math.max(0, step) * 1500);
      expect(delta).toBeLessThanOrEqual(STEPS * 1500);
    });
    // the gateway retransmits everything (answered or not) and ends the sessions
    for (const p of packets) {
      const reply = await nas.send(server.acctPort, p.packet, 5000);
      expect(reply).not.toBeNull();
    }
    const after = await dataUsed(
      server.url,
      sims.map((s) => s.iccid),
    );
    for (const sim of sims) {
      expect((after.get(sim.iccid) ?? 0) - (before.get(sim.iccid) ?? 0)).toBe(STEPS * 1500);
    }
    server.proc.kill('SIGTERM');
    await server.exited;
  }, 300_000);
});

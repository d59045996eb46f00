/** Shared bench helpers: start the built server as a child process and wait until it is ready. */
import { hash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { spawnServer } from '../server/test/spawn.js';

export const root = join(import.meta.dirname, '..');
export const resultsDir = join(root, 'bench', 'results');

/** Start the built server; resolves once /readyz answers. */
export const startServer = (env: Record<string, string>, port: number) => spawnServer(env, port);

/**
 * A connected client of a bench database. Its connection error is not thrown at the process: on a run
 * that failed, the drop of the database ends the connection (57P01), and that error would crash the
 * bench and hide the run's own; a query on the client still fails.
 */
export async function benchClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A fresh database on the PostgreSQL server of BENCH_DATABASE_URL (default: local test database). */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `opencmp_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Sign in and return the cookie header of the session. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Record a result line and keep it in bench/results/<name>.json. */
/**
 * How fast this machine is right now: milliseconds for a fixed piece of CPU work (200,000 one-shot
 * MD5 hashes of 64 octets, the AAA's own kind of work), the best of three. The machines benches run
 * on differ, and one machine's speed drifts with its neighbours (session 24 saw the same task take
 * 1.5 times as long from one minute to the next): a figure without this beside it cannot be
 * compared with another's. `report` adds it to every bench's figures, and `npm run bench` prints it
 * before each bench.
 */
export function calibrationMs(): number {
  const block = Buffer.alloc(64, 7);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < 200_000; i++) {
      block[0] = i & 0xff;
      hash('md5', block, 'buffer');
    }
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(best);
}

export function report(name: string, figures: Record<string, number | string | boolean>) {
  figures.calibrationMs = calibrationMs();
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, `${name}.json`),
    `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
  console.log(
    `${name}: ${Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
}

export const benchPassword = 'bench-password-123';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 when unreadable. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the parenthesised command name: utime and stime are the 12th and 13th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * A meter of the CPU time the server process and the PostgreSQL backends of one database use:
 * unlike a rate, CPU per operation hardly changes when other work shares the machine, so it is the
 * figure to compare before and after a change on a busy machine.
 */
export async function cpuMeter(serverPid: number, databaseUrl: string) {
  const db = new URL(databaseUrl).pathname.slice(1);
  const admin = await benchClient(databaseUrl);
  const sample = async () => {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [db],
    );
    const backends = new Map(rows.map((r) => [r.pid, cpuSecondsOf(r.pid)]));
    return { server: cpuSecondsOf(serverPid), backends };
  };
  return {
    /** Start measuring; the returned function gives the CPU seconds used since. */
    async start() {
      const before = await sample();
      return async () => {
        const after = await sample();
        let database = 0;
        for (const [pid, s] of after.backends) database += s - (before.backends.get(pid) ?? 0);
        return { server: after.server - before.server, database };
      };
    },
    close: () => admin.end(),
  };
}

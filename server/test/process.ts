/**
 * The server from source (`node --import tsx server/main.ts`) as a child process on a database of its
 * own (a fresh PGlite directory, or a fresh database on the PostgreSQL server named by DATABASE_URL),
 * for tests that kill it and start it again on the same data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { type Database, openDatabase } from '../db/client.js';
import { rootDir } from '../lib/paths.js';
import { collectOutput } from './spawn.js';

/** A running child server. */
export interface ChildServer {
  proc: ChildProcess;
  /** http://127.0.0.1:port of its API. */
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** The first match of `pattern` in its output, waiting for it up to `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with its exit code (null when a signal ended it) once it has exited. */
  exited: Promise<number | null>;
  /** Send a signal (SIGTERM: a graceful shutdown; SIGKILL: a crash) and wait for the exit. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/** The environment that points a child (and `openChildDatabase`) at one database. */
export type DatabaseEnv = Record<string, string>;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Sign in through the API of a running server; returns the headers of that session (cookie, CSRF token). */
export async function signInOver(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

/**
 * Run server/main.ts through tsx as a child, with `env` over the test's environment (no RADIUS ports,
 * warnings only); its output is collected.
 */
export function spawnMain(env: Record<string, string>, args: string[] = []) {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(rootDir, 'server/main.ts'), ...args], {
    cwd: rootDir,
    env: { ...process.env, LOG_LEVEL: 'warn', RADIUS_AUTH_PORT: '0', RADIUS_ACCT_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(proc);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, output, exited };
}

/**
 * Child servers and their databases for one test file; call once at its top level. Everything it
 * started is killed and removed after the file's tests (and whatever `defer` was given, first).
 */
export function childServers(defaults: { password: string; env?: Record<string, string> }) {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  /** A fresh, empty database: its environment for `start` and `open`. */
  async function database(): Promise<DatabaseEnv> {
    const base = process.env.DATABASE_URL;
    if (!base) {
      const dir = mkdtempSync(join(tmpdir(), 'opencmp-child-'));
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

  /** Start the server with these roles on a database; resolves once it printed "OpenCMP ready". */
  async function start(
    db: DatabaseEnv,
    roles: string[],
    env: Record<string, string> = {},
  ): Promise<ChildServer> {
    const port = await freePort();
    const { proc, output, exited } = spawnMain(
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        SIMULATOR: 'off',
        OPENCMP_DEMO_PASSWORD: defaults.password,
        ...defaults.env,
        ...env,
        ...db,
      },
      ['--roles', roles.join(',')],
    );
    cleanups.push(async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    });
    const waitFor = async (pattern: RegExp, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(output());
        if (m) return m;
        if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline)
          throw new Error(`server output never matched ${pattern}:\n${output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const stop = async (signal: 'SIGTERM' | 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    };
    await waitFor(/OpenCMP ready/);
    return { proc, url: `http://127.0.0.1:${port}`, output, waitFor, exited, stop };
  }

  /**
   * Open a child's database from the test itself, to set up or check what the API does not show.
   * A PGlite directory is locked by the child that holds it: open it only while no child runs.
   */
  function open(db: DatabaseEnv): Promise<Database> {
    return openDatabase({
      url: db.DATABASE_URL || undefined,
      dataDir: db.DATABASE_URL ? undefined : db.OPENCMP_DATA_DIR,
      poolSize: 2,
    });
  }

  return { database, start, open, defer: (c: () => Promise<void> | void) => cleanups.push(c) };
}

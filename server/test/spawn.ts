/** Runs the built server (dist/server/main.js) as a child process and Debian's Chromium, for browser tests and benchmarks. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { rootDir } from '../lib/paths.js';

/**
 * The V8 flags the server runs with, as `npm start` (package.json) and main.ts's shebang give them
 * (node-flags.test.ts holds the three together), decision 016: a young generation of 2 × 64 MB, so that
 * scavenges come a few times less often and request garbage dies before it is copied; no pretenuring
 * of allocation sites, and an old generation that grows to three times what a mark-compact left live,
 * so that neither the AAA's Interims nor its Access-Requests bring a mark-compact every few seconds.
 */
export const serverNodeFlags = [
  '--max-semi-space-size=64',
  '--no-allocation-site-pretenuring',
  '--heap-growing-percent=200',
];

/** Collect a child's stdout and stderr, interleaved as they arrive; the returned function reads them so far. */
export function collectOutput(proc: ChildProcess): () => string {
  let out = '';
  const add = (d: Buffer | string) => {
    out += d;
  };
  proc.stdout?.on('data', add);
  proc.stderr?.on('data', add);
  return () => out;
}

export interface SpawnedServer {
  url: string;
  proc: ChildProcess;
  /** Milliseconds from spawn until /readyz answered. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Start dist/server/main.js on 127.0.0.1:port with extra environment; resolves once /readyz answers. */
export async function spawnServer(env: Record<string, string>, port: number): Promise<SpawnedServer> {
  const t0 = performance.now();
  // SERVER_CPU_PROF=<dir> writes a V8 CPU profile of the server there when it stops (benchmark analysis)
  const profile = process.env.SERVER_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SERVER_CPU_PROF}`]
    : [];
  const proc = spawn(
    process.execPath,
    [...serverNodeFlags, ...profile, join(rootDir, 'dist/server/main.js')],
    {
      cwd: rootDir,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        RADIUS_AUTH_PORT: '0',
        RADIUS_ACCT_PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = collectOutput(proc);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`server not ready after 150 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - t0;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  return { url, proc, readyMs, stop };
}

/** Launch Debian's Chromium headless with the flags a root sandbox without network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnMain } from './test/process.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'opencmp-main-'));
  dirs.push(d);
  return d;
}

type Started = ReturnType<typeof spawnMain>;

/** Run server/main.ts with the given environment (the database is PGlite in a temp dir). */
const run = (env: Record<string, string>): Started => spawnMain({ DATABASE_URL: '', ...env });

async function waitFor(started: Started, text: string | RegExp, ms = 100_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const out = started.output();
    if (typeof text === 'string' ? out.includes(text) : text.test(out)) return;
    if (started.proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`did not see ${text} in:\n${started.output()}`);
}

describe('the opencmp process', () => {
  it('when started on an empty directory, then it seeds the demo, serves, locks the directory, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const port = await freePort();
    const server = run({
      OPENCMP_DATA_DIR: dir,
      PORT: String(port),
      OPENCMP_DEMO_PASSWORD: 'process-test-pw',
    });
    await waitFor(server, 'OpenCMP ready');
    expect(server.output()).toContain('owner@demo.example');
    expect(server.output()).toContain(`http://127.0.0.1:${port}`);
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@demo.example', password: 'process-test-pw' }),
    });
    expect(login.status).toBe(200);

    const second = run({ OPENCMP_DATA_DIR: dir, PORT: String(await freePort()) });
    expect(await second.exited).toBe(2);
    expect(second.output()).toMatch(/in use by another OpenCMP process/);

    server.proc.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);
    expect(existsSync(join(dir, 'opencmp.lock'))).toBe(false);
  }, 120_000);

  it('when OPENCMP_DEMO=0 on an empty directory, then it prints a one-time set-up link and no demo logins', async () => {
    const server = run({ OPENCMP_DATA_DIR: tempDir(), PORT: String(await freePort()), OPENCMP_DEMO: '0' });
    await waitFor(server, 'OpenCMP ready');
    expect(server.output()).toMatch(/\/setup\?token=[\w-]{20,}/);
    expect(server.output()).not.toContain('owner@demo.example');
    server.proc.kill('SIGINT');
    expect(await server.exited, server.output()).toBe(0);
  }, 120_000);

  it('when a variable is invalid, then the start stops with a message naming it', async () => {
    const server = run({ OPENCMP_DATA_DIR: tempDir(), PORT: 'not-a-port' });
    expect(await server.exited).toBe(2);
    expect(server.output()).toMatch(/PORT/);
  });

  it('when TLS_CERT names a missing file, then the start stops naming TLS_CERT before touching the data directory', async () => {
    const dir = tempDir();
    const server = run({
      OPENCMP_DATA_DIR: dir,
      PORT: String(await freePort()),
      TLS_CERT: join(dir, 'missing-cert.pem'),
      TLS_KEY: join(dir, 'missing-key.pem'),
    });
    expect(await server.exited).toBe(2);
    expect(server.output()).toMatch(/TLS_CERT: cannot read .*missing-cert\.pem/);
    expect(server.output()).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    expect(existsSync(join(dir, 'opencmp.lock'))).toBe(false);
  });

  it('when the first start fails after seeding (port in use), then the generated demo password was printed and works on the next start', async () => {
    const dir = tempDir();
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const first = run({ OPENCMP_DATA_DIR: dir, PORT: String(port), OPENCMP_DEMO_PASSWORD: '' });
    const code = await first.exited;
    await new Promise((r) => blocker.close(r));
    expect(code, first.output()).toBe(1);
    const printed = /Password \(shown once[^)]*\): (\S+)/.exec(first.output())?.[1];
    expect(printed, first.output()).toBeTruthy();

    const second = run({ OPENCMP_DATA_DIR: dir, PORT: String(port), OPENCMP_DEMO_PASSWORD: '' });
    await waitFor(second, 'OpenCMP ready');
    expect(second.output()).not.toContain('Password (shown once');
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@demo.example', password: printed }),
    });
    expect(login.status).toBe(200);
    second.proc.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);
  }, 180_000);
});

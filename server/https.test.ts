import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { createHarness, type Harness, password, seedFixtures } from './test/harness.js';
import { selfSignedCert } from './test/tls.js';

let h: Harness;
let app: FastifyInstance;
let port: number;
const dir = mkdtempSync(join(tmpdir(), 'opencmp-tls-'));

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
  const tls = selfSignedCert(dir);
  app = await buildApp(h.ctx, {
    https: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  await app.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(
  path: string,
  body: unknown,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        rejectUnauthorized: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('HTTPS', () => {
  it('when TLS is configured, then sign-in works over HTTPS with Secure cookies and HSTS', async () => {
    const res = await post('/api/v1/auth/login', { email: 'owner@demo.example', password });
    expect(res.status).toBe(200);
    const cookies = [res.headers['set-cookie'] ?? []].flat();
    expect(cookies.length).toBe(2);
    for (const c of cookies) expect(c).toMatch(/;\s*Secure/i);
    expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=\d+/);
  });
});

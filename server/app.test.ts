import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { createHarness, type Harness, seedFixtures } from './test/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
});
afterAll(() => h.close());

describe('health and metrics', () => {
  it('when /healthz is asked, then 200 ok without signing in', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('when /readyz is asked, then 200 naming the database driver', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    });
  });

  it('when /metrics is scraped after a request, then Prometheus text with the request histogram comes back', async () => {
    await h.app.inject({ method: 'GET', url: '/healthz' });
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE opencmp_http_request_duration_seconds histogram');
    expect(res.body).toMatch(
      /opencmp_http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*\} [1-9]/,
    );
    expect(res.body).toContain('process_cpu_seconds_total');
  });
});

describe('API documentation', () => {
  it('when /api/openapi.json is fetched, then it is OpenAPI 3.1 listing login and /me', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe('OpenCMP API');
    expect(doc.paths['/api/v1/auth/login']?.post).toBeDefined();
    expect(doc.paths['/api/v1/me']?.get).toBeDefined();
    expect(doc.paths['/api/v1/me']?.patch).toBeDefined();
    expect(Object.keys(doc.paths).some((p) => p === '/metrics' || p === '/healthz')).toBe(false);
    // every operation says how it refuses: problem+json with a stable code and field errors
    const refusal = doc.paths['/api/v1/sims']?.get?.responses?.['4XX'];
    expect(refusal?.content?.['application/problem+json']?.schema?.properties).toMatchObject({
      code: { type: 'string' },
      errors: { type: 'array' },
    });
    expect(doc.paths['/api/v1/sims']?.get?.responses?.['200']).toBeDefined();
    // list filters name their values, and a path's ICCID its form, where code alone checks them
    type Parameter = { name: string; in: string; description?: string; schema: { pattern?: string } };
    const listed: Parameter[] = doc.paths['/api/v1/sims'].get.parameters;
    const session = listed.find((p) => p.name === 'session');
    expect(session?.description).toContain('online, attached, offline, blocked');
    expect(new RegExp(session?.schema.pattern ?? '$^').test('online,attached')).toBe(true);
    expect(new RegExp(session?.schema.pattern ?? '$^').test('online,asleep')).toBe(false);
    const path: Parameter[] = doc.paths['/api/v1/sims/{iccid}'].get.parameters;
    expect(path.find((p) => p.name === 'iccid')?.schema.pattern).toBe('^[0-9]{19,20}$');
  });

  it('when /api/docs is opened, then an HTML page is served', async () => {
    let res = await h.app.inject({ method: 'GET', url: '/api/docs' });
    for (let hops = 0; hops < 3 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
      const location = String(res.headers.location);
      res = await h.app.inject({
        method: 'GET',
        url: new URL(location, 'http://localhost/api/docs').pathname,
      });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
  });
});

describe('response headers', () => {
  it('when a request comes in, then the answer carries a request id and security headers', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // helmet's set for our options, recorded once at start (plugins/security-headers.ts)
    expect(res.headers).toMatchObject({
      'content-security-policy':
        "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';" +
        "frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';" +
        "script-src-attr 'none';style-src 'self' 'unsafe-inline';connect-src 'self'",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    });
    // HSTS only under HTTPS (https.test.ts)
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('when the request is for a missing page or the API, then it carries the security headers too', async () => {
    for (const url of ['/no-such-page', '/api/v1/me']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('when two requests come in, then their request ids differ', async () => {
    const a = await h.app.inject({ method: 'GET', url: '/healthz' });
    const b = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('when the caller sends an x-request-id, then it is echoed', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-abc-123' },
    });
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
  });

  it('when an error is answered, then it carries the request id too', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-request-id']).toMatch(/\S/);
  });
});

describe('errors', () => {
  it('when an unknown API route is asked for, then 404 problem+json with code not_found', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 404,
      code: 'not_found',
      title: 'Not found',
      instance: '/api/v1/nope',
    });
    expect(res.json().type).toMatch(/^https:\/\//);
  });

  it('when an API path exists but not with that method, then 405 problem+json with the methods it takes in Allow', async () => {
    const res = await h.app.inject({ method: 'DELETE', url: '/api/v1/sims?page=2' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 405,
      code: 'method_not_allowed',
      title: 'Method not allowed',
      instance: '/api/v1/sims',
      detail: '/api/v1/sims does not take DELETE; it takes GET, HEAD.',
    });
    // a path with parameters: the methods of every route its pattern matches
    const one = await h.app.inject({ method: 'PUT', url: '/api/v1/sims/8949039999999000001' });
    expect(one.statusCode).toBe(405);
    expect(one.headers.allow).toBe('GET, HEAD, PATCH');
    // the paths the router reads so: a trailing slash (an empty ICCID), a percent-encoded segment
    const empty = await h.app.inject({ method: 'PUT', url: '/api/v1/sims/' });
    expect(empty.statusCode).toBe(405);
    expect(empty.headers.allow).toBe('GET, HEAD, PATCH');
    const encoded = await h.app.inject({ method: 'DELETE', url: '/api/v1/%73ims' });
    expect(encoded.statusCode).toBe(405);
    expect(encoded.headers.allow).toBe('GET, HEAD');
    // a POST-only path asked with GET (the portal's catch-all passes /api paths on)
    const bulk = await h.app.inject({ method: 'GET', url: '/api/v1/sims/bulk/extra' });
    expect(bulk.statusCode).toBe(404);
    const document = await h.app.inject({ method: 'POST', url: '/api/openapi.json' });
    expect(document.statusCode).toBe(405);
    expect(document.headers.allow).toBe('GET, HEAD');
    const token = await h.app.inject({ method: 'GET', url: '/api/v1/oauth/token' });
    expect(token.statusCode).toBe(405);
    expect(token.headers.allow).toBe('POST');
  });

  it('when a JSON body is larger than 1 MiB, then 413 problem+json', async () => {
    const payload = JSON.stringify({ email: 'owner@demo.example', password: 'x'.repeat(1024 * 1024 + 10) });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      detail: 'The request body is larger than the 1 MiB this endpoint takes.',
    });
  });

  it('when a JSON body is not valid UTF-8, then 400 problem+json and nothing is read from it', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.concat([
        Buffer.from('{"email":"owner@demo.example","password":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'validation_failed', detail: 'The body is not valid UTF-8.' });
    // valid UTF-8 beyond ASCII still parses (the wrong password is the answer, not the encoding)
    const umlaut = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from('{"email":"owner@demo.example","password":"Grüße 📡"}', 'utf8'),
    });
    expect(umlaut.statusCode).toBe(401);
  });

  it('when a token request is larger than its 4096 bytes, then the 413 names that limit', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&scope=${'x'.repeat(5000)}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toBe('The request body is larger than the 4096 bytes this endpoint takes.');
  });

  it('when a request has no credentials, then 401 says how to authenticate', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/sims' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="OpenCMP"');
  });

  it('when the URL cannot be decoded, then 400 problem+json like every other error', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/sims/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(res.json().detail).toMatch(/^The URL cannot be read/);
    // a path parameter past Fastify's length limit: 400 saying so, not that the URL is unreadable
    const long = await h.app.inject({ method: 'GET', url: `/api/v1/sims/${'1'.repeat(120)}` });
    expect(long.statusCode).toBe(400);
    expect(long.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(long.json().detail).not.toMatch(/cannot be read/);
  });

  it('when the JSON body is malformed, then 400 problem+json', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "owner@demo.example", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('when the body has an unsupported content type, then 415 problem+json', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<login/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('when the database fails inside a request, then 500 problem+json without the database message', async () => {
    // a real failure of the real database: the users table is briefly renamed away, then restored
    await h.ctx.database.query(sql`ALTER TABLE users RENAME TO users_away`);
    try {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'owner@demo.example', password: 'whatever-password' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['x-request-id']).toMatch(/\S/);
      const body = res.json();
      expect(body).toMatchObject({ status: 500, code: 'internal', title: 'Internal error' });
      expect(res.body).not.toMatch(/users|relation|does not exist|select|stack/i);
    } finally {
      await h.ctx.database.query(sql`ALTER TABLE users_away RENAME TO users`);
    }
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/opencmp_http_server_errors_total\{route="\/api\/v1\/auth\/login"\} [1-9]/);
  });
});

describe('request logging', () => {
  it('when a request is answered, then it logs one line with method, URL, status and time, and no incoming line', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = { write: (line: string) => lines.push(JSON.parse(line)) };
    const app = await buildApp(h.ctx, { logger: { level: 'info', stream } });
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      const requestLines = lines.filter((l) => typeof l.msg === 'string' && /request/.test(l.msg));
      expect(requestLines).toEqual([
        expect.objectContaining({
          msg: 'request completed',
          req: expect.objectContaining({ method: 'GET', url: '/healthz' }),
          res: { statusCode: 200 },
          responseTime: expect.any(Number),
        }),
      ]);
    } finally {
      await app.close();
    }
  });
});

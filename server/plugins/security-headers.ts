/**
 * Security headers (CSP, HSTS under HTTPS, frame, referrer, MIME sniffing, …) on every response,
 * as helmet writes them. The headers do not depend on the request, so helmet runs once, at start,
 * against a recording response, and every request gets the recorded set. (@fastify/helmet builds
 * helmet's middleware anew on every request: ~3 % of the CPU of a bearer `GET /sims`.)
 */
import type { ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for these options, by lower-case name. */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as never, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure;
  return headers;
}

export default fp<{ https: boolean }>(
  async (app, opts) => {
    const headers = securityHeaders({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'frame-ancestors': ["'none'"],
          'upgrade-insecure-requests': opts.https ? [] : null,
        },
      },
      strictTransportSecurity: opts.https ? { maxAge: 15552000 } : false,
    });
    app.addHook('onRequest', (_req, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers' },
);

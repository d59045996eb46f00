/** Maps every failure to RFC 9457 problem+json with a stable code; 5xx details never reach the client. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, errorCodes, type FieldError } from '../lib/errors.js';

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  code: ErrorCode,
  detail: string,
  errors?: FieldError[],
  reason?: AppError['extra']['reason'],
) {
  const { status, title } = errorCodes[code];
  // RFC 9110 §15.5.2: a 401 says how to authenticate (the token endpoint sets its own, Basic)
  if (status === 401 && reply.getHeader('www-authenticate') === undefined)
    reply.header('www-authenticate', 'Bearer realm="OpenCMP"');
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `https://opencmp.dev/problems/${code.replaceAll('_', '-')}`,
      title,
      status,
      detail,
      code,
      instance: req.url.split('?')[0],
      ...(errors ? { errors } : {}),
      ...(reason ? { reason: reason.key, params: reason.params ?? {} } : {}),
    });
}

function fieldErrors(err: FastifyError): FieldError[] {
  if (!hasZodFastifySchemaValidationErrors(err)) return [];
  const where = err.validationContext ?? 'body';
  return err.validation.map((v) => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return { field: path || where, message: v.message ?? 'is invalid' };
  });
}

/** A Fastify route URL (`/sims/:iccid/sms/:id`) as a regular expression over request paths. */
export function routePattern(url: string): RegExp {
  const source = url
    .split('/')
    // a parameter may be empty, as the router takes it (`/api/v1/sims/` is `:iccid` = '')
    .map((segment) => (segment.startsWith(':') ? '[^/]*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * A request path with each segment percent-decoded, as the router reads it (`/api/v1/%73ims` is
 * `/api/v1/sims`); a segment that does not decode, or decodes to a slash, stays as it came.
 */
export function decodedPath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        const decoded = decodeURIComponent(segment);
        return decoded.includes('/') ? segment : decoded;
      } catch {
        return segment;
      }
    })
    .join('/');
}

const statusCodes: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/** A body limit in words: 1 MiB, 4 MiB, 4096 bytes. */
function bytes(n: number | undefined): string {
  if (n === undefined) return 'limit';
  return n >= 1024 * 1024 && n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

/**
 * Fastify's own answers before routing (`frameworkErrors`: a URL it cannot decode, a path parameter
 * too long) as problem+json too, so that a client reads every error the same way.
 */
export function frameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_BAD_URL')
    return send(reply, req, 'validation_failed', `The URL cannot be read: ${err.message}`);
  if ((err.statusCode ?? 500) < 500) return send(reply, req, 'validation_failed', err.message);
  req.log.error({ err }, 'request failed before routing');
  return send(reply, req, 'internal', 'An unexpected error occurred. It has been logged.');
}

async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.extra.retryAfterSeconds !== undefined)
        reply.header('retry-after', String(err.extra.retryAfterSeconds));
      return send(reply, req, err.code, err.detail, err.extra.errors, err.extra.reason);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = fieldErrors(err);
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return send(reply, req, 'validation_failed', detail, errors);
    }
    const status = err.statusCode ?? 500;
    const code = statusCodes[status];
    if (code && status < 500) {
      if (status === 429 && reply.getHeader('retry-after') === undefined) reply.header('retry-after', '60');
      // the limit is the route's, so say it: a client can then split what it sends
      if (status === 413)
        return send(
          reply,
          req,
          code,
          `The request body is larger than the ${bytes(req.routeOptions.bodyLimit)} this endpoint takes.`,
        );
      return send(reply, req, code, err.message);
    }
    req.log.error({ err }, 'request failed');
    return send(reply, req, 'internal', 'An unexpected error occurred. It has been logged.');
  });
  // RFC 9110 §15.5.6: a path that exists with other methods is 405 with those methods in Allow, not 404
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    // a catch-all (the portal's client-side routes) answers any path: it says nothing of a resource
    if (route.url.includes('*')) return;
    const methods = [route.method].flat().map((m) => m.toUpperCase());
    routes.push({ pattern: routePattern(route.url), methods });
  });
  app.setNotFoundHandler((req, reply) => {
    const path = decodedPath(req.url.split('?')[0] ?? '/');
    const allowed = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.size === 0 || allowed.has(req.method))
      return send(reply, req, 'not_found', `No route ${req.method} ${path}`);
    const allow = [...allowed].sort().join(', ');
    reply.header('allow', allow);
    return send(reply, req, 'method_not_allowed', `${path} does not take ${req.method}; it takes ${allow}.`);
  });
}

export default fp(errorsPlugin, { name: 'errors' });

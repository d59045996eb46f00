/**
 * Request rate limits of the API: per API client for bearer requests, per session for the portal, per
 * address otherwise (OPENCMP_API_RATE_LIMIT a second). Routes set their own with `config.rateLimit`.
 * Counters live in the process (see decision 007 for several processes).
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';

/** Who a request counts against: its API client, its session, or its address. */
function rateKey(req: FastifyRequest): string {
  const p = req.principal;
  if (p?.kind === 'client') return `client:${p.clientRowId}`;
  if (p?.kind === 'user') return `session:${p.sessionId}`;
  return `ip:${req.ip}`;
}

async function rateLimitPlugin(app: FastifyInstance) {
  await app.register(fastifyRateLimit, {
    max: app.ctx.config.OPENCMP_API_RATE_LIMIT,
    timeWindow: 1000,
    // after authentication (onRequest), so the key is a verified client or session
    hook: 'preParsing',
    keyGenerator: rateKey,
    enableDraftSpec: true,
    errorResponseBuilder: (_req, c) =>
      new AppError('too_many_requests', `Rate limit of ${c.max} requests exceeded. Retry in ${c.after}.`, {
        retryAfterSeconds: Math.max(1, Math.ceil(c.ttl / 1000)),
      }),
  });
}

export default fp(rateLimitPlugin, { name: 'rate-limit', dependencies: ['auth', 'context'] });

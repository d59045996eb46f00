/**
 * Authenticates API requests by session cookie, refuses cross-site writes, and enforces each route's
 * permission from the permission module. Routes opt out with `config: { public: true }`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { can, type Permission } from '../../contracts/permissions.js';
import { AppError } from '../lib/errors.js';
import { authenticateSession, type Principal, sessionCookie } from '../modules/auth/auth.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No sign-in needed (login, password reset, health). */
    public?: boolean;
    /** The permission a caller must hold; absent means any signed-in caller. */
    permission?: Permission;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The request's own origin, as a browser would send it in the Origin header. */
function ownOrigins(req: FastifyRequest, publicUrl: string): string[] {
  const host = req.headers.host;
  const origins = [new URL(publicUrl).origin];
  if (host) origins.push(`${req.protocol}://${host}`);
  return origins;
}

/** The signed-in principal of a request that passed authentication. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthenticated', 'Sign in first.');
  return req.principal;
}

async function authPlugin(app: FastifyInstance) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const origin = req.headers.origin;
    if (unsafe.has(req.method) && origin && !ownOrigins(req, req.ctx.config.publicUrl).includes(origin)) {
      throw new AppError('csrf_failed', `Requests from ${origin} are not accepted.`);
    }
    const config = req.routeOptions.config;
    if (config.public) return;
    const token = req.cookies[sessionCookie];
    const principal = token ? await authenticateSession(req.ctx, token) : null;
    if (!principal)
      throw new AppError('unauthenticated', 'Sign in first: the session is missing, expired or revoked.');
    if (unsafe.has(req.method) && req.headers['x-csrf-token'] !== principal.csrfToken) {
      throw new AppError('csrf_failed', 'The x-csrf-token header is missing or wrong.');
    }
    if (config.permission && !can(principal.role, config.permission)) {
      throw new AppError('forbidden', `Your role (${principal.role}) may not do this.`);
    }
    req.principal = principal;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['context'] });

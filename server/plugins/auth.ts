/**
 * Authenticates API requests by session cookie or by an API client's bearer token, refuses cross-site
 * writes, and enforces each route's permission from the permission module. Routes opt out with
 * `config: { public: true }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Permission } from '../../contracts/permissions.js';
import { AppError } from '../lib/errors.js';
import { authenticateBearer } from '../modules/apiclients/token.service.js';
import {
  allowed,
  authenticateSession,
  type Principal,
  sessionCookie,
  type UserPrincipal,
  whoIs,
} from '../modules/auth/auth.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No sign-in needed (login, password reset, health, the token endpoint). */
    public?: boolean;
    /** The permission a caller must hold; absent means any signed-in caller. */
    permission?: Permission;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request's own origin, as a browser would send it in the Origin header. */
function ownOrigins(req: FastifyRequest, publicUrl: string): string[] {
  const host = req.headers.host;
  const origins = [new URL(publicUrl).origin];
  if (host) origins.push(`${req.protocol}://${host}`);
  return origins;
}

/** The token of an `Authorization: Bearer …` header, if the request has one. */
function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header || !/^bearer /i.test(header)) return undefined;
  return header.slice(7).trim();
}

/** The signed-in principal of a request that passed authentication: a person or an API client. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthenticated', 'Sign in first.');
  return req.principal;
}

/** The signed-in person of a request; API clients are refused (their own data, sessions, sign-out). */
export function userOf(req: FastifyRequest): UserPrincipal {
  const principal = principalOf(req);
  if (principal.kind !== 'user') throw new AppError('forbidden', 'API clients cannot do this; people can.');
  return principal;
}

/** Authenticate a bearer request: a valid, unexpired token of a client that is not revoked. */
async function authenticateClient(req: FastifyRequest, reply: FastifyReply, token: string) {
  const principal = await authenticateBearer(req.ctx, token);
  if (!principal) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw new AppError('unauthenticated', 'The bearer token is invalid, expired or its client was revoked.');
  }
  if (principal.readOnly && !readMethods.has(req.method)) {
    req.principal = principal; // known, though refused: the audit log names who tried
    throw new AppError('forbidden', `The API client ${principal.clientId} is read-only.`);
  }
  return principal;
}

async function authPlugin(app: FastifyInstance) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    const bearer = bearerToken(req);
    const origin = req.headers.origin;
    // browsers never attach a bearer token on their own, so only cookie requests can be forged cross-site
    if (
      !bearer &&
      unsafe.has(req.method) &&
      origin &&
      !ownOrigins(req, req.ctx.config.publicUrl).includes(origin)
    ) {
      throw new AppError('csrf_failed', `Requests from ${origin} are not accepted.`);
    }
    const config = req.routeOptions.config;
    if (config.public) return;
    let principal: Principal;
    if (bearer !== undefined) {
      principal = await authenticateClient(req, reply, bearer);
    } else {
      const token = req.cookies[sessionCookie];
      const session = token ? await authenticateSession(req.ctx, token) : null;
      if (!session)
        throw new AppError('unauthenticated', 'Sign in first: the session is missing, expired or revoked.');
      if (unsafe.has(req.method) && req.headers['x-csrf-token'] !== session.csrfToken) {
        throw new AppError('csrf_failed', 'The x-csrf-token header is missing or wrong.');
      }
      principal = session;
    }
    if (config.permission && !allowed(principal, config.permission)) {
      req.principal = principal; // known, though refused: the audit log names who tried
      throw new AppError('forbidden', `${whoIs(principal)} may not do this.`);
    }
    req.principal = principal;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['context'] });

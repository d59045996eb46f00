/**
 * Writes the audit log without any route having to remember it (decision 011): every write request
 * (POST, PUT, PATCH, DELETE) under the API that succeeds, or is refused as unauthenticated (401) or
 * forbidden (403), leaves one row — actor from the principal, action from the route's `audit` config or
 * its method and pattern, target from its parameters, organisation, IP, user agent, status, request id,
 * the request body with secrets redacted, and the before/after that services add with `auditChange`.
 *
 * The row is written in `onSend`, after the handler's own transaction committed and before the answer
 * leaves: a client that got its answer finds the row.
 *
 * A read route that gives out secrets in bulk (the SIM export with PIN/PUK, the audit export) names
 * its `audit` action and is recorded the same way, with its query instead of a body.
 *
 * Register it first in every plugin context that has write routes (today `/api/v1`); the route-table
 * test in `server/modules/audit/audit.test.ts` fails for a write route it does not cover.
 */
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';
import { type AuditActor, type AuditDraft, auditStorage, redact } from '../modules/audit/audit.context.js';
import { insertAudit, type NewAuditRow } from '../modules/audit/audit.repository.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A stable action name for the audit log, e.g. `sim.update`; absent, `METHOD /pattern` is used. */
    audit?: string;
  }
  interface FastifyRequest {
    auditDraft: AuditDraft | null;
  }
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Refusals worth keeping for security: who tried to write without being signed in or allowed. */
const recordedRefusals = new Set([401, 403]);
const apiPrefix = '/api/v1';
const maxBodyChars = 8192;

/** The action of a route: its `audit` config, else `POST /users/:id/deactivate`. */
export function actionOf(method: string, url: string, configured?: string): string {
  return configured ?? `${method} ${url.startsWith(apiPrefix) ? url.slice(apiPrefix.length) : url}`;
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The target from the route's parameters: `/sims/:iccid` → `sim:<iccid>`, `/users/:id` → `user:<id>`. */
export function targetOf(url: string, params: unknown): string | undefined {
  if (!params || typeof params !== 'object') return undefined;
  const values = params as Record<string, unknown>;
  const segments = url.split('/');
  let target: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    if (!segment.startsWith(':')) continue;
    const name = segment.slice(1);
    const value = values[name];
    if (value === undefined || value === null || value === '') continue;
    const resource = name === 'iccid' ? 'sim' : singular(segments[i - 1] ?? name);
    target = `${resource}:${String(value)}`;
  }
  return target;
}

/** The request body as it is kept: JSON with secrets redacted, large or non-JSON bodies summarised. */
function bodyOf(req: FastifyRequest): unknown {
  const body = req.body;
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') {
    return {
      contentType: req.headers['content-type'] ?? null,
      chars: body.length,
      lines: body.split('\n').length,
    };
  }
  if (typeof body !== 'object') return null;
  const clean = redact(body);
  const text = JSON.stringify(clean);
  if (text.length <= maxBodyChars) return clean;
  return { truncated: true, chars: text.length, keys: Array.isArray(body) ? undefined : Object.keys(body) };
}

function actorOf(req: FastifyRequest, draft: AuditDraft): AuditActor {
  const p = req.principal;
  if (p?.kind === 'user') {
    return {
      kind: p.role === 'operator' ? 'operator' : 'user',
      id: p.userId,
      name: `${p.user.firstName} ${p.user.lastName}`,
      email: p.user.email,
      role: p.role,
      orgId: p.orgId,
    };
  }
  if (p?.kind === 'client') {
    return { kind: 'client', id: p.clientRowId, name: p.clientId, email: null, role: 'api', orgId: p.orgId };
  }
  if (draft.actor) return draft.actor;
  const body = req.body as Record<string, unknown> | undefined;
  const email = body && typeof body === 'object' && typeof body.email === 'string' ? body.email : null;
  return { kind: 'anonymous', id: null, name: null, email, role: null, orgId: null };
}

/** The problem code of a refused request, read from its problem+json answer. */
function outcomeOf(status: number, payload: unknown): string {
  if (status < 400) return 'ok';
  if (typeof payload === 'string') {
    try {
      const body = JSON.parse(payload) as { code?: unknown; error?: unknown };
      // problem+json says `code`; the OAuth token endpoint says `error`
      if (typeof body.code === 'string') return body.code;
      if (typeof body.error === 'string') return body.error;
    } catch {
      // not JSON: fall through
    }
  }
  return status === 401 ? 'unauthenticated' : 'forbidden';
}

/** The draft of a request, created on first use. */
function draftOf(req: FastifyRequest): AuditDraft {
  if (!req.auditDraft) req.auditDraft = {};
  return req.auditDraft;
}

async function auditPlugin(app: FastifyInstance) {
  app.decorateRequest('auditDraft', null);

  // run every write handler inside its request's draft, so services can add to it
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.some((m) => writeMethods.has(m))) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function auditedHandler(this: FastifyInstance, req, reply) {
      return auditStorage.run(draftOf(req), () => handler.call(this, req, reply));
    } as RouteHandlerMethod;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const write = writeMethods.has(req.method);
    // reads are recorded only where the route names an action: exports of secrets
    if (!write && req.routeOptions.config?.audit === undefined) return payload;
    const status = reply.statusCode;
    if (status >= 400 && !recordedRefusals.has(status)) return payload;
    const url = req.routeOptions.url;
    if (!url) return payload;
    const draft = draftOf(req);
    const actor = actorOf(req, draft);
    const p = req.principal;
    const params = req.params as Record<string, unknown> | undefined;
    // an operator acting on /operator/customers/:id… touches that customer's data
    const customerParam =
      p?.kind === 'user' && p.role === 'operator' && url.startsWith(`${apiPrefix}/operator/customers/:id`)
        ? (params?.id as string | undefined)
        : undefined;
    const orgId = draft.orgId ?? customerParam ?? actor.orgId;
    const row: NewAuditRow = {
      at: req.ctx.clock.now(),
      orgId,
      actorOrgId: actor.orgId,
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: actor.name,
      actorEmail: actor.email,
      actorRole: actor.role,
      action: actionOf(req.method, url, req.routeOptions.config.audit),
      method: req.method,
      route: url,
      target: draft.target ?? targetOf(url, params) ?? null,
      status,
      outcome: outcomeOf(status, payload),
      request: write ? bodyOf(req) : redact(req.query ?? null),
      changes: draft.changes ?? null,
      ip: req.ip,
      userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
      requestId: req.id,
    };
    const rows = [
      row,
      ...(draft.alsoOrgIds ?? []).filter((o) => o !== orgId).map((o) => ({ ...row, orgId: o })),
    ];
    try {
      await insertAudit(req.ctx.db, rows);
    } catch (err) {
      // the write itself has committed: answer it, but make the lost row loud
      req.log.error(
        { err, audit: { ...row, request: undefined, changes: undefined } },
        'audit row not written',
      );
    }
    return payload;
  });
}

export default fp(auditPlugin, { name: 'audit', dependencies: ['context'] });

/** The Fastify application as a plugin tree, without listen: main starts it, tests inject into it. */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { noBody, problem } from '../contracts/common.js';
import type { Permission } from '../contracts/permissions.js';
import type { AppContext } from './context.js';
import accountRoutes from './modules/account/account.routes.js';
import apiClientsRoutes from './modules/apiclients/apiclients.routes.js';
import oauthRoutes from './modules/apiclients/oauth.routes.js';
import auditRoutes from './modules/audit/audit.routes.js';
import authRoutes from './modules/auth/auth.routes.js';
import configRoutes from './modules/config/config.routes.js';
import dashboardRoutes from './modules/dashboard/dashboard.routes.js';
import healthRoutes from './modules/health/health.routes.js';
import mailRoutes from './modules/mail/mail.routes.js';
import networkRoutes from './modules/network/network.routes.js';
import orgsRoutes from './modules/orgs/orgs.routes.js';
import bulkRoutes from './modules/sims/bulk.routes.js';
import simRoutes from './modules/sims/sims.routes.js';
import transferRoutes from './modules/sims/transfer.routes.js';
import smsRoutes from './modules/sms/sms.routes.js';
import stockRoutes from './modules/stock/stock.routes.js';
import meRoutes from './modules/users/me.routes.js';
import usersRoutes from './modules/users/users.routes.js';
import auditPlugin from './plugins/audit.js';
import authPlugin from './plugins/auth.js';
import contextPlugin from './plugins/context.js';
import errorsPlugin, { frameworkError } from './plugins/errors.js';
import metricsPlugin from './plugins/metrics.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import securityHeaders from './plugins/security-headers.js';
import webPlugin from './plugins/web.js';

/** A registered route and what it demands, collected for tests and diagnostics. */
export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
  permission?: Permission;
  /** The route's audit action name, when it sets one (writes without one are audited as `METHOD /pattern`). */
  audit?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  https?: { cert: Buffer; key: Buffer };
  /** Serve the built portal (off in API tests). */
  web?: boolean;
}

/** The API under /api/v1: every route authenticated and permission-checked by the auth plugin. */
async function api(app: FastifyInstance) {
  await app.register(auditPlugin);
  await app.register(authPlugin);
  await app.register(rateLimitPlugin);
  await app.register(authRoutes);
  await app.register(oauthRoutes);
  await app.register(apiClientsRoutes);
  await app.register(auditRoutes);
  await app.register(meRoutes);
  await app.register(mailRoutes);
  await app.register(accountRoutes);
  await app.register(bulkRoutes);
  await app.register(transferRoutes);
  await app.register(simRoutes);
  await app.register(dashboardRoutes);
  await app.register(configRoutes);
  await app.register(smsRoutes);
  await app.register(stockRoutes);
  await app.register(usersRoutes);
  await app.register(orgsRoutes);
  await app.register(networkRoutes);
}

/** The JSON Schema of a problem+json answer, for the API document. */
const problemSchema = (() => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(problem, { io: 'output' });
  return schema;
})();

/**
 * The API document's transform: the zod schemas as JSON Schema (the provider's), and on every API
 * operation the refusals it can answer, problem+json with a stable `code` (documentation only: what
 * is sent is the errors plugin's, checked by its tests).
 */
const documentRefusals: typeof jsonSchemaTransform = (args) => {
  const out = jsonSchemaTransform(args);
  const schema = out.schema as { response?: Record<string, unknown> };
  if (!args.url.startsWith('/api/v1/') || !schema.response) return out;
  const refusal = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problemSchema } },
  });
  return {
    ...out,
    schema: {
      ...schema,
      response: {
        '4XX': refusal(
          'Refused, and nothing changed: RFC 9457 problem+json with a stable `code`; a 400 lists the fields in `errors` (each with a `reason`), a 409 names its `reason`, a 429 comes with Retry-After',
        ),
        '5XX': refusal('Failed on the server; the detail says no more, the log does'),
        ...schema.response,
      },
    },
  };
};

/** Build the whole application around a context. */
export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    ...(opts.https ? { https: opts.https } : {}),
    trustProxy: ctx.config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    frameworkErrors: frameworkError,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // one line per request (below) instead of Fastify's two: at thousands of API requests a second
    // the second line cost about 5 % of the CPU of a request
    logController: new LogController({ disableRequestLogging: true }),
    // a plugin that takes longer than this to load fails the start (Fastify's default is 10 s): on a
    // busy machine, or beside a database that holds the event loop (PGlite), loading the API
    // documentation alone once took longer than 10 s; a plugin that never loads still fails
    pluginTimeout: 120_000,
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      {
        req: { method: req.method, url: req.url, remoteAddress: req.ip },
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      'request completed',
    );
  });
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    // An action without a body (top-up, reset, extend, log out …) refuses one it would silently
    // ignore: `{"packages": 5}` to a top-up must not bill one package.
    const methods = [route.method].flat();
    if (methods.some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH') && !route.schema?.body) {
      route.schema = { ...route.schema, body: noBody };
    }
    // Likewise a query parameter the route does not know is refused: a misspelt filter
    // (`Status=deactivated`) must not quietly answer, or export, the whole fleet.
    const query = route.schema?.querystring;
    if (query instanceof z.ZodObject) route.schema = { ...route.schema, querystring: query.strict() };
    const config = (route.config ?? {}) as { public?: boolean; permission?: Permission; audit?: string };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({
        method,
        url: route.url,
        public: Boolean(config.public),
        permission: config.permission,
        audit: config.audit,
      });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  // JSON must be UTF-8 (RFC 8259): Fastify's own parser decodes bytes that are not as U+FFFD, so a
  // label of invalid bytes was stored as "��". The bytes are checked, then Fastify's parser runs.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      const error = new Error('The body is not valid UTF-8.') as FastifyError;
      error.statusCode = 400;
      done(error, undefined);
      return;
    }
    json(req, bytes.toString('utf8'), done);
  });
  // uploads (stock CSV, ICCID range files) arrive as text
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // external plugins first, then ours (fastify/demo's order)
  await app.register(securityHeaders, { https: Boolean(opts.https) });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenCMP API',
        version: '1',
        description:
          'Manage IoT SIM fleets. Errors are RFC 9457 problem+json with a stable `code`. ' +
          'The portal authenticates with a session cookie and sends `x-csrf-token` on writes; ' +
          'machines use a bearer token from `POST /api/v1/oauth/token` (client credentials).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'opencmp_session' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: documentRefusals,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: false });

  await app.register(contextPlugin, { ctx });
  await app.register(errorsPlugin);
  // after the errors plugin, which learns each route's methods as it is added (405 vs 404)
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, () => app.swagger());
  await app.register(metricsPlugin);
  await app.register(healthRoutes);
  await app.register(api, { prefix: '/api/v1' });
  if (opts.web) await app.register(webPlugin);
  return app;
}

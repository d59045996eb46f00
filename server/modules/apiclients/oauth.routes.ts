/** POST /oauth/token: the OAuth2 client-credentials grant (PRODUCT.md §10), JSON or form-encoded. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { oauthError, tokenRequest, tokenResponse } from '../../../contracts/apiclients.js';
import { basicCredentials, issueToken, OAuthError } from './token.service.js';

const problemCodes = {
  invalid_request: 'validation_failed',
  invalid_client: 'invalid_client',
  unsupported_grant_type: 'unsupported_grant_type',
} as const;

export default async function oauthRoutes(app: FastifyInstance) {
  // scoped to this plugin: only the token endpoint reads form bodies
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const r = app.withTypeProvider<ZodTypeProvider>();
  const limit = app.ctx.config.OPENCMP_TOKEN_RATE_LIMIT;

  r.post(
    '/oauth/token',
    {
      config: {
        public: true,
        audit: 'api-client.token',
        rateLimit: { max: limit, timeWindow: 60_000, keyGenerator: (req) => `token-ip:${req.ip}` },
      },
      // the route's limit (not the form parser's), so that a 413 names it
      bodyLimit: 4096,
      schema: {
        tags: ['api access'],
        summary: 'Exchange client credentials (HTTP Basic) for a bearer token valid one hour',
        security: [{ basic: [] }],
        body: tokenRequest.optional(),
        response: { 200: tokenResponse, 400: oauthError, 401: oauthError },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      try {
        return await issueToken(req.ctx, basicCredentials(req.headers.authorization), req.body?.grant_type);
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        if (err.status === 401) reply.header('www-authenticate', 'Basic realm="opencmp", charset="UTF-8"');
        const code = problemCodes[err.error];
        // OAuth2 clients read error/error_description; the problem+json fields keep the API's one error shape
        return reply
          .code(err.status as 400 | 401)
          .type('application/json')
          .send({
            error: err.error,
            error_description: err.description,
            type: `https://opencmp.dev/problems/${code.replaceAll('_', '-')}`,
            title: err.error === 'invalid_client' ? 'Client authentication failed' : 'Invalid token request',
            status: err.status,
            detail: err.description,
            code,
            instance: req.url.split('?')[0],
          });
      }
    },
  );
}

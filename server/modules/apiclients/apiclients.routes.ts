/** Configuration → API access: list, create and revoke the organisation's API clients. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiClientList, createApiClientRequest, createdApiClient } from '../../../contracts/apiclients.js';
import { ok } from '../../../contracts/common.js';
import { userOf } from '../../plugins/auth.js';
import { createApiClient, listApiClients, revokeApiClient } from './apiclients.service.js';

export default async function apiClientsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'config:read' } as const;
  const tags = ['api access'];

  r.get(
    '/api-clients',
    {
      config,
      schema: {
        tags,
        summary: "The organisation's API clients (never their secrets)",
        response: { 200: apiClientList },
      },
    },
    async (req) => listApiClients(req.ctx, userOf(req)),
  );
  r.post(
    '/api-clients',
    {
      config: { ...config, audit: 'api-client.create' },
      schema: {
        tags,
        summary: 'Create an API client; the answer shows its secret, this once',
        body: createApiClientRequest,
        response: { 201: createdApiClient },
      },
    },
    async (req, reply) => reply.code(201).send(await createApiClient(req.ctx, userOf(req), req.body)),
  );
  r.delete(
    '/api-clients/:id',
    {
      config: { ...config, audit: 'api-client.revoke' },
      schema: {
        tags,
        summary:
          'Revoke an API client: its tokens stop working at once. Owners and Admins revoke any client, others only those they created (403)',
        params: z.object({ id: z.uuid({ message: 'must be an API client id (UUID)' }) }),
        response: { 200: ok },
      },
    },
    async (req) => {
      await revokeApiClient(req.ctx, userOf(req), req.params.id);
      return { ok: true as const };
    },
  );
}

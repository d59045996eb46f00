/** Network API: NAS clients and AAA status in the operator console; reset connection for customers. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  nasClient,
  nasClientList,
  nasClientParams,
  nasClientRequest,
  nasClientUpdate,
  networkStatus as networkStatusSchema,
  resetResult,
} from '../../../contracts/network.js';
import { simParams } from '../../../contracts/sims.js';
import { principalOf } from '../../plugins/auth.js';
import {
  changeNasClient,
  createNasClient,
  nasClients,
  networkStatus,
  removeNasClient,
  resetConnection,
} from './network.service.js';

export default async function networkRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'operator:console' } as const;
  const tags = ['operator'];

  r.get(
    '/operator/network/nas-clients',
    {
      config,
      schema: {
        tags,
        summary: 'NAS clients (packet gateways) the RADIUS AAA answers; secrets masked',
        response: { 200: nasClientList },
      },
    },
    async (req) => nasClients(req.ctx),
  );
  r.post(
    '/operator/network/nas-clients',
    {
      config,
      schema: {
        tags,
        summary: 'Add a NAS client: name, IPv4 address or block, shared secret, DAE port (default 3799)',
        body: nasClientRequest,
        response: { 201: nasClient },
      },
    },
    async (req, reply) => reply.code(201).send(await createNasClient(req.ctx, req.body)),
  );
  r.patch(
    '/operator/network/nas-clients/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a NAS client; leave out the secret to keep it',
        params: nasClientParams,
        body: nasClientUpdate,
        response: { 200: nasClient },
      },
    },
    async (req) => changeNasClient(req.ctx, req.params.id, req.body),
  );
  r.delete(
    '/operator/network/nas-clients/:id',
    {
      config,
      schema: { tags, summary: 'Remove a NAS client', params: nasClientParams },
    },
    async (req, reply) => {
      await removeNasClient(req.ctx, req.params.id);
      return reply.code(204).send();
    },
  );
  r.get(
    '/operator/network/status',
    {
      config,
      schema: {
        tags,
        summary:
          'RADIUS counters (requests, accepts, rejects, accounting, drops by reason) and open sessions',
        response: { 200: networkStatusSchema },
      },
    },
    async (req) => networkStatus(req.ctx),
  );
  r.post(
    '/sims/:iccid/reset',
    {
      config: { permission: 'sims:operate' },
      schema: {
        tags: ['sims'],
        summary:
          'Reset the data connection (asynchronous, 202): a Disconnect-Request to the network; "reset pending" until the session ends. 409 without an open session',
        params: simParams,
        response: { 202: resetResult },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await resetConnection(req.ctx, principalOf(req), req.params.iccid)),
  );
}

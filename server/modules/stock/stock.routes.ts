/** Operator console API: SIM stock import and assignment, customers, IP address spaces. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addIpPoolRequest,
  assignRequest,
  assignResult,
  createCustomerRequest,
  customerDetail as customerDetailSchema,
  customerList,
  customerListQuery,
  importResult,
  ipPoolList,
  stockSummary,
} from '../../../contracts/stock.js';
import { createUserRequest, userSummary } from '../../../contracts/users.js';
import { principalOf } from '../../plugins/auth.js';
import { actorOf } from '../sims/sims.service.js';
import {
  activateOwner,
  deactivateOwner,
  inviteCustomerOwner,
  resendOwnerInvitation,
} from '../users/owners.service.js';
import {
  addPool,
  assignStock,
  createCustomer,
  customerDetail,
  customers,
  getStockSummary,
  importStock,
  pools,
} from './stock.service.js';

export default async function stockRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'operator:console' } as const;
  const tags = ['operator'];
  const orgParams = z.object({ id: z.uuid({ message: 'must be an organisation id' }) });

  r.post(
    '/operator/stock/import',
    {
      config: { ...config, audit: 'operator.stock.import' },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Import SIM stock from CSV (text/csv): header iccid,imsi,msisdn,pin1,puk1,pin2,puk2,form_factor; all lines or none',
        body: z.string({ message: 'must be CSV text (Content-Type: text/csv)' }).max(64 * 1024 * 1024),
        response: { 201: importResult },
      },
    },
    async (req, reply) => reply.code(201).send(await importStock(req.ctx, req.body)),
  );
  r.get(
    '/operator/stock',
    {
      config,
      schema: { tags, summary: 'SIMs in stock: counts and ICCID ranges', response: { 200: stockSummary } },
    },
    async (req) => getStockSummary(req.ctx),
  );
  r.post(
    '/operator/stock/assign',
    {
      config: { ...config, audit: 'operator.stock.assign' },
      schema: {
        tags,
        summary:
          'Assign the stock SIMs of an ICCID range to a customer: activated, with lifetime, volume and IPs',
        body: assignRequest,
        response: { 200: assignResult },
      },
    },
    async (req) => assignStock(req.ctx, actorOf(principalOf(req)), req.body),
  );
  r.get(
    '/operator/customers',
    {
      config,
      schema: {
        tags,
        summary: 'Customer organisations with SIM counts; `q` searches name and account number',
        querystring: customerListQuery,
        response: { 200: customerList },
      },
    },
    async (req) => customers(req.ctx, req.query.q || undefined),
  );
  r.post(
    '/operator/customers',
    {
      config: { ...config, audit: 'operator.customer.create' },
      schema: {
        tags,
        summary:
          'Create a customer organisation: next account number, optional IPv4 block, and its Owner invited by e-mail',
        body: createCustomerRequest,
        response: { 201: customerDetailSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createCustomer(req.ctx, principalOf(req).orgId, req.body)),
  );
  r.get(
    '/operator/customers/:id',
    {
      config,
      schema: {
        tags,
        summary: 'A customer organisation with its users, SIM count and IP address spaces',
        params: orgParams,
        response: { 200: customerDetailSchema },
      },
    },
    async (req) => customerDetail(req.ctx, req.params.id),
  );
  r.get(
    '/operator/customers/:id/ip-pools',
    {
      config,
      schema: {
        tags,
        summary: 'IP address spaces of a customer',
        params: orgParams,
        response: { 200: ipPoolList },
      },
    },
    async (req) => pools(req.ctx, req.params.id),
  );
  r.post(
    '/operator/customers/:id/ip-pools',
    {
      config: { ...config, audit: 'operator.customer.ip-pool.add' },
      schema: {
        tags,
        summary: 'Give a customer an IPv4 block for static SIM addresses',
        params: orgParams,
        body: addIpPoolRequest,
        response: { 201: ipPoolList },
      },
    },
    async (req, reply) => reply.code(201).send(await addPool(req.ctx, req.params.id, req.body.cidr)),
  );

  const ownerParams = orgParams.extend({ userId: z.uuid({ message: 'must be a user id (UUID)' }) });
  r.post(
    '/operator/customers/:id/owners',
    {
      config,
      schema: {
        tags,
        summary:
          'Invite another Owner into a customer organisation (mailed a set-password link valid 7 days)',
        params: orgParams,
        body: createUserRequest.omit({ role: true }),
        response: { 201: userSummary },
      },
    },
    async (req, reply) => reply.code(201).send(await inviteCustomerOwner(req.ctx, req.params.id, req.body)),
  );
  r.post(
    '/operator/customers/:id/owners/:userId/invitation',
    {
      config,
      schema: {
        tags,
        summary: "Send a customer's invited Owner a new link; earlier links stop working",
        params: ownerParams,
        response: { 200: userSummary },
      },
    },
    async (req) => resendOwnerInvitation(req.ctx, req.params.id, req.params.userId),
  );
  r.post(
    '/operator/customers/:id/owners/:userId/deactivate',
    {
      config,
      schema: {
        tags,
        summary: "Stop a customer's Owner from signing in; never the last Owner who can",
        params: ownerParams,
        response: { 200: userSummary },
      },
    },
    async (req) => deactivateOwner(req.ctx, req.params.id, req.params.userId),
  );
  r.post(
    '/operator/customers/:id/owners/:userId/activate',
    {
      config,
      schema: {
        tags,
        summary: "Let a customer's deactivated Owner sign in again",
        params: ownerParams,
        response: { 200: userSummary },
      },
    },
    async (req) => activateOwner(req.ctx, req.params.id, req.params.userId),
  );
}

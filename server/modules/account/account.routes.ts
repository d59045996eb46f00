/** The Account tab's API: customer data, e-mail addresses, addresses (Owner and Admin). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addEmailRequest,
  address,
  addressList,
  createAddressRequest,
  customerData,
  updateAddressRequest,
  updateCustomerData,
} from '../../../contracts/account.js';
import { ok } from '../../../contracts/common.js';
import { principalOf } from '../../plugins/auth.js';
import {
  addEmail,
  changeAddress,
  changeCustomerData,
  createAddress,
  getAddresses,
  getCustomerData,
  removeAddress,
  removeEmail,
} from './account.service.js';

const idParams = z.object({ id: z.uuid({ message: 'must be an id (UUID)' }) });

export default async function accountRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'account:manage' } as const;
  const tags = ['account'];

  r.get(
    '/account',
    {
      config,
      schema: { tags, summary: 'Customer data of the organisation', response: { 200: customerData } },
    },
    async (req) => getCustomerData(req.ctx, principalOf(req).orgId),
  );
  r.patch(
    '/account',
    {
      config: { ...config, audit: 'account.update' },
      schema: {
        tags,
        summary:
          'Change contact, invoice e-mail or language (company name and billing country are read-only)',
        body: updateCustomerData,
        response: { 200: customerData },
      },
    },
    async (req) => changeCustomerData(req.ctx, principalOf(req).orgId, req.body),
  );
  r.post(
    '/account/emails',
    {
      config: { ...config, audit: 'account.email.add' },
      schema: {
        tags,
        summary: 'Add an e-mail address with a category',
        body: addEmailRequest,
        response: { 201: customerData },
      },
    },
    async (req, reply) => reply.code(201).send(await addEmail(req.ctx, principalOf(req).orgId, req.body)),
  );
  r.delete(
    '/account/emails/:id',
    {
      config: { ...config, audit: 'account.email.remove' },
      schema: {
        tags,
        summary: 'Remove an e-mail address',
        params: idParams,
        response: { 200: customerData },
      },
    },
    async (req) => removeEmail(req.ctx, principalOf(req).orgId, req.params.id),
  );
  r.get(
    '/account/addresses',
    { config, schema: { tags, summary: 'Invoice and delivery addresses', response: { 200: addressList } } },
    async (req) => getAddresses(req.ctx, principalOf(req).orgId),
  );
  r.post(
    '/account/addresses',
    {
      config: { ...config, audit: 'account.address.add' },
      schema: {
        tags,
        summary: 'Add a delivery address (or the invoice address)',
        body: createAddressRequest,
        response: { 201: address },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createAddress(req.ctx, principalOf(req).orgId, req.body)),
  );
  r.patch(
    '/account/addresses/:id',
    {
      config: { ...config, audit: 'account.address.update' },
      schema: {
        tags,
        summary: 'Change an address',
        params: idParams,
        body: updateAddressRequest,
        response: { 200: address },
      },
    },
    async (req) => changeAddress(req.ctx, principalOf(req).orgId, req.params.id, req.body),
  );
  r.delete(
    '/account/addresses/:id',
    {
      config: { ...config, audit: 'account.address.remove' },
      schema: { tags, summary: 'Remove a delivery address', params: idParams, response: { 200: ok } },
    },
    async (req) => {
      await removeAddress(req.ctx, principalOf(req).orgId, req.params.id);
      return { ok: true as const };
    },
  );
}

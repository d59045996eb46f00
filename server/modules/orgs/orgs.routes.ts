/** The Organisation tab's API: the caller's sub-organisations, counts only (Owner and Admin). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ok } from '../../../contracts/common.js';
import {
  createSubOrganisationRequest,
  subOrganisation,
  subOrganisationList,
  updateSubOrganisationRequest,
} from '../../../contracts/orgs.js';
import { userOf } from '../../plugins/auth.js';
import { createSubOrg, deleteSubOrg, getSubOrg, listSubOrgs, renameSubOrg } from './orgs.service.js';

const idParams = z.object({ id: z.uuid({ message: 'must be an organisation id (UUID)' }) });

export default async function orgsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'orgs:manage' } as const;
  const tags = ['organisations'];

  r.get(
    '/organisations',
    {
      config,
      schema: {
        tags,
        summary: "Your organisation's sub-organisations: name, account number, owner, SIM and user counts",
        response: { 200: subOrganisationList },
      },
    },
    async (req) => listSubOrgs(req.ctx, userOf(req).orgId),
  );
  r.post(
    '/organisations',
    {
      config,
      schema: {
        tags,
        summary:
          'Create a sub-organisation: next account number, invoice address, and its Owner invited by e-mail (link valid 7 days)',
        body: createSubOrganisationRequest,
        response: { 201: subOrganisation },
      },
    },
    async (req, reply) => reply.code(201).send(await createSubOrg(req.ctx, userOf(req).orgId, req.body)),
  );
  r.get(
    '/organisations/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One sub-organisation, counts only',
        params: idParams,
        response: { 200: subOrganisation },
      },
    },
    async (req) => getSubOrg(req.ctx, userOf(req).orgId, req.params.id),
  );
  r.patch(
    '/organisations/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Rename a sub-organisation',
        params: idParams,
        body: updateSubOrganisationRequest,
        response: { 200: subOrganisation },
      },
    },
    async (req) => renameSubOrg(req.ctx, userOf(req).orgId, req.params.id, req.body.name),
  );
  r.delete(
    '/organisations/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a sub-organisation that holds no SIMs (409 otherwise)',
        params: idParams,
        response: { 200: ok },
      },
    },
    async (req) => {
      await deleteSubOrg(req.ctx, userOf(req).orgId, req.params.id);
      return { ok: true as const };
    },
  );
}

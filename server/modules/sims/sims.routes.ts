/** My SIMs API: list, detail, change, events, usage, top-up and lifetime extension. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  simCount,
  simDetail,
  simEventPage,
  simEventQuery,
  simFilter,
  simListQuery,
  simPage,
  simParams,
  simUsage as simUsageSchema,
  topUpPackage as topUpPackageSchema,
  updateSimRequest,
  usageQuery,
} from '../../../contracts/sims.js';
import { principalOf } from '../../plugins/auth.js';
import { listSimEvents } from '../events/events.service.js';
import { simUsage } from '../usage/usage.service.js';
import { extendSim, topUpPackage, topUpSim } from './charges.service.js';
import { changeSim, countMatchingSims, getSim, listSimsJson } from './sims.service.js';

export default async function simRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sims'];
  const read = { permission: 'sims:read' } as const;

  r.get(
    '/sims',
    {
      config: read,
      schema: {
        tags,
        summary:
          'List SIMs: partial search over ICCID, IMSI, MSISDN and label; filters; sort; pages up to 500',
        querystring: simListQuery,
        response: { 200: simPage },
      },
    },
    async (req, reply) => {
      const json = await listSimsJson(req.ctx, principalOf(req).orgId, req.query);
      // already the JSON text of simPage (decision 015): with a JSON content type Fastify sends a
      // string as it is, so the zod serializer (and its typing of send) is bypassed for this route
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );
  r.get(
    '/sims/count',
    {
      config: read,
      schema: {
        tags,
        summary: 'Count every SIM a filter matches (the list counts a search only to 1,000: see totalExact)',
        querystring: simFilter,
        response: { 200: simCount },
      },
    },
    async (req) => ({ total: await countMatchingSims(req.ctx, principalOf(req).orgId, req.query) }),
  );
  r.get(
    '/sims/:iccid',
    {
      config: read,
      schema: {
        tags,
        summary: 'One SIM with lifetime and network data',
        params: simParams,
        response: { 200: simDetail },
      },
    },
    async (req) => getSim(req.ctx, principalOf(req).orgId, req.params.iccid),
  );
  r.patch(
    '/sims/:iccid',
    {
      config: { permission: 'sims:write', audit: 'sim.update' },
      schema: {
        tags,
        summary: 'Change label, state (activated/deactivated), IMEI lock and its IMEI, auto top-up',
        params: simParams,
        body: updateSimRequest,
        response: { 200: simDetail },
      },
    },
    async (req) => changeSim(req.ctx, principalOf(req), req.params.iccid, req.body),
  );
  r.get(
    '/sims/:iccid/events',
    {
      config: read,
      schema: {
        tags,
        summary: 'Events of a SIM, newest first; filter by type ids and severity',
        params: simParams,
        querystring: simEventQuery,
        response: { 200: simEventPage },
      },
    },
    async (req) => {
      const orgId = principalOf(req).orgId;
      await getSim(req.ctx, orgId, req.params.iccid);
      return listSimEvents(req.ctx, orgId, req.params.iccid, req.query);
    },
  );
  r.get(
    '/sims/:iccid/usage',
    {
      config: read,
      schema: {
        tags,
        summary: 'Usage per day (data up/down in bytes, SMS MO/MT) for a date range, with the current volume',
        params: simParams,
        querystring: usageQuery,
        response: { 200: simUsageSchema },
      },
    },
    async (req) => simUsage(req.ctx, principalOf(req).orgId, req.params.iccid, req.query),
  );
  r.get(
    '/sims/top-up-package',
    {
      config: { permission: 'sims:billing' },
      schema: {
        tags,
        summary: 'What one top-up adds to a SIM (single or bulk top-up): data in MB and bytes, and SMS',
        response: { 200: topUpPackageSchema },
      },
    },
    async (req) => topUpPackage(req.ctx),
  );
  r.post(
    '/sims/:iccid/top-up',
    {
      config: { permission: 'sims:billing' },
      schema: {
        tags,
        summary:
          'Add a top-up package (OPENCMP_TOPUP_DATA_MB and OPENCMP_TOPUP_SMS) to the SIM at once; recorded for invoicing',
        params: simParams,
        response: { 200: simDetail },
      },
    },
    async (req) => topUpSim(req.ctx, principalOf(req), req.params.iccid),
  );
  r.post(
    '/sims/:iccid/extend',
    {
      config: { permission: 'sims:billing' },
      schema: {
        tags,
        summary:
          'Extend the lifetime by OPENCMP_EXTENSION_MONTHS: an expired SIM (up to 18 months) restarts now, a SIM in its last 3 months from its end; the volume stays',
        params: simParams,
        response: { 200: simDetail },
      },
    },
    async (req) => extendSim(req.ctx, principalOf(req), req.params.iccid),
  );
}

/** Bulk SIM actions, their jobs, and exports of the SIM list. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bulkRequest, job, jobItemPage, jobItemQuery, simFilter } from '../../../contracts/sims.js';
import { principalOf } from '../../plugins/auth.js';
import { getJob, getJobItems, startBulk } from './bulk.service.js';
import { exportCsv, exportXlsx } from './export.service.js';

export default async function bulkRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sims'];
  const jobParams = z.object({ id: z.uuid({ message: 'must be a job id' }) });

  r.post(
    '/sims/bulk',
    {
      config: { permission: 'sims:write', audit: 'sim.bulk' },
      // room for the 100,000 ICCIDs the contract allows (about 2.3 MB of JSON)
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Start a bulk action on listed SIMs or on all that match a filter; answers with the job to follow. Every listed ICCID must be a SIM of the organisation, or nothing is queued (400)',
        body: bulkRequest,
        response: { 202: job },
      },
    },
    async (req, reply) => reply.code(202).send(await startBulk(req.ctx, principalOf(req), req.body)),
  );
  r.get(
    '/jobs/:id',
    {
      config: { permission: 'sims:read' },
      schema: { tags, summary: 'Progress of a job', params: jobParams, response: { 200: job } },
    },
    async (req) => getJob(req.ctx, principalOf(req).orgId, req.params.id),
  );
  r.get(
    '/jobs/:id/items',
    {
      config: { permission: 'sims:read' },
      schema: {
        tags,
        summary: 'Per-SIM results of a job',
        params: jobParams,
        querystring: jobItemQuery,
        response: { 200: jobItemPage },
      },
    },
    async (req) => getJobItems(req.ctx, principalOf(req).orgId, req.params.id, req.query),
  );
  for (const format of ['csv', 'xlsx'] as const) {
    r.get(
      `/sims/export.${format}`,
      {
        config: { permission: 'sims:operate', audit: 'sims.export' },
        schema: {
          tags,
          summary: `Export all SIMs that match the filter as ${format === 'csv' ? 'CSV' : 'Excel'}, PIN/PUK included`,
          querystring: simFilter,
        },
      },
      async (req, reply) => {
        const orgId = principalOf(req).orgId;
        const stamp = req.ctx.clock.now().toISOString().slice(0, 10);
        reply
          .header('content-disposition', `attachment; filename="sims-${stamp}.${format}"`)
          .header('cache-control', 'no-store')
          .type(
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          );
        return reply.send(
          format === 'csv' ? exportCsv(req.ctx, orgId, req.query) : exportXlsx(req.ctx, orgId, req.query),
        );
      },
    );
  }
}

/** The audit log API: an organisation's own log (Owner, Admin) and each customer's log for operators. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditFilter, auditPage, auditQuery } from '../../../contracts/audit.js';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../plugins/auth.js';
import { assertCustomer, exportAuditCsv, listAudit } from './audit.service.js';

const orgParams = z.object({ id: z.uuid({ message: 'must be an organisation id' }) });

function sendCsv(ctx: AppContext, reply: FastifyReply, orgId: string, filter: z.infer<typeof auditFilter>) {
  const stamp = ctx.clock.now().toISOString().slice(0, 10);
  return reply
    .header('content-disposition', `attachment; filename="audit-${stamp}.csv"`)
    .header('cache-control', 'no-store')
    .type('text/csv; charset=utf-8')
    .send(exportAuditCsv(ctx, orgId, filter));
}

export default async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audit'];
  const own = { permission: 'audit:read' } as const;
  const operator = { permission: 'operator:console' } as const;

  r.get(
    '/audit',
    {
      config: own,
      schema: {
        tags,
        summary:
          "The organisation's audit log, newest first: every write by its people, its API clients and the provider's operators",
        querystring: auditQuery,
        response: { 200: auditPage },
      },
    },
    async (req) => listAudit(req.ctx, principalOf(req).orgId, req.query),
  );
  r.get(
    '/audit/export.csv',
    {
      config: { ...own, audit: 'audit.export' },
      schema: {
        tags,
        summary: 'The audit log entries that match the filter as CSV',
        querystring: auditFilter,
      },
    },
    async (req, reply) => sendCsv(req.ctx, reply, principalOf(req).orgId, req.query),
  );
  r.get(
    '/operator/customers/:id/audit',
    {
      config: operator,
      schema: {
        tags: ['operator'],
        summary: "A customer's audit log, newest first",
        params: orgParams,
        querystring: auditQuery,
        response: { 200: auditPage },
      },
    },
    async (req) => {
      await assertCustomer(req.ctx, req.params.id);
      return listAudit(req.ctx, req.params.id, req.query);
    },
  );
  r.get(
    '/operator/customers/:id/audit/export.csv',
    {
      config: { ...operator, audit: 'audit.export' },
      schema: {
        tags: ['operator'],
        summary: "A customer's audit log entries that match the filter as CSV",
        params: orgParams,
        querystring: auditFilter,
      },
    },
    async (req, reply) => {
      await assertCustomer(req.ctx, req.params.id);
      return sendCsv(req.ctx, reply, req.params.id, req.query);
    },
  );
}

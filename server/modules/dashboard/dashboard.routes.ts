/** Dashboard and organisation usage API. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  dashboard as dashboardSchema,
  orgUsageQuery,
  orgUsage as orgUsageSchema,
} from '../../../contracts/usage.js';
import { principalOf } from '../../plugins/auth.js';
import { orgUsage } from '../usage/usage.service.js';
import { dashboard } from './dashboard.service.js';

export default async function dashboardRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { permission: 'sims:read' } as const;

  r.get(
    '/dashboard',
    {
      config: read,
      schema: {
        tags: ['dashboard'],
        summary:
          'SIM status, data and SMS volume groups, usage of the last 6 months and 8 weeks, with "as of"',
        response: { 200: dashboardSchema },
      },
    },
    async (req) => dashboard(req.ctx, principalOf(req).orgId),
  );
  r.get(
    '/usage',
    {
      config: read,
      schema: {
        tags: ['dashboard'],
        summary:
          "The organisation's usage by day (default: last 30 days), ISO week (8 weeks) or month (6 months); every period present",
        querystring: orgUsageQuery,
        response: { 200: orgUsageSchema },
      },
    },
    async (req) => orgUsage(req.ctx, principalOf(req).orgId, req.query),
  );
}

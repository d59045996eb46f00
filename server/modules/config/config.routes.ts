/** Configuration tab API: monthly limits and defaults for new SIMs. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { orgSettings, orgSettingsRequest } from '../../../contracts/config.js';
import { principalOf } from '../../plugins/auth.js';
import { getSettings, saveSettings } from './config.service.js';

export default async function configRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['configuration'];
  r.get(
    '/configuration/settings',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Monthly limits (null = none) with this month’s usage, and the defaults for new SIMs',
        response: { 200: orgSettings },
      },
    },
    async (req) => getSettings(req.ctx, principalOf(req).orgId),
  );
  r.put(
    '/configuration/settings',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary:
          'Set the monthly limits and the defaults for new SIMs; the auto top-up default also needs the top-up permission',
        body: orgSettingsRequest,
        response: { 200: orgSettings },
      },
    },
    async (req) => saveSettings(req.ctx, principalOf(req), req.body),
  );
}

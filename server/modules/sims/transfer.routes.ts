/** SIM transfer between the caller's organisation and its sub-organisations (Owner and Admin). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { transferRequest, transferResult } from '../../../contracts/orgs.js';
import { userOf } from '../../plugins/auth.js';
import { actorOf } from './sims.service.js';
import { transferSims } from './transfer.service.js';

export default async function transferRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/sims/transfer',
    {
      config: { permission: 'orgs:manage' },
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: ['organisations'],
        summary:
          'Move SIMs between your organisation and a sub-organisation: one ICCID, ICCID ranges or the text of a CSV/TXT file of ICCID_START;ICCID_END lines; all or nothing, every bad line reported; dryRun checks and counts only',
        body: transferRequest,
        response: { 200: transferResult },
      },
    },
    async (req) => {
      const user = userOf(req);
      return transferSims(req.ctx, user, actorOf(user), req.body);
    },
  );
}

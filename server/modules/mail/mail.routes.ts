/** Operator console: the mail outbox. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { outboxPage, outboxQuery } from '../../../contracts/operator.js';
import { listOutbox } from './mail.service.js';

export default async function mailRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/operator/mails',
    {
      config: { permission: 'operator:console' },
      schema: {
        tags: ['operator'],
        summary: 'List the mail outbox, newest first',
        querystring: outboxQuery,
        response: { 200: outboxPage },
      },
    },
    (req) => listOutbox(req.ctx, req.query),
  );
}

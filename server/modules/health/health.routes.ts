/** Liveness and readiness for load balancers and orchestrators. */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    try {
      await req.ctx.database.query(sql`select 1`);
      return { status: 'ready', database: req.ctx.database.driver };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: req.ctx.database.driver });
    }
  });
}

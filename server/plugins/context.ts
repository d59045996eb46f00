/** Makes the application context available on every request as `req.ctx`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../context.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    ctx: AppContext;
  }
}

async function contextPlugin(app: FastifyInstance, opts: { ctx: AppContext }) {
  app.decorate('ctx', opts.ctx);
  app.decorateRequest('ctx', {
    getter() {
      return opts.ctx;
    },
  });
}

export default fp(contextPlugin, { name: 'context' });

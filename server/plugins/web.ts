/** Serves the built portal; unknown non-API paths get index.html so client-side routes load. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { webDir } from '../lib/paths.js';

async function webPlugin(app: FastifyInstance) {
  if (!existsSync(join(webDir, 'index.html'))) {
    app.log.warn(`portal not built (${webDir} missing): run "npm run build:web"`);
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    preCompressed: true,
    maxAge: '1h',
    setHeaders: (res, path) => {
      if (path.includes(`${join('assets', '')}`))
        res.header('cache-control', 'public, max-age=31536000, immutable');
      if (path.endsWith('index.html')) res.header('cache-control', 'no-cache');
    },
  });
  app.get('/*', { config: { public: true }, schema: { hide: true } }, (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/') || path.startsWith('/management-api/') || /\.[a-z0-9]+$/i.test(path)) {
      return reply.callNotFound();
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}

export default fp(webPlugin, { name: 'web' });

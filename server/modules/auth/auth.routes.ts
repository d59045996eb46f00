/** Sign-in endpoints: login, logout, forgotten password, set/reset password, first operator set-up. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  forgotPasswordRequest,
  loginRequest,
  loginResponse,
  resetPasswordRequest,
  setupRequest,
} from '../../../contracts/auth.js';
import { ok } from '../../../contracts/common.js';
import { userOf } from '../../plugins/auth.js';
import { csrfCookie, login, logout, sessionCookie } from './auth.service.js';
import { requestPasswordReset, resetPassword, setupFirstOperator } from './password.service.js';

function setSessionCookies(reply: FastifyReply, secure: boolean, token: string, csrf: string, expires: Date) {
  const base = { path: '/', sameSite: 'lax', secure, expires } as const;
  reply.setCookie(sessionCookie, token, { ...base, httpOnly: true });
  reply.setCookie(csrfCookie, csrf, { ...base, httpOnly: false });
}

export default async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const secure = (req: { protocol: string }) => req.protocol === 'https';

  r.post(
    '/auth/login',
    {
      config: { public: true, audit: 'auth.login' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets the session cookie',
        body: loginRequest,
        response: { 200: loginResponse },
      },
    },
    async (req, reply) => {
      const session = await login(req.ctx, req.body, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      setSessionCookies(reply, secure(req), session.token, session.csrfToken, session.expiresAt);
      return { ok: true as const, csrfToken: session.csrfToken };
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { audit: 'auth.logout' },
      schema: { tags: ['auth'], summary: 'Sign out: end this session', response: { 200: ok } },
    },
    async (req, reply) => {
      await logout(req.ctx, userOf(req));
      reply.clearCookie(sessionCookie, { path: '/' });
      reply.clearCookie(csrfCookie, { path: '/' });
      return { ok: true as const };
    },
  );

  r.post(
    '/auth/password/forgot',
    {
      config: { public: true, audit: 'auth.password.forgot' },
      schema: {
        tags: ['auth'],
        summary: 'Mail a password-reset link; answers the same whether or not the e-mail exists',
        body: forgotPasswordRequest,
        response: { 202: ok },
      },
    },
    async (req, reply) => {
      await requestPasswordReset(req.ctx, req.body.email);
      return reply.code(202).send({ ok: true as const });
    },
  );

  r.post(
    '/auth/password/reset',
    {
      config: { public: true, audit: 'auth.password.reset' },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password through a reset or invitation link (single use)',
        body: resetPasswordRequest,
        response: { 200: ok },
      },
    },
    async (req) => {
      await resetPassword(req.ctx, req.body.token, req.body.password);
      return { ok: true as const };
    },
  );

  r.post(
    '/auth/setup',
    {
      config: { public: true, audit: 'auth.setup' },
      schema: {
        tags: ['auth'],
        summary: 'Create the first operator with the one-time set-up link printed at the first start',
        body: setupRequest,
        response: { 201: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req, reply) => {
      await setupFirstOperator(req.ctx, req.body);
      return reply.code(201).send({ ok: true as const });
    },
  );
}

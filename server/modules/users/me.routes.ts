/** The signed-in user's own data: GET/PATCH /me, password, sessions, two-factor. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientMe } from '../../../contracts/apiclients.js';
import {
  changePasswordRequest,
  me,
  preferences,
  sessionList,
  totpCodeRequest,
  totpDisableRequest,
  totpSetupResponse,
  updateProfileRequest,
} from '../../../contracts/auth.js';
import { ok } from '../../../contracts/common.js';
import { principalOf, userOf } from '../../plugins/auth.js';
import { describeClient } from '../apiclients/apiclients.service.js';
import { changePassword } from '../auth/password.service.js';
import {
  describeMe,
  disableTotp,
  enableTotp,
  myPreferences,
  mySessions,
  revokeMySession,
  savePreferences,
  startTotpSetup,
  updateProfile,
} from './me.service.js';

export default async function meRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['me'];
  const self = { permission: 'self:manage' } as const;

  r.get(
    '/me',
    {
      schema: {
        tags,
        summary: 'Who am I: user (or API client), role, organisation, permissions',
        response: { 200: z.union([me, clientMe]) },
      },
    },
    async (req) => {
      const principal = principalOf(req);
      return principal.kind === 'user' ? describeMe(principal) : describeClient(principal);
    },
  );

  r.patch(
    '/me',
    {
      config: { ...self, audit: 'me.update' },
      schema: {
        tags,
        summary: 'Change own name, language or e-mail',
        body: updateProfileRequest,
        response: { 200: me },
      },
    },
    async (req) => updateProfile(req.ctx, userOf(req), req.body),
  );

  r.post(
    '/me/password',
    {
      config: { ...self, audit: 'me.password.change' },
      schema: { tags, summary: 'Change own password', body: changePasswordRequest, response: { 200: ok } },
    },
    async (req) => {
      await changePassword(req.ctx, userOf(req), req.body);
      return { ok: true as const };
    },
  );

  r.get(
    '/me/preferences',
    {
      schema: { tags, summary: 'Own portal settings (e.g. My SIMs columns)', response: { 200: preferences } },
    },
    async (req) => myPreferences(userOf(req)),
  );

  r.put(
    '/me/preferences',
    {
      config: { audit: 'me.preferences.update' },
      schema: {
        tags,
        summary: 'Remember portal settings',
        body: preferences,
        response: { 200: preferences },
      },
    },
    async (req) => savePreferences(req.ctx, userOf(req), req.body),
  );

  r.get(
    '/me/sessions',
    { config: self, schema: { tags, summary: 'Own live sessions', response: { 200: sessionList } } },
    async (req) => mySessions(req.ctx, userOf(req)),
  );

  r.delete(
    '/me/sessions/:id',
    {
      config: { ...self, audit: 'me.session.revoke' },
      schema: {
        tags,
        summary: 'Revoke one of own sessions',
        params: z.object({ id: z.uuid({ message: 'must be a session id (UUID)' }) }),
        response: { 200: ok },
      },
    },
    async (req) => {
      await revokeMySession(req.ctx, userOf(req), req.params.id);
      return { ok: true as const };
    },
  );

  r.post(
    '/me/totp/setup',
    {
      config: { ...self, audit: 'me.totp.setup' },
      schema: { tags, summary: 'Start two-factor set-up', response: { 200: totpSetupResponse } },
    },
    async (req) => startTotpSetup(req.ctx, userOf(req)),
  );

  r.post(
    '/me/totp/enable',
    {
      config: { ...self, audit: 'me.totp.enable' },
      schema: {
        tags,
        summary: 'Confirm two-factor set-up with a code',
        body: totpCodeRequest,
        response: { 200: ok },
      },
    },
    async (req) => {
      await enableTotp(req.ctx, userOf(req), req.body.code);
      return { ok: true as const };
    },
  );

  r.post(
    '/me/totp/disable',
    {
      config: { ...self, audit: 'me.totp.disable' },
      schema: { tags, summary: 'Turn two-factor off', body: totpDisableRequest, response: { 200: ok } },
    },
    async (req) => {
      await disableTotp(req.ctx, userOf(req), req.body.password);
      return { ok: true as const };
    },
  );
}

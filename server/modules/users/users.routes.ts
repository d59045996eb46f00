/** The Users tab's API: the organisation's people, invitations, roles and state (Owner and Admin). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ok } from '../../../contracts/common.js';
import {
  createUserRequest,
  updateUserRequest,
  userList,
  userListQuery,
  userSummary,
} from '../../../contracts/users.js';
import { userOf } from '../../plugins/auth.js';
import {
  activateUser,
  changeUser,
  deactivateUser,
  getUser,
  inviteUser,
  listUsers,
  removeUser,
  resendInvitation,
} from './users.service.js';

const idParams = z.object({ id: z.uuid({ message: 'must be a user id (UUID)' }) });

export default async function usersRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'users:admin' } as const;
  const tags = ['users'];

  r.get(
    '/users',
    {
      config,
      schema: {
        tags,
        summary: "The organisation's users, searchable by name and e-mail",
        querystring: userListQuery,
        response: { 200: userList },
      },
    },
    async (req) => listUsers(req.ctx, userOf(req), req.query),
  );
  r.get(
    '/users/:id',
    { config, schema: { tags, summary: 'One user', params: idParams, response: { 200: userSummary } } },
    async (req) => getUser(req.ctx, userOf(req), req.params.id),
  );
  r.post(
    '/users',
    {
      config: { ...config, audit: 'user.invite' },
      schema: {
        tags,
        summary: 'Invite a user: created as "invited", mailed a set-password link valid 7 days',
        body: createUserRequest,
        response: { 201: userSummary },
      },
    },
    async (req, reply) => reply.code(201).send(await inviteUser(req.ctx, userOf(req), req.body)),
  );
  r.post(
    '/users/:id/invitation',
    {
      config: { ...config, audit: 'user.invitation.resend' },
      schema: {
        tags,
        summary: 'Send an invited user a new link; earlier links stop working',
        params: idParams,
        response: { 200: userSummary },
      },
    },
    async (req) => resendInvitation(req.ctx, userOf(req), req.params.id),
  );
  r.patch(
    '/users/:id',
    {
      config: { ...config, audit: 'user.update' },
      schema: {
        tags,
        summary: "Change a user's name or role",
        params: idParams,
        body: updateUserRequest,
        response: { 200: userSummary },
      },
    },
    async (req) => changeUser(req.ctx, userOf(req), req.params.id, req.body),
  );
  r.post(
    '/users/:id/deactivate',
    {
      config: { ...config, audit: 'user.deactivate' },
      schema: {
        tags,
        summary: 'Stop a user from signing in; their sessions end at once',
        params: idParams,
        response: { 200: userSummary },
      },
    },
    async (req) => deactivateUser(req.ctx, userOf(req), req.params.id),
  );
  r.post(
    '/users/:id/activate',
    {
      config: { ...config, audit: 'user.activate' },
      schema: {
        tags,
        summary: 'Let a deactivated user sign in again',
        params: idParams,
        response: { 200: userSummary },
      },
    },
    async (req) => activateUser(req.ctx, userOf(req), req.params.id),
  );
  r.delete(
    '/users/:id',
    {
      config: { ...config, audit: 'user.delete' },
      schema: { tags, summary: 'Delete a user', params: idParams, response: { 200: ok } },
    },
    async (req) => {
      await removeUser(req.ctx, userOf(req), req.params.id);
      return { ok: true as const };
    },
  );
}

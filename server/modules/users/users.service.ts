/**
 * The Users tab: list, invite, edit, deactivate, activate and delete the people of an organisation.
 * Who may administer whom is PRODUCT.md §9 through `administrableRoles`: nobody in the organisation
 * administers an Owner, so the last Owner can never be removed or demoted.
 */

import { administrableRoles, type CustomerRole, type Role } from '../../../contracts/permissions.js';
import type { CreateUserRequest, UpdateUserRequest } from '../../../contracts/users.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, fieldsInUse, notFound } from '../../lib/errors.js';
import { digest, randomToken } from '../../lib/tokens.js';
import { auditChange, auditTarget } from '../audit/audit.context.js';
import { insertAuthToken, revokeAllSessions } from '../auth/auth.repository.js';
import { queueMail } from '../mail/mail.service.js';
import { findOrganisation } from '../orgs/orgs.repository.js';
import {
  deleteOrgUser,
  emailTaken,
  expireInvitations,
  findOrgUser,
  insertUser,
  pageUsers,
  type UserRow,
  updateUser,
} from './users.repository.js';

/** How long an invitation link works. */
export const inviteLinkDays = 7;

/** Who is acting: a signed-in person of an organisation. */
export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
}

const roleNames: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  user: 'User',
  readonly: 'Read only',
  thirdparty: '3rd party',
  operator: 'Operator',
};

export function present(u: UserRow) {
  return {
    id: u.id,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    role: u.role,
    status: u.status,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

/** The fields of a user the audit log keeps before and after a change. */
const audited = (u: UserRow) => ({
  firstName: u.firstName,
  lastName: u.lastName,
  email: u.email,
  role: u.role,
  status: u.status,
});

function emailInUse(field = 'email'): AppError {
  return fieldsInUse([{ field, message: 'is already in use', reason: 'in_use' }]);
}

/** Refuse an e-mail some user already signs in with; `field` names it in the 409. */
export async function assertEmailFree(db: Db, email: string, field = 'email') {
  if (await emailTaken(db, email)) throw emailInUse(field);
}

/** Refuse to give a role the actor may not administer (never Owner, never Operator). */
function assertAssignable(actor: Actor, role: CustomerRole) {
  const allowed = administrableRoles(actor.role);
  if (allowed.includes(role)) return;
  const detail =
    role === 'owner'
      ? 'Nobody in the organisation can make someone an Owner; the provider can.'
      : `Your role (${roleNames[actor.role]}) may assign only: ${allowed.map((r) => roleNames[r]).join(', ')}.`;
  throw new AppError('forbidden', detail, {
    errors: [{ field: 'role', message: 'may not be assigned by you', reason: 'role_not_assignable' }],
  });
}

/** The target user of an action, after checking that the actor may administer them. */
async function administeredUser(ctx: AppContext, actor: Actor, userId: string, action: string) {
  const target = await findOrgUser(ctx.db, actor.orgId, userId);
  if (!target) throw notFound('User');
  if (target.id === actor.userId) {
    throw new AppError('forbidden', `You cannot ${action} yourself; ask another administrator.`);
  }
  if (target.role === 'owner') {
    throw new AppError('forbidden', `Nobody in the organisation can ${action} an Owner; the provider can.`);
  }
  if (!administrableRoles(actor.role).includes(target.role as CustomerRole)) {
    throw new AppError(
      'forbidden',
      `Your role (${roleNames[actor.role]}) may not ${action} a user with the role ${roleNames[target.role]}.`,
    );
  }
  return target;
}

/** Whether an error is PostgreSQL's unique violation (directly or wrapped by Drizzle). */
export function isUniqueViolation(err: unknown): boolean {
  const codeOf = (e: unknown) =>
    typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
  return codeOf(err) === '23505' || codeOf(cause) === '23505';
}

/** Store a fresh invitation link (earlier ones stop working) and mail it in the organisation's language. */
export async function sendInvitation(ctx: AppContext, db: Db, user: UserRow) {
  const org = await findOrganisation(db, user.orgId);
  if (!org) throw notFound('Organisation');
  const token = randomToken();
  const now = ctx.clock.now();
  await expireInvitations(db, user.id, now);
  await insertAuthToken(db, {
    userId: user.id,
    purpose: 'invite',
    tokenHash: digest(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + inviteLinkDays * 86_400_000),
  });
  await queueMail(ctx, db, {
    to: user.email,
    template: 'invitation',
    language: org.language,
    orgId: org.id,
    vars: {
      name: user.firstName,
      organisation: org.name,
      days: inviteLinkDays,
      link: `${ctx.config.publicUrl}/set-password?token=${token}`,
    },
  });
}

/** A page of the organisation's users, searchable by name and e-mail. */
export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  q: { page: number; pageSize: number; q?: string },
) {
  const { items, total } = await pageUsers(ctx.db, actor.orgId, q);
  return { items: items.map(present), total, page: q.page, pageSize: q.pageSize };
}

/** One user of the organisation. */
export async function getUser(ctx: AppContext, actor: Actor, userId: string) {
  const user = await findOrgUser(ctx.db, actor.orgId, userId);
  if (!user) throw notFound('User');
  return present(user);
}

/** Create a user in state "invited" and mail them a link to set their password. */
export async function inviteUser(ctx: AppContext, actor: Actor, input: CreateUserRequest) {
  assertAssignable(actor, input.role);
  if (await emailTaken(ctx.db, input.email)) throw emailInUse();
  const org = await findOrganisation(ctx.db, actor.orgId);
  if (!org) throw notFound('Organisation');
  try {
    const user = await ctx.db.transaction(async (tx) => {
      const created = await insertUser(tx, {
        orgId: actor.orgId,
        email: input.email,
        firstName: input.firstName,
        lastName: input.lastName,
        role: input.role,
        status: 'invited',
        language: org.language,
      });
      await sendInvitation(ctx, tx, created);
      return created;
    });
    auditTarget(`user:${user.id}`);
    auditChange(null, audited(user));
    return present(user);
  } catch (err) {
    if (isUniqueViolation(err)) throw emailInUse();
    throw err;
  }
}

/**
 * Create the first Owner of a new customer organisation and invite them (the provider's operators do
 * this; nobody in an organisation can make someone an Owner). Runs in the caller's transaction `db`.
 */
export async function inviteOwner(
  ctx: AppContext,
  db: Db,
  orgId: string,
  person: { firstName: string; lastName: string; email: string },
  field = 'email',
) {
  await assertEmailFree(db, person.email, field);
  const org = await findOrganisation(db, orgId);
  if (!org) throw notFound('Organisation');
  const user = await insertUser(db, {
    orgId,
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    role: 'owner',
    status: 'invited',
    language: org.language,
  });
  await sendInvitation(ctx, db, user);
  return present(user);
}

/** All users of an organisation (by last name), for the operator console. */
export async function orgUsers(ctx: AppContext, orgId: string) {
  const { items } = await pageUsers(ctx.db, orgId, { page: 1, pageSize: 1000 });
  return items.map(present);
}

/** Send a new invitation link to a user who has not set a password yet; earlier links stop working. */
export async function resendInvitation(ctx: AppContext, actor: Actor, userId: string) {
  const target = await administeredUser(ctx, actor, userId, 'invite');
  if (target.status !== 'invited') {
    throw conflict(
      'password_already_set',
      {},
      'This user has already set a password; only invited users get a new link.',
    );
  }
  await ctx.db.transaction((tx) => sendInvitation(ctx, tx, target));
  return present(target);
}

/** Change a user's name or role. */
export async function changeUser(ctx: AppContext, actor: Actor, userId: string, input: UpdateUserRequest) {
  const target = await administeredUser(ctx, actor, userId, 'edit');
  if (input.role !== undefined) assertAssignable(actor, input.role);
  const updated = await updateUser(ctx.db, actor.orgId, target.id, input);
  if (!updated) throw notFound('User');
  auditChange(audited(target), audited(updated));
  return present(updated);
}

/** Stop a user from signing in; their sessions end at once and open invitation links stop working. */
export async function deactivateUser(ctx: AppContext, actor: Actor, userId: string) {
  const target = await administeredUser(ctx, actor, userId, 'deactivate');
  if (target.status === 'deactivated')
    throw conflict('user_already_deactivated', {}, 'This user is already deactivated.');
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateUser(tx, actor.orgId, target.id, { status: 'deactivated' });
    await revokeAllSessions(tx, target.id, now);
    await expireInvitations(tx, target.id, now);
    return row;
  });
  if (!updated) throw notFound('User');
  auditChange(audited(target), audited(updated));
  return present(updated);
}

/** Let a deactivated user sign in again; one who never set a password is back to "invited". */
export async function activateUser(ctx: AppContext, actor: Actor, userId: string) {
  const target = await administeredUser(ctx, actor, userId, 'activate');
  if (target.status !== 'deactivated')
    throw conflict('user_not_deactivated', {}, 'This user is not deactivated.');
  const updated = await updateUser(ctx.db, actor.orgId, target.id, {
    status: target.passwordHash ? 'active' : 'invited',
  });
  if (!updated) throw notFound('User');
  auditChange(audited(target), audited(updated));
  return present(updated);
}

/** Delete a user for good: their sessions and links go with them. */
export async function removeUser(ctx: AppContext, actor: Actor, userId: string) {
  const target = await administeredUser(ctx, actor, userId, 'delete');
  if (!(await deleteOrgUser(ctx.db, actor.orgId, target.id))) throw notFound('User');
  auditChange(audited(target), null);
}

/**
 * The provider's operators administer a customer's Owners (PRODUCT.md §9: nobody in the organisation
 * can): invite another Owner, resend an invitation, deactivate and activate an Owner, never leaving
 * the organisation without an Owner who can sign in. Mails and session handling as on the Users tab.
 */
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { users } from '../../db/schema/index.js';
import { AppError, conflict, notFound } from '../../lib/errors.js';
import { revokeAllSessions } from '../auth/auth.repository.js';
import { findCustomer } from '../stock/stock.repository.js';
import { expireInvitations, findOrgUser, updateUser } from './users.repository.js';
import { assertEmailFree, inviteOwner, isUniqueViolation, present, sendInvitation } from './users.service.js';

async function customerOf(ctx: AppContext, orgId: string) {
  const org = await findCustomer(ctx.db, orgId);
  if (!org) throw notFound('Customer organisation');
  return org;
}

/** An Owner of the customer; other roles are the customer's own Owners' and Admins' to administer. */
async function ownerOf(ctx: AppContext, orgId: string, userId: string) {
  await customerOf(ctx, orgId);
  const user = await findOrgUser(ctx.db, orgId, userId);
  if (!user) throw notFound('User');
  if (user.role !== 'owner') {
    throw new AppError(
      'forbidden',
      "Operators administer a customer's Owners only; the customer's Owners and Admins administer everyone else.",
    );
  }
  return user;
}

/** Invite another Owner into a customer organisation: created as "invited", mailed a 7-day single-use link. */
export async function inviteCustomerOwner(
  ctx: AppContext,
  orgId: string,
  person: { firstName: string; lastName: string; email: string },
) {
  await customerOf(ctx, orgId);
  await assertEmailFree(ctx.db, person.email);
  try {
    return await ctx.db.transaction((tx) => inviteOwner(ctx, tx, orgId, person));
  } catch (err) {
    if (isUniqueViolation(err)) await assertEmailFree(ctx.db, person.email);
    throw err;
  }
}

/** Mail an invited Owner a new link; earlier links stop working. */
export async function resendOwnerInvitation(ctx: AppContext, orgId: string, userId: string) {
  const owner = await ownerOf(ctx, orgId, userId);
  if (owner.status !== 'invited') {
    throw conflict(
      'owner_password_already_set',
      {},
      'This Owner has already set a password; only invited users get a new link.',
    );
  }
  await ctx.db.transaction((tx) => sendInvitation(ctx, tx, owner));
  return present(owner);
}

/** Stop an Owner from signing in (sessions end, links stop working); never the last one who can. */
export async function deactivateOwner(ctx: AppContext, orgId: string, userId: string) {
  const owner = await ownerOf(ctx, orgId, userId);
  if (owner.status === 'deactivated')
    throw conflict('owner_already_deactivated', {}, 'This Owner is already deactivated.');
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction(async (tx) => {
    // Lock the organisation's Owners so that two operators cannot each deactivate one of the last two.
    const owners = await tx
      .select({ id: users.id, status: users.status })
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.role, 'owner')))
      .for('update');
    const others = owners.filter((u) => u.id !== owner.id && u.status !== 'deactivated');
    if (others.length === 0) {
      throw conflict(
        'last_owner',
        { name: `${owner.firstName} ${owner.lastName}` },
        `${owner.firstName} ${owner.lastName} is the last Owner of the organisation who can sign in: invite or activate another Owner first.`,
      );
    }
    const row = await updateUser(tx, orgId, owner.id, { status: 'deactivated' });
    await revokeAllSessions(tx, owner.id, now);
    await expireInvitations(tx, owner.id, now);
    return row;
  });
  if (!updated) throw notFound('User');
  return present(updated);
}

/** Let a deactivated Owner sign in again; one who never set a password is back to "invited". */
export async function activateOwner(ctx: AppContext, orgId: string, userId: string) {
  const owner = await ownerOf(ctx, orgId, userId);
  if (owner.status !== 'deactivated')
    throw conflict('owner_not_deactivated', {}, 'This Owner is not deactivated.');
  const updated = await updateUser(ctx.db, orgId, owner.id, {
    status: owner.passwordHash ? 'active' : 'invited',
  });
  if (!updated) throw notFound('User');
  return present(updated);
}

/** Password flows: forgotten password, one-time set/reset links, first operator set-up, change. */
import type { AppContext } from '../../context.js';
import { AppError, invalidField } from '../../lib/errors.js';
import { digest, randomToken } from '../../lib/tokens.js';
import { auditSubject, auditTarget } from '../audit/audit.context.js';
import { queueMail } from '../mail/mail.service.js';
import {
  emailTaken,
  findUserByEmail,
  findUserById,
  insertUser,
  updateUser,
} from '../users/users.repository.js';
import { consumeAuthToken, hasOperator, insertAuthToken, revokeAllSessions } from './auth.repository.js';
import { hashPassword, type UserPrincipal, verifyPassword } from './auth.service.js';

/** How long a password-reset link works. */
export const resetLinkHours = 1;

/** Mail a single-use reset link if the account exists; says nothing either way. */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const found = await findUserByEmail(ctx.db, email);
  if (!found || found.user.status === 'deactivated') return;
  const token = randomToken();
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await insertAuthToken(tx, {
      userId: found.user.id,
      purpose: 'reset',
      tokenHash: digest(token),
      expiresAt: new Date(now.getTime() + resetLinkHours * 3_600_000),
    });
    await queueMail(ctx, tx, {
      to: found.user.email,
      template: 'password-reset',
      language: found.user.language,
      orgId: found.user.orgId,
      vars: {
        name: found.user.firstName,
        hours: resetLinkHours,
        link: `${ctx.config.publicUrl}/reset-password?token=${token}`,
      },
    });
  });
}

/** Set a password through a reset or invitation link; the link works once. Ends all other sessions. */
export async function resetPassword(ctx: AppContext, token: string, password: string): Promise<void> {
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    const row = await consumeAuthToken(tx, digest(token), ['reset', 'invite'], now);
    if (!row?.userId) throw new AppError('invalid_token', 'This link is invalid, expired or already used.');
    const found = await findUserById(tx, row.userId);
    if (found) auditSubject(found.user);
    if (!found || found.user.status === 'deactivated') {
      throw new AppError('invalid_token', 'This link is invalid, expired or already used.');
    }
    await updateUser(tx, found.user.orgId, found.user.id, { passwordHash, status: 'active' });
    await revokeAllSessions(tx, found.user.id, now);
    if (row.purpose === 'reset') {
      await queueMail(ctx, tx, {
        to: found.user.email,
        template: 'password-changed',
        language: found.user.language,
        orgId: found.user.orgId,
        vars: { name: found.user.firstName },
      });
    }
  });
}

/** Create the first operator through the one-time set-up link printed at the first start. */
export async function setupFirstOperator(
  ctx: AppContext,
  input: { token: string; email: string; firstName: string; lastName: string; password: string },
): Promise<void> {
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction(async (tx) => {
    const row = await consumeAuthToken(tx, digest(input.token), ['setup'], now);
    if (!row?.orgId || (await hasOperator(tx, row.orgId))) {
      throw new AppError('invalid_token', 'This set-up link is invalid, expired or already used.');
    }
    if (await emailTaken(tx, input.email)) throw invalidField('email', 'is already in use', 'in_use');
    const operator = await insertUser(tx, {
      orgId: row.orgId,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      role: 'operator',
      status: 'active',
      passwordHash,
    });
    auditSubject(operator);
    auditTarget(`user:${operator.id}`);
  });
}

/** Change the caller's password after checking the current one; other sessions end. */
export async function changePassword(
  ctx: AppContext,
  principal: UserPrincipal,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const { user } = principal;
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalidField('currentPassword', 'is wrong', 'wrong_password');
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await updateUser(tx, user.orgId, user.id, { passwordHash });
    await revokeAllSessions(tx, user.id, now, principal.sessionId);
    await queueMail(ctx, tx, {
      to: user.email,
      template: 'password-changed',
      language: user.language,
      orgId: user.orgId,
      vars: { name: user.firstName },
    });
  });
}

/** The signed-in user's own data: profile, sessions and two-factor authentication. */
import QRCode from 'qrcode';
import { type Preferences, preferences } from '../../../contracts/auth.js';
import type { Language } from '../../../contracts/common.js';
import { permissionsOf } from '../../../contracts/permissions.js';
import type { AppContext } from '../../context.js';
import { conflict, invalidField, notFound } from '../../lib/errors.js';
import { auditChange } from '../audit/audit.context.js';
import { listSessions, revokeSession } from '../auth/auth.repository.js';
import { type UserPrincipal, verifyPassword } from '../auth/auth.service.js';
import { newTotpSecret, totpUrl, verifyTotp } from '../auth/totp.js';
import { emailTaken, updateUser } from './users.repository.js';

/** The identity the portal builds itself from: user, role, organisation, permissions. */
export function describeMe(principal: UserPrincipal) {
  const { user, org } = principal;
  return {
    user: {
      id: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      language: user.language,
      totpEnabled: user.totpEnabled,
    },
    role: principal.role,
    organisation: {
      id: org.id,
      name: org.name,
      kind: org.kind,
      accountNumber: org.accountNumber,
      parentId: org.parentId,
      language: org.language,
    },
    permissions: permissionsOf(principal.role),
    csrfToken: principal.csrfToken,
  };
}

/** Change own name, language or e-mail (the login; needs the current password). */
export async function updateProfile(
  ctx: AppContext,
  principal: UserPrincipal,
  input: {
    firstName?: string;
    lastName?: string;
    email?: string;
    language?: Language;
    currentPassword?: string;
  },
) {
  const { user } = principal;
  if (input.email !== undefined && input.email !== user.email.toLowerCase()) {
    if (!input.currentPassword)
      throw invalidField('currentPassword', 'is required to change the e-mail', 'current_password_required');
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw invalidField('currentPassword', 'is wrong', 'wrong_password');
    }
    if (await emailTaken(ctx.db, input.email, user.id))
      throw invalidField('email', 'is already in use', 'in_use');
  }
  const updated = await updateUser(ctx.db, user.orgId, user.id, {
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email,
    language: input.language,
  });
  if (!updated) throw notFound('User');
  const audited = (u: typeof updated) => ({
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    language: u.language,
  });
  auditChange(audited(user), audited(updated));
  return describeMe({ ...principal, user: updated });
}

/** The caller's live sessions, marking the one making this request. */
export async function mySessions(ctx: AppContext, principal: UserPrincipal) {
  const rows = await listSessions(ctx.db, principal.userId, ctx.clock.now());
  return {
    items: rows.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === principal.sessionId,
    })),
    total: rows.length,
  };
}

/** Revoke one of the caller's sessions; another user's session answers 404. */
export async function revokeMySession(ctx: AppContext, principal: UserPrincipal, sessionId: string) {
  if (!(await revokeSession(ctx.db, principal.userId, sessionId, ctx.clock.now()))) throw notFound('Session');
}

/** Start two-factor set-up: a new secret, not yet enforced until confirmed with a code. */
export async function startTotpSetup(ctx: AppContext, principal: UserPrincipal) {
  const { user } = principal;
  if (user.totpEnabled)
    throw conflict(
      'totp_on_turn_off_first',
      {},
      'Two-factor authentication is already on. Turn it off first.',
    );
  const secret = newTotpSecret();
  await updateUser(ctx.db, user.orgId, user.id, { totpSecret: secret });
  const otpauthUrl = totpUrl(user.email, secret);
  return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl) };
}

/** Turn two-factor on once the user proves their app produces valid codes. */
export async function enableTotp(ctx: AppContext, principal: UserPrincipal, code: string) {
  const { user } = principal;
  if (user.totpEnabled) throw conflict('totp_already_on', {}, 'Two-factor authentication is already on.');
  if (!user.totpSecret) throw conflict('totp_not_started', {}, 'Start the two-factor set-up first.');
  if (!verifyTotp(user.totpSecret, code)) throw invalidField('code', 'is wrong or expired', 'wrong_code');
  await updateUser(ctx.db, user.orgId, user.id, { totpEnabled: true });
}

/** Turn two-factor off after checking the password. */
export async function disableTotp(ctx: AppContext, principal: UserPrincipal, password: string) {
  const { user } = principal;
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) {
    throw invalidField('password', 'is wrong', 'wrong_password');
  }
  await updateUser(ctx.db, user.orgId, user.id, { totpEnabled: false, totpSecret: null });
}

/** The user's remembered portal settings. */
export function myPreferences(principal: UserPrincipal): Preferences {
  return preferences.parse(principal.user.preferences ?? {});
}

/** Remember portal settings (merged over what was stored). */
export async function savePreferences(
  ctx: AppContext,
  principal: UserPrincipal,
  input: Preferences,
): Promise<Preferences> {
  const merged = { ...myPreferences(principal), ...input };
  await updateUser(ctx.db, principal.orgId, principal.userId, { preferences: merged });
  return merged;
}

/** Sign-in, sign-out and the authentication of each request by its session cookie. */
import { hash, verify } from '@node-rs/argon2';
import {
  type apiRole,
  type CustomerRole,
  can,
  type Permission,
  type Role,
} from '../../../contracts/permissions.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import { digest, randomToken } from '../../lib/tokens.js';
import { auditSubject } from '../audit/audit.context.js';
import type { OrganisationRow } from '../orgs/orgs.repository.js';
import { claimTotpStep, findUserByEmail, type UserRow, updateUser } from '../users/users.repository.js';
import {
  clearThrottle,
  insertSession,
  readThrottle,
  recordFailure,
  revokeSession,
  touchSession,
} from './auth.repository.js';
import { activeSession, sessionTouched } from './session-cache.js';
import { totpStep } from './totp.js';

/** The name of the HttpOnly session cookie. */
export const sessionCookie = 'opencmp_session';
/** The name of the script-readable cookie holding the CSRF token. */
export const csrfCookie = 'opencmp_csrf';

/** A signed-in person, authenticated by a session cookie. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  orgId: string;
  role: Role;
  sessionId: string;
  csrfToken: string;
  user: UserRow;
  org: OrganisationRow;
}

/** An API client, authenticated by a bearer token from the token endpoint. */
export interface ClientPrincipal {
  kind: 'client';
  /** The api_clients row id (the token's subject). */
  clientRowId: string;
  /** The public client id, `<accountNumber>_<name>`. */
  clientId: string;
  name: string;
  orgId: string;
  role: typeof apiRole;
  /** Read-only clients may only GET. */
  readOnly: boolean;
  /** The creator's lesser role the client is held to (`apiClientActsAs`), or null. */
  actsAs: CustomerRole | null;
  org: OrganisationRow;
}

/** Who is calling: a signed-in person or an API client. */
export type Principal = UserPrincipal | ClientPrincipal;

/** Whether the caller holds a permission: its role's, and for an API client within the role it acts as. */
export function allowed(principal: Principal, permission: Permission): boolean {
  if (!can(principal.role, permission)) return false;
  return principal.kind !== 'client' || !principal.actsAs || can(principal.actsAs, permission);
}

/** "Your role (user)" or "The API client …" (and the role it acts as), for refusals. */
export function whoIs(principal: Principal): string {
  if (principal.kind === 'user') return `Your role (${principal.role})`;
  return principal.actsAs
    ? `The API client ${principal.clientId} (it acts with the rights of its creator's role, ${principal.actsAs})`
    : `The API client ${principal.clientId}`;
}

/** Hash a password with argon2id (the library's defaults: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Verify a password against a stored hash; false on any malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A real hash of a random string, so that unknown e-mails cost the same time as known ones.
const dummyHash = hashPassword(randomToken());

function secondsUntil(date: Date, now: Date): number {
  return Math.max(1, Math.ceil((date.getTime() - now.getTime()) / 1000));
}

/** Refuse with 429 when the account or the client address is locked after repeated failures. */
async function assertNotThrottled(ctx: AppContext, keys: string[]) {
  const now = ctx.clock.now();
  const rows = await readThrottle(ctx.db, keys);
  const locked = rows.filter((r) => r.lockedUntil && r.lockedUntil > now);
  if (locked.length === 0) return;
  const until = new Date(Math.max(...locked.map((r) => r.lockedUntil?.getTime() ?? 0)));
  const seconds = secondsUntil(until, now);
  throw new AppError('too_many_requests', `Too many failed sign-ins. Try again in ${seconds} seconds.`, {
    retryAfterSeconds: seconds,
  });
}

async function countFailure(ctx: AppContext, accountKey: string, ipKey: string) {
  const c = ctx.config;
  const now = ctx.clock.now();
  const lock = { windowMinutes: c.OPENCMP_LOGIN_LOCK_MINUTES, lockMinutes: c.OPENCMP_LOGIN_LOCK_MINUTES };
  await recordFailure(ctx.db, accountKey, now, { ...lock, max: c.OPENCMP_LOGIN_MAX_FAILURES });
  await recordFailure(ctx.db, ipKey, now, { ...lock, max: c.OPENCMP_LOGIN_MAX_FAILURES_PER_IP });
}

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

/** Check credentials (and the TOTP code when enabled) and open a session; returns its tokens. */
export async function login(
  ctx: AppContext,
  input: { email: string; password: string; totp?: string },
  client: ClientInfo,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const accountKey = `account:${input.email}`;
  const ipKey = `ip:${client.ip}`;
  await assertNotThrottled(ctx, [accountKey, ipKey]);
  const found = await findUserByEmail(ctx.db, input.email);
  if (found) auditSubject(found.user);
  const stored = found?.user.passwordHash ?? (await dummyHash);
  const passwordOk = await verifyPassword(stored, input.password);
  if (!found || !passwordOk || found.user.status !== 'active') {
    await countFailure(ctx, accountKey, ipKey);
    throw new AppError('invalid_credentials', 'The e-mail or the password is wrong.');
  }
  const { user } = found;
  if (user.totpEnabled && user.totpSecret) {
    if (!input.totp)
      throw new AppError('totp_required', 'Enter the 6-digit code from your authenticator app.');
    const step = totpStep(user.totpSecret, input.totp);
    if (step === null || !(await claimTotpStep(ctx.db, user.id, step))) {
      await countFailure(ctx, accountKey, ipKey);
      throw new AppError('invalid_totp', 'The two-factor code is wrong, expired or already used.');
    }
  }
  await clearThrottle(ctx.db, accountKey);
  const now = ctx.clock.now();
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + ctx.config.OPENCMP_SESSION_DAYS * 86_400_000);
  await insertSession(ctx.db, {
    userId: user.id,
    tokenHash: digest(token),
    csrfToken,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 400) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  await updateUser(ctx.db, user.orgId, user.id, { lastLoginAt: now });
  return { token, csrfToken, expiresAt };
}

/** Resolve a session cookie to its principal, or null when it is unknown, expired or revoked. */
export async function authenticateSession(ctx: AppContext, token: string): Promise<UserPrincipal | null> {
  const now = ctx.clock.now();
  const tokenHash = digest(token);
  const row = await activeSession(ctx.database, tokenHash, now);
  if (!row) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > 60_000) {
    await touchSession(ctx.db, row.session.id, now);
    sessionTouched(ctx.database, tokenHash, now);
  }
  return {
    kind: 'user',
    userId: row.user.id,
    orgId: row.user.orgId,
    role: row.user.role,
    sessionId: row.session.id,
    csrfToken: row.session.csrfToken,
    user: row.user,
    org: row.org,
  };
}

/** End the caller's own session. */
export async function logout(ctx: AppContext, principal: UserPrincipal) {
  await revokeSession(ctx.db, principal.userId, principal.sessionId, ctx.clock.now());
}

/** Calls of the Account tab's user data: profile, password, two-factor, sessions. */
import type { Language } from '@contracts/common.js';
import { apiDelete, apiGet, apiPatch, apiPost } from '../../lib/api.js';

/** Fields PATCH /api/v1/me accepts; send only what changed. */
export interface ProfileChange {
  firstName?: string;
  lastName?: string;
  email?: string;
  language?: Language;
  currentPassword?: string;
}

/** One signed-in session of the user. */
export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** What starting two-factor setup returns: the secret, as text and as a QR code image. */
export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/** Query key of the session list. */
export const sessionsQueryKey = ['me', 'sessions'] as const;

/** Saves profile changes. */
export function updateProfile(change: ProfileChange): Promise<unknown> {
  return apiPatch('/api/v1/me', change);
}

/** Changes the password. */
export function changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
  return apiPost('/api/v1/me/password', { currentPassword, newPassword });
}

/** Starts two-factor setup: a new secret, not active until confirmed with a code. */
export function startTotpSetup(): Promise<TotpSetup> {
  return apiPost<TotpSetup>('/api/v1/me/totp/setup', {});
}

/** Turns two-factor on with a code from the app. */
export function enableTotp(code: string): Promise<unknown> {
  return apiPost('/api/v1/me/totp/enable', { code });
}

/** Turns two-factor off; needs the password. */
export function disableTotp(password: string): Promise<unknown> {
  return apiPost('/api/v1/me/totp/disable', { password });
}

/** Lists the user's signed-in sessions. */
export function listSessions(signal?: AbortSignal): Promise<{ items: SessionInfo[]; total: number }> {
  return apiGet('/api/v1/me/sessions', { signal });
}

/** Signs one session out. */
export function revokeSession(id: string): Promise<unknown> {
  return apiDelete(`/api/v1/me/sessions/${encodeURIComponent(id)}`);
}

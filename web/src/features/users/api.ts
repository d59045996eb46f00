/** Calls of the Users tab: list, invite, edit, resend the invitation, deactivate, activate, delete. */
import type { CustomerRole } from '@contracts/permissions.js';
import type { UserList, UserStatus, UserSummary } from '@contracts/users.js';
import { apiDelete, apiGet, apiPatch, apiPost, query } from '../../lib/api.js';

export type { UserList, UserStatus, UserSummary };

/** Query key prefix of every user list; writes invalidate all of them. */
export const usersQueryKey = ['users'] as const;

/** Search and paging of the user list. */
export interface UserListQuery {
  page: number;
  pageSize: number;
  q: string;
}

/** What the invitation form sends. */
export interface InviteInput {
  firstName: string;
  lastName: string;
  email: string;
  role: CustomerRole;
}

/** Fields PATCH /api/v1/users/{id} accepts; send only what changed. */
export interface UserChange {
  firstName?: string;
  lastName?: string;
  role?: CustomerRole;
}

const path = (id: string) => `/api/v1/users/${encodeURIComponent(id)}`;

/** A page of the organisation's users, optionally searched by name or e-mail. */
export function listUsers(params: UserListQuery, signal?: AbortSignal): Promise<UserList> {
  return apiGet<UserList>(
    `/api/v1/users${query({ page: params.page, pageSize: params.pageSize, q: params.q.trim() })}`,
    { signal },
  );
}

/** Creates a user and mails the invitation. */
export function inviteUser(input: InviteInput): Promise<UserSummary> {
  return apiPost<UserSummary>('/api/v1/users', input);
}

/** Changes name or role. */
export function updateUser(id: string, change: UserChange): Promise<UserSummary> {
  return apiPatch<UserSummary>(path(id), change);
}

/** Mails an invited user a new link; the old one stops working. */
export function resendInvitation(id: string): Promise<UserSummary> {
  return apiPost<UserSummary>(`${path(id)}/invitation`);
}

/** Stops a user from signing in. */
export function deactivateUser(id: string): Promise<UserSummary> {
  return apiPost<UserSummary>(`${path(id)}/deactivate`);
}

/** Lets a deactivated user sign in again. */
export function activateUser(id: string): Promise<UserSummary> {
  return apiPost<UserSummary>(`${path(id)}/activate`);
}

/** Deletes a user for good. */
export function deleteUser(id: string): Promise<unknown> {
  return apiDelete(path(id));
}

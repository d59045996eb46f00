/** Calls of the Configuration tab: monthly limits and defaults; API access (list, create, revoke clients). */
import type { ApiClientSummary, CreatedApiClient } from '@contracts/apiclients.js';
import type { OrgSettings, OrgSettingsRequest } from '@contracts/config.js';
import { apiDelete, apiGet, apiPost, apiPut } from '../../lib/api.js';

export type { ApiClientSummary, CreatedApiClient, OrgSettings, OrgSettingsRequest };

export const settingsQueryKey = ['configuration', 'settings'] as const;

/** Monthly limits with this month's usage, and the defaults for new SIMs. */
export function getSettings(signal?: AbortSignal): Promise<OrgSettings> {
  return apiGet('/api/v1/configuration/settings', { signal });
}

/** Save limits (null = no limit) and defaults. */
export function saveSettings(body: OrgSettingsRequest): Promise<OrgSettings> {
  return apiPut('/api/v1/configuration/settings', body);
}

/** Query key of the API client list; writes invalidate it. */
export const apiClientsQueryKey = ['api-clients'] as const;

/** What the create form sends; without `secret` the server generates one. */
export interface CreateApiClientInput {
  name: string;
  readOnly: boolean;
  secret?: string;
}

/** The organisation's live API clients (never their secrets). */
export function listApiClients(signal?: AbortSignal): Promise<{ items: ApiClientSummary[]; total: number }> {
  return apiGet('/api/v1/api-clients', { signal });
}

/** Creates a client; the answer carries its secret, this once. */
export function createApiClient(input: CreateApiClientInput): Promise<CreatedApiClient> {
  return apiPost<CreatedApiClient>('/api/v1/api-clients', input);
}

/** Revokes a client: its tokens stop working at once. */
export function revokeApiClient(id: string): Promise<unknown> {
  return apiDelete(`/api/v1/api-clients/${encodeURIComponent(id)}`);
}

/** Calls of Configuration → API access: list, create and revoke API clients. */
import type { ApiClientSummary, CreatedApiClient } from '@contracts/apiclients.js';
import { apiDelete, apiGet, apiPost } from '../../lib/api.js';

export type { ApiClientSummary, CreatedApiClient };

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

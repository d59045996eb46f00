/** Calls of the Organisation tab: sub-organisations (counts only) and SIM transfer. */
import type { CreateSubOrganisationRequest, SubOrganisation, TransferResult } from '@contracts/orgs.js';
import { apiDelete, apiGet, apiPatch, apiPost } from '../../lib/api.js';

export type { CreateSubOrganisationRequest, SubOrganisation, TransferResult };

/** Query key of the sub-organisation list; every write invalidates it. */
export const orgsQueryKey = ['organisations'] as const;

const path = (id: string) => `/api/v1/organisations/${encodeURIComponent(id)}`;

export function listSubOrganisations(signal?: AbortSignal) {
  return apiGet<{ items: SubOrganisation[]; total: number }>('/api/v1/organisations', { signal });
}

/** Creates a sub-organisation and mails its owner the invitation. */
export function createSubOrganisation(body: CreateSubOrganisationRequest) {
  return apiPost<SubOrganisation>('/api/v1/organisations', body);
}

export function renameSubOrganisation(id: string, name: string) {
  return apiPatch<SubOrganisation>(path(id), { name });
}

export function deleteSubOrganisation(id: string) {
  return apiDelete<{ ok: true }>(path(id));
}

/** What a transfer sends: exactly one of iccid, ranges or file. */
export interface TransferInput {
  sourceOrgId: string;
  targetOrgId: string;
  iccid?: string;
  ranges?: { start: string; end: string }[];
  file?: string;
  dryRun: boolean;
}

/** Checks (dryRun) or performs a SIM transfer; a 400 carries one error per bad line. */
export function transferSims(input: TransferInput) {
  return apiPost<TransferResult>('/api/v1/sims/transfer', input);
}

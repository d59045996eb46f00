/** Calls of the operator console's SMSC panel. */
import type { SmscStatus } from '@contracts/sms.js';
import { apiGet, request } from '../../lib/api.js';

export type { SmscStatus };

export const smscQueryKey = ['operator', 'network', 'smsc'] as const;

/** Live state of the SMSC connection. */
export function getSmsc(signal?: AbortSignal): Promise<SmscStatus> {
  return apiGet('/api/v1/operator/network/smsc', { signal });
}

/** Set the SMSC URL (null: back to SMPP_URL). */
export function updateSmsc(url: string | null): Promise<SmscStatus> {
  return request('PUT', '/api/v1/operator/network/smsc', { url });
}

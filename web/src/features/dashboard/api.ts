/** Calls of the Dashboard tab. */
import type { Dashboard, UsagePeriod } from '@contracts/usage.js';
import { apiGet } from '../../lib/api.js';

export type { Dashboard, UsagePeriod };

export const dashboardQueryKey = ['dashboard'] as const;

/** The dashboard's figures, all of one moment. */
export function getDashboard(signal?: AbortSignal): Promise<Dashboard> {
  return apiGet<Dashboard>('/api/v1/dashboard', { signal });
}

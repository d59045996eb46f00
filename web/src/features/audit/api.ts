/** Calls of the audit log: an organisation's own log, or a customer's log in the operator console. */
import type { AuditEntry, AuditPage } from '@contracts/audit.js';
import { apiGet } from '../../lib/api.js';

export type { AuditEntry, AuditPage };

/** The filters the audit log page offers (all optional). */
export interface AuditFilters {
  actor?: string;
  action?: string;
  target?: string;
  /** ISO instants: from (inclusive), to (exclusive). */
  from?: string;
  to?: string;
  q?: string;
}

/** Where a log lives: the caller's own organisation, or one customer for operators. */
export function auditBase(customerId?: string): string {
  return customerId ? `/api/v1/operator/customers/${encodeURIComponent(customerId)}/audit` : '/api/v1/audit';
}

/** Query key of a log (own or a customer's). */
export const auditQueryKey = (customerId?: string) => ['audit', customerId ?? 'own'] as const;

function query(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** One page of the log, newest first. */
export function listAudit(
  base: string,
  filters: AuditFilters,
  page: number,
  pageSize: number,
  signal?: AbortSignal,
): Promise<AuditPage> {
  return apiGet<AuditPage>(`${base}${query(filters, { page: String(page), pageSize: String(pageSize) })}`, {
    signal,
  });
}

/** The address of the CSV export of the filtered log (a plain download: the session cookie authenticates it). */
export function auditCsvUrl(base: string, filters: AuditFilters): string {
  return `${base}/export.csv${query(filters)}`;
}

/** Calls of the operator console. */
import type { OutboxMail } from '@contracts/operator.js';
import { apiGet, query } from '../../lib/api.js';

export type { OutboxMail };

/** A page of the mail outbox. */
export interface OutboxPage {
  items: OutboxMail[];
  total: number;
  page: number;
  pageSize: number;
}

/** Filter and paging of the outbox list. */
export interface OutboxQuery {
  page: number;
  pageSize: number;
  to: string;
}

/** Lists outbox mails, newest first, optionally filtered by recipient. */
export function listOutbox(params: OutboxQuery, signal?: AbortSignal): Promise<OutboxPage> {
  return apiGet<OutboxPage>(
    `/api/v1/operator/mails${query({ page: params.page, pageSize: params.pageSize, to: params.to.trim() })}`,
    { signal },
  );
}

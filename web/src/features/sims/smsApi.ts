/** Calls of a SIM's SMS tab: list (with the SMS volume), send, cancel/remove. */
import type { SmsMessage, SmsPage, SmsStatus } from '@contracts/sms.js';
import { apiDelete, apiGet, apiPost } from '../../lib/api.js';
import { simsQueryKey } from './api.js';

export type { SmsMessage, SmsPage, SmsStatus };

export const smsQueryKey = (iccid: string) => [...simsQueryKey, 'sms', iccid] as const;

/** One page of a SIM's SMS, newest first. */
export function listSms(
  iccid: string,
  page: number,
  pageSize: number,
  signal?: AbortSignal,
): Promise<SmsPage> {
  return apiGet(`/api/v1/sims/${encodeURIComponent(iccid)}/sms?page=${page}&pageSize=${pageSize}`, {
    signal,
  });
}

/** Queue an MT SMS to the SIM. */
/** Send an MT; without a sender, the provider's default one. */
export function sendSms(iccid: string, text: string, sourceAddress?: string): Promise<SmsMessage> {
  return apiPost(
    `/api/v1/sims/${encodeURIComponent(iccid)}/sms`,
    sourceAddress ? { text, sourceAddress } : { text },
  );
}

/** Cancel a pending MT, or remove any other message from the list. */
export function deleteSms(
  iccid: string,
  id: string,
): Promise<{ outcome: 'cancelled' | 'removed'; message: SmsMessage }> {
  return apiDelete(`/api/v1/sims/${encodeURIComponent(iccid)}/sms/${encodeURIComponent(id)}`);
}

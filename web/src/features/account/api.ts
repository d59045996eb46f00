/** Calls of the Account tab: user data (profile, password, two-factor, sessions), customer data, addresses. */
import type { Address, CustomerData } from '@contracts/account.js';
import type { Language } from '@contracts/common.js';
import { apiDelete, apiGet, apiPatch, apiPost } from '../../lib/api.js';

export type { Address, CustomerData };
/** Category of an extra e-mail address. */
export type EmailCategory = CustomerData['emails'][number]['category'];

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

/** Query key of the customer data (GET /api/v1/account). */
export const customerQueryKey = ['account', 'customer'] as const;
/** Query key of the address list. */
export const addressesQueryKey = ['account', 'addresses'] as const;

/** Fields PATCH /api/v1/account accepts; send only what changed (null clears). */
export interface CustomerDataChange {
  invoiceEmail?: string;
  language?: Language;
  contactName?: string | null;
  contactPhone?: string | null;
}

/** The postal fields of an address, as the forms send them. */
export interface AddressFields {
  company: string;
  recipient: string | null;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

/** Loads the organisation's customer data. */
export function getCustomerData(signal?: AbortSignal): Promise<CustomerData> {
  return apiGet<CustomerData>('/api/v1/account', { signal });
}

/** Saves changes to the customer data. */
export function updateCustomerData(change: CustomerDataChange): Promise<CustomerData> {
  return apiPatch<CustomerData>('/api/v1/account', change);
}

/** Adds an extra e-mail address with a category. */
export function addAccountEmail(email: string, category: EmailCategory): Promise<CustomerData> {
  return apiPost<CustomerData>('/api/v1/account/emails', { email, category });
}

/** Removes an extra e-mail address. */
export function removeAccountEmail(id: string): Promise<CustomerData> {
  return apiDelete<CustomerData>(`/api/v1/account/emails/${encodeURIComponent(id)}`);
}

/** Lists the invoice and delivery addresses. */
export function listAddresses(signal?: AbortSignal): Promise<{ items: Address[]; total: number }> {
  return apiGet('/api/v1/account/addresses', { signal });
}

/** Creates an address (a delivery address, or the invoice address when there is none). */
export function createAddress(
  input: AddressFields & { kind: Address['kind']; isDefault?: boolean },
): Promise<Address> {
  return apiPost<Address>('/api/v1/account/addresses', input);
}

/** Changes an address; `isDefault` applies to delivery addresses only. */
export function updateAddress(
  id: string,
  change: Partial<AddressFields> & { isDefault?: boolean },
): Promise<Address> {
  return apiPatch<Address>(`/api/v1/account/addresses/${encodeURIComponent(id)}`, change);
}

/** Removes a delivery address. */
export function removeAddress(id: string): Promise<unknown> {
  return apiDelete(`/api/v1/account/addresses/${encodeURIComponent(id)}`);
}

/** Calls of the operator console. */
import type { NasClient, NetworkStatus } from '@contracts/network.js';
import type { OutboxMail } from '@contracts/operator.js';
import type {
  assignRequest,
  assignResult,
  CreateCustomerRequest,
  CustomerDetail,
  customerList,
  customerSummary,
  importResult,
  ipPool,
  ipPoolList,
  stockSummary,
} from '@contracts/stock.js';
import type { UserSummary } from '@contracts/users.js';
import type { z } from 'zod';
import { apiDelete, apiGet, apiPatch, apiPost, apiPostText, query } from '../../lib/api.js';

export type { NasClient, NetworkStatus, OutboxMail };

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

/** Stock summary, customers, IP address spaces and the assign request of the "SIM stock" area. */
export type StockSummary = z.infer<typeof stockSummary>;
export type StockRange = StockSummary['ranges'][number];
export type Customer = z.infer<typeof customerSummary>;
export type CustomerList = z.infer<typeof customerList>;
export type IpPool = z.infer<typeof ipPool>;
export type IpPoolList = z.infer<typeof ipPoolList>;
export type AssignRequest = z.input<typeof assignRequest>;
export type AssignResult = z.infer<typeof assignResult>;
export type ImportResult = z.infer<typeof importResult>;
export type { CreateCustomerRequest, CustomerDetail };

/** Query keys of the stock area; import and assignment invalidate all of them. */
export const stockKeys = {
  summary: ['operator', 'stock'] as const,
  customers: ['operator', 'customers'] as const,
  pools: (orgId: string) => ['operator', 'customers', orgId, 'ip-pools'] as const,
};

/** SIMs in stock: total, per form factor, contiguous ICCID ranges (at most 200). */
export function getStockSummary(signal?: AbortSignal): Promise<StockSummary> {
  return apiGet<StockSummary>('/api/v1/operator/stock', { signal });
}

/** Imports a stock CSV (all lines or none); a 400 carries `errors[]` with `line`, `field`, `message`. */
export function importStock(csv: string): Promise<ImportResult> {
  return apiPostText<ImportResult>('/api/v1/operator/stock/import', csv, 'text/csv');
}

/** Assigns the stock SIMs of an ICCID range to a customer organisation. */
export function assignStock(body: AssignRequest): Promise<AssignResult> {
  return apiPost<AssignResult>('/api/v1/operator/stock/assign', body);
}

/** Customer organisations with their SIM counts; `q` searches name and account number. */
export function listCustomers(signal?: AbortSignal, q?: string): Promise<CustomerList> {
  return apiGet<CustomerList>(`/api/v1/operator/customers${query({ q: q?.trim() })}`, { signal });
}

/** One customer organisation with its users, SIM count and IP address spaces. */
export function getCustomer(orgId: string, signal?: AbortSignal): Promise<CustomerDetail> {
  return apiGet<CustomerDetail>(`/api/v1/operator/customers/${encodeURIComponent(orgId)}`, { signal });
}

/** Creates a customer organisation; its Owner is invited by e-mail. */
export function createCustomer(body: CreateCustomerRequest): Promise<CustomerDetail> {
  return apiPost<CustomerDetail>('/api/v1/operator/customers', body);
}

/** The IP address spaces of a customer organisation. */
export function listIpPools(orgId: string, signal?: AbortSignal): Promise<IpPoolList> {
  return apiGet<IpPoolList>(`/api/v1/operator/customers/${encodeURIComponent(orgId)}/ip-pools`, { signal });
}

/** Gives a customer another IPv4 block; answers the customer's spaces. */
export function addIpPool(orgId: string, cidr: string): Promise<IpPoolList> {
  return apiPost<IpPoolList>(`/api/v1/operator/customers/${encodeURIComponent(orgId)}/ip-pools`, { cidr });
}

/** The operator's actions on a customer's Owners (nobody in the organisation administers an Owner). */
const ownersPath = (orgId: string) => `/api/v1/operator/customers/${encodeURIComponent(orgId)}/owners`;

/** Invites another Owner into a customer organisation. */
export function inviteCustomerOwner(
  orgId: string,
  person: { firstName: string; lastName: string; email: string },
): Promise<UserSummary> {
  return apiPost<UserSummary>(ownersPath(orgId), person);
}

/** Resends, deactivates or activates one of a customer's Owners. */
export function ownerAction(
  orgId: string,
  userId: string,
  action: 'invitation' | 'deactivate' | 'activate',
): Promise<UserSummary> {
  return apiPost<UserSummary>(`${ownersPath(orgId)}/${encodeURIComponent(userId)}/${action}`);
}

/** NAS clients and RADIUS counters of the "Network" area. */
export type NasClientInput = { name: string; address: string; secret?: string; daePort: number };

export const networkKeys = {
  nasClients: ['operator', 'network', 'nas-clients'] as const,
  status: ['operator', 'network', 'status'] as const,
};

export function listNasClients(signal?: AbortSignal): Promise<{ items: NasClient[] }> {
  return apiGet('/api/v1/operator/network/nas-clients', { signal });
}

export function createNasClient(input: NasClientInput): Promise<NasClient> {
  return apiPost('/api/v1/operator/network/nas-clients', input);
}

export function updateNasClient(id: string, input: Partial<NasClientInput>): Promise<NasClient> {
  return apiPatch(`/api/v1/operator/network/nas-clients/${encodeURIComponent(id)}`, input);
}

export function deleteNasClient(id: string): Promise<void> {
  return apiDelete(`/api/v1/operator/network/nas-clients/${encodeURIComponent(id)}`);
}

export function getNetworkStatus(signal?: AbortSignal): Promise<NetworkStatus> {
  return apiGet('/api/v1/operator/network/status', { signal });
}

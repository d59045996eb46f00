/** Calls of the My SIMs tab: list, detail, changes, events, usage, bulk jobs, exports, the column preference. */

import type { Preferences } from '@contracts/auth.js';
import { type SimColumn, simColumns } from '@contracts/columns.js';
import type { SimDetail, SimPage, SimSummary, TopUpPackage, UpdateSimRequest } from '@contracts/sims.js';
import { apiGet, apiPatch, apiPost, request } from '../../lib/api.js';

export type { SimDetail, SimPage, SimSummary, TopUpPackage, UpdateSimRequest };

/** One page of a list answer. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Customer-visible SIM states. */
export type SimStatus = SimSummary['status'];
/** Session states reported by the network. */
export type SessionState = SimSummary['session'];
/** Volume groups (data and SMS alike). */
export type VolumeGroup = SimSummary['dataVolume'];
/** Columns of the list a user can show or hide. */
export type { SimColumn };

export const simStatuses: readonly SimStatus[] = ['activated', 'deactivated', 'expired'];
export const sessionStates: readonly SessionState[] = ['online', 'attached', 'offline', 'blocked'];
export const volumeGroups: readonly VolumeGroup[] = ['sufficient', 'low', 'none'];

/** Every column, in display order. */
export const allSimColumns = simColumns;

/** Columns shown before the user chooses. */
export const defaultSimColumns: readonly SimColumn[] = [
  'status',
  'session',
  'iccid',
  'msisdn',
  'label',
  'dataVolume',
  'smsVolume',
  'endOfLife',
];

/** Sort keys of GET /sims per column (columns without one are not sortable). */
export const sortKeyOfColumn: Partial<Record<SimColumn, string>> = {
  status: 'status',
  session: 'session',
  iccid: 'iccid',
  imsi: 'imsi',
  msisdn: 'msisdn',
  imei: 'imei',
  ipAddress: 'ip',
  label: 'label',
  dataVolume: 'dataLeft',
  smsVolume: 'smsLeft',
  endOfLife: 'endOfLife',
  imeiLock: 'imeiLock',
  autoTopUp: 'autoTopUp',
};

/** What the list filters by: the "all that match" of bulk actions and exports. */
export interface SimFilter {
  q: string;
  status: SimStatus[];
  session: SessionState[];
  dataVolume: VolumeGroup[];
  smsVolume: VolumeGroup[];
}

/** A whole list request: filter, sort and page. */
export interface SimListParams extends SimFilter {
  sort: string;
  page: number;
  pageSize: number;
}

/** The filter (and optionally sort and page) as query parameters of GET /sims and the exports. */
export function simQueryString(filter: SimFilter & Partial<SimListParams>): string {
  const search = new URLSearchParams();
  if (filter.q.trim()) search.set('q', filter.q.trim());
  if (filter.status.length) search.set('status', filter.status.join(','));
  if (filter.session.length) search.set('session', filter.session.join(','));
  if (filter.dataVolume.length) search.set('dataVolume', filter.dataVolume.join(','));
  if (filter.smsVolume.length) search.set('smsVolume', filter.smsVolume.join(','));
  if (filter.sort) search.set('sort', filter.sort);
  if (filter.page) search.set('page', String(filter.page));
  if (filter.pageSize) search.set('pageSize', String(filter.pageSize));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The filter as the JSON body of POST /sims/bulk (arrays, empty ones left out). */
export function simFilterBody(filter: SimFilter): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (filter.q.trim()) body.q = filter.q.trim();
  if (filter.status.length) body.status = filter.status;
  if (filter.session.length) body.session = filter.session;
  if (filter.dataVolume.length) body.dataVolume = filter.dataVolume;
  if (filter.smsVolume.length) body.smsVolume = filter.smsVolume;
  return body;
}

/** How often an open SIM detail page reads its SIM and first page of events again (react-query pauses it in the background). */
export const liveRefreshMs = 5000;

export const simsQueryKey = ['sims'] as const;
export const preferencesQueryKey = ['me', 'preferences'] as const;

/** One page of SIMs; a search's total may be counted only so far (`totalExact` false: more than `total` match). */
export function listSims(params: SimListParams, signal?: AbortSignal): Promise<SimPage> {
  return apiGet(`/api/v1/sims${simQueryString(params)}`, { signal });
}

/** Every SIM the filter matches, counted (the list counts a search only so far). */
export function countSims(filter: SimFilter, signal?: AbortSignal): Promise<{ total: number }> {
  return apiGet(`/api/v1/sims/count${simQueryString(filter)}`, { signal });
}

/** One SIM with lifetime and network data. */
export function getSim(iccid: string, signal?: AbortSignal): Promise<SimDetail> {
  return apiGet(`/api/v1/sims/${encodeURIComponent(iccid)}`, { signal });
}

/** Resets the SIM's data connection: a Disconnect-Request to the network (asynchronous, 202). */
export function resetConnection(
  iccid: string,
): Promise<{ iccid: string; sessions: number; resetPending: true }> {
  return apiPost(`/api/v1/sims/${encodeURIComponent(iccid)}/reset`);
}

/** Changes label, state, IMEI lock or auto top-up of one SIM. */
export function updateSim(iccid: string, change: UpdateSimRequest): Promise<SimDetail> {
  return apiPatch(`/api/v1/sims/${encodeURIComponent(iccid)}`, change);
}

/** Severity of an event. */
export type EventSeverity = 'info' | 'warning' | 'critical';
export const eventSeverities: readonly EventSeverity[] = ['info', 'warning', 'critical'];

/** One event of a SIM. */
export interface SimEvent {
  id: number;
  occurredAt: string;
  type: number;
  typeName: string;
  severity: EventSeverity;
  source: 'network' | 'policy' | 'user' | 'api';
  actor: string | null;
  description: string;
  details: Record<string, unknown>;
}

/** Events of a SIM, newest first. */
/** What one top-up adds (the server's configuration). */
export function getTopUpPackage(signal?: AbortSignal): Promise<TopUpPackage> {
  return apiGet('/api/v1/sims/top-up-package', { signal });
}

/** Add a top-up package (data and SMS) to a SIM; billed with the next invoice. */
export function topUpSim(iccid: string): Promise<SimDetail> {
  return apiPost(`/api/v1/sims/${encodeURIComponent(iccid)}/top-up`);
}

/** Start a new lifetime period for an expired SIM or one in its last months. */
export function extendSim(iccid: string): Promise<SimDetail> {
  return apiPost(`/api/v1/sims/${encodeURIComponent(iccid)}/extend`);
}

export function listSimEvents(
  iccid: string,
  params: { type: number[]; severity: EventSeverity[]; page: number; pageSize: number },
  signal?: AbortSignal,
): Promise<Paged<SimEvent>> {
  const search = new URLSearchParams();
  if (params.type.length) search.set('type', params.type.join(','));
  if (params.severity.length) search.set('severity', params.severity.join(','));
  search.set('page', String(params.page));
  search.set('pageSize', String(params.pageSize));
  return apiGet(`/api/v1/sims/${encodeURIComponent(iccid)}/events?${search}`, { signal });
}

/** Usage figures of one day or hour. */
export interface UsageFigures {
  dataUp: number;
  dataDown: number;
  smsMo: number;
  smsMt: number;
}

/** Usage of a SIM per day (and per UTC hour when asked by hour), with totals and its volume. */
export interface SimUsage {
  granularity: 'hour' | 'day';
  from: string;
  to: string;
  days: ({ day: string } & UsageFigures)[];
  hours?: ({ hour: string } & UsageFigures)[];
  totals: UsageFigures;
  volume: { dataTotal: number; dataUsed: number; smsTotal: number; smsUsed: number };
}

/** Usage between two days (YYYY-MM-DD, inclusive), by day or by hour. */
export function getSimUsage(
  iccid: string,
  from: string,
  to: string,
  granularity: 'hour' | 'day',
  signal?: AbortSignal,
): Promise<SimUsage> {
  const search = new URLSearchParams({ granularity, from, to });
  return apiGet(`/api/v1/sims/${encodeURIComponent(iccid)}/usage?${search}`, { signal });
}

/** Actions that run over many SIMs as a background job. */
export type BulkAction =
  | 'activate'
  | 'deactivate'
  | 'imeiLockOn'
  | 'imeiLockOff'
  | 'autoTopUpOn'
  | 'autoTopUpOff'
  | 'topUp';

/** A background job and its progress. */
export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  succeeded: number;
  unchanged: number;
  failed: number;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** The result of one SIM in a job. */
export interface JobItem {
  iccid: string;
  result: 'pending' | 'ok' | 'unchanged' | 'error';
  message: string | null;
}

/** Starts a bulk action over chosen SIMs or over all that match a filter. */
export function startBulk(
  action: BulkAction,
  target: { iccids: string[] } | { filter: SimFilter },
): Promise<Job> {
  const body =
    'iccids' in target ? { action, iccids: target.iccids } : { action, filter: simFilterBody(target.filter) };
  return apiPost('/api/v1/sims/bulk', body);
}

/** A job's progress. */
export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return apiGet(`/api/v1/jobs/${encodeURIComponent(id)}`, { signal });
}

/** The SIMs a job failed on, with the reason. */
export function listFailedJobItems(id: string, signal?: AbortSignal): Promise<Paged<JobItem>> {
  return apiGet(`/api/v1/jobs/${encodeURIComponent(id)}/items?result=error&page=1&pageSize=200`, { signal });
}

/** The download address of the filtered, sorted list. */
export function exportUrl(format: 'csv' | 'xlsx', filter: SimFilter): string {
  // the filter alone: the export takes no sort or page (the server refuses what it would ignore)
  const { q, status, session, dataVolume, smsVolume } = filter;
  return `/api/v1/sims/export.${format}${simQueryString({ q, status, session, dataVolume, smsVolume })}`;
}

/** The user's remembered settings. */
export function getPreferences(signal?: AbortSignal): Promise<Preferences> {
  return apiGet('/api/v1/me/preferences', { signal });
}

/** Saves the chosen list columns. */
export function savePreferences(change: Preferences): Promise<Preferences> {
  return request<Preferences>('PUT', '/api/v1/me/preferences', change);
}

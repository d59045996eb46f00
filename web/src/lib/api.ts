/** The portal's one HTTP client: same-origin cookies, CSRF header, problem+json errors. */
import type { Problem } from '@contracts/common.js';

/** Name of the JS-readable cookie that carries the CSRF token of the session. */
export const csrfCookie = 'opencmp_csrf';

/** A failed API call, carrying the RFC 9457 problem the server answered. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** Field errors of a 400; a CSV import's carry the `line` they were found on. */
  readonly fieldErrors: NonNullable<Problem['errors']>;
  /** Seconds from the `Retry-After` header of a 429, if any. */
  readonly retryAfter: number | undefined;
  /** What exactly is in the way of a 409, as a stable key, and the values its message names. */
  readonly reason: string | undefined;
  readonly params: Record<string, string | number>;

  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.fieldErrors = problem.errors ?? [];
    this.retryAfter = retryAfter;
    this.reason = problem.reason;
    this.params = problem.params ?? {};
  }
}

/** Whether a value is an ApiError, optionally with a given code. */
export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

let fallbackCsrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

/** Remembers the CSRF token a login or /me answered, for browsers that hide the cookie. */
export function rememberCsrfToken(token: string): void {
  fallbackCsrfToken = token;
}

/** Registers what happens when a call answers 401 (the app sends the user to /login). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'code' in value;
}

async function toApiError(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
  const body: unknown = await res.json().catch(() => undefined);
  if (isProblem(body)) return new ApiError(body, retryAfter);
  return new ApiError(
    {
      type: 'about:blank',
      title: res.statusText || 'Error',
      status: res.status,
      detail: res.statusText || `HTTP ${res.status}`,
      code: res.status === 429 ? 'too_many_requests' : `http_${res.status}`,
    },
    retryAfter,
  );
}

/** Options of one call. */
export interface RequestOptions {
  /** Do not redirect to /login on 401 (login itself answers 401 for wrong passwords). */
  allowUnauthorized?: boolean;
  signal?: AbortSignal;
  /** Send `body` (a string) as-is with this content type instead of as JSON. */
  contentType?: string;
}

/** Calls the API and returns the parsed JSON answer; throws ApiError on any failure. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  if (method !== 'GET') {
    const token = readCookie(csrfCookie) ?? fallbackCsrfToken;
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : options.contentType ? String(body) : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'The server could not be reached.',
      code: 'network_error',
    });
  }
  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && !options.allowUnauthorized) onUnauthorized?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET a JSON resource. */
export function apiGet<T>(path: string, options?: RequestOptions): Promise<T> {
  return request<T>('GET', path, undefined, options);
}

/** POST a JSON body. */
export function apiPost<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
  return request<T>('POST', path, body ?? {}, options);
}

/** POST a text body (such as a CSV file) with its content type. */
export function apiPostText<T>(path: string, text: string, contentType: string): Promise<T> {
  return request<T>('POST', path, text, { contentType });
}

/** PATCH a JSON body. */
export function apiPatch<T>(path: string, body: unknown): Promise<T> {
  return request<T>('PATCH', path, body);
}

/** PUT a JSON body (replace a resource's settings). */
export function apiPut<T>(path: string, body: unknown): Promise<T> {
  return request<T>('PUT', path, body);
}

/** DELETE a resource. */
export function apiDelete<T>(path: string): Promise<T> {
  return request<T>('DELETE', path);
}

/** Builds a query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

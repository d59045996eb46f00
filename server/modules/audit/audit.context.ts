/**
 * What a request's services add to its audit row: the changed fields (before/after), the target, the
 * organisation touched, the actor of a request without a principal (sign-in). The audit plugin runs
 * every write handler inside `auditStorage.run(draft)`, so services call these without a request at
 * hand; outside a request (jobs, tests calling services directly) they do nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AuditActor {
  kind: 'user' | 'operator' | 'client' | 'anonymous';
  id: string | null;
  name: string | null;
  email: string | null;
  role: string | null;
  orgId: string | null;
}

export interface AuditChanges {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The part of an audit row that the handler and its services fill in. */
export interface AuditDraft {
  target?: string;
  /** The organisation whose data was touched, when it is not the actor's own (operators on a customer). */
  orgId?: string;
  /** Further organisations touched by the same request (e.g. both sides of a SIM transfer): one row each. */
  alsoOrgIds?: string[];
  /** The actor when the request has no principal (sign-in, password links, first set-up). */
  actor?: AuditActor;
  changes?: AuditChanges;
}

export const auditStorage = new AsyncLocalStorage<AuditDraft>();

/** Keys whose values never reach the audit log. */
const secretKey = /pass(word)?|secret|token|totp|hash|otp|^code$|^pin\d?$|^puk\d?$|authorization|cookie/i;

/** A copy with every value under a secret-sounding key replaced by "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = secretKey.test(k) && v !== null && v !== undefined ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  // a password inside a URL (smpp://user:password@host) is a secret too
  if (typeof value === 'string')
    return value.replace(/([a-z][\w+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, '$1[redacted]@');
  return value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Record what changed: only the keys whose values differ end up in the row, secrets redacted.
 * Called twice in one request, the first "before" and the last "after" of each key win.
 */
export function auditChange(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const draft = auditStorage.getStore();
  if (!draft) return;
  const b = (redact(before ?? {}) ?? {}) as Record<string, unknown>;
  const a = (redact(after ?? {}) ?? {}) as Record<string, unknown>;
  const changes = draft.changes ?? { before: {}, after: {} };
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (same(b[key], a[key])) continue;
    // a creation has no "before", a deletion no "after"
    if (before && !(key in changes.before)) changes.before[key] = b[key] ?? null;
    if (after) changes.after[key] = a[key] ?? null;
  }
  if (Object.keys(changes.after).length > 0 || Object.keys(changes.before).length > 0)
    draft.changes = changes;
}

/** Name what the request acted on, e.g. `job:<id>` for a job it created. */
export function auditTarget(target: string) {
  const draft = auditStorage.getStore();
  if (draft) draft.target = target;
}

/** Name the organisation whose data the request touched (and further ones, each getting a row). */
export function auditOrg(orgId: string, ...also: string[]) {
  const draft = auditStorage.getStore();
  if (!draft) return;
  draft.orgId = orgId;
  if (also.length) draft.alsoOrgIds = [...(draft.alsoOrgIds ?? []), ...also];
}

/** Name the person a request without a principal acts as (sign-in, password link). */
export function auditSubject(user: {
  id: string;
  orgId: string;
  firstName: string;
  lastName: string;
  email: string;
  role: string;
}) {
  const draft = auditStorage.getStore();
  if (!draft) return;
  draft.actor = {
    kind: user.role === 'operator' ? 'operator' : 'user',
    id: user.id,
    name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    role: user.role,
    orgId: user.orgId,
  };
}

/** Name the API client a request without a principal acts as (the token endpoint). */
export function auditClient(client: { id: string; clientId: string; orgId: string }) {
  const draft = auditStorage.getStore();
  if (!draft) return;
  draft.actor = {
    kind: 'client',
    id: client.id,
    name: client.clientId,
    email: null,
    role: 'api',
    orgId: client.orgId,
  };
}

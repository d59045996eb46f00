/** The audit log: reading an organisation's entries (page and CSV) — writing is the audit plugin's job. */
import { Readable } from 'node:stream';
import type { AuditEntry, AuditFilter, AuditQuery } from '../../../contracts/audit.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../lib/errors.js';
import { findOrganisation } from '../orgs/orgs.repository.js';
import { type AuditRow, auditBefore, pageAudit } from './audit.repository.js';

export function presentAudit(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: { kind: r.actorKind, id: r.actorId, name: r.actorName, email: r.actorEmail, role: r.actorRole },
    action: r.action,
    method: r.method,
    route: r.route,
    target: r.target,
    status: r.status,
    outcome: r.outcome,
    request: r.request ?? null,
    changes: r.changes ?? null,
    ip: r.ip,
    userAgent: r.userAgent,
    requestId: r.requestId,
  };
}

/** A page of one organisation's audit log, newest first. */
export async function listAudit(ctx: AppContext, orgId: string, q: AuditQuery) {
  const { page, pageSize, ...filter } = q;
  const { items, total } = await pageAudit(ctx.db, orgId, filter, page, pageSize);
  return { items: items.map(presentAudit), total, page, pageSize };
}

/** A customer organisation for the operator console; anything else (provider, unknown id) is a 404. */
export async function assertCustomer(ctx: AppContext, orgId: string) {
  const org = await findOrganisation(ctx.db, orgId);
  if (org?.kind !== 'customer') throw notFound('Customer');
  return org;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

const columns: [string, (r: AuditRow) => string | number | null][] = [
  ['Time', (r) => r.at.toISOString()],
  ['Actor kind', (r) => r.actorKind],
  ['Actor', (r) => r.actorName],
  ['E-mail', (r) => r.actorEmail],
  ['Role', (r) => r.actorRole],
  ['Action', (r) => r.action],
  ['Target', (r) => r.target],
  ['Status', (r) => r.status],
  ['Outcome', (r) => r.outcome],
  ['Before', (r) => json(r.changes?.before)],
  ['After', (r) => json(r.changes?.after)],
  ['Request', (r) => json(r.request)],
  ['IP', (r) => r.ip],
  ['User agent', (r) => r.userAgent],
  ['Request id', (r) => r.requestId],
];

/** A CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",;\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const batch = 2000;

/** Every matching entry of one organisation as CSV, newest first, streamed in keyset batches. */
export function exportAuditCsv(ctx: AppContext, orgId: string, filter: AuditFilter): Readable {
  async function* lines() {
    yield `\uFEFF${columns.map(([h]) => h).join(',')}\r\n`;
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const rows = await auditBefore(ctx.db, orgId, filter, after, batch);
      if (rows.length === 0) return;
      yield `${rows.map((r) => columns.map(([, f]) => csvCell(f(r))).join(',')).join('\r\n')}\r\n`;
      const last = rows.at(-1);
      if (!last || rows.length < batch) return;
      after = { at: last.at, id: last.id };
    }
  }
  return Readable.from(lines());
}

/** Audit rows: inserted after each write, read per organisation newest first, deleted after retention. */
import { and, count, desc, eq, gte, ilike, like, lt, or, type SQL, sql } from 'drizzle-orm';
import type { AuditFilter } from '../../../contracts/audit.js';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';

export type NewAuditRow = typeof auditLog.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;

export async function insertAudit(db: Db, rows: NewAuditRow[]) {
  if (rows.length > 0) await db.insert(auditLog).values(rows);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `%`, `_` and `\` typed by a person match themselves. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (s: string) => `%${escapeLike(s)}%`;

/** The WHERE of a filter, always inside one organisation. */
function whereOf(orgId: string, f: AuditFilter): SQL | undefined {
  const t = auditLog;
  return and(
    eq(t.orgId, orgId),
    f.actor
      ? uuidPattern.test(f.actor)
        ? eq(t.actorId, f.actor)
        : or(ilike(t.actorName, contains(f.actor)), ilike(t.actorEmail, contains(f.actor)))
      : undefined,
    f.action
      ? f.action.endsWith('*')
        ? like(t.action, `${escapeLike(f.action.slice(0, -1))}%`)
        : eq(t.action, f.action)
      : undefined,
    f.target ? ilike(t.target, contains(f.target)) : undefined,
    f.from ? gte(t.at, new Date(f.from)) : undefined,
    f.to ? lt(t.at, new Date(f.to)) : undefined,
    f.q
      ? or(
          ilike(t.actorName, contains(f.q)),
          ilike(t.actorEmail, contains(f.q)),
          ilike(t.action, contains(f.q)),
          ilike(t.target, contains(f.q)),
          ilike(t.ip, contains(f.q)),
          ilike(t.userAgent, contains(f.q)),
        )
      : undefined,
  );
}

/** One page of an organisation's audit log, newest first. */
export async function pageAudit(db: Db, orgId: string, f: AuditFilter, page: number, pageSize: number) {
  const where = whereOf(orgId, f);
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** The next batch of matching rows older than `after` (keyset on at, id), for the CSV export. */
export async function auditBefore(
  db: Db,
  orgId: string,
  f: AuditFilter,
  after: { at: Date; id: string } | null,
  limit: number,
) {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        whereOf(orgId, f),
        after
          ? sql`(${auditLog.at}, ${auditLog.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}

/** Delete rows older than the cut-off; returns how many went. */
export async function deleteAuditBefore(db: Db, cutoff: Date): Promise<number> {
  const rows = await db.delete(auditLog).where(lt(auditLog.at, cutoff)).returning({ id: auditLog.id });
  return rows.length;
}

/** Queries of SIM events; every read is scoped by organisation and SIM. */
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';
import { simEvents } from '../../db/schema/index.js';

export type NewEvent = typeof simEvents.$inferInsert;
export type EventRow = typeof simEvents.$inferSelect;

/**
 * Store events in one statement per 5,000: the columns go as arrays through `unnest`, so the cost
 * does not grow with a query builder's per-value work (receipt and accounting batches write
 * hundreds at once).
 */
export async function insertEvents(db: Db, events: NewEvent[]) {
  for (let i = 0; i < events.length; i += 5000) {
    const c = events.slice(i, i + 5000);
    const col = <T>(f: (e: NewEvent) => T) => sql.param(c.map(f));
    await db.execute(sql`
      INSERT INTO ${simEvents} (org_id, iccid, occurred_at, type, severity, source, actor_id, actor_name, description, details)
      SELECT u.org_id, u.iccid, u.occurred_at, u.type, u.severity, u.source, u.actor_id, u.actor_name, u.description, u.details::jsonb
      FROM unnest(${col((e) => e.orgId)}::uuid[], ${col((e) => e.iccid)}::text[],
                  ${col((e) => e.occurredAt.toISOString())}::timestamptz[], ${col((e) => e.type)}::smallint[],
                  ${col((e) => e.severity ?? 'info')}::text[], ${col((e) => e.source)}::text[],
                  ${col((e) => e.actorId ?? null)}::uuid[], ${col((e) => e.actorName ?? null)}::text[],
                  ${col((e) => e.description)}::text[], ${col((e) => JSON.stringify(e.details ?? {}))}::text[])
        AS u(org_id, iccid, occurred_at, type, severity, source, actor_id, actor_name, description, details)`);
  }
}

/** One page of a SIM's events, newest first. */
export async function pageEvents(
  db: Db,
  orgId: string,
  iccid: string,
  q: { types?: number[]; severities?: EventRow['severity'][]; page: number; pageSize: number },
) {
  const where = and(
    eq(simEvents.orgId, orgId),
    eq(simEvents.iccid, iccid),
    q.types ? inArray(simEvents.type, q.types) : undefined,
    q.severities ? inArray(simEvents.severity, q.severities) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(simEvents)
      .where(where)
      .orderBy(desc(simEvents.occurredAt), desc(simEvents.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(simEvents).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Delete events older than the cut-off; returns how many went. */
export async function deleteEventsBefore(db: Db, cutoff: Date): Promise<number> {
  // counted in the database: a month of a big fleet's events is millions of ids, not worth shipping
  const rows = await selectRows<{ n: number }>(
    db,
    sql`WITH gone AS (DELETE FROM ${simEvents} WHERE occurred_at < ${cutoff.toISOString()}::timestamptz RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

/** Queries of SIM events; every read is scoped by organisation and SIM. */
import { and, count, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { simEvents } from '../../db/schema/index.js';

export type NewEvent = typeof simEvents.$inferInsert;
export type EventRow = typeof simEvents.$inferSelect;

/** Store events in one statement. */
export async function insertEvents(db: Db, events: NewEvent[]) {
  if (events.length === 0) return;
  for (let i = 0; i < events.length; i += 2000) await db.insert(simEvents).values(events.slice(i, i + 2000));
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
  const rows = await db
    .delete(simEvents)
    .where(lt(simEvents.occurredAt, cutoff))
    .returning({ id: simEvents.id });
  return rows.length;
}

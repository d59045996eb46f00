/** Queries of SMS messages (scoped by organisation and SIM), the MT outbox and the SMSC settings row. */
import { and, count, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { smscSettings, smsMessages, smsMoParts } from '../../db/schema/index.js';

export type SmsRow = typeof smsMessages.$inferSelect;
export type NewSms = typeof smsMessages.$inferInsert;

export async function insertSms(db: Db, row: NewSms): Promise<SmsRow> {
  const [r] = await db.insert(smsMessages).values(row).returning();
  if (!r) throw new Error('insert returned nothing');
  return r;
}

/** Store finished messages in bulk (the demo's history); nothing when there are none. */
export async function insertSmsHistory(db: Db, rows: NewSms[]): Promise<void> {
  if (rows.length > 0) await db.insert(smsMessages).values(rows);
}

/** One page of a SIM's messages, newest first, without the hidden ones. */
export async function pageSms(
  db: Db,
  orgId: string,
  iccid: string,
  q: { direction?: 'MT' | 'MO'; page: number; pageSize: number },
) {
  const where = and(
    eq(smsMessages.orgId, orgId),
    eq(smsMessages.iccid, iccid),
    isNull(smsMessages.hiddenAt),
    q.direction ? eq(smsMessages.direction, q.direction) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(smsMessages)
      .where(where)
      .orderBy(desc(smsMessages.createdAt), desc(smsMessages.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(smsMessages).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** One message of a SIM (hidden ones count as gone). */
export async function findSms(db: Db, orgId: string, iccid: string, id: string, lock = false) {
  const q = db
    .select()
    .from(smsMessages)
    .where(
      and(
        eq(smsMessages.id, id),
        eq(smsMessages.orgId, orgId),
        eq(smsMessages.iccid, iccid),
        isNull(smsMessages.hiddenAt),
      ),
    )
    .limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function updateSms(db: Db, id: string, values: Partial<NewSms>) {
  const [row] = await db.update(smsMessages).set(values).where(eq(smsMessages.id, id)).returning();
  return row;
}

/**
 * Claim up to `limit` due pending MT messages for `leaseMs`: rows another submitter holds are
 * skipped (SKIP LOCKED), a lease that ran out (a crashed submitter) is claimed again.
 */
export async function claimOutbox(db: Db, now: Date, leaseMs: number, limit: number): Promise<SmsRow[]> {
  const due = db
    .select({ id: smsMessages.id })
    .from(smsMessages)
    .where(
      and(
        eq(smsMessages.status, 'pending'),
        or(isNull(smsMessages.nextAttemptAt), lte(smsMessages.nextAttemptAt, now)),
        or(isNull(smsMessages.leaseUntil), lte(smsMessages.leaseUntil, now)),
      ),
    )
    .orderBy(smsMessages.nextAttemptAt, smsMessages.createdAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  // one statement: the sub-select locks what it picks, the update leases it
  return db
    .update(smsMessages)
    .set({ leaseUntil: new Date(now.getTime() + leaseMs), attempts: sql`${smsMessages.attempts} + 1` })
    .where(inArray(smsMessages.id, due))
    .returning();
}

/** Messages waiting in the outbox. */
export async function outboxSize(db: Db): Promise<number> {
  const [r] = await db.select({ n: count() }).from(smsMessages).where(eq(smsMessages.status, 'pending'));
  return r?.n ?? 0;
}

/** Store the outcome of many submits in one statement: submitted with their SMSC ids. */
export async function markSubmitted(db: Db, rows: { id: string; smscIds: string[] }[], at: Date) {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.id);
  const idLists = rows.map((r) => r.smscIds.join(','));
  await db.execute(sql`
    UPDATE ${smsMessages} AS m
    SET status = 'submitted', smsc_ids = string_to_array(u.smsc, ','),
        part_states = array_fill('submitted'::text, ARRAY[array_length(string_to_array(u.smsc, ','), 1)]),
        submitted_at = ${at}, lease_until = NULL, error = NULL
    FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(idLists)}::text[]) AS u(id, smsc)
    WHERE m.id = u.id AND m.status = 'pending'`);
}

/** An MT to submit again later: its lease ends, with when to retry and why it failed. */
export interface OutboxRelease {
  id: string;
  nextAttemptAt: Date;
  error: string;
}

/** Give many claimed messages back to the outbox in one statement (a retriable failure, a stop). */
export async function releaseOutbox(db: Db, rows: OutboxRelease[]) {
  if (rows.length === 0) return;
  await db.execute(sql`
    UPDATE ${smsMessages} AS m
    SET lease_until = NULL, next_attempt_at = u.next_attempt_at, error = u.error
    FROM unnest(${sql.param(rows.map((r) => r.id))}::uuid[],
                ${sql.param(rows.map((r) => r.nextAttemptAt.toISOString()))}::timestamptz[],
                ${sql.param(rows.map((r) => r.error))}::text[]) AS u(id, next_attempt_at, error)
    WHERE m.id = u.id AND m.status = 'pending'`);
}

/** The MT messages carrying any of these SMSC ids, locked (in id order) for their receipts' update. */
export async function lockBySmscIds(db: Db, smscIds: string[]): Promise<SmsRow[]> {
  if (smscIds.length === 0) return [];
  return db
    .select()
    .from(smsMessages)
    .where(and(sql`${smsMessages.smscIds} && ${sql.param(smscIds)}::text[]`, eq(smsMessages.direction, 'MT')))
    .orderBy(smsMessages.id)
    .for('update');
}

/** Store the part states, status and error of many messages in one statement; `doneAt` set when it became final. */
export async function updateReceiptStates(
  db: Db,
  rows: { id: string; partStates: string[]; status: string; error: string | null; doneAt: Date | null }[],
) {
  if (rows.length === 0) return;
  await db.execute(sql`
    UPDATE ${smsMessages} AS m
    SET part_states = string_to_array(u.states, ','), status = u.status, error = u.error,
        done_at = coalesce(u.done_at, m.done_at)
    FROM unnest(${sql.param(rows.map((r) => r.id))}::uuid[], ${sql.param(rows.map((r) => r.partStates.join(',')))}::text[],
                ${sql.param(rows.map((r) => r.status))}::text[], ${sql.param(rows.map((r) => r.error))}::text[],
                ${sql.param(rows.map((r) => r.doneAt?.toISOString() ?? null))}::timestamptz[])
      AS u(id, states, status, error, done_at)
    WHERE m.id = u.id`);
}

/** The SMSC settings row (id 1), if ever written. */
export async function readSmscSettings(db: Db) {
  const [row] = await db.select().from(smscSettings).where(eq(smscSettings.id, 1)).limit(1);
  return row;
}

export async function writeSmscUrl(db: Db, url: string | null, by: string, at: Date) {
  await db
    .insert(smscSettings)
    .values({ id: 1, url, updatedAt: at, updatedBy: by })
    .onConflictDoUpdate({ target: smscSettings.id, set: { url, updatedAt: at, updatedBy: by } });
}

export async function writeSmscStatus(db: Db, status: Record<string, unknown>, at: Date) {
  await db
    .insert(smscSettings)
    .values({ id: 1, status, statusAt: at })
    .onConflictDoUpdate({ target: smscSettings.id, set: { status, statusAt: at } });
}

// ---- parts of concatenated MO -------------------------------------------------------------------

export type MoPartRow = typeof smsMoParts.$inferSelect;
/** A concatenated MO message: SMSC, sender, reference and part count. */
export type MoKey = Pick<MoPartRow, 'smsc' | 'source' | 'ref' | 'total'>;

const ofMessage = (k: MoKey) =>
  and(
    eq(smsMoParts.smsc, k.smsc),
    eq(smsMoParts.source, k.source),
    eq(smsMoParts.ref, k.ref),
    eq(smsMoParts.total, k.total),
  );

/** The rows of a message, in part order. */
export function findMoParts(db: Db, k: MoKey): Promise<MoPartRow[]> {
  return db.select().from(smsMoParts).where(ofMessage(k)).orderBy(smsMoParts.seq);
}

export async function insertMoPart(db: Db, row: MoPartRow): Promise<void> {
  await db.insert(smsMoParts).values(row);
}

/** Move every row of a message to `stored` or `refused`. */
export async function finishMoParts(db: Db, k: MoKey, state: 'stored' | 'refused', at: Date) {
  await db.update(smsMoParts).set({ state, doneAt: at }).where(ofMessage(k));
}

/** Remove a message's rows; returns what was removed (so a concurrent remover gets nothing). */
export function deleteMoParts(db: Db, k: MoKey): Promise<MoPartRow[]> {
  return db.delete(smsMoParts).where(ofMessage(k)).returning();
}

/** Messages with parts held since before `before`, oldest first. */
export async function staleMoMessages(db: Db, before: Date, limit: number): Promise<MoKey[]> {
  return db
    .select({
      smsc: smsMoParts.smsc,
      source: smsMoParts.source,
      ref: smsMoParts.ref,
      total: smsMoParts.total,
    })
    .from(smsMoParts)
    .where(and(lt(smsMoParts.receivedAt, before), eq(smsMoParts.state, 'held')))
    .groupBy(smsMoParts.smsc, smsMoParts.source, smsMoParts.ref, smsMoParts.total)
    .orderBy(sql`min(${smsMoParts.receivedAt})`)
    .limit(limit);
}

/** Forget the parts of messages stored or refused before `before`. */
export async function deleteFinishedMoParts(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(smsMoParts)
    .where(and(lt(smsMoParts.receivedAt, before), lt(smsMoParts.doneAt, before)))
    .returning({ seq: smsMoParts.seq });
  return rows.length;
}

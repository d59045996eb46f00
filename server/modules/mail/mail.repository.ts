/** Queries of the mail outbox. */
import { and, count, desc, eq, ilike, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { mailOutbox } from '../../db/schema/index.js';

export type MailRow = typeof mailOutbox.$inferSelect;

export async function insertMail(db: Db, values: typeof mailOutbox.$inferInsert): Promise<MailRow> {
  const [row] = await db.insert(mailOutbox).values(values).returning();
  if (!row) throw new Error('mail insert returned nothing');
  return row;
}

/** One page of the outbox, newest first, optionally filtered by recipient. */
export async function pageMails(db: Db, opts: { page: number; pageSize: number; to?: string }) {
  const where = opts.to ? ilike(mailOutbox.to, `%${opts.to.replace(/[%_\\]/g, '\\$&')}%`) : undefined;
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(mailOutbox)
      .where(where)
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ n: count() }).from(mailOutbox).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Claim pending mails that are due, so that only one worker sends each. */
export async function claimDueMails(db: Db, now: Date, limit: number): Promise<MailRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.status, 'pending'),
          or(isNull(mailOutbox.nextAttemptAt), lte(mailOutbox.nextAttemptAt, now)),
        ),
      )
      .orderBy(mailOutbox.createdAt)
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const lease = new Date(now.getTime() + 5 * 60_000);
    return tx
      .update(mailOutbox)
      .set({ nextAttemptAt: lease, attempts: sql`${mailOutbox.attempts} + 1` })
      .where(
        sql`${mailOutbox.id} IN (${sql.join(
          due.map((d) => sql`${d.id}`),
          sql`, `,
        )})`,
      )
      .returning();
  });
}

export async function markMail(db: Db, id: string, values: Partial<typeof mailOutbox.$inferInsert>) {
  await db.update(mailOutbox).set(values).where(eq(mailOutbox.id, id));
}

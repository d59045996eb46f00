/** Billable SIM charges (top-ups, lifetime extensions) and the lifetime queries of the expiry job. */
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { anyText, type Db } from '../../db/client.js';
import { simCharges, sims, users } from '../../db/schema/index.js';

export type NewCharge = typeof simCharges.$inferInsert;

/** Record charges so orders and invoices can pick them up. */
export async function insertCharges(db: Db, rows: NewCharge[]) {
  if (rows.length) await db.insert(simCharges).values(rows);
}

/**
 * Add a package to the volumes of SIMs the caller has locked (one statement for all of them); returns
 * the updated rows.
 */
export async function addVolumes(db: Db, iccids: string[], dataBytes: number, smsCount: number) {
  if (iccids.length === 0) return [];
  return db
    .update(sims)
    .set({
      dataTotal: sql`${sims.dataTotal} + ${dataBytes}`,
      smsTotal: sql`${sims.smsTotal} + ${smsCount}`,
      updatedAt: new Date(),
    })
    .where(anyText(sims.iccid, iccids))
    .returning();
}

/** A SIM's charges, newest first. */
export async function simChargesOf(db: Db, orgId: string, iccid: string) {
  return db
    .select()
    .from(simCharges)
    .where(and(eq(simCharges.orgId, orgId), eq(simCharges.iccid, iccid)))
    .orderBy(sql`${simCharges.createdAt} desc, ${simCharges.id} desc`);
}

/** Turn every assigned SIM past its end of lifetime `expired`; returns which ones. */
export async function expireSims(db: Db, now: Date) {
  return db
    .update(sims)
    .set({ status: 'expired', sessionState: 'offline', updatedAt: now })
    .where(
      and(
        inArray(sims.status, ['activated', 'deactivated']),
        sql`${sims.orgId} IS NOT NULL`,
        sql`${sims.endOfLife} <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .returning({ orgId: sims.orgId, iccid: sims.iccid, endOfLife: sims.endOfLife });
}

/**
 * Mark the SIMs whose lifetime ends before `until` and that have not had this notice (or an earlier,
 * longer one for `months` = 1), per organisation; returns the marked SIMs.
 */
export async function markExpiryNotices(db: Db, now: Date, until: Date, months: 3 | 1) {
  return db
    .update(sims)
    .set({ expiryNotice: months })
    .where(
      and(
        inArray(sims.status, ['activated', 'deactivated']),
        sql`${sims.orgId} IS NOT NULL`,
        sql`${sims.endOfLife} > ${now.toISOString()}::timestamptz`,
        sql`${sims.endOfLife} <= ${until.toISOString()}::timestamptz`,
        months === 3 ? isNull(sims.expiryNotice) : or(isNull(sims.expiryNotice), eq(sims.expiryNotice, 3)),
      ),
    )
    .returning({ orgId: sims.orgId, iccid: sims.iccid, endOfLife: sims.endOfLife });
}

/** The active Owners and Admins of an organisation: who hears about its SIMs' lifetime. */
export async function lifetimeRecipients(db: Db, orgId: string) {
  return db
    .select({ email: users.email, firstName: users.firstName, language: users.language })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.status, 'active'), inArray(users.role, ['owner', 'admin'])));
}

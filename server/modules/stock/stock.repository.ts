/** Queries of the provider's SIM stock and the organisations' IP address spaces. */
import { and, asc, between, count, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client.js';
import { ipPools, organisations, sims } from '../../db/schema/index.js';
import type { StockLine } from './stock.csv.js';

/** Which of these identifiers exist already (in stock or assigned). */
export async function existingIdentifiers(db: Db, lines: StockLine[]) {
  const found: { iccid: string; imsi: string; msisdn: string }[] = [];
  for (let i = 0; i < lines.length; i += 5000) {
    const chunk = lines.slice(i, i + 5000);
    found.push(
      ...(await db
        .select({ iccid: sims.iccid, imsi: sims.imsi, msisdn: sims.msisdn })
        .from(sims)
        .where(
          sql`${sims.iccid} = ANY(${sql.param(chunk.map((l) => l.iccid))}::text[])
            OR ${sims.imsi} = ANY(${sql.param(chunk.map((l) => l.imsi))}::text[])
            OR ${sims.msisdn} = ANY(${sql.param(chunk.map((l) => l.msisdn))}::text[])`,
        )),
    );
  }
  return found;
}

/** Serialise stock imports until the transaction ends (an advisory lock: PostgreSQL and PGlite alike). */
export async function lockStockImports(db: Db) {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('stock-import'))`);
}

/** Insert stock SIMs with one statement per 5,000 (unnest arrays: the insert builder is slow for bulk). */
export async function insertStock(db: Db, lines: StockLine[]) {
  for (let i = 0; i < lines.length; i += 5000) {
    const c = lines.slice(i, i + 5000);
    const col = (f: (l: StockLine) => string | null) => sql.param(c.map(f));
    await db.execute(sql`
      INSERT INTO ${sims} (iccid, imsi, msisdn, pin1, puk1, pin2, puk2, form_factor, status)
      SELECT u.*, 'stock' FROM unnest(
        ${col((l) => l.iccid)}::text[], ${col((l) => l.imsi)}::text[], ${col((l) => l.msisdn)}::text[],
        ${col((l) => l.pin1)}::text[], ${col((l) => l.puk1)}::text[], ${col((l) => l.pin2)}::text[],
        ${col((l) => l.puk2)}::text[], ${col((l) => l.formFactor)}::text[]) AS u`);
  }
}

/** Counts of stock per form factor, and the contiguous ICCID ranges in stock. */
export async function stockSummary(db: Db) {
  const byFormFactor = await db
    .select({ formFactor: sims.formFactor, count: count() })
    .from(sims)
    .where(and(isNull(sims.orgId), eq(sims.status, 'stock')))
    .groupBy(sims.formFactor)
    .orderBy(asc(sims.formFactor));
  const ranges = await selectRows<{ first: string; last: string; count: number }>(
    db,
    sql`
    SELECT min(iccid) AS first, max(iccid) AS last, count(*)::int AS count FROM (
      SELECT iccid, iccid::numeric - row_number() OVER (ORDER BY iccid) AS grp
      FROM ${sims} WHERE org_id IS NULL AND status = 'stock') t
    GROUP BY grp ORDER BY first LIMIT 200`,
  );
  return { byFormFactor, ranges };
}

/** Lock the stock SIMs in an ICCID range (inclusive). */
export async function lockStockRange(db: Db, from: string, to: string) {
  return db
    .select({ iccid: sims.iccid, orgId: sims.orgId, status: sims.status })
    .from(sims)
    .where(between(sims.iccid, from, to))
    .orderBy(asc(sims.iccid))
    .for('update');
}

/**
 * The IP space of an organisation as CTEs (docs/decisions/010): `up` is the organisation and its
 * customer ancestors (depth 0 = itself), whose blocks it may draw from, own blocks first; `tree` is
 * every organisation under the top customer, whose SIMs may hold addresses of those blocks.
 * Free addresses are found from the gaps between used ones (`gaps`, with `before` = free addresses
 * in earlier gaps), so the cost follows the addresses in use and the `limit` wanted, never the size
 * of the blocks (a /12 has a million addresses). `free` numbers the first `limit` free addresses (rn).
 */
export function ipSpaceCtes(orgId: string, limit: SQL | number) {
  return sql`
    up AS (
      SELECT id, parent_id, 0 AS depth FROM ${organisations} WHERE id = ${orgId} AND kind = 'customer'
      UNION ALL
      SELECT o.id, o.parent_id, up.depth + 1 FROM ${organisations} o JOIN up ON o.id = up.parent_id
      WHERE o.kind = 'customer'
    ),
    tree AS (
      SELECT id FROM (SELECT id FROM up ORDER BY depth DESC LIMIT 1) top_customer
      UNION ALL
      SELECT o.id FROM ${organisations} o JOIN tree ON o.parent_id = tree.id
    ),
    space AS (
      SELECT p.id, p.cidr, p.created_at, up.depth, network(p.cidr)::inet AS net,
        (2::bigint ^ (32 - masklen(p.cidr)))::bigint - 2 AS size
      FROM up JOIN ${ipPools} p ON p.org_id = up.id
    ),
    taken AS (
      SELECT b.id, (s.ip_address - b.net) AS off
      FROM space b JOIN ${sims} s ON s.ip_address << b.cidr
      WHERE s.org_id IN (SELECT id FROM tree)
      UNION ALL SELECT id, 0 FROM space
      UNION ALL SELECT id, size + 1 FROM space
    ),
    bounds AS (
      SELECT id, off + 1 AS first, lead(off) OVER (PARTITION BY id ORDER BY off) - 1 AS last FROM taken
    ),
    gaps AS (
      SELECT g.first, g.last, b.net,
        coalesce(sum(g.last - g.first + 1) OVER (
          ORDER BY b.depth, b.created_at, b.id, g.first ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS before
      FROM bounds g JOIN space b ON b.id = g.id
      WHERE g.last >= g.first
    ),
    free AS (
      SELECT set_masklen(g.net + (g.first + k), 32) AS ip, g.before + k + 1 AS rn
      FROM gaps g, generate_series(0::bigint, least(g.last - g.first, (${limit})::bigint - g.before - 1)) k
      WHERE g.before < (${limit})::bigint
    )`;
}

/** How many addresses of an organisation's IP space are free. */
export async function countFreeAddresses(db: Db, orgId: string): Promise<number> {
  const [row] = await selectRows<{ n: number }>(
    db,
    sql`WITH RECURSIVE ${ipSpaceCtes(orgId, 0)} SELECT coalesce(sum(last - first + 1), 0)::bigint::int AS n FROM gaps`,
  );
  return row?.n ?? 0;
}

/**
 * The first `n` free addresses of an organisation's IP space: its own blocks (oldest first), then
 * its master's, which it shares; an address is free when no SIM in the customer tree holds it.
 */
export async function freeAddresses(db: Db, orgId: string, n: number): Promise<string[]> {
  const rows = await selectRows<{ ip: string }>(
    db,
    sql`WITH RECURSIVE ${ipSpaceCtes(orgId, n)} SELECT host(ip) AS ip FROM free ORDER BY rn`,
  );
  return rows.map((r) => r.ip);
}

/** Give stock SIMs to an organisation: activated, lifetime and volume from now, one IP each, its defaults for IMEI lock and auto top-up. */
export async function assignSims(
  db: Db,
  orgId: string,
  iccids: string[],
  ips: string[],
  v: { activatedAt: Date; endOfLife: Date; dataTotal: number; smsTotal: number },
) {
  for (let i = 0; i < iccids.length; i += 5000) {
    await db.execute(sql`
      UPDATE ${sims} AS s SET org_id = ${orgId}, status = 'activated', session_state = 'offline',
        activated_at = ${v.activatedAt.toISOString()}::timestamptz, end_of_life = ${v.endOfLife.toISOString()}::timestamptz,
        data_total = ${v.dataTotal}, data_used = 0, sms_total = ${v.smsTotal}, sms_used = 0,
        ip_address = u.ip::inet, updated_at = now(),
        imei_lock = coalesce((SELECT imei_lock_default FROM org_settings WHERE org_id = ${orgId}), false),
        locked_imei = NULL,
        auto_top_up = coalesce((SELECT auto_top_up_default FROM org_settings WHERE org_id = ${orgId}), false)
      FROM unnest(${sql.param(iccids.slice(i, i + 5000))}::text[], ${sql.param(ips.slice(i, i + 5000))}::text[]) AS u(iccid, ip)
      WHERE s.iccid = u.iccid`);
  }
}

/** Customer organisations with their SIM counts, for the console; `q` matches name or account number. */
export async function listCustomers(db: Db, q?: string) {
  const pattern = q ? `%${q.replace(/[%_\\]/g, '\\$&')}%` : undefined;
  return db
    .select({
      id: organisations.id,
      name: organisations.name,
      accountNumber: organisations.accountNumber,
      parentId: organisations.parentId,
      simCount: sql<number>`(SELECT count(*)::int FROM ${sims} s WHERE s.org_id = ${organisations.id})`,
    })
    .from(organisations)
    .where(
      and(
        eq(organisations.kind, 'customer'),
        pattern
          ? or(
              sql`${organisations.name} ILIKE ${pattern}`,
              sql`${organisations.accountNumber} ILIKE ${pattern}`,
            )
          : undefined,
      ),
    )
    .orderBy(asc(organisations.name));
}

/** How many SIMs an organisation holds. */
export async function countSims(db: Db, orgId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(sims).where(eq(sims.orgId, orgId));
  return row?.n ?? 0;
}

export async function findCustomer(db: Db, orgId: string) {
  const [row] = await db
    .select()
    .from(organisations)
    .where(and(eq(organisations.id, orgId), eq(organisations.kind, 'customer')))
    .limit(1);
  return row;
}

/** IP spaces of an organisation with how many addresses each has and uses. */
export async function listPools(db: Db, orgId: string) {
  return selectRows<{ id: string; cidr: string; size: number; used: number }>(
    db,
    sql`
    SELECT p.id, p.cidr::text AS cidr, ((2::bigint ^ (32 - masklen(p.cidr)))::bigint - 2)::int AS size,
      (SELECT count(*)::int FROM ${sims} s WHERE s.ip_address << p.cidr AND s.org_id IN (
        WITH RECURSIVE tree AS (
          SELECT p.org_id AS id UNION ALL SELECT o.id FROM ${organisations} o JOIN tree ON o.parent_id = tree.id)
        SELECT id FROM tree)) AS used
    FROM ${ipPools} p WHERE p.org_id = ${orgId} ORDER BY p.created_at`,
  );
}

/** Whether a block overlaps any organisation's existing block. */
export async function poolOverlaps(db: Db, cidr: string): Promise<boolean> {
  const rows = await db
    .select({ id: ipPools.id })
    .from(ipPools)
    .where(sql`${ipPools.cidr} && ${cidr}::cidr`)
    .limit(1);
  return rows.length > 0;
}

export async function insertPool(db: Db, orgId: string, cidr: string) {
  await db.insert(ipPools).values({ orgId, cidr });
}

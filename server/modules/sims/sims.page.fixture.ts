/**
 * The fixture of the list page's tests (sims.page.test.ts, sims.search.test.ts): 16 SIMs of the demo
 * customer with labels, states, volumes, IMEIs and ends of life a formatter or a search could get
 * wrong, one of them back in stock, and 5 SIMs of another customer that match the same searches.
 */
import { eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import { simPage } from '../../../contracts/sims.js';
import { type Db, selectRows } from '../../db/client.js';
import { sims } from '../../db/schema/index.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

const MB = 1024 * 1024;

export function pageFixture() {
  let h: Harness | undefined;
  let owner: Session | undefined;
  let orgId = '';
  let mine: string[] = [];
  beforeAll(async () => {
    h = await createHarness();
    const { demoOrgId, otherOrgId } = await seedFixtures(h.ctx);
    orgId = demoOrgId;
    mine = await seedFleet(h.ctx, orgId, 3, 16, '10.66.0.0/24');
    // another customer's SIMs, which match the same searches and must never be counted
    await seedFleet(h.ctx, otherOrgId, 4, 5, '10.67.0.0/24');
    const db = h.ctx.db;
    const set = (n: number, v: Partial<typeof sims.$inferInsert>) =>
      db
        .update(sims)
        .set(v)
        .where(eq(sims.iccid, mine[n] ?? ''));
    await set(0, { status: 'deactivated', label: 'Pump 100%_x' });
    await set(1, { status: 'expired', sessionState: 'online', label: 'pump two' });
    await set(2, { sessionState: 'attached', dataUsed: 450 * MB });
    await set(3, { sessionState: 'blocked', dataUsed: 500 * MB, smsUsed: 250 });
    await set(4, { smsUsed: 220, label: 'Meter "7" \\ back/slash\ttab\n\u0001 Zähler 🚰 \u2028' });
    await set(5, { status: 'stock', orgId: null });
    // a few IMEIs among SIMs that never reported one, and a SIM without an address
    await set(7, { imei: '353456789012345' });
    await set(8, { imei: '861234567890123' });
    await set(9, { imei: '013456789012345' });
    await set(10, { ipAddress: null });
    // end-of-life values whose microseconds and offsets a formatter could get wrong
    const ends = [
      '2030-01-01 00:00:00.999999+00',
      '2031-06-30 23:59:59.000001+00',
      '2032-02-29 12:34:56.0005+02',
      '2033-12-31 23:59:59.9995-05',
      '1999-12-31 23:00:00+00',
      '2040-07-04 04:05:06.789+00',
    ];
    for (const [i, end] of ends.entries())
      await db.execute(sql`UPDATE sims SET end_of_life = ${end}::timestamptz WHERE iccid = ${mine[6 + i]}`);
    await db.execute(sql`UPDATE sims SET end_of_life = NULL WHERE iccid = ${mine[12]}`);
    owner = await signIn(h.app, 'owner@demo.example');
  });
  afterAll(() => h?.close());

  const harness = () => {
    if (!h) throw new Error('the page fixture is not up yet');
    return h;
  };
  const session = () => {
    if (!owner) throw new Error('the page fixture is not up yet');
    return owner;
  };
  return {
    harness,
    /** The demo customer's id, and its 16 SIMs' ICCIDs (the sixth back in stock). */
    orgId: () => orgId,
    mine: () => mine,
    /** The demo customer's Owner, signed in. */
    owner: session,
    /** GET /sims as the owner: 200, and byte for byte what JSON.stringify of the contract's shape gives. */
    async list(query: string) {
      const res = await harness().app.inject({
        method: 'GET',
        url: `/api/v1/sims?${query}`,
        headers: as(session()),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      // the database writes the rows: byte for byte what JSON.stringify of the contract's shape gives
      const page = simPage.parse(res.json());
      expect(res.body).toBe(JSON.stringify(page));
      return res.json() as { items: Record<string, unknown>[]; total: number; totalExact: boolean };
    },
    /** GET /sims/count as the owner. */
    async count(query: string) {
      const res = await harness().app.inject({
        method: 'GET',
        url: `/api/v1/sims/count?${query}`,
        headers: as(session()),
      });
      return { status: res.statusCode, body: res.json() as { total?: number; error?: { code: string } } };
    },
  };
}

/** A scan in a plan: its node type, relation and index. */
export interface PlanScan {
  node: string;
  relation: string | undefined;
  index: string | undefined;
}

/**
 * The nodes of a statement's plan for these parameters (SQL literals), after `settings` (SET LOCAL
 * lines) and `prepare` (e.g. dropping indexes); all of it lasts only for the transaction, which is
 * rolled back.
 */
export async function planOf(
  db: Db,
  text: string,
  params: string,
  settings: string[],
  prepare: (tx: Db) => Promise<void> = async () => {},
): Promise<PlanScan[]> {
  const scans: PlanScan[] = [];
  await db
    .transaction(async (tx) => {
      for (const setting of settings) await tx.execute(sql.raw(`SET LOCAL ${setting}`));
      await prepare(tx);
      await tx.execute(sql.raw(`PREPARE plan_of AS ${text}`));
      const [row] = await selectRows<{ 'QUERY PLAN': unknown }>(
        tx,
        sql.raw(`EXPLAIN (FORMAT JSON) EXECUTE plan_of(${params})`),
      );
      await tx.execute(sql.raw('DEALLOCATE plan_of'));
      const json = row?.['QUERY PLAN'];
      const walk = (node: Record<string, unknown>) => {
        scans.push({
          node: String(node['Node Type']),
          relation: node['Relation Name'] as string | undefined,
          index: node['Index Name'] as string | undefined,
        });
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
      };
      walk((typeof json === 'string' ? JSON.parse(json) : json)[0].Plan);
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  return scans;
}

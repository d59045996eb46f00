/**
 * The statements of a search (sims.page.ts, sims.search.ts): which terms the trigram index serves,
 * fenced and walked pages that list the same rows, the key walk through `sim_label_keys`, and that
 * table kept in step with `sims`.
 */
import { eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { SimFilter } from '../../../contracts/sims.js';
import { type Database, selectRows } from '../../db/client.js';
import { sims } from '../../db/schema/index.js';
import { pageFixture, planOf } from './sims.page.fixture.js';
import { pageStatements, simPageJson } from './sims.page.js';
import { FENCE_MATCHES, KEY_WALK_ROWS, searchWalk, trigramTerm, WALK_ROWS } from './sims.search.js';

const f = pageFixture();
describe('the statements of a search', () => {
  it('when a term has a run of three letters or digits, then it is one the trigram index serves', () => {
    for (const term of ['pum', 'pump 3', '899', 'zäh', '#123', 'e-bike'])
      expect(trigramTerm(term), term).toBe(true);
    for (const term of ['', 'p', 'zz', '12', 'e-', '%_', 'a b c', '1.2.3'])
      expect(trigramTerm(term), term).toBe(false);
  });

  it('when a search has few matches, then its page is fenced; with many, walked as far as the density asks', () => {
    expect(searchWalk(FENCE_MATCHES, 1_000_000, 0, 100)).toBeNull();
    // 100,000 matches of 1,000,000: four times the rows that hold a page's 100 on average, and 1,000
    expect(searchWalk(100_000, 1_000_000, 0, 100)).toBe(5_000);
    expect(searchWalk(100_000, 1_000_000, 200, 100)).toBe(13_000);
    expect(searchWalk(1_000_000, 1_000_000, 0, 500)).toBe(3_000);
    // deep pages of sparse matches are not walked
    expect(searchWalk(100_000, 1_000_000, 2_000, 100)).toBeNull();
    // a total counted only so far is a lower bound: the walk, which stops at the page's last match, is
    // tried up to its limit whatever the density, and the fence catches a walk that falls short
    expect(searchWalk(1_000, 1_000_000, 0, 100, false)).toBe(WALK_ROWS);
    expect(searchWalk(1_000, 2_000, 0, 100, false)).toBe(WALK_ROWS);
    expect(searchWalk(1_000, 2_000, 0, 100, false, KEY_WALK_ROWS)).toBe(KEY_WALK_ROWS);
    // unless the page ends beyond the longest walk
    expect(searchWalk(60_000, 1_000_000, 49_950, 100, false)).toBeNull();
    expect(searchWalk(60_000, 1_000_000, 49_900, 100, false)).toBe(WALK_ROWS);
    expect(searchWalk(100_000, 1_000_000, 0, 100, true, KEY_WALK_ROWS)).toBe(5_000);
    expect(WALK_ROWS).toBeLessThan(100_000);
  });

  it('when a term no index serves has few matches, then one scan brings the total and the page', async () => {
    const names: string[] = [];
    const counting = {
      ...f.harness().ctx.database,
      arrays: (statement: Parameters<Database['arrays']>[0]) => {
        names.push(statement.name ?? '');
        return f.harness().ctx.database.arrays(statement);
      },
    };
    const page = JSON.parse(
      await simPageJson(counting, f.orgId(), { q: '1', sort: 'label', page: 1, pageSize: 3 }),
    );
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/_count$/);
    expect(page.items).toHaveLength(3);
    expect(page.total).toBeGreaterThan(3);
    // a trigram term counts through the index and fetches its page apart
    names.length = 0;
    await simPageJson(counting, f.orgId(), { q: 'pump', sort: 'label', page: 1, pageSize: 3 });
    expect(names.map((n) => n.replace(/^.*_/, ''))).toEqual(['count', 'fenced']);
  });

  // the walked page and the fenced one must list the same rows
  it.each([
    ['pump', 'iccid'],
    ['pump', '-label'],
    ['p', 'label'],
    ['1', '-dataLeft'],
    ['1', 'endOfLife'],
    ['um', 'imei'],
    ['0', '-status'],
    // walked by the label's key: no digits, sorted by label (letters beyond ASCII, quotes, wildcards)
    ['zäh', 'label'],
    ['ähl', '-label'],
    ['"', 'label'],
    ['%_', '-label'],
    ['e', 'label'],
    ['t', '-label'],
  ])(
    'when searching "%s" sorted by %s, then a walk, long or short, lists what the fence lists',
    async (q, sort) => {
      const page = (p: number, walkFor?: typeof searchWalk) =>
        simPageJson(f.harness().ctx.database, f.orgId(), { q, sort, page: p, pageSize: 3 }, { walkFor });
      for (const p of [1, 2, 3, 9]) {
        const fenced = await page(p, () => null);
        // a walk that holds every row, and one of a single row that falls short and is fetched fenced
        expect(await page(p, () => 1_000), `page ${p}`).toBe(fenced);
        expect(await page(p, () => 1), `page ${p}`).toBe(fenced);
        expect(await page(p), `page ${p}`).toBe(fenced);
        if (p === 1) expect((JSON.parse(fenced) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      }
    },
  );
});

describe('the key walk', () => {
  it('when a term without digits is sorted by label, then the walk reads the label index alone', async () => {
    for (const [q, sort, index, filter] of [
      ['pump', 'label', 'sim_label_keys_org_idx', {}],
      ['e', '-label', 'sim_label_keys_org_desc_idx', { status: ['activated'] }],
    ] as [string, string, string, SimFilter][]) {
      const search = pageStatements({ q, sort, page: 1, pageSize: 100, ...filter }).search;
      expect(search?.walkRows).toBe(KEY_WALK_ROWS);
      // on a table this small the planner would rather scan and sort; the question is whether it can
      const settings = ['enable_seqscan = off', 'enable_sort = off', 'enable_bitmapscan = off'];
      const values = q === 'pump' ? "'%pump%'" : "'{activated}', 'e'";
      const scans = (
        await planOf(
          f.harness().ctx.db,
          search?.walk.text ?? '',
          `'${f.orgId()}', ${values}, 100, 0, 1000`,
          settings,
        )
      )
        .filter((s) => s.relation?.startsWith('sim'))
        .map((s) => `${s.node} ${s.index ?? ''}`);
      // the walk reads sim_label_keys' index alone, then sims gives the page's rows their JSON
      expect(
        scans.filter((scan) => scan.includes('sim_label_keys')),
        `${q} ${sort}`,
      ).toEqual([`Index Only Scan ${index}`]);
    }
  });

  it('when a term has a digit, the sort is not the label or a filter is not the status, then the walk reads sims', () => {
    for (const [q, sort, filter] of [
      ['pump 1', 'label', {}],
      ['pump', 'iccid', {}],
      ['pump', 'imei', {}],
      ['pump', 'label', { session: ['online'] }],
      ['pump', '-label', { dataVolume: ['low'] }],
    ] as [string, string, SimFilter][]) {
      const search = pageStatements({ q, sort, page: 1, pageSize: 100, ...filter }).search;
      expect(search?.walkRows, `${q} ${sort}`).toBe(WALK_ROWS);
      expect(search?.walk.text).toContain('search_text');
    }
  });
});

describe('sim_label_keys', () => {
  const keys = () =>
    selectRows<Record<string, unknown>>(
      f.harness().ctx.db,
      sql`SELECT iccid, org_id, status, label_key FROM sim_label_keys ORDER BY iccid`,
    );
  const fromSims = () =>
    selectRows<Record<string, unknown>>(
      f.harness().ctx.db,
      sql`SELECT iccid, org_id, status, label_key FROM sims ORDER BY iccid`,
    );

  it('when SIMs are imported, assigned, relabelled, deactivated, moved and deleted, then it holds what sims holds', async () => {
    // the fixtures so far: imports, assignments, labels, a SIM back in stock
    expect((await keys()).length).toBeGreaterThan(16);
    expect(await keys()).toEqual(await fromSims());
    const [a, b, c] = [f.mine()[13] ?? '', f.mine()[14] ?? '', f.mine()[15] ?? ''];
    await f
      .harness()
      .ctx.db.transaction(async (tx) => {
        await tx.update(sims).set({ label: 'Unit 7b' }).where(eq(sims.iccid, a));
        await tx.update(sims).set({ status: 'deactivated' }).where(eq(sims.iccid, b));
        await tx.update(sims).set({ orgId: null, status: 'stock', label: null }).where(eq(sims.iccid, c));
        // the accounting's kind of update, which sets none of the three columns
        await tx.update(sims).set({ dataUsed: 1, sessionState: 'online' }).where(eq(sims.iccid, a));
        // the key written by hand, as migration 0027 filled it
        await tx.execute(sql`UPDATE sims SET label_key = 'by hand' WHERE iccid = ${b}`);
        const inside = (db: typeof tx, table: string) =>
          selectRows<Record<string, unknown>>(
            db,
            sql`SELECT iccid, org_id, status, label_key FROM ${sql.identifier(table)} ORDER BY iccid`,
          );
        expect(await inside(tx, 'sim_label_keys')).toEqual(await inside(tx, 'sims'));
        expect((await inside(tx, 'sim_label_keys')).find((k) => k.iccid === a)?.label_key).toBe(
          'unit 00000000000000000007b',
        );
        await tx.delete(sims).where(eq(sims.iccid, c));
        expect(await inside(tx, 'sim_label_keys')).toEqual(await inside(tx, 'sims'));
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof TransactionRollbackError)) throw err;
      });
    expect(await keys()).toEqual(await fromSims());
  });
});

/**
 * The list page's own SQL (sims.page.ts) against the Drizzle filter of bulk actions and exports, and
 * its database-formatted end of life against Date#toISOString of the detail view.
 */
import { eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimFilter, simPage, simSortKeys, simSummary } from '../../../contracts/sims.js';
import { selectRows } from '../../db/client.js';
import { sims } from '../../db/schema/index.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import {
  addLuhnDigits,
  COUNT_LIMIT,
  countLimit,
  FENCE_MATCHES,
  KEY_WALK_ROWS,
  pageStatements,
  searchWalk,
  simPageJson,
  trigramTerm,
  WALK_ROWS,
} from './sims.page.js';
import { matchingIccids } from './sims.repository.js';

let h: Harness;
let owner: Session;
let orgId: string;
let mine: string[];
const MB = 1024 * 1024;

beforeAll(async () => {
  h = await createHarness();
  const { demoOrgId, otherOrgId } = await seedFixtures(h.ctx);
  orgId = demoOrgId;
  mine = await seedFleet(h.ctx, orgId, 3, 16, '10.66.0.0/24');
  // another customer's SIMs, which match the same searches and must never be counted
  await seedFleet(h.ctx, otherOrgId, 4, 5, '10.67.0.0/24');
  const set = (n: number, v: Partial<typeof sims.$inferInsert>) =>
    h.ctx.db
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
    await h.ctx.db.execute(
      sql`UPDATE sims SET end_of_life = ${end}::timestamptz WHERE iccid = ${mine[6 + i]}`,
    );
  await h.ctx.db.execute(sql`UPDATE sims SET end_of_life = NULL WHERE iccid = ${mine[12]}`);
  owner = await signIn(h.app, 'owner@demo.example');
});
afterAll(() => h.close());

const list = async (query: string) => {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1/sims?${query}`, headers: as(owner) });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  // the database writes the rows: byte for byte what JSON.stringify of the contract's shape gives
  const page = simPage.parse(res.json());
  expect(res.body).toBe(JSON.stringify(page));
  return res.json() as { items: Record<string, unknown>[]; total: number; totalExact: boolean };
};

const count = async (query: string) => {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1/sims/count?${query}`, headers: as(owner) });
  return { status: res.statusCode, body: res.json() as { total?: number; error?: { code: string } } };
};

describe('the list page query', () => {
  const cases: [string, SimFilter][] = [
    ['', {}],
    ['status=activated', { status: ['activated'] }],
    ['status=deactivated,expired', { status: ['deactivated', 'expired'] }],
    ['session=online,blocked', { session: ['online', 'blocked'] }],
    ['dataVolume=low,none', { dataVolume: ['low', 'none'] }],
    ['smsVolume=low', { smsVolume: ['low'] }],
    ['q=pump', { q: 'pump' }],
    ['q=100%25_', { q: '100%_' }],
    ['q=PUMP&status=expired&session=online', { q: 'PUMP', status: ['expired'], session: ['online'] }],
    // terms with no trigram, matched by strpos rather than LIKE: the same rows
    ['q=p', { q: 'p' }],
    ['q=Mp', { q: 'Mp' }],
    ['q=%25_', { q: '%_' }],
    ['q=\\', { q: '\\' }],
    ['q=e-&status=activated', { q: 'e-', status: ['activated'] }],
    [
      'status=activated&session=attached,blocked&dataVolume=low,none',
      { status: ['activated'], session: ['attached', 'blocked'], dataVolume: ['low', 'none'] },
    ],
  ];
  it.each(cases)(
    'when filtered by "%s", then it matches the filter of bulk actions and exports',
    async (query, filter) => {
      const page = await list(`${query}&pageSize=500&sort=iccid`);
      const expected = await matchingIccids(h.ctx.db, orgId, filter, 1000);
      expect(page.items.map((i) => i.iccid)).toEqual(expected);
      expect(page.total).toBe(expected.length);
      expect(page.totalExact).toBe(true);
      // the count endpoint counts the same SIMs
      expect(await count(query)).toEqual({ status: 200, body: { total: expected.length } });
    },
  );

  it('when the count endpoint gets a bad filter, then it answers 400 naming the parameter', async () => {
    const bad = await count('status=bogus');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('status');
    expect((await count(`q=${'x'.repeat(65)}`)).status).toBe(400);
    // a page's parameters mean nothing to a count
    expect((await count('q=pump&page=2')).status).toBe(400);
  });

  it('when a search matches more SIMs than the page counts to, then its total says "more than", and the page is the same', async () => {
    const page = async (q: string, sort: string, p: number, limit: number) =>
      JSON.parse(
        await simPageJson(h.ctx.database, orgId, { q, sort, page: p, pageSize: 3 }, { countLimit: limit }),
      ) as { items: { iccid: string }[]; total: number; totalExact: boolean };
    // '1' is scanned (no trigram), '8949' goes through the trigram index; both match all 15
    for (const q of ['1', '8949'])
      for (const sort of ['iccid', '-label', 'dataLeft']) {
        const all = await page(q, sort, 1, 1_000);
        expect(all).toMatchObject({ total: 15, totalExact: true });
        const counted = await page(q, sort, 1, 7);
        expect(counted, `${q} ${sort}`).toMatchObject({ total: 7, totalExact: false });
        expect(counted.items, `${q} ${sort}`).toEqual(all.items);
        // a deep page counts to the end of the next, so a next page shows (in whole pages) while there is one
        const third = await page(q, sort, 3, 7);
        expect(third, `${q} ${sort}`).toMatchObject({ total: 12, totalExact: false });
        expect(third.items).toEqual((await page(q, sort, 3, 1_000)).items);
        // the last but one page knows the total
        expect(await page(q, sort, 4, 7), `${q} ${sort}`).toMatchObject({ total: 15, totalExact: true });
      }
    // exactly as many as it counts to is still exact
    expect(await page('1', 'iccid', 1, 15)).toMatchObject({ total: 15, totalExact: true });
    expect(await page('8949', 'iccid', 1, 14)).toMatchObject({ total: 14, totalExact: false });
    expect(countLimit(0, 100)).toBe(COUNT_LIMIT);
    expect(countLimit(2_000, 500)).toBe(3_000);
  });

  it('when the page is past the end, then it is empty and the total still counts', async () => {
    const all = await list('pageSize=500');
    const past = await list('pageSize=10&page=9');
    expect(past.items).toEqual([]);
    expect(past.total).toBe(all.total);
    expect(all.total).toBe(15); // 16 SIMs, one back in stock
    const none = await list('q=no-such-sim');
    expect(none).toMatchObject({ items: [], total: 0, totalExact: true });
  });

  it('when rows are listed, then each equals the summary part of its detail view', async () => {
    const page = await list('pageSize=500&sort=-endOfLife');
    expect(page.items.length).toBe(15);
    for (const item of page.items) {
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/v1/sims/${item.iccid}`,
        headers: as(owner),
      });
      const detail = res.json() as Record<string, unknown>;
      const summary = Object.fromEntries(Object.keys(item).map((k) => [k, detail[k]]));
      expect(item).toEqual(summary);
    }
    for (const item of page.items) expect(Object.keys(item)).toEqual(Object.keys(simSummary.shape));
    expect(page.items.map((i) => i.label)).toContain('Meter "7" \\ back/slash\ttab\n\u0001 Zähler 🚰 \u2028');
    const ends = page.items.map((i) => i.endOfLife);
    expect(ends).toContain('2030-01-01T00:00:00.999Z');
    expect(ends).toContain('2031-06-30T23:59:59.000Z');
    expect(ends).toContain('2032-02-29T10:34:56.000Z');
    expect(ends).toContain('2034-01-01T04:59:59.999Z');
    expect(ends.at(-1)).toBeNull(); // empty last, descending too
  });

  it.each([
    ['label', 'label'],
    ['imei', 'imei'],
    ['ip', 'ipAddress'],
    ['endOfLife', 'endOfLife'],
  ])('when sorted by %s either way, then SIMs without one come last, in ICCID order', async (sort, field) => {
    for (const direction of ['', '-']) {
      const page = await list(`pageSize=500&sort=${direction}${sort}`);
      const values = page.items.map((i) => i[field] as string | null);
      const empty = values.indexOf(null);
      expect(empty, `${direction}${sort}`).toBeGreaterThan(0);
      expect(
        values.slice(empty).every((v) => v === null),
        `${direction}${sort}`,
      ).toBe(true);
      const iccids = page.items.slice(empty).map((i) => String(i.iccid));
      const ordered = [...iccids].sort();
      expect(iccids).toEqual(direction ? ordered.reverse() : ordered);
    }
  });

  it.each([
    ['imsi', 'sims_imsi_digits'],
    ['msisdn', 'sims_msisdn_digits'],
    ['imei', 'sims_imei_digits'],
  ])(
    'when %s, which the page writes unescaped, would hold anything but digits, then the database refuses it',
    async (column, constraint) => {
      const iccid = mine[7] ?? '';
      const before = await selectRows<Record<string, unknown>>(
        h.ctx.db,
        sql`SELECT imsi, msisdn, imei FROM sims WHERE iccid = ${iccid}`,
      );
      for (const bad of ['1"2', '12\\', '1\n2', '', ' 12']) {
        const error = await h.ctx.db
          .execute(sql`UPDATE sims SET ${sql.identifier(column)} = ${bad} WHERE iccid = ${iccid}`)
          .then(
            () => undefined,
            (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`,
          );
        expect(error, JSON.stringify(bad)).toContain(constraint);
      }
      const after = await selectRows<Record<string, unknown>>(
        h.ctx.db,
        sql`SELECT imsi, msisdn, imei FROM sims WHERE iccid = ${iccid}`,
      );
      expect(after).toEqual(before);
    },
  );
});

describe('the generic plans of the unfiltered list', () => {
  /**
   * The nodes of the statement's generic plan, and the indexes it scans of sims. The settings and a
   * dropped index last only for the transaction, which is rolled back.
   */
  const plan = async (sort: string, dropOrganisationIndexes: boolean) => {
    const { text, generic } = pageStatements({ sort, page: 1, pageSize: 100 }).list ?? { text: '' };
    const nodes: string[] = [];
    const indexes: string[] = [];
    await h.ctx.db
      .transaction(async (tx) => {
        await tx.execute(sql.raw('SET LOCAL plan_cache_mode = force_generic_plan'));
        // on a table this small a sequential scan and a sort would win; the question is which index
        await tx.execute(sql.raw('SET LOCAL enable_seqscan = off'));
        await tx.execute(sql.raw('SET LOCAL enable_sort = off'));
        if (dropOrganisationIndexes) {
          const names = await selectRows<{ name: string }>(
            tx,
            sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'sims' AND indexname LIKE 'sims\_org\_%'`,
          );
          for (const { name } of names) await tx.execute(sql.raw(`DROP INDEX ${name}`));
        }
        await tx.execute(sql.raw(`PREPARE page_plan AS ${text}`));
        const [row] = await selectRows<{ 'QUERY PLAN': unknown }>(
          tx,
          sql.raw(`EXPLAIN (FORMAT JSON) EXECUTE page_plan('${orgId}', 100, 0)`),
        );
        await tx.execute(sql.raw('DEALLOCATE page_plan'));
        const json = row?.['QUERY PLAN'];
        const walk = (node: Record<string, unknown>) => {
          nodes.push(String(node['Node Type']));
          if (node['Relation Name'] === 'sims') indexes.push(String(node['Index Name'] ?? node['Node Type']));
          for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
        };
        walk((typeof json === 'string' ? JSON.parse(json) : json)[0].Plan);
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof TransactionRollbackError)) throw err;
      });
    return { generic, nodes, indexes };
  };
  const sorts = simSortKeys.filter((k) => k !== 'dataLeft').flatMap((k) => [k, `-${k}`]);

  it.each(sorts)(
    'when sorted by %s, then the generic plan walks an index of the organisation',
    async (sort) => {
      const { generic, indexes } = await plan(sort, false);
      expect(generic).toBe(true);
      expect(indexes).toEqual([expect.stringMatching(/^sims_org_/)]);
      // descending with empty values last: the descending index, not the ascending one and a sort
      if (['-label', '-imei', '-ip', '-endOfLife'].includes(sort))
        expect(indexes).toEqual([expect.stringMatching(/^sims_org_\w+_desc_idx$/)]);
    },
  );

  // a generic plan does not know the organisation: taking the order from a global index (the primary
  // key, IMSI, MSISDN) would walk the whole table in that order for a small organisation
  it.each(sorts)(
    'when sorted by %s, then no generic plan can take its order from a global index',
    async (sort) => {
      const { nodes, indexes } = await plan(sort, true);
      expect(indexes.every((i) => !i.startsWith('sims_org_'))).toBe(true);
      expect(nodes).toContain('Sort');
    },
  );

  it('when filtered, searched or sorted by data left, then the statement keeps custom plans', () => {
    for (const q of [
      { status: ['activated' as const] },
      { q: 'pump' },
      { sort: 'dataLeft' },
      { sort: '-dataLeft' },
    ]) {
      const { list, search } = pageStatements({ sort: 'iccid', page: 1, pageSize: 10, ...q });
      const statements = list ? [list] : search ? [search.count, search.walk, search.fenced] : [];
      for (const statement of statements) expect(statement.generic, JSON.stringify(q)).toBe(false);
    }
  });
});

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
      ...h.ctx.database,
      arrays: (statement: Parameters<typeof h.ctx.database.arrays>[0]) => {
        names.push(statement.name ?? '');
        return h.ctx.database.arrays(statement);
      },
    };
    const page = JSON.parse(
      await simPageJson(counting, orgId, { q: '1', sort: 'label', page: 1, pageSize: 3 }),
    );
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/_count$/);
    expect(page.items).toHaveLength(3);
    expect(page.total).toBeGreaterThan(3);
    // a trigram term counts through the index and fetches its page apart
    names.length = 0;
    await simPageJson(counting, orgId, { q: 'pump', sort: 'label', page: 1, pageSize: 3 });
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
        simPageJson(h.ctx.database, orgId, { q, sort, page: p, pageSize: 3 }, { walkFor });
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
      const scans: string[] = [];
      await h.ctx.db
        .transaction(async (tx) => {
          // on a table this small the planner would rather scan and sort; the question is whether it can
          await tx.execute(sql.raw('SET LOCAL enable_seqscan = off'));
          await tx.execute(sql.raw('SET LOCAL enable_sort = off'));
          await tx.execute(sql.raw('SET LOCAL enable_bitmapscan = off'));
          await tx.execute(sql.raw(`PREPARE walk_plan AS ${search?.walk.text}`));
          const values = q === 'pump' ? "'%pump%'" : "'{activated}', 'e'";
          const [row] = await selectRows<{ 'QUERY PLAN': unknown }>(
            tx,
            sql.raw(`EXPLAIN (FORMAT JSON) EXECUTE walk_plan('${orgId}', ${values}, 100, 0, 1000)`),
          );
          await tx.execute(sql.raw('DEALLOCATE walk_plan'));
          const json = row?.['QUERY PLAN'];
          const walk = (node: Record<string, unknown>) => {
            if (String(node['Relation Name']).startsWith('sim'))
              scans.push(`${node['Node Type']} ${node['Index Name'] ?? ''}`);
            for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
          };
          walk((typeof json === 'string' ? JSON.parse(json) : json)[0].Plan);
          tx.rollback();
        })
        .catch((err: unknown) => {
          if (!(err instanceof TransactionRollbackError)) throw err;
        });
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
      h.ctx.db,
      sql`SELECT iccid, org_id, status, label_key FROM sim_label_keys ORDER BY iccid`,
    );
  const fromSims = () =>
    selectRows<Record<string, unknown>>(
      h.ctx.db,
      sql`SELECT iccid, org_id, status, label_key FROM sims ORDER BY iccid`,
    );

  it('when SIMs are imported, assigned, relabelled, deactivated, moved and deleted, then it holds what sims holds', async () => {
    // the fixtures so far: imports, assignments, labels, a SIM back in stock
    expect((await keys()).length).toBeGreaterThan(16);
    expect(await keys()).toEqual(await fromSims());
    const [a, b, c] = [mine[13] ?? '', mine[14] ?? '', mine[15] ?? ''];
    await h.ctx.db
      .transaction(async (tx) => {
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

describe('addLuhnDigits', () => {
  it('when the page has ICCIDs, then each iccidWithLuhn gets its digit; a label quoting the key is left alone', () => {
    const page = JSON.stringify([
      { iccid: '8988000000000000001', iccidWithLuhn: '8988000000000000001', label: ',"iccidWithLuhn":"1' },
      { iccid: '8988000000000000002', iccidWithLuhn: '8988000000000000002', label: null },
    ]);
    expect(JSON.parse(addLuhnDigits(page))).toEqual([
      { iccid: '8988000000000000001', iccidWithLuhn: '89880000000000000017', label: ',"iccidWithLuhn":"1' },
      { iccid: '8988000000000000002', iccidWithLuhn: '89880000000000000025', label: null },
    ]);
    expect(addLuhnDigits('[]')).toBe('[]');
  });

  it('when an ICCID is not digits, then it fails instead of answering a wrong digit', () => {
    expect(() => addLuhnDigits('[{"iccid":"x","iccidWithLuhn":"89x"}]')).toThrow(/not digits/);
  });
});

/**
 * The list page's own SQL (sims.page.ts) against the Drizzle filter of bulk actions and exports, its
 * database-formatted end of life against Date#toISOString of the detail view, its search totals, and
 * the generic plans of the unfiltered list. The searches' statements: sims.search.test.ts.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type SimFilter, simSortKeys, simSummary } from '../../../contracts/sims.js';
import { selectRows } from '../../db/client.js';
import { as } from '../../test/harness.js';
import { pageFixture, planOf } from './sims.page.fixture.js';
import { addLuhnDigits, pageStatements, simPageJson } from './sims.page.js';
import { matchingIccids } from './sims.repository.js';
import { COUNT_LIMIT, countLimit } from './sims.search.js';

const f = pageFixture();
const { list, count } = f;
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
      const expected = await matchingIccids(f.harness().ctx.db, f.orgId(), filter, 1000);
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
        await simPageJson(
          f.harness().ctx.database,
          f.orgId(),
          { q, sort, page: p, pageSize: 3 },
          { countLimit: limit },
        ),
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
      const res = await f.harness().app.inject({
        method: 'GET',
        url: `/api/v1/sims/${item.iccid}`,
        headers: as(f.owner()),
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
      const iccid = f.mine()[7] ?? '';
      const before = await selectRows<Record<string, unknown>>(
        f.harness().ctx.db,
        sql`SELECT imsi, msisdn, imei FROM sims WHERE iccid = ${iccid}`,
      );
      for (const bad of ['1"2', '12\\', '1\n2', '', ' 12']) {
        const error = await f
          .harness()
          .ctx.db.execute(sql`UPDATE sims SET ${sql.identifier(column)} = ${bad} WHERE iccid = ${iccid}`)
          .then(
            () => undefined,
            (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`,
          );
        expect(error, JSON.stringify(bad)).toContain(constraint);
      }
      const after = await selectRows<Record<string, unknown>>(
        f.harness().ctx.db,
        sql`SELECT imsi, msisdn, imei FROM sims WHERE iccid = ${iccid}`,
      );
      expect(after).toEqual(before);
    },
  );
});

describe('the generic plans of the unfiltered list', () => {
  /** The nodes of the statement's generic plan, and the indexes it scans of sims. */
  const plan = async (sort: string, dropOrganisationIndexes: boolean) => {
    const { text, generic } = pageStatements({ sort, page: 1, pageSize: 100 }).list ?? { text: '' };
    // on a table this small a sequential scan and a sort would win; the question is which index
    const settings = ['plan_cache_mode = force_generic_plan', 'enable_seqscan = off', 'enable_sort = off'];
    const scans = await planOf(f.harness().ctx.db, text, `'${f.orgId()}', 100, 0`, settings, async (tx) => {
      if (!dropOrganisationIndexes) return;
      const names = await selectRows<{ name: string }>(
        tx,
        sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'sims' AND indexname LIKE 'sims\_org\_%'`,
      );
      for (const { name } of names) await tx.execute(sql.raw(`DROP INDEX ${name}`));
    });
    const nodes = scans.map((s) => s.node);
    const indexes = scans.filter((s) => s.relation === 'sims').map((s) => s.index ?? s.node);
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

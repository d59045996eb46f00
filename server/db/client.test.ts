/** How statements are planned on PostgreSQL: `arrays` (custom plans, or the generic-plan pool) and `preparedRows`. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test/harness.js';
import { arrayLiteral, preparedRows } from './client.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const planCacheMode = async (generic: boolean) => {
  const rows = await h.ctx.database.arrays({ text: 'SHOW plan_cache_mode', values: [], generic });
  return rows[0]?.[0];
};

describe('statements marked generic', () => {
  it('when marked generic, then PostgreSQL runs them on sessions that force generic plans (PGlite: as any other)', async () => {
    // several at once: every connection the pool opens must have the setting, not only the first
    const modes = await Promise.all(Array.from({ length: 4 }, () => planCacheMode(true)));
    const expected = h.ctx.database.driver === 'postgres' ? 'force_generic_plan' : 'auto';
    expect(modes).toEqual([expected, expected, expected, expected]);
  });

  it("when not marked, then they run on sessions of PostgreSQL's default plan cache mode", async () => {
    // forcing custom plans there also re-planned every foreign-key check, row by row
    expect(await planCacheMode(false)).toBe('auto');
  });

  it('when not marked but named, then the statement is not prepared under its name, so no run takes a generic plan', async () => {
    // Under `auto`, PostgreSQL would switch a named statement to a generic plan from its sixth run
    // (a generic plan costs no more than these custom ones): the SIM list's search ran on a plan
    // made for no particular term. Sent unnamed, it is planned for its values on every run. The
    // statement looks for itself among its session's prepared statements while it runs.
    const statement = {
      name: 'client_test_plan_counts',
      text: 'SELECT count(*)::int FROM pg_prepared_statements WHERE name = $1',
      values: ['client_test_plan_counts'],
    };
    const runs: unknown[][] = [];
    for (let i = 0; i < 8; i++) runs.push(...(await h.ctx.database.arrays(statement)));
    expect(runs.map((r) => Number(r[0]))).toEqual(new Array(8).fill(0));
    // and a generic one is prepared: the same query sees itself
    const generic = {
      ...statement,
      name: 'client_test_generic',
      values: ['client_test_generic'],
      generic: true,
    };
    const seen = await h.ctx.database.arrays(generic);
    expect(Number(seen[0]?.[0])).toBe(h.ctx.database.driver === 'postgres' ? 1 : 0);
  });
});

describe('preparedRows', () => {
  it('when run in a transaction, then the statement is prepared under its name on that connection and returns its rows', async () => {
    const name = 'client_test_prepared';
    const seen = await h.ctx.db.transaction(async (tx) => {
      const runs: { n: number; v: string }[] = [];
      // the statement looks for itself among its session's prepared statements while it runs
      for (let i = 0; i < 7; i++) {
        runs.push(
          ...(await preparedRows<{ n: number; v: string }>(
            tx,
            name,
            sql`SELECT count(*)::int AS n, ${`run ${i}`}::text AS v FROM pg_prepared_statements WHERE name = ${name}`,
          )),
        );
      }
      return runs;
    });
    const prepared = h.ctx.database.driver === 'postgres' ? 1 : 0;
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => ({ n: prepared, v: `run ${i}` })));
  });

  it('when its statement fails, then the transaction fails and what it wrote is rolled back', async () => {
    await h.ctx.db.execute(sql`CREATE TABLE IF NOT EXISTS client_test_rows (id int PRIMARY KEY)`);
    const insert = (id: number) =>
      sql`INSERT INTO client_test_rows (id) SELECT * FROM unnest(${sql.param([id, 1])}::int[]) RETURNING id`;
    await expect(
      h.ctx.db.transaction(async (tx) => {
        await preparedRows(tx, 'client_test_insert', sql`INSERT INTO client_test_rows VALUES (2)`);
        await preparedRows(tx, 'client_test_insert_dup', insert(1));
      }),
    ).rejects.toThrow();
    const rows = await h.ctx.database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM client_test_rows`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('when its arrays hold awkward text, numbers, booleans and nulls, then they arrive as they were', async () => {
    const text = [
      '',
      'plain',
      'NULL',
      'with "quotes"',
      'back\\slash',
      '{braces}, commas',
      ' spaced ',
      'ümlaut 🚀',
    ];
    const rows = await preparedRows<{
      t: string[];
      n: (number | null)[];
      b: boolean[];
      m: (string | null)[];
    }>(
      h.ctx.db,
      'client_test_arrays',
      sql`SELECT ${sql.param(text)}::text[] AS t, ${sql.param([1, -2.5, null, 2 ** 53])}::float8[] AS n,
        ${sql.param([true, false])}::bool[] AS b, ${sql.param(['a', null, 'c"'])}::text[] AS m`,
    );
    expect(rows[0]).toEqual({ t: text, n: [1, -2.5, null, 2 ** 53], b: [true, false], m: ['a', null, 'c"'] });
    const empty = await preparedRows<{ e: string[] }>(
      h.ctx.db,
      'client_test_empty_array',
      sql`SELECT ${sql.param([])}::text[] AS e`,
    );
    expect(empty[0]?.e).toEqual([]);
  });
});

describe('arrayLiteral', () => {
  it('when every element is plain text or a finite number, then the literal is one join; else each is quoted as needed', () => {
    expect(arrayLiteral(['a', 'b c'])).toBe('{"a","b c"}');
    expect(arrayLiteral([1, 2.5, -3])).toBe('{1,2.5,-3}');
    expect(arrayLiteral(['a"b', 'c\\d', null, 7, true])).toBe('{"a\\"b","c\\\\d",NULL,7,true}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('when an element is not a string, number, boolean or null, then there is no literal (the driver serialises it)', () => {
    expect(arrayLiteral([new Date(0)])).toBeUndefined();
    expect(arrayLiteral([['nested']])).toBeUndefined();
    expect(arrayLiteral([1n])).toBeUndefined();
  });
});

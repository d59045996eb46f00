/** The two ways `arrays` runs a statement on PostgreSQL: custom plans, or the generic-plan pool. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test/harness.js';

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

  it('when not marked, then PostgreSQL plans them for their values on every run (PGlite: its default)', async () => {
    expect(await planCacheMode(false)).toBe(
      h.ctx.database.driver === 'postgres' ? 'force_custom_plan' : 'auto',
    );
  });

  it('when not marked but named, then the statement keeps custom plans past the fifth run', async () => {
    // Under `auto`, PostgreSQL would switch a named statement to a generic plan from its sixth run
    // (a generic plan costs no more than these custom ones): the SIM list's search ran on a plan
    // made for no particular term. The statement reads its own plan counts on its own session.
    const statement = {
      name: 'client_test_plan_counts',
      text: 'SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1',
      values: ['client_test_plan_counts'],
    };
    const runs: unknown[][] = [];
    for (let i = 0; i < 8; i++) runs.push(...(await h.ctx.database.arrays(statement)));
    if (h.ctx.database.driver !== 'postgres') return;
    expect(runs.map((r) => Number(r[0]))).toEqual(new Array(8).fill(0));
    // one session ran them all (pg-pool hands out the idle client it took back last), so the sixth
    // run and later did happen on the statement's session
    expect(Math.max(...runs.map((r) => Number(r[1])))).toBeGreaterThanOrEqual(6);
  });
});

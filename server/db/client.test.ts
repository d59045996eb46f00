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

  it('when not marked, then they keep PostgreSQL’s choice of custom plans', async () => {
    expect(await planCacheMode(false)).toBe('auto');
  });
});

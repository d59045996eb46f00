import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** A subscriber that records what it hears. */
function recorder() {
  const heard: string[] = [];
  const states: boolean[] = [];
  return {
    heard,
    states,
    subscriber: { notify: (p: string) => heard.push(p), live: (l: boolean) => states.push(l) },
  };
}

async function waitFor(check: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('LISTEN/NOTIFY', () => {
  it('when a statement notifies a channel, then its subscribers hear the payload after the commit, others not', async () => {
    const a = recorder();
    const b = recorder();
    const stopA = await h.ctx.database.listen('listen_test_a', a.subscriber);
    await h.ctx.database.listen('listen_test_b', b.subscriber);
    expect(a.states.at(-1)).toBe(true);
    await h.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_notify('listen_test_a', 'one')`);
      await new Promise((r) => setTimeout(r, 50));
      expect(a.heard).toEqual([]); // not before the commit
    });
    await waitFor(() => a.heard.length === 1);
    expect(a.heard).toEqual(['one']);
    expect(b.heard).toEqual([]);
    stopA();
    await h.ctx.database.query(sql`SELECT pg_notify('listen_test_a', 'two')`);
    await h.ctx.database.query(sql`SELECT pg_notify('listen_test_b', 'three')`);
    await waitFor(() => b.heard.length === 1);
    expect(a.heard).toEqual(['one']);
  });

  it('when a channel name is not a plain identifier, then listening is refused', async () => {
    await expect(h.ctx.database.listen('x; DROP TABLE sims', recorder().subscriber)).rejects.toThrow(
      /invalid channel/,
    );
  });
});

// Only PostgreSQL has a listening connection that can drop; PGlite's notifications never leave the process.
if (process.env.DATABASE_URL) {
  describe('LISTEN/NOTIFY on PostgreSQL', () => {
    it('when the listening connection drops, then subscribers go not-live at once and live again once it is back', async () => {
      const r = recorder();
      await h.ctx.database.listen('listen_test_drop', r.subscriber);
      expect(r.states.at(-1)).toBe(true);
      await h.ctx.database.query(
        sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
      );
      await waitFor(() => r.states.at(-1) === false);
      await waitFor(() => r.states.at(-1) === true);
      await h.ctx.database.query(sql`SELECT pg_notify('listen_test_drop', 'after')`);
      await waitFor(() => r.heard.includes('after'));
    });
  });
}

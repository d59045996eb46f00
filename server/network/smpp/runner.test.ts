import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { type SmscSimulator, startSmscSimulator } from '../simulator/smsc.js';
import { startSmpp } from './runner.js';

// The outbox drain: stopping with a full queue gives the unsent messages back at once.
let h: Harness;
let smsc: SmscSimulator;

beforeAll(async () => {
  smsc = await startSmscSimulator({ receiptDelayMs: 20 });
  h = await createHarness({ SMPP_URL: smsc.url });
  const { demoOrgId } = await seedFixtures(h.ctx);
  await seedFleet(h.ctx, demoOrgId, 5, 3, '10.66.0.0/24');
}, 60_000);
afterAll(async () => {
  await h.close();
  await smsc.stop();
});

const counts = async () => {
  const [r] = await selectRows<{ pending: number; leased: number; submitted: number }>(
    h.ctx.db,
    sql`SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
               count(*) FILTER (WHERE status = 'pending' AND lease_until > now())::int AS leased,
               count(*) FILTER (WHERE status NOT IN ('pending', 'cancelled'))::int AS submitted
        FROM sms_messages WHERE direction = 'MT'`,
  );
  return r ?? { pending: -1, leased: -1, submitted: -1 };
};

describe('MT outbox drain', () => {
  it('when the ESME stops with messages queued, then they go back to the outbox unleased and the next start sends every one', async () => {
    const n = 400;
    await h.ctx.database.query(
      sql.raw(`
      INSERT INTO sms_messages (org_id, iccid, direction, peer, text, encoding, segments, status, ref, source, created_at)
      SELECT s.org_id, s.iccid, 'MT', s.msisdn, 'Queued ' || g, 'gsm7', 1, 'pending', g % 256, 'api', now()
      FROM generate_series(1, ${n}) g
      JOIN LATERAL (SELECT * FROM sims WHERE status = 'activated' ORDER BY iccid OFFSET (g % 3) LIMIT 1) s ON true`),
    );
    // a window of one: the claimed messages wait in the ESME's queue
    const first = await startSmpp(h.ctx, { pollMs: 20, esme: { window: 1 } });
    expect(await first.esme.waitBound()).toBe(true);
    const end = Date.now() + 10_000;
    while (first.esme.counters.submitted < 20 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(first.esme.status().window.queued).toBeGreaterThan(50);
    await first.stop();
    const afterStop = await counts();
    expect(afterStop.leased).toBe(0); // not left to a 60 s lease
    expect(afterStop.pending).toBeGreaterThan(0);
    expect(afterStop.submitted).toBe(first.esme.counters.submitted);

    const second = await startSmpp(h.ctx, { pollMs: 20 });
    try {
      const until = Date.now() + 20_000;
      while ((await counts()).pending > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      expect(await counts()).toMatchObject({ pending: 0, submitted: n });
      const texts = new Set(smsc.received.filter((m) => m.text.startsWith('Queued ')).map((m) => m.text));
      expect(texts.size).toBe(n);
    } finally {
      await second.stop();
    }
  });
});

import { eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { organisations } from '../../db/schema/index.js';
import { AcctStatus } from '../../network/radius/attributes.js';
import { buildAccountingRequest } from '../../network/radius/builders.js';
import { decodeRequest } from '../../network/radius/request.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { lockSessions } from './accounting.repository.js';
import { storeAccounting } from './accounting.service.js';

let h: Harness;

const start = async (nasAddress: string, sessionId: string, imsi: string) => {
  const decoded = decodeRequest(
    buildAccountingRequest({
      identifier: 1,
      secret: 'unused-here',
      fields: { statusType: AcctStatus.Start, sessionId, userName: imsi, imsi },
    }),
  );
  if (!decoded.ok) throw new Error('bad test packet');
  await storeAccounting(h.ctx, [{ nasAddress, request: decoded.value }]);
};

beforeAll(async () => {
  h = await createHarness();
  await seedFixtures(h.ctx);
  const [demo] = await h.ctx.db
    .select()
    .from(organisations)
    .where(eq(organisations.accountNumber, '8100012345'));
  await seedFleet(h.ctx, demo?.id ?? '', 7, 4, '10.62.0.0/24');
  await start('127.0.0.1', 'L1', fixtureIds(7, 1).imsi);
  await start('127.0.0.1', 'L2', fixtureIds(7, 2).imsi);
  await start('127.0.0.2', 'L3', fixtureIds(7, 3).imsi);
});
afterAll(() => h.close());

/**
 * Run `lockSessions` in a transaction that forbids sequential scans where an index could serve, and
 * report what it returned and how radius_sessions was read (this transaction's own statistics).
 */
async function locked(keys: [string, string][], resetNas: string[]) {
  let result: { sessions: string[]; seqScans: number; indexScans: number } | undefined;
  await h.ctx.db
    .transaction(async (tx) => {
      await tx.execute(sql.raw('SET LOCAL enable_seqscan = off'));
      // the backend's counts not yet reported, this transaction's included: compare before and after
      const scans = async () => {
        const [row] = await selectRows<{ seq_scan: string; idx_scan: string }>(
          tx,
          sql`SELECT seq_scan::text, coalesce(idx_scan, 0)::text AS idx_scan
              FROM pg_stat_xact_user_tables WHERE relname = 'radius_sessions'`,
        );
        return { seq: Number(row?.seq_scan ?? 0), idx: Number(row?.idx_scan ?? 0) };
      };
      const before = await scans();
      const { sessions } = await lockSessions(
        tx,
        keys.map(([nas]) => nas),
        keys.map(([, sid]) => sid),
        resetNas,
        new Date().toISOString(),
      );
      const after = await scans();
      result = {
        sessions: [...sessions.values()].map((s) => `${s.nasAddress}/${s.sessionId}`).sort(),
        seqScans: after.seq - before.seq,
        indexScans: after.idx - before.idx,
      };
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  if (!result) throw new Error('lockSessions did not run');
  return result;
}

describe('lockSessions, the first statement of every accounting batch', () => {
  it('when given session keys, then it returns those sessions through the key index, never scanning the table', async () => {
    // an OR of the key list and the Accounting-On/Off condition read the whole table for every batch
    const r = await locked(
      [
        ['127.0.0.1', 'L1'],
        ['127.0.0.2', 'L3'],
        ['127.0.0.1', 'unknown'],
      ],
      [],
    );
    expect(r.sessions).toEqual(['127.0.0.1/L1', '127.0.0.2/L3']);
    expect(r.seqScans).toBe(0);
    expect(r.indexScans).toBeGreaterThan(0);
  });

  it('when a NAS sent Accounting-On/Off, then it returns the open sessions of that NAS alone, through an index', async () => {
    const r = await locked([], ['127.0.0.1']);
    expect(r.sessions).toEqual(['127.0.0.1/L1', '127.0.0.1/L2']);
    expect(r.seqScans).toBe(0);
  });

  it('when given keys and a NAS, then it returns both without duplicates', async () => {
    const r = await locked([['127.0.0.2', 'L3']], ['127.0.0.1']);
    expect(r.sessions).toEqual(['127.0.0.1/L1', '127.0.0.1/L2', '127.0.0.2/L3']);
  });
});

import { and, eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { disconnectRequests, mailOutbox } from '../../db/schema/index.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { upsertSettings } from '../config/config.repository.js';
import { addUsageWith } from '../usage/usage.repository.js';
import { lockSessions } from './accounting.repository.js';
import { storeAccounting } from './accounting.service.js';
import { AcctStatus, type RadiusFields } from './radius-record.js';

let h: Harness;
let otherOrgId: string;
let demoOrgId: string;

// the fields an Accounting-Request decodes to (the codec's round trip is tested in server/network/radius)
const accounting = (statusType: number, sessionId: string, imsi: string, octets?: bigint): RadiusFields => ({
  statusType,
  sessionId,
  userName: imsi,
  imsi,
  ...(octets === undefined ? {} : { inputOctets: octets, outputOctets: octets }),
});
const start = (nasAddress: string, sessionId: string, imsi: string) =>
  storeAccounting(h.ctx, [{ nasAddress, request: accounting(AcctStatus.Start, sessionId, imsi) }]);

beforeAll(async () => {
  h = await createHarness();
  const fixtures = await seedFixtures(h.ctx);
  demoOrgId = fixtures.demoOrgId;
  otherOrgId = fixtures.otherOrgId;
  await seedFleet(h.ctx, demoOrgId, 7, 4, '10.62.0.0/24');
  await seedFleet(h.ctx, demoOrgId, 8, 60, '10.63.0.0/24');
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

describe('radius_sessions pages', () => {
  it('when one batch reports every session of a page, then each new version stays on its page (heap-only)', async () => {
    // Interims arrive in the order the sessions started, i.e. the order their rows were inserted, so
    // one batch rewrites whole pages; a version that must move to another page updates every index
    const nas = '127.0.0.3';
    const ids = Array.from({ length: 60 }, (_, n) => ({ sid: `P${n}`, imsi: fixtureIds(8, n + 1).imsi }));
    await storeAccounting(
      h.ctx,
      ids.map(({ sid, imsi }) => ({ nasAddress: nas, request: accounting(AcctStatus.Start, sid, imsi) })),
    );
    const pages = async () =>
      new Map(
        (
          await selectRows<{ session_id: string; page: number }>(
            h.ctx.db,
            sql`SELECT session_id, (ctid::text::point)[0]::int AS page FROM radius_sessions WHERE nas_address = ${nas}`,
          )
        ).map((r) => [r.session_id, Number(r.page)]),
      );
    const before = await pages();
    expect(new Set(before.values()).size).toBeGreaterThan(1);
    await storeAccounting(
      h.ctx,
      ids.map(({ sid, imsi }) => ({
        nasAddress: nas,
        request: accounting(AcctStatus.InterimUpdate, sid, imsi, 1000n),
      })),
    );
    const [grown] = await selectRows<{ n: string }>(
      h.ctx.db,
      sql`SELECT count(*)::text AS n FROM radius_sessions WHERE nas_address = ${nas} AND input_octets = 1000`,
    );
    expect(Number(grown?.n)).toBe(60);
    expect(await pages()).toEqual(before);
  });
});

describe('the usage statement of a batch', () => {
  /** The input octets stored for a NAS's sessions, by Acct-Session-Id. */
  const inputOctetsOf = async (nas: string) =>
    (
      await selectRows<{ session_id: string; input_octets: string }>(
        h.ctx.db,
        sql`SELECT session_id, input_octets::text FROM radius_sessions WHERE nas_address = ${nas} ORDER BY 1`,
      )
    ).map((r) => [r.session_id, Number(r.input_octets)]);

  it('when an Interim takes an organisation over its monthly data limit, then its sessions are written, a mail is queued and the SIM disconnected; an organisation without a limit is left alone', async () => {
    // the usage statement also writes the stored sessions and names the organisations with a limit
    const [limited, unlimited] = [fixtureIds(9, 1), fixtureIds(8, 60)];
    await seedFleet(h.ctx, otherOrgId, 9, 1, '10.64.0.0/24');
    await upsertSettings(h.ctx.db, { orgId: otherOrgId, dataLimitBytes: 1_000_000 });
    await start('127.0.0.4', 'M1', limited.imsi);
    await start('127.0.0.4', 'M2', unlimited.imsi);
    const interim = (sid: string, imsi: string) => ({
      nasAddress: '127.0.0.4',
      request: accounting(AcctStatus.InterimUpdate, sid, imsi, 600_000n),
    });
    const outcome = await storeAccounting(h.ctx, [
      interim('M1', limited.imsi),
      interim('M2', unlimited.imsi),
    ]);
    expect(outcome.disconnectsQueued).toBe(1);
    expect(await inputOctetsOf('127.0.0.4')).toEqual([
      ['M1', 600000],
      ['M2', 600000],
    ]);
    const disconnects = await h.ctx.db
      .select()
      .from(disconnectRequests)
      .where(eq(disconnectRequests.nasAddress, '127.0.0.4'));
    expect(disconnects.map((d) => [d.sessionId, d.iccid, d.reason])).toEqual([
      ['M1', limited.iccid, 'limit'],
    ]);
    const mails = await h.ctx.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.template, 'limit-reached'), eq(mailOutbox.orgId, otherOrgId)));
    expect(mails.length).toBeGreaterThan(0);
  });

  it('when usage comes from organisations with and without a limit, then only the limited one is named', async () => {
    // noteLimitsReached reads the settings of the named ones again: naming too many would pass unseen
    const [limited, unlimited] = [fixtureIds(9, 1).iccid, fixtureIds(8, 59).iccid];
    // settings without a limit are not a limit
    await upsertSettings(h.ctx.db, { orgId: demoOrgId, imeiLockDefault: false });
    const [sims] = await Promise.all([
      selectRows<{ iccid: string; org_id: string }>(
        h.ctx.db,
        sql`SELECT iccid, org_id::text FROM sims WHERE iccid IN (${limited}, ${unlimited})`,
      ),
    ]);
    const delta = (iccid: string) => ({
      orgId: sims.find((x) => x.iccid === iccid)?.org_id ?? '',
      iccid,
      day: '2026-11-25',
      hour: 10,
      dataUp: 1,
      dataDown: 0,
      smsMo: 0,
      smsMt: 0,
    });
    const added = await addUsageWith(h.ctx.db, [delta(limited), delta(unlimited)], { name: 'usage-test' });
    expect(added.limitedOrgIds).toEqual([otherOrgId]);
    await expect(
      addUsageWith(h.ctx.db, [], { name: 'usage-test-with', with: sql`x AS (SELECT 1),` }),
    ).rejects.toThrow(/needs usage/);
  });

  it('when one batch holds a new session with octets and a stored one, then both are counted and stored', async () => {
    const [fresh, stored] = [fixtureIds(8, 58), fixtureIds(8, 57)];
    await start('127.0.0.5', 'N2', stored.imsi);
    const used = async () =>
      new Map(
        (
          await selectRows<{ iccid: string; data_used: string }>(
            h.ctx.db,
            sql`SELECT iccid, data_used::text FROM sims WHERE iccid IN (${fresh.iccid}, ${stored.iccid})`,
          )
        ).map((r) => [r.iccid, Number(r.data_used)]),
      );
    const before = await used();
    await storeAccounting(h.ctx, [
      { nasAddress: '127.0.0.5', request: accounting(AcctStatus.InterimUpdate, 'N1', fresh.imsi, 700n) },
      { nasAddress: '127.0.0.5', request: accounting(AcctStatus.InterimUpdate, 'N2', stored.imsi, 900n) },
    ]);
    const after = await used();
    expect((after.get(fresh.iccid) ?? 0) - (before.get(fresh.iccid) ?? 0)).toBe(1400);
    expect((after.get(stored.iccid) ?? 0) - (before.get(stored.iccid) ?? 0)).toBe(1800);
    expect(await inputOctetsOf('127.0.0.5')).toEqual([
      ['N1', 700],
      ['N2', 900],
    ]);
  });
});

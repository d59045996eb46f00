/**
 * The `blocked` session state ends when its cause may be gone (decision 025): a top-up, a longer
 * lifetime, activation, the IMEI lock off or bound anew, a higher monthly data limit; or after the
 * silence that takes an attached SIM offline. Refusals come from the real AAA over UDP.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orgSettings, sims } from '../../db/schema/index.js';
import { aaaFixture, MB } from '../../network/radius/aaa.fixture.js';
import { RadiusCode } from '../../network/radius/packet.js';
import { as } from '../../test/harness.js';
import { addVolumes } from '../sims/charges.repository.js';
import { decideAccess } from './access.service.js';
import { ATTACHED_SILENCE_MS, detachSilentSims, LISTENING_MS } from './registration.js';

const f = aaaFixture();
const { iccid, imsi, setSim, simRow, access, sendAuth } = f;

/** Refuse SIM n's data session for exhausted volume: blocked. */
async function blockByVolume(n: number) {
  await setSim(n, { dataUsed: 500 * MB, dataTotal: 500 * MB, sessionState: 'offline' });
  const reply = await sendAuth(access(n));
  expect(reply?.replyMessage).toBe('QUOTA_EXHAUSTED');
  expect((await simRow(n)).sessionState).toBe('blocked');
}

const api = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
  f.harness().app.inject({
    method,
    url: `/api/v1${url}`,
    headers: as(f.session('owner')),
    payload: payload as object,
  });

describe('the end of blocked', () => {
  it('when a SIM refused for its used-up volume is topped up, then it is offline at once and its next attach is accepted', async () => {
    await blockByVolume(11);
    const res = await api('POST', `/sims/${iccid(11)}/top-up`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().session).toBe('offline');
    expect((await simRow(11)).sessionState).toBe('offline');
    expect((await sendAuth(access(11)))?.code).toBe(RadiusCode.AccessAccept);
  });

  it('when a SIM refused for its IMEI lock has the lock switched off, then it is offline and accepted', async () => {
    await setSim(12, { imeiLock: true, lockedImei: '490154203237518' });
    const refused = await sendAuth(access(12, { imeisv: '3520990017614801' }));
    expect(refused?.replyMessage).toBe('IMEI_LOCK_BREACHED');
    expect((await simRow(12)).sessionState).toBe('blocked');
    const res = await api('PATCH', `/sims/${iccid(12)}`, { imeiLock: false });
    expect(res.statusCode, res.body).toBe(200);
    expect((await simRow(12)).sessionState).toBe('offline');
    expect((await sendAuth(access(12, { imeisv: '3520990017614801' })))?.code).toBe(RadiusCode.AccessAccept);
  });

  const base = {
    status: 'activated' as const,
    dataTotal: 500 * MB,
    dataUsed: 0,
    endOfLife: new Date(Date.now() + 3_650 * 86_400_000),
    imeiLock: false,
    lockedImei: null,
  };
  type Change = Partial<typeof sims.$inferInsert>;
  it.each<[string, string, Change, Change | 'another organisation']>([
    ['more data volume', 'offline', {}, { dataTotal: 600 * MB }],
    ['a longer lifetime', 'offline', {}, { endOfLife: new Date(Date.now() + 9_000 * 86_400_000) }],
    ['activation', 'offline', { status: 'expired' }, { status: 'activated' }],
    ['the IMEI lock off', 'offline', { imeiLock: true }, { imeiLock: false }],
    [
      'the IMEI lock released',
      'offline',
      { imeiLock: true, lockedImei: '490154203237518' },
      { lockedImei: null },
    ],
    [
      'the IMEI lock bound anew',
      'offline',
      { imeiLock: true, lockedImei: '490154203237518' },
      { lockedImei: '352099001761481' },
    ],
    ['another organisation', 'offline', {}, 'another organisation'],
    // nothing that could end a refusal of data
    ['more SMS volume', 'blocked', {}, { smsTotal: 999 }],
    ['less data volume', 'blocked', {}, { dataTotal: 400 * MB }],
    ['a top-up that leaves it used up', 'blocked', { dataUsed: 700 * MB }, { dataTotal: 600 * MB }],
    ['a shorter lifetime', 'blocked', {}, { endOfLife: new Date(Date.now() + 86_400_000) }],
    [
      'a later end of life, still past',
      'blocked',
      { endOfLife: new Date(Date.now() - 2 * 86_400_000) },
      { endOfLife: new Date(Date.now() - 86_400_000) },
    ],
    ['deactivation', 'blocked', {}, { status: 'deactivated' }],
    ['the IMEI lock on', 'blocked', {}, { imeiLock: true }],
    ['the IMEI lock on with an IMEI', 'blocked', {}, { imeiLock: true, lockedImei: '352099001761481' }],
    ['a label', 'blocked', {}, { label: 'Pump 1' }],
    ['usage, as accounting writes it', 'blocked', {}, { dataUsed: 1, lastSeenAt: new Date() }],
  ])('when a blocked SIM gets %s, then it is %s', async (_what, state, before, change) => {
    await setSim(13, { ...base, ...before, sessionState: 'offline' });
    await setSim(13, { sessionState: 'blocked' });
    const mine = (await simRow(13)).orgId;
    try {
      if (change === 'another organisation') {
        const db = f.harness().ctx.db;
        const [theirs] = await db
          .select()
          .from(sims)
          .where(eq(sims.iccid, f.otherIccids()[0] ?? ''));
        await setSim(13, { orgId: theirs?.orgId ?? null });
      } else await setSim(13, change);
      expect((await simRow(13)).sessionState).toBe(state);
    } finally {
      await setSim(13, { orgId: mine, sessionState: 'offline' });
    }
  });

  it("when the organisation's monthly data limit goes up, then its blocked SIMs are offline; down, they stay blocked", async () => {
    const sim = await simRow(14);
    const orgId = sim.orgId ?? '';
    const settings = (dataLimitMb: number | null, simDataLimitMb: number | null) =>
      api('PUT', '/configuration/settings', {
        dataLimitMb,
        smsMoLimit: null,
        smsMtLimit: null,
        simDataLimitMb,
        imeiLockDefault: false,
        autoTopUpDefault: false,
      });
    const other = f.otherIccids()[0] ?? '';
    const block = async () => {
      await setSim(14, { sessionState: 'blocked' });
      await f.harness().ctx.db.update(sims).set({ sessionState: 'blocked' }).where(eq(sims.iccid, other));
    };
    const states = async () => [
      (await simRow(14)).sessionState,
      (await f.harness().ctx.db.select().from(sims).where(eq(sims.iccid, other)))[0]?.sessionState,
    ];
    try {
      expect((await settings(1_000, 100)).statusCode).toBe(200);
      await block();
      // lower, or only the SMS limits: nothing ends
      expect((await settings(900, 50)).statusCode).toBe(200);
      expect(await states()).toEqual(['blocked', 'blocked']);
      // the per-SIM limit up
      expect((await settings(900, 60)).statusCode).toBe(200);
      expect(await states()).toEqual(['offline', 'blocked']);
      // the organisation's limit away
      await block();
      expect((await settings(null, 60)).statusCode).toBe(200);
      expect(await states()).toEqual(['offline', 'blocked']);
    } finally {
      await f.harness().ctx.db.delete(orgSettings).where(eq(orgSettings.orgId, orgId));
      await f.harness().ctx.db.update(sims).set({ sessionState: 'offline' }).where(eq(sims.iccid, other));
    }
  });

  it('when a blocked SIM has not been refused for the silence, then the sweep takes it offline, however much it sends; one refused lately stays', async () => {
    const now = Date.now();
    const db = f.harness().ctx.db;
    // only the two SIMs of this test are blocked
    await db.update(sims).set({ sessionState: 'offline' }).where(eq(sims.sessionState, 'blocked'));
    // 15 was refused long ago, and its SMS keep its last seen fresh; 16 was refused a minute ago
    await setSim(15, {
      sessionState: 'blocked',
      refusedAt: new Date(now - ATTACHED_SILENCE_MS - 1000),
      lastSeenAt: new Date(now - 60_000),
    });
    await setSim(16, { sessionState: 'blocked', refusedAt: new Date(now - 60_000), lastSeenAt: null });
    const cutoff = new Date(now - ATTACHED_SILENCE_MS);
    // not before the platform has listened long enough
    expect(await detachSilentSims(db, cutoff, new Date(now - 60_000), new Date(now))).toBe(0);
    expect((await simRow(15)).sessionState).toBe('blocked');
    expect(await detachSilentSims(db, cutoff, new Date(now - LISTENING_MS), new Date(now))).toBe(1);
    expect((await simRow(15)).sessionState).toBe('offline');
    expect((await simRow(16)).sessionState).toBe('blocked');
  });

  it('when a blocked SIM is refused again, then the time of refusal follows, at most once a minute, though SMS keep its last seen fresh', async () => {
    const { clock } = f.harness();
    await blockByVolume(17);
    const first = (await simRow(17)).refusedAt;
    expect(first).toEqual(clock.now());
    clock.advance(30_000);
    expect((await sendAuth(access(17)))?.replyMessage).toBe('QUOTA_EXHAUSTED');
    expect((await simRow(17)).refusedAt).toEqual(first);
    clock.advance(60_000);
    // an SMS moved its last seen meanwhile
    await setSim(17, { lastSeenAt: clock.now() });
    expect((await sendAuth(access(17)))?.replyMessage).toBe('QUOTA_EXHAUSTED');
    expect((await simRow(17)).refusedAt).toEqual(clock.now());
    expect((await simRow(17)).sessionState).toBe('blocked');
  });

  it("when a top-up commits between the refusal's read of the SIM and its write, then the SIM is not blocked", async () => {
    const h = f.harness();
    await setSim(18, { dataUsed: 500 * MB, dataTotal: 500 * MB, sessionState: 'offline' });
    // the AAA's read, then a top-up by someone else, then the AAA's write
    const racing = {
      ...h.ctx,
      database: {
        ...h.ctx.database,
        arrays: async (statement: Parameters<typeof h.ctx.database.arrays>[0]) => {
          const rows = await h.ctx.database.arrays(statement);
          await addVolumes(h.ctx.db, [iccid(18)], 500 * MB, 0);
          return rows;
        },
      },
    };
    const [decision] = await decideAccess(racing, [{ imsi: imsi(18), userName: imsi(18) }]);
    expect(decision).toMatchObject({ accept: false, cause: 'QUOTA_EXHAUSTED' });
    expect((await simRow(18)).sessionState).toBe('offline');
    // without the race it would have been blocked, and the next request sees the volume
    expect((await sendAuth(access(18)))?.code).toBe(RadiusCode.AccessAccept);
  });
});

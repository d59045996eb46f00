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
import { ATTACHED_SILENCE_MS, detachSilentSims, LISTENING_MS } from './registration.js';

const f = aaaFixture();
const { iccid, setSim, simRow, access, sendAuth } = f;

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

  it.each<[string, Partial<typeof sims.$inferInsert>, Partial<typeof sims.$inferInsert>, string]>([
    ['more data volume', {}, { dataTotal: 600 * MB }, 'offline'],
    ['a longer lifetime', {}, { endOfLife: new Date(Date.now() + 9_000 * 86_400_000) }, 'offline'],
    ['activation', { status: 'expired' }, { status: 'activated' }, 'offline'],
    ['the IMEI lock off', { imeiLock: true }, { imeiLock: false }, 'offline'],
    [
      'the IMEI lock bound anew',
      { imeiLock: true, lockedImei: '490154203237518' },
      { lockedImei: null },
      'offline',
    ],
    // nothing that could end a refusal of data
    ['more SMS volume', {}, { smsTotal: 999 }, 'blocked'],
    ['less data volume', {}, { dataTotal: 400 * MB }, 'blocked'],
    ['a shorter lifetime', {}, { endOfLife: new Date(Date.now() + 86_400_000) }, 'blocked'],
    ['deactivation', {}, { status: 'deactivated' }, 'blocked'],
    ['the IMEI lock on', {}, { imeiLock: true }, 'blocked'],
    ['a label', {}, { label: 'Pump 1' }, 'blocked'],
    ['usage, as accounting writes it', {}, { dataUsed: 1, lastSeenAt: new Date() }, 'blocked'],
  ])('when a blocked SIM gets %s, then it is %s', async (_what, before, change, state) => {
    await setSim(13, {
      status: 'activated',
      dataTotal: 500 * MB,
      dataUsed: 0,
      endOfLife: new Date(Date.now() + 3_650 * 86_400_000),
      imeiLock: false,
      lockedImei: null,
      ...before,
      sessionState: 'offline',
    });
    await setSim(13, { sessionState: 'blocked' });
    await setSim(13, change);
    expect((await simRow(13)).sessionState).toBe(state);
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

  it('when a blocked SIM has not been heard from for the silence, then the sweep takes it offline; one refused lately stays', async () => {
    const now = Date.now();
    await setSim(15, { sessionState: 'blocked', lastSeenAt: new Date(now - ATTACHED_SILENCE_MS - 1000) });
    await setSim(16, { sessionState: 'blocked', lastSeenAt: new Date(now - 60_000) });
    const cutoff = new Date(now - ATTACHED_SILENCE_MS);
    const db = f.harness().ctx.db;
    // not before the platform has listened long enough
    expect(await detachSilentSims(db, cutoff, new Date(now - 60_000), new Date(now))).toBe(0);
    expect((await simRow(15)).sessionState).toBe('blocked');
    expect(await detachSilentSims(db, cutoff, new Date(now - LISTENING_MS), new Date(now))).toBe(1);
    expect((await simRow(15)).sessionState).toBe('offline');
    expect((await simRow(16)).sessionState).toBe('blocked');
  });
});

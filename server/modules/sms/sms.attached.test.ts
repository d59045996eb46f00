/**
 * The `attached` session state (modules/network/registration.ts, decision 023): an SMS to or from a
 * SIM proves it registered, so an offline SIM shows attached, until an hour's silence takes it offline.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sims, smsMessages } from '../../db/schema/index.js';
import { startStaleSessions } from '../../jobs/stale-sessions.js';
import { fixtureIds } from '../../test/fleet.js';
import {
  get,
  h,
  message,
  n,
  post,
  simRow,
  smsc,
  smsFixture,
  start,
  stop,
  until,
} from '../../test/sms-fixture.js';
import { ATTACHED_SILENCE_MS, detachSilentSims, LISTENING_MS } from '../network/registration.js';
import type { DeliverSm } from './esme-link.js';
import { storeMo } from './sms.mo.js';
import { receiveMoPart } from './sms.mo-parts.js';
import { applyReceipts, doneDate, parseReceipt, RECEIPT_PROMPT_MS, receiptTime } from './sms.receipts.js';

smsFixture();

const setState = (
  iccid: string,
  sessionState: 'online' | 'attached' | 'offline' | 'blocked',
  seen: Date | null,
) => h.ctx.db.update(sims).set({ sessionState, lastSeenAt: seen }).where(eq(sims.iccid, iccid));
const mo = (k: number, text = 'Tank 41 %') => ({
  from: `+${fixtureIds(1, k).msisdn}`,
  to: '4900',
  text,
  encoding: 'gsm7' as const,
  segments: 1,
});
const hourAgo = () => new Date(h.clock.now().getTime() - 3_600_000);
/** A receipt's date as the SMS centre writes it: YYMMDDhhmm, UTC. */
const smppMinute = (d: Date) => d.toISOString().replace(/\D/g, '').slice(2, 12);

/**
 * An MT to SIM `k`, delivered; then put back as if its receipt had not come: submitted `submittedAgo`
 * ms ago, the SIM offline and last seen `seenAgo` ms ago. Returns the message id, its part's SMSC id and
 * its submission.
 */
async function awaitingReceipt(k: number, submittedAgo: number, seenAgo: number) {
  const sent = await post(n(k), { text: 'Queued at the centre' });
  const id: string = sent.json().id;
  await until(
    () => message(n(k), id),
    (m) => m.status === 'delivered',
  );
  const [part] = (await message(n(k), id)).parts as { smscId: string }[];
  const now = h.clock.now().getTime();
  await h.ctx.db
    .update(smsMessages)
    .set({
      status: 'submitted',
      partStates: ['submitted'],
      doneAt: null,
      submittedAt: new Date(now - submittedAgo),
    })
    .where(eq(smsMessages.id, id));
  await setState(n(k), 'offline', new Date(now - seenAgo));
  return { id, smscId: part?.smscId ?? '', submittedAt: new Date(now - submittedAgo) };
}

/** What the ESME makes of a receipt deliver_sm with these fields (the rest blank). */
const receiptOf = (d: Partial<DeliverSm>, zone?: string) =>
  parseReceipt(
    { sourceAddr: '', destinationAddr: '', esmClass: 4, dataCoding: 0, receipt: true, text: '', ...d },
    zone,
  );

/** The receipt the SMS centre sends for the part of `sms`, delivered to the handset at `done`. */
const queuedReceipt = ({ smscId, submittedAt }: { smscId: string; submittedAt: Date }, done: Date) =>
  receiptOf({
    receiptedMessageId: smscId,
    messageState: 2,
    text: `id:${smscId} sub:001 dlvrd:001 submit date:${smppMinute(submittedAt)} done date:${smppMinute(done)} stat:DELIVRD err:000 text:Queued at the centre`,
  });

describe('attached: registered, no data session', () => {
  it('when an MT is delivered to an offline SIM, then it is attached and last seen then; a failed MT changes nothing', async () => {
    await setState(n(5), 'offline', hourAgo());
    await setState(n(6), 'offline', hourAgo());
    const failed = await post(n(6), { text: 'please FAIL' });
    await until(
      () => message(n(6), failed.json().id),
      (m) => m.status === 'failed',
    );
    expect(await simRow(n(6))).toMatchObject({ sessionState: 'offline', lastSeenAt: hourAgo() });

    const sent = await post(n(5), { text: 'Report now' });
    await until(
      () => message(n(5), sent.json().id),
      (m) => m.status === 'delivered',
    );
    const sim = await simRow(n(5));
    expect(sim?.sessionState).toBe('attached');
    expect(sim?.lastSeenAt?.getTime()).toBe(h.clock.now().getTime());
    expect((await get(`/api/v1/sims/${n(5)}`)).json()).toMatchObject({ session: 'attached' });
    const listed = await get('/api/v1/sims?session=attached&pageSize=100');
    expect(listed.json().items.map((s: { iccid: string }) => s.iccid)).toContain(n(5));
  });

  it('when the SMS centre first says ACCEPTED and then DELIVRD, then only the second shows the SIM attached', async () => {
    await setState(n(4), 'offline', hourAgo());
    const sent = await post(n(4), { text: 'Wake up' });
    await until(
      () => message(n(4), sent.json().id),
      (m) => m.status === 'delivered',
    );
    const [part] = (await message(n(4), sent.json().id)).parts as { smscId: string }[];
    const smscId = part?.smscId ?? '';
    await setState(n(4), 'offline', hourAgo());
    await applyReceipts(h.ctx, null, [{ smscId, state: 'delivered', stat: 'ACCEPTD', handset: false }]);
    expect((await simRow(n(4)))?.sessionState).toBe('offline');
    await applyReceipts(h.ctx, null, [{ smscId, state: 'delivered', stat: 'DELIVRD', handset: true }]);
    expect((await simRow(n(4)))?.sessionState).toBe('attached');
  });

  it('when receipts the SMS centre queued come late, then the SMS, its event and the SIM are dated by the centre, and a SIM silent since, or offline by a later Stop, is not attached', async () => {
    const hour = 3_600_000;
    const now = h.clock.now().getTime();
    // delivered two hours ago, its receipt held while the ESME was away: older than the detach timers
    const old = await awaitingReceipt(3, 3 * hour, 4 * hour);
    const oldDone = new Date(now - 2 * hour);
    // and one delivered 30 minutes ago: the device may still be registered
    const recent = await awaitingReceipt(1, hour, 4 * hour);
    const recentDone = new Date(now - 30 * 60_000);
    // and one delivered 50 minutes ago to a SIM whose data session stopped 5 minutes ago: offline since
    const stopped = await awaitingReceipt(4, 2 * hour, 5 * 60_000);
    const stoppedDone = new Date(now - 50 * 60_000);
    const receipts = [
      queuedReceipt(old, oldDone),
      queuedReceipt(recent, recentDone),
      queuedReceipt(stopped, stoppedDone),
    ];
    expect(receipts.every((r) => r?.done && r.submitted)).toBe(true);
    await applyReceipts(
      h.ctx,
      null,
      receipts.filter((r) => r !== null),
    );

    // the last instant of the done date's minute: the latest the centre's word allows
    const endOfMinute = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000 + 59_999);
    for (const [k, sms, done, state] of [
      [3, old, oldDone, 'offline'],
      [1, recent, recentDone, 'attached'],
    ] as const) {
      const at = endOfMinute(done);
      expect(await message(n(k), sms.id)).toMatchObject({ status: 'delivered', doneAt: at.toISOString() });
      const events = (await get(`/api/v1/sims/${n(k)}/events?pageSize=100`)).json();
      // the first delivery's event (the simulator's receipt, on arrival) and the queued receipt's, then
      const delivered = events.items
        .filter(
          (e: { details: { smsId?: string }; typeName: string }) =>
            e.details.smsId === sms.id && e.typeName === 'SMS delivered',
        )
        .map((e: { occurredAt: string }) => e.occurredAt);
      expect(delivered).toEqual([h.clock.now().toISOString(), at.toISOString()]);
      expect(await simRow(n(k))).toMatchObject({ sessionState: state, lastSeenAt: at });
    }
    expect(await message(n(4), stopped.id)).toMatchObject({ doneAt: endOfMinute(stoppedDone).toISOString() });
    expect(await simRow(n(4))).toMatchObject({
      sessionState: 'offline',
      lastSeenAt: new Date(now - 5 * 60_000),
    });
  });

  it("when a receipt's done date is read, then a prompt receipt is dated by its arrival and a date that cannot be the part's is not trusted", () => {
    const arrival = new Date(Date.UTC(2026, 10, 30, 12, 0, 30));
    const submitted = new Date(Date.UTC(2026, 10, 30, 9, 0, 0));
    const minute = (hh: number, mm: number) => ({ from: Date.UTC(2026, 10, 30, hh, mm), ms: 60_000 });
    expect(doneDate('id:1 submit date:2611300900 done date:2611301000 stat:DELIVRD')).toEqual(minute(10, 0));
    expect(doneDate('id:1 done date:261130100007 stat:DELIVRD')).toEqual({
      from: Date.UTC(2026, 10, 30, 10, 0, 7),
      ms: 1000,
    });
    for (const text of [
      'id:1 stat:DELIVRD',
      'done date:2613301000',
      'done date:2602301000',
      'done date:26113010',
      'done date:26113010000',
    ])
      expect(doneDate(text)).toBeNull();

    // a centre on local time that says so in its URL (receipt_zone): winter and summer, and the hour
    // that comes twice when the clocks go back (the first) and the one they skip (the offset before)
    const berlin = (text: string) => doneDate(text, 'Europe/Berlin')?.from;
    expect(berlin('done date:2611301100')).toBe(Date.UTC(2026, 10, 30, 10, 0));
    expect(berlin('done date:2607011000')).toBe(Date.UTC(2026, 6, 1, 8, 0));
    expect(berlin('done date:2610250230')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(berlin('done date:2610250330')).toBe(Date.UTC(2026, 9, 25, 2, 30));
    expect(berlin('done date:2603290230')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(doneDate('done date:261130100007', 'America/New_York')).toEqual({
      from: Date.UTC(2026, 10, 30, 15, 0, 7),
      ms: 1000,
    });
    expect(doneDate('done date:2611301000', 'Asia/Kolkata')?.from).toBe(Date.UTC(2026, 10, 30, 4, 30));
    const local = receiptOf(
      { text: 'id:m1 submit date:2611301000 done date:2611301100 stat:DELIVRD' },
      'Europe/Berlin',
    );
    expect(local).toMatchObject({ submitted: minute(9, 0), done: minute(10, 0) });

    const done = (d: { from: number; ms: number }) => ({ done: d });
    // queued: the end of the minute the centre names
    expect(receiptTime(done(minute(10, 0)), submitted, arrival)).toEqual(
      new Date(Date.UTC(2026, 10, 30, 10, 0, 59, 999)),
    );
    // prompt (within RECEIPT_PROMPT_MS): the arrival is the more precise
    expect(receiptTime(done(minute(11, 59)), submitted, arrival)).toEqual(arrival);
    expect(
      receiptTime(done({ from: arrival.getTime() - RECEIPT_PROMPT_MS - 1000, ms: 1000 }), submitted, arrival),
    ).toEqual(new Date(arrival.getTime() - RECEIPT_PROMPT_MS - 1));
    // not the part's: after the arrival (a centre on local time east of UTC), before the submission
    expect(receiptTime(done(minute(13, 0)), submitted, arrival)).toEqual(arrival);
    expect(receiptTime(done(minute(8, 0)), submitted, arrival)).toEqual(arrival);
    // the minute of the submission: no earlier than the submission, as late as the minute allows
    expect(receiptTime(done(minute(9, 0)), new Date(Date.UTC(2026, 10, 30, 9, 0, 40)), arrival)).toEqual(
      new Date(Date.UTC(2026, 10, 30, 9, 0, 59, 999)),
    );
    expect(receiptTime({}, submitted, arrival)).toEqual(arrival);

    // The centre's submit date against the platform's submission: within the clocks' tolerance its
    // dates hold; beyond it every date of the centre is off, whichever way (a zone its URL does not
    // name). An MT that waited two hours at the centre for a sleeping device, its receipt prompt:
    // the done date read an hour off is not taken, whether the hour is early or late
    const waited = { submitted: minute(9, 0), done: minute(11, 0) };
    const at1100 = new Date(Date.UTC(2026, 10, 30, 11, 0, 59, 999));
    expect(receiptTime(waited, submitted, arrival)).toEqual(at1100);
    expect(receiptTime({ ...waited, submitted: minute(9, 1) }, submitted, arrival)).toEqual(at1100);
    expect(receiptTime({ ...waited, submitted: minute(8, 58) }, submitted, arrival)).toEqual(at1100);
    expect(receiptTime({ submitted: minute(8, 0), done: minute(10, 0) }, submitted, arrival)).toEqual(
      arrival,
    );
    expect(receiptTime({ submitted: minute(10, 0), done: minute(12, 0) }, submitted, arrival)).toEqual(
      arrival,
    );
    expect(receiptTime({ ...waited, submitted: minute(9, 3) }, submitted, arrival)).toEqual(arrival);
    expect(receiptTime({ ...waited, submitted: minute(8, 57) }, submitted, arrival)).toEqual(arrival);
  });

  it('when a receipt says only that the SMS centre accepted the message, then it proves nothing of the device', () => {
    const receipt = (d: Partial<DeliverSm>) => receiptOf({ receiptedMessageId: 'm1', ...d });
    expect(receipt({ messageState: 2 })).toMatchObject({ state: 'delivered', handset: true });
    expect(receipt({ messageState: 6 })).toMatchObject({ state: 'delivered', handset: false });
    expect(receipt({ text: 'id:m1 stat:DELIVRD err:000' })).toMatchObject({ handset: true });
    expect(receipt({ text: 'id:m1 stat:ACCEPTD err:000' })).toMatchObject({
      state: 'delivered',
      handset: false,
    });
    // read where the state is read: the TLV when it names a state, else the text, in any case
    expect(receipt({ messageState: 0, text: 'id:m1 STAT:DELIVRD' })).toMatchObject({
      state: 'delivered',
      handset: true,
    });
  });

  it('when an offline SIM sends an MO, stored or refused, then it is attached; an online or blocked SIM keeps its state', async () => {
    await setState(n(7), 'offline', null);
    expect(await storeMo(h.ctx, null, mo(7))).toMatchObject({ outcome: 'stored' });
    expect(await simRow(n(7))).toMatchObject({ sessionState: 'attached', lastSeenAt: h.clock.now() });

    // the fixture's second SIM is deactivated: its MO is refused, yet it came over the network
    await setState(n(2), 'offline', null);
    expect(await storeMo(h.ctx, null, mo(2))).toMatchObject({ outcome: 'refused' });
    expect((await simRow(n(2)))?.sessionState).toBe('attached');

    await setState(n(8), 'online', hourAgo());
    await setState(n(9), 'blocked', hourAgo());
    // refused just now (decision 025: the sweep ends a block a refusal has not renewed for an hour)
    await h.ctx.db
      .update(sims)
      .set({ refusedAt: h.clock.now() })
      .where(eq(sims.iccid, n(9)));
    await storeMo(h.ctx, null, mo(8));
    await storeMo(h.ctx, null, mo(9));
    expect(await simRow(n(8))).toMatchObject({ sessionState: 'online', lastSeenAt: h.clock.now() });
    expect(await simRow(n(9))).toMatchObject({ sessionState: 'blocked', lastSeenAt: h.clock.now() });
  });

  it('when the first part of a long MO arrives, then the offline SIM is attached already', async () => {
    await setState(n(10), 'offline', null);
    const part = {
      smsc: 'test',
      from: `+${fixtureIds(1, 10).msisdn}`,
      to: '4900',
      text: 'first part of three ',
      encoding: 'gsm7' as const,
      ref: 77,
      total: 3,
      seq: 1,
    };
    expect(await receiveMoPart(h.ctx, null, part)).toMatchObject({ outcome: 'held' });
    expect((await simRow(n(10)))?.sessionState).toBe('attached');
  });

  it('when an attached SIM is silent for longer than the detach timers, then the sweep takes it offline; a recent one stays', async () => {
    const now = h.clock.now().getTime();
    await setState(n(11), 'attached', new Date(now - ATTACHED_SILENCE_MS - 1000));
    await setState(n(12), 'attached', new Date(now - ATTACHED_SILENCE_MS + 60_000));
    const cutoff = new Date(now - ATTACHED_SILENCE_MS);
    // the platform has listened for a minute (a restart): what the SMS centre queued may still come
    const at = h.clock.now();
    expect(await detachSilentSims(h.ctx.db, cutoff, new Date(now - 60_000), at)).toBe(0);
    expect((await simRow(n(11)))?.sessionState).toBe('attached');

    // listening for five minutes is enough, however long the silence
    expect(await detachSilentSims(h.ctx.db, cutoff, new Date(now - LISTENING_MS), at)).toBe(1);
    expect((await simRow(n(11)))?.sessionState).toBe('offline');
    expect((await simRow(n(12)))?.sessionState).toBe('attached');
  });

  it('when the worker has listened for five minutes and a SIM is silent past the detach timers, then its minute job takes it offline', async () => {
    await setState(n(12), 'attached', h.clock.now());
    const stop = startStaleSessions(h.ctx, 20);
    try {
      // the first runs find nothing silent; then an hour and more passes
      await new Promise((r) => setTimeout(r, 60));
      expect((await simRow(n(12)))?.sessionState).toBe('attached');
      h.clock.advance(ATTACHED_SILENCE_MS + 1000);
      await until(
        () => simRow(n(12)),
        (s) => s?.sessionState === 'offline',
      );
    } finally {
      await stop();
    }
  });

  // last: it moves the clock three hours on
  it('when the ESME is away as a part reaches the device, then the SMS centre holds the receipt, and after the rebind hours later the SMS and the SIM are dated by the delivery, read in the zone its URL names', async () => {
    await setState(n(1), 'offline', new Date(h.clock.now().getTime() - 4 * 3_600_000));
    const sent = await post(n(1), { text: 'Reboot LATE' });
    const id: string = sent.json().id;
    await until(
      () => message(n(1), id),
      (m) => m.status === 'submitted',
    );
    await stop();
    // delivered at the handset now; the centre has no ESME to tell
    const delivered = h.clock.now();
    await until(
      async () => smsc.heldReceipts(),
      (held) => held === 1,
    );
    h.clock.advance(3 * 3_600_000);
    await start();
    const done = await until(
      () => message(n(1), id),
      (m) => m.status === 'delivered',
    );
    // the done date names the minute: the message is dated by its last instant, not by the rebind
    const at = new Date(Math.floor(delivered.getTime() / 60_000) * 60_000 + 59_999);
    expect(done.doneAt).toBe(at.toISOString());
    expect(smsc.heldReceipts()).toBe(0);
    // three hours on, past the detach timers: last seen then, and not attached now
    expect(await simRow(n(1))).toMatchObject({ sessionState: 'offline', lastSeenAt: at });
  });
});

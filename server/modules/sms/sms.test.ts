/** SMS over SMPP: MT sending with receipts and failures, MO receiving, ESME restarts, deletion. */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { simEvents, sims, simUsageDays, smsMessages } from '../../db/schema/index.js';
import { fixtureIds } from '../../test/fleet.js';
import {
  del,
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

smsFixture();

describe('sending SMS over SMPP', () => {
  it('when an Owner sends a three-part text, then it is pending at once, then delivered with a receipt per part, counted and evented', async () => {
    const before = await simRow(n(1));
    const text = `${'Pump 7: pressure {ok}, valve [closed]. '.repeat(9)}END`;
    const res = await post(n(1), { text });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      status: 'pending',
      encoding: 'gsm7',
      segments: 3,
      direction: 'MT',
      actor: 'Olivia Owner',
    });
    const done = await until(
      () => message(n(1), res.json().id),
      (m) => m.status === 'delivered',
    );
    expect(done.parts).toHaveLength(3);
    expect(
      done.parts.every((p: { state: string; smscId: string }) => p.state === 'delivered' && p.smscId),
    ).toBe(true);
    expect(smsc.received.find((m) => m.text === text)).toMatchObject({
      parts: 3,
      destination: before?.msisdn,
    });
    expect((await simRow(n(1)))?.smsUsed).toBe((before?.smsUsed ?? 0) + 3);
    const events = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, n(1)), eq(simEvents.type, eventTypes.smsDelivered)));
    expect(events).toHaveLength(1);
  });

  it('when the text is Cyrillic with an emoji, then it goes as UCS-2 and arrives intact', async () => {
    const text = 'Привет, насос 😀';
    const res = await post(n(3), { text });
    expect(res.json()).toMatchObject({ encoding: 'ucs2', segments: 1 });
    await until(
      () => message(n(3), res.json().id),
      (m) => m.status === 'delivered',
    );
    expect(smsc.received.find((m) => m.text === text)).toMatchObject({ dataCoding: 8 });
  });

  it('when the SMSC reports a failure or expiry, then the message says so with a warning event', async () => {
    const failed = await post(n(4), { text: 'please FAIL' });
    const expired = await post(n(4), { text: 'please EXPIRE' });
    const f = await until(
      () => message(n(4), failed.json().id),
      (m) => m.status === 'failed',
    );
    const e = await until(
      () => message(n(4), expired.json().id),
      (m) => m.status === 'expired',
    );
    expect(f.error).toContain('UNDELIV');
    expect(e.error).toContain('EXPIRED');
    const events = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, n(4)), eq(simEvents.type, eventTypes.smsNotDelivered)));
    expect(events.map((x) => x.severity)).toEqual(['warning', 'warning']);
  });

  it('when the SMSC refuses a submit, then the message fails at once, its volume is given back and the event names the status', async () => {
    // a number the SMSC cannot address (the simulator wants 3 to 20 digits)
    await h.ctx.db
      .update(sims)
      .set({ msisdn: '12' })
      .where(eq(sims.iccid, n(12)));
    const before = await simRow(n(12));
    const res = await post(n(12), { text: 'unreachable' });
    expect(res.statusCode, res.body).toBe(202);
    const m = await until(
      () => message(n(12), res.json().id),
      (x) => x.status === 'failed',
    );
    expect(m.error).toContain('ESME_RINVDSTADR');
    expect((await simRow(n(12)))?.smsUsed).toBe(before?.smsUsed);
    const [failed] = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, n(12)), eq(simEvents.type, eventTypes.smsNotDelivered)));
    expect(failed?.description).toBe('SMS not sent, refused by the SMSC: ESME_RINVDSTADR (0x0B)');
    expect(failed?.details).toMatchObject({ status: 'failed', smscStatus: 'ESME_RINVDSTADR (0x0B)' });
  });

  it('when a SIM sends an MO SMS (also in two parts), then it is stored, shown and counted as MO', async () => {
    const msisdn = fixtureIds(1, 5).msisdn;
    const before = await simRow(n(5));
    expect(await smsc.sendMo(msisdn, 'Battery 87%')).toEqual([0]);
    const long = `${'Status report. '.repeat(12)}done`;
    expect(await smsc.sendMo(msisdn, long)).toEqual([0, 0]);
    const list = (await get(`/api/v1/sims/${n(5)}/sms?direction=MO`)).json();
    expect(list.items.map((m: { text: string; segments: number }) => [m.text, m.segments]).sort()).toEqual(
      [
        ['Battery 87%', 1],
        [long, 2],
      ].sort(),
    );
    // from the SIM's MSISDN to the number the device wrote to
    for (const m of list.items) expect(m).toMatchObject({ from: before?.msisdn, to: m.peer });
    expect((await simRow(n(5)))?.smsUsed).toBe((before?.smsUsed ?? 0) + 3);
    const [usage] = await h.ctx.db
      .select()
      .from(simUsageDays)
      .where(eq(simUsageDays.iccid, n(5)));
    expect(usage?.smsMo).toBe(3);
  });

  it('when an MO comes from an unknown MSISDN, then it is refused (ESME_RINVSRCADR) and nothing is stored', async () => {
    const rows = await h.ctx.db.select().from(smsMessages);
    expect(await smsc.sendMo('4915199999999', 'who am I')).toEqual([0x0a]);
    expect(await h.ctx.db.select().from(smsMessages)).toHaveLength(rows.length);
  });

  it('when the ESME is down, then an MT waits pending and is delivered after the restart; a cancelled one never leaves', async () => {
    await stop();
    const keep = await post(n(6), { text: 'sent after restart' });
    const cancel = await post(n(6), { text: 'cancelled before submit' });
    expect(keep.statusCode).toBe(202);
    const usedBefore = (await simRow(n(6)))?.smsUsed ?? 0;
    const c = await del(`/api/v1/sims/${n(6)}/sms/${cancel.json().id}`);
    expect(c.json()).toMatchObject({ outcome: 'cancelled', message: { status: 'cancelled' } });
    expect((await simRow(n(6)))?.smsUsed).toBe(usedBefore - 1);
    await new Promise((r) => setTimeout(r, 100));
    expect((await message(n(6), keep.json().id)).status).toBe('pending');
    const status = (await get('/api/v1/operator/network/smsc', 'operator')).json();
    expect(status).toMatchObject({ outbox: 1 });
    await start();
    await until(
      () => message(n(6), keep.json().id),
      (m) => m.status === 'delivered',
    );
    expect(smsc.received.some((m) => m.text === 'cancelled before submit')).toBe(false);
    expect((await message(n(6), cancel.json().id)).status).toBe('cancelled');
  });

  it('when a delivered message is deleted, then it leaves the list but stays counted', async () => {
    const res = await post(n(7), { text: 'to be removed' });
    await until(
      () => message(n(7), res.json().id),
      (m) => m.status === 'delivered',
    );
    const used = (await simRow(n(7)))?.smsUsed;
    expect((await del(`/api/v1/sims/${n(7)}/sms/${res.json().id}`)).json()).toMatchObject({
      outcome: 'removed',
    });
    expect((await get(`/api/v1/sims/${n(7)}/sms`)).json().items).toHaveLength(0);
    expect((await get(`/api/v1/sims/${n(7)}/sms/${res.json().id}`)).statusCode).toBe(404);
    expect((await simRow(n(7)))?.smsUsed).toBe(used);
  });
});

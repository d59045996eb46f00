import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import {
  disconnectRequests,
  orgSettings,
  simEvents,
  sims,
  simUsageDays,
  smsMessages,
  smsMoParts,
} from '../../db/schema/index.js';
import { type SmscSimulator, startSmscSimulator } from '../../network/simulator/smsc.js';
import { status } from '../../network/smpp/pdu.js';
import { type SmppRunner, startSmpp } from '../../network/smpp/runner.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { storeMo } from './sms.mo.js';
import { expireMoParts } from './sms.mo-parts.js';

let h: Harness;
let smsc: SmscSimulator;
let runner: SmppRunner;
let orgId: string;
let mine: string[];

beforeAll(async () => {
  smsc = await startSmscSimulator({ receiptDelayMs: 30, moRetryMs: 20 });
  h = await createHarness({ SMPP_URL: smsc.url });
  const { otherOrgId, demoOrgId } = await seedFixtures(h.ctx);
  orgId = demoOrgId;
  mine = await seedFleet(h.ctx, orgId, 3, 12, '10.65.0.0/24');
  await seedFleet(h.ctx, otherOrgId, 4, 1, '10.98.0.0/24');
  await start();
}, 60_000);
const start = async () => {
  runner = await startSmpp(h.ctx, { pollMs: 30, statusMs: 100, esme: { reconnectMinMs: 20 } });
  expect(await runner.esme.waitBound()).toBe(true);
};
afterAll(async () => {
  await runner?.stop();
  await h.close();
  await smsc.stop();
});

const n = (k: number) => mine[k - 1] ?? '';
const msisdn = (k: number) => fixtureIds(3, k).msisdn;
const simRow = async (iccid: string) => (await h.ctx.db.select().from(sims).where(eq(sims.iccid, iccid)))[0];
const moRows = (iccid: string) =>
  h.ctx.db
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.iccid, iccid), eq(smsMessages.direction, 'MO')));
const refusals = (iccid: string) =>
  h.ctx.db
    .select()
    .from(simEvents)
    .where(and(eq(simEvents.iccid, iccid), eq(simEvents.type, eventTypes.smsRefused)));
const mo = (k: number, text = 'Battery 87%', segments = 1) => ({
  from: `+${msisdn(k)}`,
  to: '4900',
  text,
  encoding: 'gsm7' as const,
  segments,
});

describe('MO refusal in the SMS service', () => {
  it('when the SMS volume is used up, then the MO is refused with an event, nothing is stored or counted, and data is untouched', async () => {
    const iccid = n(1);
    await h.ctx.db.update(sims).set({ smsTotal: 5, smsUsed: 4 }).where(eq(sims.iccid, iccid));
    const before = await simRow(iccid);
    expect(before?.sessionState).toBe('offline');

    // the last SMS of the volume is stored and raises "used up" (SMS only)
    expect(await storeMo(h.ctx, null, mo(1, 'last one'))).toMatchObject({ outcome: 'stored' });
    const usedUp = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, iccid), eq(simEvents.type, eventTypes.smsUsedUp)));
    expect(usedUp).toHaveLength(1);

    const refused = await storeMo(h.ctx, null, mo(1, 'one more'));
    expect(refused).toMatchObject({ outcome: 'refused', cause: 'SMS_VOLUME_EXHAUSTED' });
    expect((await moRows(iccid)).map((r) => r.text)).toEqual(['last one']);
    const after = await simRow(iccid);
    expect(after).toMatchObject({
      smsUsed: 5,
      dataUsed: before?.dataUsed,
      dataTotal: before?.dataTotal,
      dataGroup: before?.dataGroup,
      // not blocked: data still works; the MOs show the offline SIM registered (decision 023)
      sessionState: 'attached',
      status: 'activated',
    });
    const [usage] = await h.ctx.db.select().from(simUsageDays).where(eq(simUsageDays.iccid, iccid));
    expect(usage).toMatchObject({ smsMo: 1, dataUp: 0, dataDown: 0 });
    expect(
      await h.ctx.db.select().from(disconnectRequests).where(eq(disconnectRequests.iccid, iccid)),
    ).toHaveLength(0);
    const [e] = await refusals(iccid);
    expect(e).toMatchObject({ severity: 'warning', source: 'network' });
    expect(e?.description).toContain('SMS volume is used up (5 of 5 SMS)');
    expect(e?.details).toMatchObject({ direction: 'MO', cause: 'SMS_VOLUME_EXHAUSTED', segments: 1 });
  });

  it('when the volume cannot carry every part, then the whole message is refused', async () => {
    const iccid = n(2);
    await h.ctx.db.update(sims).set({ smsTotal: 10, smsUsed: 8 }).where(eq(sims.iccid, iccid));
    const r = await storeMo(h.ctx, null, mo(2, 'x'.repeat(400), 3));
    expect(r).toMatchObject({ outcome: 'refused', cause: 'SMS_VOLUME_EXHAUSTED' });
    expect(r.outcome === 'refused' && r.reason).toContain('needs 3 SMS but only 2 of 10');
    expect((await simRow(iccid))?.smsUsed).toBe(8);
    expect(await moRows(iccid)).toHaveLength(0);
  });

  it('when the SIM is deactivated, then the MO is refused naming its state', async () => {
    const iccid = n(3);
    await h.ctx.db.update(sims).set({ status: 'deactivated' }).where(eq(sims.iccid, iccid));
    expect(await storeMo(h.ctx, null, mo(3))).toMatchObject({
      outcome: 'refused',
      cause: 'SIM_NOT_ACTIVATED',
      reason: 'the SIM is deactivated',
    });
    expect(await moRows(iccid)).toHaveLength(0);
    expect(await refusals(iccid)).toHaveLength(1);
  });

  it('when the organisation reached its monthly MO SMS limit, then its SIMs’ MO are refused; another organisation’s are not', async () => {
    const iccid = n(4);
    const month = h.ctx.clock.now().toISOString().slice(0, 7);
    // MO so far this month (n(1)'s one stored message) = the limit
    await h.ctx.db.insert(orgSettings).values({ orgId, smsMoLimit: 1 });
    const r = await storeMo(h.ctx, null, mo(4));
    expect(r).toMatchObject({ outcome: 'refused', cause: 'MONTHLY_MO_SMS_LIMIT_REACHED' });
    expect(r.outcome === 'refused' && r.reason).toContain(`monthly MO SMS limit for ${month}`);
    expect(await moRows(iccid)).toHaveLength(0);
    expect((await refusals(iccid))[0]?.details).toMatchObject({ cause: 'MONTHLY_MO_SMS_LIMIT_REACHED' });
    expect(await storeMo(h.ctx, null, { ...mo(1), from: fixtureIds(4, 1).msisdn })).toMatchObject({
      outcome: 'stored',
    });
    await h.ctx.db.delete(orgSettings).where(eq(orgSettings.orgId, orgId));
    expect(await storeMo(h.ctx, null, mo(4))).toMatchObject({ outcome: 'stored' });
  });

  it('when no SIM has the sender’s MSISDN, then unknown and nothing is recorded', async () => {
    expect(await storeMo(h.ctx, null, { ...mo(1), from: '4915199999999' })).toEqual({ outcome: 'unknown' });
  });
});

describe('MO refusal over SMPP', () => {
  it('when a SIM with no SMS left sends, then the SMSC gets ESME_RX_R_APPN once, counts it and does not retry', async () => {
    const iccid = n(5);
    await h.ctx.db.update(sims).set({ smsTotal: 3, smsUsed: 3 }).where(eq(sims.iccid, iccid));
    const retries = smsc.stats.moRetries;
    const refused = smsc.stats.moRefused;
    expect(await smsc.sendMo(msisdn(5), 'STATUS OK')).toEqual([status.deliveryRejected]);
    expect(smsc.stats.moRefused).toBe(refused + 1);
    expect(smsc.stats.moRetries).toBe(retries);
    expect(await moRows(iccid)).toHaveLength(0);
    expect(await refusals(iccid)).toHaveLength(1);
    expect(runner.esme.counters.moRefused).toBeGreaterThanOrEqual(1);

    // after a top-up the next one is stored
    await h.ctx.db.update(sims).set({ smsTotal: 253 }).where(eq(sims.iccid, iccid));
    expect(await smsc.sendMo(msisdn(5), 'STATUS OK')).toEqual([status.ok]);
    expect(await moRows(iccid)).toHaveLength(1);
  });

  it('when the sender is unknown, then ESME_RINVSRCADR, final too', async () => {
    const retries = smsc.stats.moRetries;
    expect(await smsc.sendMo('4915199999999', 'who am I')).toEqual([status.invalidSourceAddress]);
    expect(smsc.stats.moRetries).toBe(retries);
  });
});

describe('concatenated MO', () => {
  /** A GSM-7 text of `parts` parts (153 characters each), each part its own letter. */
  const long = (tag: string, parts: number) =>
    Array.from({ length: parts }, (_, i) => `${tag}${String.fromCharCode(65 + i).repeat(152)}`)
      .join('')
      .slice(0, parts * 153 - 100);
  const held = (k: number) =>
    h.ctx.db
      .select()
      .from(smsMoParts)
      .where(and(eq(smsMoParts.source, msisdn(k)), eq(smsMoParts.state, 'held')));
  const ok = status.ok;
  const rejected = status.deliveryRejected;

  it('when the parts arrive out of order, then the message is stored once, whole, and counted per part', async () => {
    const text = long('o', 3);
    const before = await simRow(n(6));
    expect(await smsc.sendMo(msisdn(6), text, { parts: [3, 1, 2] })).toEqual([ok, ok, ok]);
    const rows = await moRows(n(6));
    expect(rows.map((r) => [r.text, r.segments])).toEqual([[text, 3]]);
    expect((await simRow(n(6)))?.smsUsed).toBe((before?.smsUsed ?? 0) + 3);
    expect(await held(6)).toHaveLength(0);
  });

  it('when a part comes twice, before or after the message is complete, then it is taken once', async () => {
    const text = long('d', 2);
    const before = await simRow(n(7));
    expect(await smsc.sendMo(msisdn(7), text, { ref: 40, parts: [1, 1, 2] })).toEqual([ok, ok, ok]);
    expect(await smsc.sendMo(msisdn(7), text, { ref: 40, parts: [2] })).toEqual([ok]);
    expect((await moRows(n(7))).map((r) => r.text)).toEqual([text]);
    expect((await simRow(n(7)))?.smsUsed).toBe((before?.smsUsed ?? 0) + 2);
    expect(await held(7)).toHaveLength(0);
  });

  it('when the ESME restarts between parts, then the parts from before the restart are not lost', async () => {
    const text = long('r', 3);
    expect(await smsc.sendMo(msisdn(8), text, { ref: 77, parts: [1] })).toEqual([ok]);
    expect((await held(8)).map((r) => r.seq)).toEqual([1]);
    await runner.stop();
    await start();
    expect(await smsc.sendMo(msisdn(8), text, { ref: 77, parts: [2, 3] })).toEqual([ok, ok]);
    expect((await moRows(n(8))).map((r) => [r.text, r.segments])).toEqual([[text, 3]]);
  });

  it('when the SIM has no SMS left, then every part is refused, with one event and nothing kept', async () => {
    await h.ctx.db
      .update(sims)
      .set({ smsTotal: 2, smsUsed: 2 })
      .where(eq(sims.iccid, n(9)));
    expect(await smsc.sendMo(msisdn(9), long('x', 3), { parts: [2, 1, 3] })).toEqual([
      rejected,
      rejected,
      rejected,
    ]);
    expect(await refusals(n(9))).toHaveLength(1);
    expect(await moRows(n(9))).toHaveLength(0);
    expect(await held(9)).toHaveLength(0);
    expect((await simRow(n(9)))?.smsUsed).toBe(2);
  });

  it('when the volume runs out between parts, then the rest are refused and the held parts dropped', async () => {
    const text = long('v', 3);
    expect(await smsc.sendMo(msisdn(10), text, { ref: 90, parts: [1] })).toEqual([ok]);
    await h.ctx.db
      .update(sims)
      .set({ smsTotal: 250, smsUsed: 249 })
      .where(eq(sims.iccid, n(10)));
    expect(await smsc.sendMo(msisdn(10), text, { ref: 90, parts: [2, 3] })).toEqual([rejected, rejected]);
    expect(await refusals(n(10))).toHaveLength(1);
    expect(await moRows(n(10))).toHaveLength(0);
    expect(await held(10)).toHaveLength(0);
    expect((await simRow(n(10)))?.smsUsed).toBe(249);
  });

  it('when the sender reuses a reference for another text, then what arrived of the old one is stored marked incomplete', async () => {
    const first = long('f', 2);
    const second = long('s', 2);
    expect(await smsc.sendMo(msisdn(11), first, { ref: 5, parts: [1] })).toEqual([ok]);
    expect(await smsc.sendMo(msisdn(11), second, { ref: 5 })).toEqual([ok, ok]);
    const rows = await moRows(n(11));
    expect(rows.map((r) => [r.text, r.segments, r.error]).sort()).toEqual(
      [
        [`${first.slice(0, 153)}[…]`, 1, 'Incomplete: part 2 of 2 never arrived.'],
        [second, 2, null],
      ].sort(),
    );
  });

  it('when a message is still incomplete after 24 h, then the retention job stores what arrived and counts it', async () => {
    const text = long('e', 3);
    const before = await simRow(n(12));
    expect(await smsc.sendMo(msisdn(12), text, { ref: 200, parts: [2] })).toEqual([ok]);
    h.clock.advance(23 * 3600_000);
    const early = await expireMoParts(h.ctx);
    expect(early.incompleteStored).toBe(0);
    expect(early.forgotten).toBeGreaterThan(0); // the finished messages' parts of the tests above, after 1 h
    expect(await held(12)).toHaveLength(1);
    h.clock.advance(2 * 3600_000);
    const r = await expireMoParts(h.ctx);
    expect(r.incompleteStored).toBe(1);
    const [row] = await moRows(n(12));
    expect(row).toMatchObject({
      text: `[…]${text.slice(153, 306)}[…]`,
      segments: 1,
      error: 'Incomplete: parts 1, 3 of 3 never arrived.',
    });
    expect((await simRow(n(12)))?.smsUsed).toBe((before?.smsUsed ?? 0) + 1);
    expect(await h.ctx.db.select().from(smsMoParts)).toHaveLength(0);
  });
});

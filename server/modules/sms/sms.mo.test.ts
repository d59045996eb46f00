import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import {
  disconnectRequests,
  organisations,
  orgSettings,
  simEvents,
  sims,
  simUsageDaily,
  smsMessages,
} from '../../db/schema/index.js';
import { type SmscSimulator, startSmscSimulator } from '../../network/simulator/smsc.js';
import { status } from '../../network/smpp/pdu.js';
import { type SmppRunner, startSmpp } from '../../network/smpp/runner.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { storeMo } from './sms.mo.js';

let h: Harness;
let smsc: SmscSimulator;
let runner: SmppRunner;
let orgId: string;
let mine: string[];

beforeAll(async () => {
  smsc = await startSmscSimulator({ receiptDelayMs: 30, moRetryMs: 20 });
  h = await createHarness({ SMPP_URL: smsc.url });
  const { otherOrgId } = await seedFixtures(h.ctx);
  const [demo] = await h.ctx.db
    .select()
    .from(organisations)
    .where(eq(organisations.accountNumber, '8100012345'));
  orgId = demo?.id ?? '';
  mine = await seedFleet(h.ctx, orgId, 3, 8, '10.65.0.0/24');
  await seedFleet(h.ctx, otherOrgId, 4, 1, '10.98.0.0/24');
  runner = await startSmpp(h.ctx, { pollMs: 30, statusMs: 100, esme: { reconnectMinMs: 20 } });
  expect(await runner.esme.waitBound()).toBe(true);
}, 60_000);
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
      sessionState: before?.sessionState,
      status: 'activated',
    });
    const [usage] = await h.ctx.db.select().from(simUsageDaily).where(eq(simUsageDaily.iccid, iccid));
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

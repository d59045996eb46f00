import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { mailOutbox, organisationEmails, simCharges, simEvents, sims } from '../../db/schema/index.js';
import { seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { addUsage, type UsageDelta, volumeGroup } from './usage.repository.js';
import { applyVolumeEffects } from './volume.service.js';

let h: Harness;
let orgId: string;
let otherId: string;
let mine: string[];
let theirs: string[];
const MB = 1024 * 1024;
const today = () => h.clock.now().toISOString().slice(0, 10);
const data = (iccid: string, bytes: number, org = orgId): UsageDelta => ({
  orgId: org,
  iccid,
  day: today(),
  hour: h.clock.now().getUTCHours(),
  dataUp: 0,
  dataDown: bytes,
  smsMo: 0,
  smsMt: 0,
});
const sms = (iccid: string, n: number): UsageDelta => ({ ...data(iccid, 0), smsMt: n });
/** The SIM's events since it was assigned (the assignment's own event left out). */
const typesOf = async (iccid: string) =>
  (await h.ctx.db.select().from(simEvents).where(eq(simEvents.iccid, iccid)))
    .map((e) => e.type)
    .filter((t) => t !== eventTypes.simAssigned)
    .sort((a, b) => a - b);

beforeAll(async () => {
  h = await createHarness();
  ({ otherOrgId: otherId, demoOrgId: orgId } = await seedFixtures(h.ctx));
  mine = await seedFleet(h.ctx, orgId, 1, 8, '10.64.0.0/24');
  theirs = await seedFleet(h.ctx, otherId, 2, 1, '10.99.0.0/24');
  await h.ctx.db.delete(organisationEmails).where(eq(organisationEmails.orgId, orgId));
  await h.ctx.db.insert(organisationEmails).values([
    { orgId, email: 'noc@demo.example', category: 'volume-notifications' },
    { orgId, email: 'billing@demo.example', category: 'invoice' },
  ]);
});
afterAll(() => h.close());

describe('volume groups', () => {
  it('when the remaining share is computed, then > 20 % is sufficient, ≤ 20 % low and nothing left none', () => {
    expect(volumeGroup(500, 399)).toBe('sufficient');
    expect(volumeGroup(500, 400)).toBe('low');
    expect(volumeGroup(500, 499)).toBe('low');
    expect(volumeGroup(500, 500)).toBe('none');
    expect(volumeGroup(500, 600)).toBe('none');
    expect(volumeGroup(0, 0)).toBe('none');
  });
});

describe('crossings', () => {
  it('when usage passes 20 % left and then 0, then each mark is crossed exactly once', async () => {
    const iccid = mine[0] ?? '';
    expect(await addUsage(h.ctx.db, [data(iccid, 399 * MB)])).toEqual([]);
    const low = await addUsage(h.ctx.db, [data(iccid, 2 * MB)]);
    expect(low).toEqual([
      expect.objectContaining({ iccid, service: 'data', from: 'sufficient', group: 'low', total: 500 * MB }),
    ]);
    expect(await addUsage(h.ctx.db, [data(iccid, MB)])).toEqual([]);
    const none = await addUsage(h.ctx.db, [data(iccid, 200 * MB)]);
    expect(none).toEqual([expect.objectContaining({ service: 'data', from: 'low', group: 'none' })]);
    expect(await addUsage(h.ctx.db, [data(iccid, MB)])).toEqual([]);
  });

  it('when two batches cross the mark together, then only one of them reports it', async () => {
    const iccid = mine[1] ?? '';
    await addUsage(h.ctx.db, [data(iccid, 380 * MB)]);
    const results = await Promise.all([
      h.ctx.db.transaction((tx) => addUsage(tx, [data(iccid, 15 * MB)])),
      h.ctx.db.transaction((tx) => addUsage(tx, [data(iccid, 15 * MB)])),
    ]);
    expect(results.flat()).toHaveLength(1);
  });
});

describe('effects of a crossing', () => {
  it('when data jumps from plenty to nothing, then both events are recorded, SMS is untouched, and the NOC address gets one mail', async () => {
    const iccid = mine[2] ?? '';
    const crossings = await addUsage(h.ctx.db, [data(iccid, 600 * MB)]);
    const standing = await applyVolumeEffects(h.ctx, h.ctx.db, crossings, h.clock.now());
    expect(standing).toEqual([expect.objectContaining({ iccid, service: 'data', group: 'none' })]);
    expect(await typesOf(iccid)).toEqual([eventTypes.dataThreshold, eventTypes.dataUsedUp]);
    const [row] = await h.ctx.db.select().from(sims).where(eq(sims.iccid, iccid));
    expect(row).toMatchObject({ dataGroup: 'none', smsGroup: 'sufficient' });
    const sent = await h.ctx.db.select().from(mailOutbox).where(eq(mailOutbox.template, 'volume-notice'));
    expect(sent.map((m) => m.to)).toEqual(['noc@demo.example']);
    expect(sent[0]?.text).toContain(`${iccid}  data volume used up`);
  });

  it('when SMS is used up, then only SMS events follow and data stays as it was', async () => {
    const iccid = mine[3] ?? '';
    const crossings = await addUsage(h.ctx.db, [sms(iccid, 210)]);
    expect(crossings).toEqual([expect.objectContaining({ service: 'sms', group: 'low' })]);
    await applyVolumeEffects(h.ctx, h.ctx.db, crossings, h.clock.now());
    const rest = await addUsage(h.ctx.db, [sms(iccid, 40)]);
    const standing = await applyVolumeEffects(h.ctx, h.ctx.db, rest, h.clock.now());
    expect(standing).toEqual([expect.objectContaining({ service: 'sms', group: 'none' })]);
    expect(await typesOf(iccid)).toEqual([eventTypes.smsThreshold, eventTypes.smsUsedUp]);
    const [row] = await h.ctx.db.select().from(sims).where(eq(sims.iccid, iccid));
    expect(row).toMatchObject({ dataGroup: 'sufficient', smsGroup: 'none' });
  });

  it('when a SIM with auto top-up falls low, then a package is added at once and charged as automatic; others are left alone', async () => {
    const [auto = '', manual = ''] = [mine[4], mine[5]];
    await h.ctx.db.update(sims).set({ autoTopUp: true }).where(eq(sims.iccid, auto));
    const crossings = await addUsage(h.ctx.db, [data(auto, 500 * MB), data(manual, 500 * MB)]);
    const standing = await applyVolumeEffects(h.ctx, h.ctx.db, crossings, h.clock.now());
    expect(standing.map((c) => c.iccid)).toEqual([manual]);
    const rows = await h.ctx.db
      .select()
      .from(sims)
      .where(inArray(sims.iccid, [auto, manual]));
    expect(rows.find((r) => r.iccid === auto)).toMatchObject({
      dataTotal: 1000 * MB,
      dataGroup: 'sufficient',
    });
    expect(rows.find((r) => r.iccid === manual)).toMatchObject({ dataTotal: 500 * MB, dataGroup: 'none' });
    const [charge] = await h.ctx.db.select().from(simCharges).where(eq(simCharges.iccid, auto));
    expect(charge).toMatchObject({ kind: 'top-up', source: 'auto', actorName: 'Auto top-up' });
    expect(await typesOf(auto)).toContain(eventTypes.dataQuotaAssigned);
    const mail = await h.ctx.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.template, 'volume-notice'), eq(mailOutbox.to, 'noc@demo.example')));
    expect(mail.at(-1)?.text).toContain(`${auto}  data volume used up (auto top-up added a package)`);
  });

  it('when an organisation without volume-notification addresses crosses, then events are recorded and no mail is sent', async () => {
    const iccid = theirs[0] ?? '';
    const before = (await h.ctx.db.select().from(mailOutbox)).length;
    const crossings = await addUsage(h.ctx.db, [data(iccid, 450 * MB, otherId)]);
    await applyVolumeEffects(h.ctx, h.ctx.db, crossings, h.clock.now());
    expect(await typesOf(iccid)).toEqual([eventTypes.dataThreshold]);
    expect((await h.ctx.db.select().from(mailOutbox)).length).toBe(before);
  });
});

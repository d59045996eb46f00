import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { iccidWithLuhn } from '../../../contracts/ids.js';
import { organisations, simCounts, simEvents, sims } from '../../db/schema/index.js';
import { demoSubOwner } from '../../demo/seed.js';
import { renderProblem } from '../../test/error-text.js';
import { renderEvent } from '../../test/event-text.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { addPool } from '../stock/stock.service.js';

let h: Harness;
let owner: Session;
let admin: Session;
let subOwner: Session;
let masterId: string;
let subId: string;
let otherOrgId: string;

/** Master SIMs are series 1, sub-organisation SIMs series 3, Other Corp's series 4. */
const m = (n: number) => fixtureIds(1, n).iccid;
const s = (n: number) => fixtureIds(3, n).iccid;
const o = (n: number) => fixtureIds(4, n).iccid;

async function orgId(name: string) {
  const [row] = await h.ctx.db.select().from(organisations).where(eq(organisations.name, name));
  if (!row) throw new Error(`no organisation ${name}`);
  return row.id;
}

beforeAll(async () => {
  h = await createHarness();
  ({ otherOrgId } = await seedFixtures(h.ctx));
  masterId = await orgId('Demo Industries GmbH');
  subId = await orgId('Demo Industries Logistics GmbH');
  owner = await signIn(h.app, 'owner@demo.example');
  admin = await signIn(h.app, 'admin@demo.example');
  subOwner = await signIn(h.app, demoSubOwner);
  await seedFleet(h.ctx, masterId, 1, 30, '10.90.0.0/24');
  await seedFleet(h.ctx, subId, 3, 5, '10.91.0.0/24');
  await seedFleet(h.ctx, otherOrgId, 4, 2, '10.92.0.0/30');
});
afterAll(() => h.close());

const transfer = (session: Session, body: Record<string, unknown>) =>
  h.app.inject({ method: 'POST', url: '/api/v1/sims/transfer', headers: as(session), payload: body });

async function simsOf(orgId: string) {
  return h.ctx.db.select().from(sims).where(eq(sims.orgId, orgId));
}
async function countedSims(orgId: string) {
  const [row] = await h.ctx.db
    .select({ n: sql<number>`coalesce(sum(${simCounts.n}), 0)::int` })
    .from(simCounts)
    .where(eq(simCounts.orgId, orgId));
  return row?.n ?? 0;
}
async function eventCount() {
  const [row] = await h.ctx.db.select({ n: count() }).from(simEvents);
  return row?.n ?? 0;
}
/** Everything a failed transfer must leave untouched. */
async function snapshot() {
  const all = await h.ctx.db.select({ iccid: sims.iccid, orgId: sims.orgId, ip: sims.ipAddress }).from(sims);
  return { sims: all.sort((a, b) => a.iccid.localeCompare(b.iccid)), events: await eventCount() };
}

describe('transferring by single ICCID', () => {
  it('when the owner moves one SIM to the sub-organisation, then it gets an address from the sub’s block and an event on both sides', async () => {
    const [before] = await h.ctx.db
      .select()
      .from(sims)
      .where(eq(sims.iccid, m(1)));
    const res = await transfer(owner, { sourceOrgId: masterId, targetOrgId: subId, iccid: m(1) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      dryRun: false,
      count: 1,
      source: { id: masterId, name: 'Demo Industries GmbH' },
      target: { id: subId, name: 'Demo Industries Logistics GmbH' },
      lines: [{ line: 1, start: m(1), end: m(1), count: 1 }],
      firstIp: '10.91.0.6', // the sub's block, after its own five SIMs
    });
    const [after] = await h.ctx.db
      .select()
      .from(sims)
      .where(eq(sims.iccid, m(1)));
    expect(after).toMatchObject({ orgId: subId, ipAddress: '10.91.0.6' });
    expect(before?.ipAddress).toBe('10.90.0.1');
    const events = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, m(1)), eq(simEvents.type, eventTypes.transferred)));
    expect(events).toHaveLength(2);
    expect(events.find((e) => e.orgId === masterId)).toMatchObject({
      source: 'user',
      actorName: 'Olivia Owner',
      description: 'SIM transferred to Demo Industries Logistics GmbH',
      details: { direction: 'out', toOrgId: subId, releasedIp: '10.90.0.1' },
    });
    expect(events.find((e) => e.orgId === subId)).toMatchObject({
      actorName: 'Olivia Owner',
      description: 'SIM transferred from Demo Industries GmbH, new IP address 10.91.0.6',
      details: { direction: 'in', fromOrgId: masterId, ip: '10.91.0.6' },
    });
    // the portal says the same from the details, also in German
    for (const e of events) expect(renderEvent('en', e)).toBe(e.description);
    expect(events.map((e) => renderEvent('de', e)).sort()).toEqual([
      'SIM an Demo Industries Logistics GmbH übertragen',
      'SIM von Demo Industries GmbH übernommen, neue IP-Adresse 10.91.0.6',
    ]);
    expect(await countedSims(masterId)).toBe(29);
    expect(await countedSims(subId)).toBe(6);
  });

  it('when the admin moves it back, then the master gives it a new address (the old one was released)', async () => {
    const res = await transfer(admin, {
      sourceOrgId: subId,
      targetOrgId: masterId,
      iccid: iccidWithLuhn(m(1)),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().firstIp).toBe('10.90.0.1');
    expect(await countedSims(masterId)).toBe(30);
    expect(await countedSims(subId)).toBe(5);
  });
});

describe('transferring by ranges and by file', () => {
  it('when the owner moves two ranges, then every SIM in them moves, with consecutive new addresses', async () => {
    const res = await transfer(owner, {
      sourceOrgId: masterId,
      targetOrgId: subId,
      ranges: [
        { start: m(2), end: m(4) },
        { start: m(10), end: m(11) },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ count: 5, lineCount: 2, firstIp: '10.91.0.6', lastIp: '10.91.0.10' });
    expect(res.json().lines.map((l: { count: number }) => l.count)).toEqual([3, 2]);
    expect((await simsOf(subId)).length).toBe(10);
    expect(await countedSims(subId)).toBe(10);
    expect(await countedSims(masterId)).toBe(25);
  });

  it('when the owner uploads a file of ICCID_START;ICCID_END lines with a header, then they move back', async () => {
    const file = `ICCID_START;ICCID_END\r\n${m(2)};${m(4)}\r\n\r\n${m(10)};${m(11)}\r\n`;
    const res = await transfer(owner, { sourceOrgId: subId, targetOrgId: masterId, file });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ count: 5, lines: [{ line: 2 }, { line: 4 }] });
    expect((await simsOf(subId)).length).toBe(5);
    expect(await countedSims(masterId)).toBe(30);
  });

  it('when a dry run is asked for, then it counts and changes nothing', async () => {
    const before = await snapshot();
    const res = await transfer(owner, {
      sourceOrgId: masterId,
      targetOrgId: subId,
      file: `${m(20)};${m(25)}`,
      dryRun: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      dryRun: true,
      count: 6,
      freeAddresses: 254 - 5 + (254 - 30),
      firstIp: null,
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe('every line is checked and one bad line changes nothing', () => {
  const cases: [string, string, { line: number; field: string; message: RegExp }][] = [
    [
      'a malformed ICCID',
      `${m(1)};${m(2)}\n12345;${m(3)}`,
      { line: 2, field: 'start', message: /must have 19 digits/ },
    ],
    ['a wrong Luhn digit', `${m(1)}0;${iccidWithLuhn(m(2))}`, { line: 1, field: 'start', message: /Luhn/ }],
    ['a reversed range', `${m(5)};${m(2)}`, { line: 1, field: 'end', message: /before the start/ }],
    [
      'ends of different length',
      `${m(2)};${iccidWithLuhn(m(5))}`,
      { line: 1, field: 'end', message: /digits but the start has 19/ },
    ],
    [
      'ends with different issuer prefixes',
      `${m(2)};${s(5)}`,
      { line: 1, field: 'end', message: /same issuer prefix/ },
    ],
    [
      'a duplicate line',
      `${m(2)};${m(4)}\n${m(6)}\n${m(2)};${m(4)}`,
      { line: 3, field: 'range', message: /repeats line 1/ },
    ],
    [
      'overlapping lines',
      `${m(2)};${m(6)}\n${m(5)};${m(9)}`,
      { line: 2, field: 'range', message: /overlaps line 1/ },
    ],
    ['too many fields', `${m(2)};${m(3)};${m(4)}`, { line: 1, field: 'line', message: /3 fields/ }],
    [
      'a SIM of the target',
      `${m(7)}\n${s(1)};${s(2)}`,
      {
        line: 2,
        field: 'range',
        message: /2 SIM\(s\) in this range do not belong to Demo Industries GmbH, e.g. /,
      },
    ],
    [
      'a foreign SIM (not named)',
      `${o(1)}`,
      { line: 1, field: 'range', message: /^\S+ is not a SIM of Demo Industries GmbH$/ },
    ],
    [
      'a range without SIMs',
      `${m(2)}\n8949019999999900000;8949019999999900009`,
      { line: 2, field: 'range', message: /has no SIMs in this range/ },
    ],
  ];

  it.each(cases)(
    'when the file has %s, then 400 names that line and nothing moves',
    async (_name, file, expected) => {
      const before = await snapshot();
      const res = await transfer(owner, { sourceOrgId: masterId, targetOrgId: subId, file });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/^Nothing was transferred/);
      const errors = res.json().errors as { line: number; field: string; message: string }[];
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ line: expected.line, field: expected.field });
      expect(errors[0]?.message).toMatch(expected.message);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('when a foreign SIM is in a range, then the error gives the count but never its ICCID', async () => {
    const res = await transfer(owner, { sourceOrgId: masterId, targetOrgId: subId, file: `${o(1)};${o(2)}` });
    expect(res.json().errors[0].message).toBe('2 SIM(s) in this range do not belong to Demo Industries GmbH');
  });

  it('when many lines are bad, then each is reported with its line', async () => {
    const file = [`${m(1)};${m(2)}`, 'abc', `${m(9)};${m(8)}`, `${m(12)}`, `${m(2)}`].join('\n');
    const res = await transfer(owner, { sourceOrgId: masterId, targetOrgId: subId, file });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { line: number }) => e.line)).toEqual([2, 3]);
  });

  it('when ranges are given as a list, then their positions are the lines', async () => {
    const res = await transfer(owner, {
      sourceOrgId: masterId,
      targetOrgId: subId,
      ranges: [
        { start: m(1), end: m(2) },
        { start: 'x', end: m(2) },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ line: 2, field: 'start', message: 'x must contain digits only' }]);
  });

  it('when source and target are the same, or neither or both of iccid/ranges/file are given, then 400', async () => {
    const same = await transfer(owner, { sourceOrgId: masterId, targetOrgId: masterId, iccid: m(1) });
    expect(same.json().errors).toEqual([expect.objectContaining({ field: 'targetOrgId' })]);
    const none = await transfer(owner, { sourceOrgId: masterId, targetOrgId: subId });
    expect(none.statusCode).toBe(400);
    const both = await transfer(owner, {
      sourceOrgId: masterId,
      targetOrgId: subId,
      iccid: m(1),
      file: m(1),
    });
    expect(both.statusCode).toBe(400);
    const empty = await transfer(owner, { sourceOrgId: masterId, targetOrgId: subId, file: '\n \n' });
    expect(empty.json().errors).toEqual([{ line: 1, field: 'file', message: 'has no ICCID lines' }]);
  });
});

describe('which organisations SIMs may move between', () => {
  it('when the target is a foreign organisation, then 404 and nothing moves', async () => {
    const res = await transfer(owner, { sourceOrgId: masterId, targetOrgId: otherOrgId, iccid: m(1) });
    expect(res.statusCode).toBe(404);
    expect((await simsOf(masterId)).length).toBe(30);
  });

  it('when a sub-organisation tries to move SIMs to its master, then the master is not found', async () => {
    const res = await transfer(subOwner, { sourceOrgId: subId, targetOrgId: masterId, iccid: s(1) });
    expect(res.statusCode).toBe(404);
  });

  it('when SIMs would move from one sub-organisation to another, then 400', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: as(owner),
      payload: {
        company: 'Second Sub GmbH',
        billingCountry: 'DE',
        address: { street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
        owner: { firstName: 'Sam', lastName: 'Second', email: 'sam@second.example' },
      },
    });
    const secondId = created.json().id as string;
    const res = await transfer(owner, { sourceOrgId: subId, targetOrgId: secondId, iccid: s(1) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      field: 'targetOrgId',
      message: expect.stringMatching(/never from one sub-organisation to another/),
    });
  });
});

describe('IP addresses of sub-organisations without a block of their own', () => {
  let sharedId = '';

  it('when SIMs move to a sub-organisation with no block, then they get free addresses of the master’s block', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: as(owner),
      payload: {
        company: 'Shared Space GmbH',
        billingCountry: 'DE',
        address: { street: 'Weg 2', postalCode: '10115', city: 'Berlin', country: 'DE' },
        owner: { firstName: 'Sue', lastName: 'Shared', email: 'sue@shared.example' },
      },
    });
    sharedId = created.json().id;
    const res = await transfer(owner, {
      sourceOrgId: masterId,
      targetOrgId: sharedId,
      ranges: [{ start: m(29), end: m(30) }],
    });
    expect(res.statusCode).toBe(200);
    // The master's SIMs hold 10.90.0.1–30: the next free addresses of its block.
    expect(res.json()).toMatchObject({ count: 2, firstIp: '10.90.0.31', lastIp: '10.90.0.32' });
  });

  it('when the master then gets SIMs assigned, then it skips the addresses its sub-organisation holds', async () => {
    const { freeAddresses } = await import('../stock/stock.repository.js');
    expect(await freeAddresses(h.ctx.db, masterId, 2)).toEqual(['10.90.0.29', '10.90.0.30']);
    const [sharedSim] = await simsOf(sharedId);
    expect(sharedSim?.ipAddress).toBe('10.90.0.31');
  });

  it('when the sub-organisation’s own block is tried first, then its addresses come before the master’s', async () => {
    await addPool(h.ctx, sharedId, '10.93.0.0/30');
    const res = await transfer(owner, { sourceOrgId: masterId, targetOrgId: sharedId, iccid: m(28) });
    expect(res.json().firstIp).toBe('10.93.0.1');
  });

  it('when the target’s space has too few free addresses, then 409 says so and nothing moves', async () => {
    // Other Corp's /30 is full with its two SIMs; its new sub-organisation shares it.
    const otherOwner = await signIn(h.app, 'other-owner@other.example');
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: as(otherOwner),
      payload: {
        company: 'Other Sub GmbH',
        billingCountry: 'AT',
        address: { street: 'Gasse 1', postalCode: '1010', city: 'Wien', country: 'AT' },
        owner: { firstName: 'Otto', lastName: 'Sub', email: 'otto@othersub.example' },
      },
    });
    expect(created.statusCode).toBe(201);
    const before = await snapshot();
    const res = await transfer(otherOwner, {
      sourceOrgId: otherOrgId,
      targetOrgId: created.json().id,
      iccid: o(1),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toBe(
      "Other Sub GmbH's IP address space has 0 free address(es) for 1 SIMs: the provider must add an address block first.",
    );
    expect(renderProblem('en', res.json())).toBe(res.json().detail);
    expect(renderProblem('de', res.json())).toBe(
      'Der IP-Adressraum von Other Sub GmbH hat 0 freie Adresse(n) für 1 SIMs: der Anbieter muss zuerst einen Adressblock hinzufügen.',
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe('a large transfer', () => {
  it('when 2,000 SIMs move by one range, then it is one set of statements and counts stay right', async () => {
    const ids = await seedFleet(h.ctx, masterId, 6, 2000, '10.94.0.0/20');
    await addPool(h.ctx, subId, '10.95.0.0/20');
    const started = Date.now();
    const res = await transfer(owner, {
      sourceOrgId: masterId,
      targetOrgId: subId,
      ranges: [{ start: ids[0] as string, end: ids.at(-1) as string }],
    });
    const ms = Date.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.json().count).toBe(2000);
    const moved = await h.ctx.db
      .select({ n: count() })
      .from(sims)
      .where(and(eq(sims.orgId, subId), inArray(sims.iccid, ids)));
    expect(moved[0]?.n).toBe(2000);
    expect(await countedSims(subId)).toBe((await simsOf(subId)).length);
    expect(await countedSims(masterId)).toBe((await simsOf(masterId)).length);
    const ips = new Set((await simsOf(subId)).map((x) => x.ipAddress));
    expect(ips.size).toBe((await simsOf(subId)).length);
    console.log(`transfer of 2,000 SIMs: ${ms} ms`);
  });
});

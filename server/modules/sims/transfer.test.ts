/** Moving SIMs between an organisation and its sub-organisations: by ICCID, ranges and file; every line checked; who may move where. */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { iccidWithLuhn } from '../../../contracts/ids.js';
import { simEvents, sims } from '../../db/schema/index.js';
import type { FieldError } from '../../lib/errors.js';
import { renderFieldError } from '../../test/error-text.js';
import { renderEvent } from '../../test/event-text.js';
import { as } from '../../test/harness.js';
import {
  admin,
  countedSims,
  h,
  m,
  masterId,
  o,
  otherOrgId,
  owner,
  s,
  simsOf,
  snapshot,
  subId,
  subOwner,
  transfer,
  transferFixture,
} from '../../test/transfer-fixture.js';

transferFixture();

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
  // each refusal also carries its reason, which the portal says in the reader's language (here German)
  const cases: [string, string, { line: number; field: string; message: RegExp; german: RegExp }][] = [
    [
      'a malformed ICCID',
      `${m(1)};${m(2)}\n12345;${m(3)}`,
      {
        line: 2,
        field: 'start',
        message: /must have 19 digits/,
        german: /^Eine ICCID hat 19 Ziffern.*diese hat 5\.$/,
      },
    ],
    [
      'a wrong Luhn digit',
      `${m(1)}0;${iccidWithLuhn(m(2))}`,
      { line: 1, field: 'start', message: /Luhn/, german: /^Die Luhn-Prüfziffer/ },
    ],
    [
      'a reversed range',
      `${m(5)};${m(2)}`,
      {
        line: 1,
        field: 'end',
        message: /before the start/,
        german: new RegExp(`^${m(2)} liegt vor dem Anfang ${m(5)}`),
      },
    ],
    [
      'ends of different length',
      `${m(2)};${iccidWithLuhn(m(5))}`,
      {
        line: 1,
        field: 'end',
        message: /digits but the start has 19/,
        german: /^Das Ende hat 20 Ziffern, der Anfang 19/,
      },
    ],
    [
      'ends with different issuer prefixes',
      `${m(2)};${s(5)}`,
      {
        line: 1,
        field: 'end',
        message: /same issuer prefix/,
        german: /^Das Ende muss das Herausgeberpräfix/,
      },
    ],
    [
      'a duplicate line',
      `${m(2)};${m(4)}\n${m(6)}\n${m(2)};${m(4)}`,
      { line: 3, field: 'range', message: /repeats line 1/, german: /^Wiederholt Zeile 1\.$/ },
    ],
    [
      'overlapping lines',
      `${m(2)};${m(6)}\n${m(5)};${m(9)}`,
      {
        line: 2,
        field: 'range',
        message: /overlaps line 1/,
        german: new RegExp(`^Überschneidet sich mit Zeile 1 \\(${m(2)}–${m(6)}\\)\\.$`),
      },
    ],
    [
      'too many fields',
      `${m(2)};${m(3)};${m(4)}`,
      { line: 1, field: 'line', message: /3 fields/, german: /^Diese Zeile hat 3 Felder/ },
    ],
    [
      'a SIM of the target',
      `${m(7)}\n${s(1)};${s(2)}`,
      {
        line: 2,
        field: 'range',
        message: /2 SIM\(s\) in this range do not belong to Demo Industries GmbH, e.g. /,
        german: /^2 SIM\(s\) in diesem Bereich gehören nicht zu Demo Industries GmbH, z\. B\. \d{19}\.$/,
      },
    ],
    [
      'a foreign SIM (not named)',
      `${o(1)}`,
      {
        line: 1,
        field: 'range',
        message: /^\S+ is not a SIM of Demo Industries GmbH$/,
        german: /^\d{19} ist keine SIM von Demo Industries GmbH\.$/,
      },
    ],
    [
      'a range without SIMs',
      `${m(2)}\n8949019999999900000;8949019999999900009`,
      {
        line: 2,
        field: 'range',
        message: /has no SIMs in this range/,
        german: /^Demo Industries GmbH hat keine SIMs in diesem Bereich\.$/,
      },
    ],
  ];

  it.each(cases)(
    'when the file has %s, then 400 names that line and nothing moves',
    async (_name, file, expected) => {
      const before = await snapshot();
      const res = await transfer(owner, { sourceOrgId: masterId, targetOrgId: subId, file });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/^Nothing was transferred/);
      const errors = res.json().errors as FieldError[];
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ line: expected.line, field: expected.field });
      expect(errors[0]?.message).toMatch(expected.message);
      expect(renderFieldError('de', errors[0] as FieldError)).toMatch(expected.german);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('when a foreign SIM is in a range, then the error gives the count but never its ICCID', async () => {
    const res = await transfer(owner, { sourceOrgId: masterId, targetOrgId: subId, file: `${o(1)};${o(2)}` });
    expect(res.json().errors[0]).toEqual({
      line: 1,
      field: 'range',
      message: '2 SIM(s) in this range do not belong to Demo Industries GmbH',
      reason: 'range_foreign_sims',
      params: { count: 2, org: 'Demo Industries GmbH' },
    });
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
    expect(res.json().errors).toEqual([
      { line: 2, field: 'start', message: 'x must contain digits only', reason: 'iccid_digits' },
    ]);
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
    expect(empty.json().errors).toEqual([
      { line: 1, field: 'file', message: 'has no ICCID lines', reason: 'file_no_iccids' },
    ]);
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

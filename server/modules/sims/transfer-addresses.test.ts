/** Transfers and IP addresses: sub-organisations without a block of their own use the master's, a full space refuses, and a large transfer. */
import { and, count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sims } from '../../db/schema/index.js';
import { renderProblem } from '../../test/error-text.js';
import { seedFleet } from '../../test/fleet.js';
import { as, type Session, signIn } from '../../test/harness.js';
import {
  countedSims,
  h,
  m,
  masterId,
  o,
  otherOrgId,
  owner,
  simsOf,
  snapshot,
  subId,
  transfer,
  transferFixture,
} from '../../test/transfer-fixture.js';
import { addPool } from '../stock/stock.service.js';

transferFixture();

/** A sub-organisation of the signed-in owner's organisation, with no address block of its own. */
const createSub = (session: Session, company: string, country: string, ownerEmail: string) =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/organisations',
    headers: as(session),
    payload: {
      company,
      billingCountry: country,
      address: { street: 'Weg 2', postalCode: '10115', city: 'Berlin', country },
      owner: { firstName: 'Sam', lastName: 'Sub', email: ownerEmail },
    },
  });

describe('IP addresses of sub-organisations without a block of their own', () => {
  let sharedId = '';

  it('when SIMs move to a sub-organisation with no block, then they get free addresses of the master’s block', async () => {
    const created = await createSub(owner, 'Shared Space GmbH', 'DE', 'sue@shared.example');
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
    const created = await createSub(otherOwner, 'Other Sub GmbH', 'AT', 'otto@othersub.example');
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

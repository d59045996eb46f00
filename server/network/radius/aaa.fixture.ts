/**
 * The AAA fixture of the RADIUS server tests: a database with 30 demo SIMs (series 5) and 2 of
 * another organisation, the AAA on ephemeral ports with its disconnect drainer, a test NAS, a session
 * per demo role, and helpers to build and send requests. Each test file that calls `aaaFixture()` gets
 * its own database and AAA.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { simEvents, sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { buildAccessRequest, buildAccountingRequest } from './builders.js';
import { type DisconnectDrainer, startDisconnectDrainer } from './disconnect.js';
import type { RadiusFields } from './fields.js';
import { type AaaServer, startAaa } from './server.js';
import { TestNas } from './testkit.js';

/** The default client's shared secret (RADIUS_SECRET). */
export const SECRET = 'default-secret-1';
/** A mebibyte, in bytes. */
export const MB = 1024 * 1024;
/** One Gigaword: 2^32 octets. */
export const G = 2 ** 32;

/** Register the fixture's beforeAll/afterAll; the returned helpers read it once it is up. */
export function aaaFixture() {
  let h: Harness | undefined;
  let aaa: AaaServer | undefined;
  let drainer: DisconnectDrainer | undefined;
  let nas: TestNas | undefined;
  let otherIccids: string[] = [];
  const s = new Map<string, Session>();

  beforeAll(async () => {
    h = await createHarness({
      RADIUS_SECRET: SECRET,
      RADIUS_INTERIM_INTERVAL: '60',
      RADIUS_DISCONNECT_TIMEOUT_MS: '150',
      RADIUS_DISCONNECT_RETRIES: '1',
    });
    const { otherOrgId, demoOrgId } = await seedFixtures(h.ctx);
    await seedFleet(h.ctx, demoOrgId, 5, 30, '10.70.0.0/24');
    otherIccids = await seedFleet(h.ctx, otherOrgId, 6, 2, '10.71.0.0/24');
    aaa = await startAaa(h.ctx, { authPort: 0, acctPort: 0, host: '127.0.0.1' });
    drainer = startDisconnectDrainer(h.ctx, aaa.nas, aaa.counters, { pollMs: 50 });
    nas = await TestNas.open(SECRET);
    for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
    s.set('other', await signIn(h.app, 'other-owner@other.example'));
  });
  afterAll(async () => {
    await nas?.close();
    await drainer?.stop();
    await aaa?.stop();
    await h?.close();
  });

  const up = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the AAA fixture is not up yet');
    return value;
  };
  const harness = () => up(h);
  const server = () => up(aaa);
  const testNas = () => up(nas);
  const imsi = (n: number) => fixtureIds(5, n).imsi;
  const iccid = (n: number) => fixtureIds(5, n).iccid;
  return {
    harness,
    server,
    testNas,
    /** The other organisation's ICCIDs. */
    otherIccids: () => otherIccids,
    session(role: string) {
      const found = s.get(role);
      if (!found) throw new Error(`no session for ${role}`);
      return found;
    },
    imsi,
    iccid,
    setSim: (n: number, v: Partial<typeof sims.$inferInsert>) =>
      harness()
        .ctx.db.update(sims)
        .set(v)
        .where(eq(sims.iccid, iccid(n))),
    async simRow(n: number) {
      const [row] = await harness()
        .ctx.db.select()
        .from(sims)
        .where(eq(sims.iccid, iccid(n)));
      if (!row) throw new Error('no SIM');
      return row;
    },
    eventsOf: (n: number, type: number) =>
      harness()
        .ctx.db.select()
        .from(simEvents)
        .where(and(eq(simEvents.iccid, iccid(n)), eq(simEvents.type, type))),
    access(n: number | string, fields: RadiusFields = {}, secret = SECRET, id = testNas().nextId()) {
      const who = typeof n === 'number' ? imsi(n) : n;
      return buildAccessRequest({ identifier: id, secret, fields: { userName: who, imsi: who, ...fields } });
    },
    acct(
      statusType: number,
      n: number,
      sessionId: string,
      fields: RadiusFields = {},
      secret = SECRET,
      id = testNas().nextId(),
    ) {
      return buildAccountingRequest({
        identifier: id,
        secret,
        fields: { statusType, sessionId, userName: imsi(n), imsi: imsi(n), ...fields },
      });
    },
    sendAcct: (packet: Buffer, via = testNas()) => via.send(server().acctPort, packet),
    sendAuth: (packet: Buffer, via = testNas()) => via.send(server().authPort, packet),
  };
}

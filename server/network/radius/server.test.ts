import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { orgSettings, radiusSessions, simEvents, sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { runJobs } from '../../jobs/runner.js';
import { insertNasClient } from '../../modules/network/network.repository.js';
import { addUsage } from '../../modules/usage/usage.repository.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { AcctStatus, ErrorCause } from './attributes.js';
import {
  buildAccessRequest,
  buildAccountingRequest,
  buildDisconnectAck,
  buildDisconnectNak,
} from './builders.js';
import { type DisconnectDrainer, startDisconnectDrainer } from './disconnect.js';
import type { RadiusFields } from './fields.js';
import { decodePacket, RadiusCode } from './packet.js';
import { decodeRequest, type RadiusRequest } from './request.js';
import { type AaaServer, startAaa } from './server.js';
import { TestNas } from './testkit.js';

const SECRET = 'default-secret-1';
const DAE_SECRET = 'gateway-secret-2';
const MB = 1024 * 1024;
const G = 2 ** 32;

let h: Harness;
let aaa: AaaServer;
let drainer: DisconnectDrainer;
let nas: TestNas;
let otherIccids: string[];
const s = new Map<string, Session>();
const imsi = (n: number) => fixtureIds(5, n).imsi;
const iccid = (n: number) => fixtureIds(5, n).iccid;

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

const setSim = (n: number, v: Partial<typeof sims.$inferInsert>) =>
  h.ctx.db
    .update(sims)
    .set(v)
    .where(eq(sims.iccid, iccid(n)));
const simRow = async (n: number) => {
  const [row] = await h.ctx.db
    .select()
    .from(sims)
    .where(eq(sims.iccid, iccid(n)));
  if (!row) throw new Error('no SIM');
  return row;
};
const eventsOf = (n: number, type: number) =>
  h.ctx.db
    .select()
    .from(simEvents)
    .where(and(eq(simEvents.iccid, iccid(n)), eq(simEvents.type, type)));

function access(n: number | string, fields: RadiusFields = {}, secret = SECRET, id = nas.nextId()) {
  const who = typeof n === 'number' ? imsi(n) : n;
  return buildAccessRequest({ identifier: id, secret, fields: { userName: who, imsi: who, ...fields } });
}
function acct(
  statusType: number,
  n: number,
  sessionId: string,
  fields: RadiusFields = {},
  secret = SECRET,
  id = nas.nextId(),
) {
  return buildAccountingRequest({
    identifier: id,
    secret,
    fields: { statusType, sessionId, userName: imsi(n), imsi: imsi(n), ...fields },
  });
}
const sendAcct = (packet: Buffer, via = nas) => via.send(aaa.acctPort, packet);
const sendAuth = (packet: Buffer, via = nas) => via.send(aaa.authPort, packet);

describe('Access-Request', () => {
  it('when an activated SIM with volume asks, then Access-Accept carries its static IP and the interim interval', async () => {
    const reply = await sendAuth(access(1));
    expect(reply?.code).toBe(RadiusCode.AccessAccept);
    expect(reply?.framedIp).toBe((await simRow(1)).ipAddress);
    expect(reply?.interimInterval).toBe(60);
  });

  it('when the SIM is found by User-Name only, then it is accepted as well', async () => {
    const packet = buildAccessRequest({
      identifier: nas.nextId(),
      secret: SECRET,
      fields: { userName: imsi(2) },
    });
    expect((await sendAuth(packet))?.code).toBe(RadiusCode.AccessAccept);
  });

  it.each([
    ['IMSI_NOT_FOUND', 0, {}],
    ['SIM_DEACTIVATED', 3, { status: 'deactivated' as const }],
    ['QUOTA_EXPIRED', 4, { endOfLife: new Date(Date.now() - 86_400_000) }],
    ['QUOTA_EXHAUSTED', 5, { dataUsed: 500 * MB }],
  ])(
    'when the cause is %s, then Access-Reject names it and an event records it',
    async (cause, n, change) => {
      if (n > 0) await setSim(n, change);
      const reply = await sendAuth(access(n > 0 ? n : '262990009999999'));
      expect(reply?.code).toBe(RadiusCode.AccessReject);
      expect(reply?.replyMessage).toBe(cause);
      expect(aaa.counters.get(`rejects.${cause}`)).toBeGreaterThan(0);
      if (n > 0) {
        const [e] = await eventsOf(n, eventTypes.authenticationFailed);
        expect(e?.details).toMatchObject({ cause });
        expect(e?.source).toBe('network');
      }
    },
  );

  it('when the per-SIM monthly data cap is used up, then MONTHLY_USAGE_LIMIT_EXCEEDED; a SIM under it is accepted', async () => {
    const sim = await simRow(7);
    const orgId = sim.orgId ?? '';
    const day = new Date().toISOString().slice(0, 10);
    await addUsage(h.ctx.db, [
      {
        orgId,
        iccid: iccid(7),
        day,
        hour: new Date().getUTCHours(),
        dataUp: 0,
        dataDown: 2 * MB,
        smsMo: 0,
        smsMt: 0,
      },
    ]);
    await h.ctx.db.insert(orgSettings).values({ orgId, simDataLimitBytes: MB });
    try {
      const over = await sendAuth(access(7));
      expect(over?.code).toBe(RadiusCode.AccessReject);
      expect(over?.replyMessage).toBe('MONTHLY_USAGE_LIMIT_EXCEEDED');
      expect((await sendAuth(access(8)))?.code).toBe(RadiusCode.AccessAccept);
    } finally {
      await h.ctx.db.delete(orgSettings).where(eq(orgSettings.orgId, orgId));
    }
    expect((await sendAuth(access(7)))?.code).toBe(RadiusCode.AccessAccept);
  });

  it('when the IMEI lock has no IMEI yet, then the first attach binds it and another device is refused', async () => {
    await setSim(6, { imeiLock: true, lockedImei: null });
    const first = await sendAuth(access(6, { imeisv: '4901542032375101' }));
    expect(first?.code).toBe(RadiusCode.AccessAccept);
    expect((await simRow(6)).lockedImei).toBe('490154203237518');
    expect((await eventsOf(6, eventTypes.imeiLockChanged))[0]?.description).toContain('490154203237518');
    const same = await sendAuth(access(6, { imeisv: '4901542032375102' }));
    expect(same?.code).toBe(RadiusCode.AccessAccept);
    const other = await sendAuth(access(6, { imeisv: '3520990017614801' }));
    expect(other?.code).toBe(RadiusCode.AccessReject);
    expect(other?.replyMessage).toBe('IMEI_LOCK_BREACHED');
    expect((await simRow(6)).sessionState).toBe('blocked');
  });
});

describe('Accounting', () => {
  it('when a session starts, is updated with Gigawords and stops, then usage is the growth of the cumulative counters', async () => {
    const before = (await simRow(7)).dataUsed;
    const start = await sendAcct(
      acct(AcctStatus.Start, 7, 'S7', {
        framedIp: '10.70.0.7',
        imeisv: '3520990017614801',
        ratType: 6,
        sgsnMccMnc: '26201',
        userLocation: {
          type: 'TAI+ECGI',
          plmn: { mcc: '262', mnc: '01' },
          tac: 6699,
          ecgiPlmn: { mcc: '262', mnc: '01' },
          eci: 19088743,
          enbId: 74565,
          cellId: 103,
        },
      }),
    );
    expect(start?.code).toBe(RadiusCode.AccountingResponse);
    let sim = await simRow(7);
    expect(sim).toMatchObject({
      sessionState: 'online',
      imei: '352099001761481',
      bearer: '4G',
      mccMnc: '26201',
      operatorName: 'Telekom Deutschland',
      country: 'DE',
      cell: '26201-6699-19088743',
    });
    expect(await eventsOf(7, eventTypes.createPdpContext)).toHaveLength(1);
    expect(await eventsOf(7, eventTypes.updateLocation)).toHaveLength(1);
    expect(await eventsOf(7, eventTypes.updateGprsLocation)).toHaveLength(1);
    // 1 GiB + 100 in, 2^32 + 5 out: counters cross the 32-bit boundary
    await sendAcct(acct(AcctStatus.InterimUpdate, 7, 'S7', { inputOctets: 1000n, outputOctets: 2000n }));
    const interim = acct(AcctStatus.InterimUpdate, 7, 'S7', {
      inputOctets: BigInt(G) + 100n,
      outputOctets: 2n * BigInt(G) + 5n,
      sgsnMccMnc: '23201',
    });
    expect((await sendAcct(interim))?.code).toBe(RadiusCode.AccountingResponse);
    // the same datagram again (retransmit) and the same counters under a new identifier (duplicate)
    expect((await sendAcct(interim))?.code).toBe(RadiusCode.AccountingResponse);
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 7, 'S7', {
        inputOctets: BigInt(G) + 100n,
        outputOctets: 2n * BigInt(G) + 5n,
      }),
    );
    sim = await simRow(7);
    expect(sim.dataUsed - before).toBe(G + 100 + 2 * G + 5);
    expect(sim.operatorName).toBe('A1 Telekom Austria');
    expect(await eventsOf(7, eventTypes.updateLocation)).toHaveLength(2);
    expect(await eventsOf(7, eventTypes.updatePdpContext)).toHaveLength(1);
    const stop = await sendAcct(
      acct(AcctStatus.Stop, 7, 'S7', {
        inputOctets: BigInt(G) + 300n,
        outputOctets: 2n * BigInt(G) + 5n,
        terminateCause: 1,
      }),
    );
    expect(stop?.code).toBe(RadiusCode.AccountingResponse);
    // an Interim (and a Stop) after the Stop counts nothing
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 7, 'S7', { inputOctets: 9n * BigInt(G), outputOctets: 0n }),
    );
    await sendAcct(acct(AcctStatus.Stop, 7, 'S7', { inputOctets: 9n * BigInt(G), outputOctets: 0n }));
    sim = await simRow(7);
    expect(sim.dataUsed - before).toBe(G + 300 + 2 * G + 5);
    expect(sim.sessionState).toBe('offline');
    const [deleted] = await eventsOf(7, eventTypes.deletePdpContext);
    expect(deleted?.details).toMatchObject({ cause: 'User-Request', inputOctets: G + 300 });
    const [row] = await h.ctx.db.select().from(radiusSessions).where(eq(radiusSessions.sessionId, 'S7'));
    expect(row).toMatchObject({ inputOctets: G + 300, outputOctets: 2 * G + 5, stopCause: 'User-Request' });
    expect(row?.stoppedAt).not.toBeNull();
    expect(aaa.counters.get('accounting.ignored')).toBeGreaterThanOrEqual(2);
  });

  it('when usage crosses 20 % left and then exhausts the volume, then each raises one event and a disconnect is queued', async () => {
    await setSim(8, { dataUsed: 390 * MB });
    await sendAcct(acct(AcctStatus.Start, 8, 'S8'));
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 8, 'S8', { inputOctets: BigInt(20 * MB), outputOctets: 0n }),
    );
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 8, 'S8', { inputOctets: BigInt(30 * MB), outputOctets: 0n }),
    );
    expect(await eventsOf(8, eventTypes.dataThreshold)).toHaveLength(1);
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 8, 'S8', { inputOctets: BigInt(120 * MB), outputOctets: 0n }),
    );
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 8, 'S8', { inputOctets: BigInt(130 * MB), outputOctets: 0n }),
    );
    expect(await eventsOf(8, eventTypes.dataUsedUp)).toHaveLength(1);
    expect(await eventsOf(8, eventTypes.dataThreshold)).toHaveLength(1);
    const queued = await h.ctx.database.query<{ reason: string }>(
      sql`SELECT reason FROM disconnect_requests WHERE iccid = ${iccid(8)}`,
    );
    expect(queued.map((q) => q.reason)).toEqual(['exhausted']);
  });

  it('when a NAS sends Accounting-On, then all its open sessions close and the SIMs go offline', async () => {
    await sendAcct(acct(AcctStatus.Start, 9, 'S9'));
    await sendAcct(acct(AcctStatus.Start, 10, 'S10'));
    expect((await simRow(9)).sessionState).toBe('online');
    const on = buildAccountingRequest({
      identifier: nas.nextId(),
      secret: SECRET,
      fields: { statusType: AcctStatus.AccountingOn, nasIp: '127.0.0.1' },
    });
    expect((await sendAcct(on))?.code).toBe(RadiusCode.AccountingResponse);
    expect((await simRow(9)).sessionState).toBe('offline');
    expect((await simRow(10)).sessionState).toBe('offline');
    const [row] = await h.ctx.db.select().from(radiusSessions).where(eq(radiusSessions.sessionId, 'S10'));
    expect(row?.stopCause).toBe('Accounting-On');
  });
});

describe('drops', () => {
  it('when packets come from an unknown client, are badly signed or malformed, then they are dropped and counted by reason', async () => {
    expect((await sendAuth(access(1)))?.code).toBe(RadiusCode.AccessAccept);
    const stranger = await TestNas.open(SECRET, '127.0.0.2');
    expect(await stranger.send(aaa.authPort, access(1), 300)).toBeNull();
    await stranger.close();
    expect(await nas.send(aaa.authPort, access(1, {}, 'wrong-secret-9'), 300)).toBeNull();
    const noMa = Buffer.from(access(1));
    noMa[20] = 79; // turn the Message-Authenticator (first attribute) into an unknown type 79
    expect(await nas.send(aaa.authPort, noMa, 300)).toBeNull();
    expect(
      await nas.send(aaa.acctPort, acct(AcctStatus.Start, 1, 'X', {}, 'wrong-secret-9'), 300),
    ).toBeNull();
    expect(await nas.send(aaa.acctPort, Buffer.from([4, 1, 0]), 300)).toBeNull();
    expect(await nas.send(aaa.acctPort, access(1), 300)).toBeNull();
    expect(aaa.counters.get('drops.unknown_client')).toBe(1);
    expect(aaa.counters.get('drops.bad_message_authenticator')).toBe(1);
    expect(aaa.counters.get('drops.missing_message_authenticator')).toBe(1);
    expect(aaa.counters.get('drops.bad_authenticator')).toBe(1);
    expect(aaa.counters.get('drops.short')).toBe(1);
    expect(aaa.counters.get('drops.wrong_code')).toBe(1);
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('opencmp_radius_drops_total{reason="unknown_client"} 1');
    const status = await h.app.inject({
      method: 'GET',
      url: '/api/v1/operator/network/status',
      headers: as(session('operator')),
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ aaaRunning: true, drops: { unknown_client: 1, short: 1 } });
    expect(status.json().accepts).toBeGreaterThan(0);
  });
});

const session = (role: string) => {
  const found = s.get(role);
  if (!found) throw new Error(`no session for ${role}`);
  return found;
};

/** A gateway's DAE port: answers Disconnect-Requests as told, and remembers what it got. */
class FakeDae {
  received: RadiusRequest[] = [];
  mode: 'ack' | 'nak' | 'silent' = 'ack';
  constructor(readonly socket: Socket) {
    socket.on('message', (msg, from) => {
      const p = decodePacket(msg);
      if (!p.ok || p.value.code !== RadiusCode.DisconnectRequest) return;
      const d = decodeRequest(p.value);
      if (!d.ok) return;
      this.received.push(d.value);
      if (this.mode === 'ack') socket.send(buildDisconnectAck(d.value, DAE_SECRET), from.port, from.address);
      if (this.mode === 'nak')
        socket.send(
          buildDisconnectNak(d.value, DAE_SECRET, ErrorCause.SessionContextNotFound),
          from.port,
          from.address,
        );
    });
  }
  get port() {
    return (this.socket.address() as AddressInfo).port;
  }
}

describe('disconnects and reset connection', () => {
  let gw: TestNas;
  let dae: FakeDae;
  const reset = (n: number | string, role = 'owner') =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/sims/${typeof n === 'number' ? iccid(n) : n}/reset`,
      headers: as(session(role)),
    });
  const detail = async (n: number) =>
    (
      await h.app.inject({ method: 'GET', url: `/api/v1/sims/${iccid(n)}`, headers: as(session('owner')) })
    ).json();
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error('condition not reached');
  };

  beforeAll(async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.3', () => r()));
    dae = new FakeDae(socket);
    await insertNasClient(h.ctx.db, {
      name: 'gw-test',
      address: '127.0.0.3/32',
      secret: DAE_SECRET,
      daePort: dae.port,
    });
    await aaa.nas.refresh(true);
    gw = await TestNas.open(DAE_SECRET, '127.0.0.3');
  });
  afterAll(async () => {
    await gw.close();
    await new Promise<void>((r) => dae.socket.close(() => r()));
  });

  it('when the owner resets a SIM with a session and the NAS ACKs, then it is pending until the Stop arrives', async () => {
    await sendAcct(
      acct(
        AcctStatus.Start,
        11,
        'G11',
        { framedIp: '10.70.0.11', callingStationId: '4917000001' },
        DAE_SECRET,
      ),
      gw,
    );
    dae.mode = 'ack';
    const res = await reset(11);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ iccid: iccid(11), sessions: 1, resetPending: true });
    expect((await detail(11)).resetPending).toBe(true);
    await until(async () => dae.received.some((r) => r.sessionId === 'G11'));
    const sent = dae.received.find((r) => r.sessionId === 'G11');
    expect(sent).toMatchObject({
      userName: imsi(11),
      framedIp: '10.70.0.11',
      callingStationId: '4917000001',
    });
    await until(async () => aaa.counters.get('disconnects.acked') >= 1);
    expect((await detail(11)).resetPending).toBe(true);
    await sendAcct(acct(AcctStatus.Stop, 11, 'G11', { terminateCause: 6 }, DAE_SECRET), gw);
    expect((await detail(11)).resetPending).toBe(false);
    expect((await detail(11)).session).toBe('offline');
    expect(await eventsOf(11, eventTypes.connectionReset)).toHaveLength(1);
  });

  it('when the NAS NAKs with Session-Context-Not-Found, then an event names it and the session is closed', async () => {
    await sendAcct(acct(AcctStatus.Start, 12, 'G12', {}, DAE_SECRET), gw);
    dae.mode = 'nak';
    expect((await reset(12)).statusCode).toBe(202);
    await until(async () => (await eventsOf(12, eventTypes.disconnectFailed)).length > 0);
    const [e] = await eventsOf(12, eventTypes.disconnectFailed);
    expect(e?.description).toContain('Session-Context-Not-Found');
    expect((await detail(12)).resetPending).toBe(false);
    expect((await detail(12)).session).toBe('offline');
  });

  it('when the NAS does not answer, then after the retries an event says so and reset pending clears', async () => {
    await sendAcct(acct(AcctStatus.Start, 13, 'G13', {}, DAE_SECRET), gw);
    dae.mode = 'silent';
    const before = dae.received.length;
    expect((await reset(13)).statusCode).toBe(202);
    await until(async () => (await eventsOf(13, eventTypes.disconnectFailed)).length > 0);
    expect(dae.received.length - before).toBe(2);
    expect((await eventsOf(13, eventTypes.disconnectFailed))[0]?.description).toContain('not answered');
    expect((await detail(13)).resetPending).toBe(false);
  });

  it('when a SIM with a session is deactivated or its IMEI lock enabled, then a Disconnect-Request goes out', async () => {
    dae.mode = 'ack';
    await sendAcct(acct(AcctStatus.Start, 14, 'G14', {}, DAE_SECRET), gw);
    await sendAcct(acct(AcctStatus.Start, 15, 'G15', {}, DAE_SECRET), gw);
    const patch = (n: number, payload: object) =>
      h.app.inject({
        method: 'PATCH',
        url: `/api/v1/sims/${iccid(n)}`,
        headers: as(session('owner')),
        payload,
      });
    expect((await patch(14, { status: 'deactivated' })).json().resetPending).toBe(true);
    expect((await patch(15, { imeiLock: true })).statusCode).toBe(200);
    await until(async () => ['G14', 'G15'].every((id) => dae.received.some((r) => r.sessionId === id)));
  });

  it('when a bulk deactivation covers SIMs with and without sessions, then only the open sessions get a Disconnect-Request', async () => {
    dae.mode = 'ack';
    await sendAcct(acct(AcctStatus.Start, 18, 'G18', {}, DAE_SECRET), gw);
    await sendAcct(acct(AcctStatus.Start, 19, 'G19', {}, DAE_SECRET), gw);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('owner')),
      payload: { action: 'deactivate', iccids: [iccid(18), iccid(19), iccid(20)] },
    });
    expect(res.statusCode).toBe(202);
    await runJobs(h.ctx);
    await until(async () => ['G18', 'G19'].every((id) => dae.received.some((r) => r.sessionId === id)));
    const queued = await h.ctx.database.query<{ iccid: string }>(
      sql`SELECT iccid FROM disconnect_requests WHERE reason = 'deactivated' AND iccid IN (${iccid(18)}, ${iccid(19)}, ${iccid(20)}) ORDER BY iccid`,
    );
    expect(queued.map((q) => q.iccid)).toEqual([iccid(18), iccid(19)]);
  });

  it('when the SIM has no open session, then reset answers 409 with a clear message', async () => {
    const res = await reset(16);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('no open data session');
  });

  it("when a role without sims:operate resets, then 403; another organisation's SIM is 404", async () => {
    expect((await reset(17, 'readonly')).statusCode).toBe(403);
    expect((await reset(otherIccids[0] ?? '')).statusCode).toBe(404);
    expect((await reset(17, 'other')).statusCode).toBe(404);
  });
});

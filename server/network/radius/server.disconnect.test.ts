import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { runJobs } from '../../jobs/runner.js';
import { insertNasClient } from '../../modules/network/network.repository.js';
import { renderProblem } from '../../test/error-text.js';
import { renderEvent } from '../../test/event-text.js';
import { as } from '../../test/harness.js';
import { aaaFixture } from './aaa.fixture.js';
import { AcctStatus, ErrorCause } from './attributes.js';
import { buildDisconnectAck, buildDisconnectNak } from './builders.js';
import { decodePacket, RadiusCode } from './packet.js';
import { decodeRequest, type RadiusRequest } from './request.js';
import { TestNas } from './testkit.js';

const f = aaaFixture();
const { imsi, iccid, eventsOf, acct, sendAcct, session } = f;
const DAE_SECRET = 'gateway-secret-2';

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
    f.harness().app.inject({
      method: 'POST',
      url: `/api/v1/sims/${typeof n === 'number' ? iccid(n) : n}/reset`,
      headers: as(session(role)),
    });
  const detail = async (n: number) =>
    (
      await f
        .harness()
        .app.inject({ method: 'GET', url: `/api/v1/sims/${iccid(n)}`, headers: as(session('owner')) })
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
    await insertNasClient(f.harness().ctx.db, {
      name: 'gw-test',
      address: '127.0.0.3/32',
      secret: DAE_SECRET,
      daePort: dae.port,
    });
    await f.server().nas.refresh(true);
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
    await until(async () => f.server().counters.get('disconnects.acked') >= 1);
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
    if (!e) throw new Error('no event');
    expect(renderEvent('en', e)).toBe(e.description);
    expect(renderEvent('de', e)).toBe(
      'Trennung (Verbindung zurückgesetzt) vom Netz abgelehnt: Session-Context-Not-Found',
    );
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
    const [unanswered] = await eventsOf(13, eventTypes.disconnectFailed);
    expect(unanswered?.description).toContain('not answered');
    if (!unanswered) throw new Error('no event');
    expect(renderEvent('en', unanswered)).toBe(unanswered.description);
    expect(renderEvent('de', unanswered)).toBe(
      'Trennung (Verbindung zurückgesetzt) vom Netz nicht beantwortet',
    );
    expect((await detail(13)).resetPending).toBe(false);
  });

  it('when a SIM with a session is deactivated or its IMEI lock enabled, then a Disconnect-Request goes out', async () => {
    dae.mode = 'ack';
    await sendAcct(acct(AcctStatus.Start, 14, 'G14', {}, DAE_SECRET), gw);
    await sendAcct(acct(AcctStatus.Start, 15, 'G15', {}, DAE_SECRET), gw);
    const patch = (n: number, payload: object) =>
      f.harness().app.inject({
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
    const res = await f.harness().app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('owner')),
      payload: { action: 'deactivate', iccids: [iccid(18), iccid(19), iccid(20)] },
    });
    expect(res.statusCode).toBe(202);
    await runJobs(f.harness().ctx);
    await until(async () => ['G18', 'G19'].every((id) => dae.received.some((r) => r.sessionId === id)));
    const queued = await f
      .harness()
      .ctx.database.query<{ iccid: string }>(
        sql`SELECT iccid FROM disconnect_requests WHERE reason = 'deactivated' AND iccid IN (${iccid(18)}, ${iccid(19)}, ${iccid(20)}) ORDER BY iccid`,
      );
    expect(queued.map((q) => q.iccid)).toEqual([iccid(18), iccid(19)]);
  });

  it('when the SIM has no open session, then reset answers 409 with a clear message', async () => {
    const res = await reset(16);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('no open data session');
    expect(res.json()).toMatchObject({ reason: 'no_open_session', params: { iccid: iccid(16) } });
    expect(renderProblem('en', res.json())).toBe(res.json().detail);
  });

  it("when a role without sims:operate resets, then 403; another organisation's SIM is 404", async () => {
    expect((await reset(17, 'readonly')).statusCode).toBe(403);
    expect((await reset(f.otherIccids()[0] ?? '')).statusCode).toBe(404);
    expect((await reset(17, 'other')).statusCode).toBe(404);
  });
});

import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { AcctStatus, ErrorCause } from '../radius/attributes.js';
import { verifyRequest, verifyResponse } from '../radius/authenticator.js';
import { buildDisconnectRequest } from '../radius/builders.js';
import { RadiusCode } from '../radius/packet.js';
import { decodeRequest, type RadiusRequest } from '../radius/request.js';
import { deviceProfile } from './devices.js';
import { type FakeAaa, fakeAaa } from './fake-aaa.js';
import { type Pgw, type SimulatedSim, startPgw, TerminateCause } from './pgw.js';

// The gateway against a minimal AAA made from the codec, for what the real AAA cannot provoke.
const SECRET = 'simulator-unit-secret';

const sims: SimulatedSim[] = [1, 2, 3].map((n) => ({
  iccid: `894902012399900000${n}`,
  imsi: `26201999000000${n}`,
  msisdn: `4915199900000${n}`,
}));

async function until<T>(probe: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Send a Disconnect-Request to the gateway's DAE port and wait for the answer. */
async function disconnect(
  port: number,
  fields: Parameters<typeof buildDisconnectRequest>[0]['fields'],
  secret = SECRET,
  packet?: Buffer,
): Promise<{ packet: Buffer; reply: RadiusRequest | null }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const request = packet ?? buildDisconnectRequest({ identifier: 7, secret, fields });
  const reply = await new Promise<RadiusRequest | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 500);
    socket.on('message', (datagram) => {
      clearTimeout(timer);
      const decoded = decodeRequest(datagram);
      resolve(decoded.ok ? decoded.value : null);
    });
    socket.send(request, port, '127.0.0.1');
  });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return { packet: request, reply };
}

let aaa: FakeAaa | undefined;
let pgw: Pgw | undefined;
afterEach(async () => {
  await pgw?.stop();
  await aaa?.close();
  pgw = undefined;
  aaa = undefined;
});

function gateway(port: number, extra: Partial<Parameters<typeof startPgw>[0]> = {}) {
  return startPgw({
    sims,
    aaa: { host: '127.0.0.1', authPort: port, acctPort: port },
    secret: SECRET,
    dae: { port: 0 },
    seed: 7,
    interimMs: 50,
    attachSpreadMs: 10,
    backoffMs: [20, 40],
    rejectBackoffMs: [200, 800],
    detachChance: 0,
    timeoutMs: 100,
    retries: 2,
    ...extra,
  });
}

const of = (a: FakeAaa, code: number, status?: number) =>
  a.received.filter(
    (r) => r.request.code === code && (status === undefined || r.request.statusType === status),
  );

describe('packet gateway', () => {
  it('when a device attaches, then its Access-Request carries the 3GPP identity, radio, operator and cell, signed with a Message-Authenticator', async () => {
    aaa = await fakeAaa(SECRET);
    const a = aaa;
    pgw = await gateway(aaa.port);
    await until(() => pgw?.devices().every((d) => d.state === 'online'));
    const access = of(aaa, RadiusCode.AccessRequest);
    const first = access.find((a) => a.request.imsi === sims[0]?.imsi)?.request;
    const profile = deviceProfile(7, sims[0]?.imsi ?? '');
    expect(first && verifyRequest(first.packet, SECRET, { requireMessageAuthenticator: true }).ok).toBe(true);
    expect(first).toMatchObject({
      userName: sims[0]?.imsi,
      callingStationId: sims[0]?.msisdn,
      calledStationId: 'iot.opencmp',
      nasIp: '127.0.0.1',
      imeisv: profile.imeisv,
      bearer: profile.bearer,
      sgsnMccMnc: profile.operator.mccMnc,
    });
    expect(first?.userLocation?.type).toMatch(/^(TAI\+ECGI|CGI|SAI)$/);
    // then Start for each session with the granted address
    const starts = await until(() => {
      const s = of(a, RadiusCode.AccountingRequest, AcctStatus.Start);
      return s.length >= 3 && s;
    });
    expect(starts[0]?.request.framedIp).toBe('10.64.0.1');
    expect(new Set(starts.map((s) => s.request.sessionId)).size).toBe(3);
  });

  it('when the same seed is used again, then every device has the same IMEI, bearer and operator', () => {
    const a = sims.map((s) => deviceProfile(42, s.imsi));
    const b = sims.map((s) => deviceProfile(42, s.imsi));
    expect(a).toEqual(b);
    expect(deviceProfile(43, sims[0]?.imsi ?? '')).not.toEqual(a[0]);
    // a SIM that had a device before keeps it (IMEI lock, network data)
    expect(
      deviceProfile(42, 'x', { imei: '353456001234563', bearer: 'NB-IoT', mccMnc: '23415' }),
    ).toMatchObject({
      imei: '353456001234563',
      imeisv: expect.stringMatching(/^35345600123456\d\d$/),
      bearer: 'NB-IoT',
      operator: { name: 'Vodafone UK' },
    });
  });

  it('when a request goes unanswered, then the gateway retransmits the very same packet and carries on', async () => {
    aaa = await fakeAaa(SECRET, {
      dropFirst: new Set([RadiusCode.AccessRequest, RadiusCode.AccountingRequest]),
    });
    const a = aaa;
    pgw = await gateway(aaa.port, { sims: sims.slice(0, 1) });
    await until(() => of(a, RadiusCode.AccountingRequest, AcctStatus.InterimUpdate).length >= 2);
    const access = of(aaa, RadiusCode.AccessRequest);
    expect(access[0]?.packet.equals(access[1]?.packet ?? Buffer.alloc(0))).toBe(true);
    const start = of(aaa, RadiusCode.AccountingRequest, AcctStatus.Start);
    expect(start).toHaveLength(2);
    expect(start[0]?.packet.equals(start[1]?.packet ?? Buffer.alloc(0))).toBe(true);
    expect(pgw.stats().retransmits).toBeGreaterThanOrEqual(3);
  });

  it('when interims go out, then the cumulative counters only grow, and past 2^32 octets they carry Gigawords', async () => {
    // a 5G router with an interval of 50 days moves gigabytes per interim
    aaa = await fakeAaa(SECRET, { interimInterval: 4_320_000 });
    const a = aaa;
    pgw = await gateway(aaa.port, { sims: [{ ...(sims[0] as SimulatedSim), hints: { bearer: '5G' } }] });
    const interims = await until(() => {
      const i = of(a, RadiusCode.AccountingRequest, AcctStatus.InterimUpdate);
      return i.length >= 3 && i;
    });
    const totals = interims.map((i) => (i.request.inputOctets ?? 0n) + (i.request.outputOctets ?? 0n));
    expect(totals[1]).toBeGreaterThan(totals[0] ?? 0n);
    expect(totals[2]).toBeGreaterThan(totals[1] ?? 0n);
    const last = interims[2]?.request;
    expect((last?.outputOctets ?? 0n) > 2n ** 32n).toBe(true);
    // Gigawords (53) present on the wire
    expect(last?.packet.attributes.some((a) => a.type === 53)).toBe(true);
  });

  it('when a Disconnect-Request names a live session, then the gateway ACKs, sends Stop with Admin-Reset, and re-attaches', async () => {
    aaa = await fakeAaa(SECRET);
    const a = aaa;
    pgw = await gateway(aaa.port, { sims: sims.slice(0, 1) });
    const online = await until(() => pgw?.devices().find((d) => d.state === 'online'));
    const sessionId = online.sessionId ?? '';

    const forged = await disconnect(pgw.daePort, { sessionId }, 'not-the-secret');
    expect(forged.reply).toBeNull();
    expect(pgw.stats().daeDropped).toBe(1);

    const { packet, reply } = await disconnect(pgw.daePort, {
      sessionId,
      userName: sims[0]?.imsi,
      callingStationId: sims[0]?.msisdn,
    });
    expect(reply?.code).toBe(RadiusCode.DisconnectAck);
    expect(reply && verifyResponse(reply.packet, packet.subarray(4, 20), SECRET).ok).toBe(true);
    const stop = await until(() =>
      of(a, RadiusCode.AccountingRequest, AcctStatus.Stop).find((s) => s.request.sessionId === sessionId),
    );
    expect(stop.request.terminateCause).toBe(TerminateCause.AdminReset);

    // a retransmission of the same request gets the same ACK and ends nothing more
    const again = await disconnect(pgw.daePort, {}, SECRET, packet);
    expect(again.reply?.code).toBe(RadiusCode.DisconnectAck);
    expect(pgw.stats().disconnectAcks).toBe(1);

    const back = await until(() =>
      pgw?.devices().find((d) => d.state === 'online' && d.sessionId !== sessionId),
    );
    expect(back.sessions).toBe(2);
  });

  it('when a Disconnect-Request names no live session, then the gateway NAKs with Session-Context-Not-Found', async () => {
    aaa = await fakeAaa(SECRET);
    pgw = await gateway(aaa.port, { sims: sims.slice(0, 1) });
    await until(() => pgw?.devices().find((d) => d.state === 'online'));
    const unknown = await disconnect(pgw.daePort, { sessionId: 'no-such-session' });
    expect(unknown.reply?.code).toBe(RadiusCode.DisconnectNak);
    expect(unknown.reply?.errorCause).toBe(ErrorCause.SessionContextNotFound);
    const mismatch = await disconnect(pgw.daePort, { userName: sims[1]?.imsi });
    expect(mismatch.reply?.errorCause).toBe(ErrorCause.SessionContextNotFound);
    const bare = await disconnect(pgw.daePort, {});
    expect(bare.reply?.errorCause).toBe(ErrorCause.MissingAttribute);
    expect(of(aaa, RadiusCode.AccountingRequest, AcctStatus.Stop)).toHaveLength(0);
  });

  it('when a device is rejected, then it backs off longer each time while the others stay online', async () => {
    aaa = await fakeAaa(SECRET, { reject: new Set([sims[1]?.imsi ?? '']) });
    pgw = await gateway(aaa.port);
    const rejected = await until(() => pgw?.devices().find((d) => d.rejects >= 2));
    expect(rejected.iccid).toBe(sims[1]?.iccid);
    expect(rejected.state).toBe('backoff');
    // 200 ms doubled to 400 ms, ± 25 % jitter
    expect(rejected.nextAttachInMs).toBeGreaterThan(250);
    const tries = of(aaa, RadiusCode.AccessRequest).filter((a) => a.request.imsi === sims[1]?.imsi);
    expect(tries.length).toBeLessThanOrEqual(3);
    expect(pgw.devices().filter((d) => d.state === 'online')).toHaveLength(2);
  });

  it('when the gateway starts and stops, then it announces Accounting-On and Accounting-Off', async () => {
    aaa = await fakeAaa(SECRET);
    pgw = await gateway(aaa.port, { sims: [] });
    await pgw.stop();
    const announced = of(aaa, RadiusCode.AccountingRequest).map((r) => r.request.statusType);
    expect(announced).toEqual([AcctStatus.AccountingOn, AcctStatus.AccountingOff]);
  });
});

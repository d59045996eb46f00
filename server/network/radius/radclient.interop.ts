import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, sims } from '../../db/schema/index.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { AcctStatus, ErrorCause } from './attributes.js';
import { verifyMessageAuthenticator, verifyRequest } from './authenticator.js';
import { buildAccept, buildAccountingResponse, buildDisconnectAck, buildDisconnectNak } from './builders.js';
import { RadiusCode } from './packet.js';
import { readPassword } from './password.js';
import { decodeRequest, type RadiusRequest } from './request.js';
import { type AaaServer, startAaa } from './server.js';

// Interop with Debian's radclient (freeradius-utils): it signs what we verify and verifies what we sign.
const SECRET = 'interop-secret';

interface Exchange {
  request: RadiusRequest;
  exitCode: number | null;
  output: string;
}

/** Run radclient against a UDP socket on 127.0.0.1; `answer` builds the reply (or null for none). */
function exchange(
  command: 'auth' | 'acct' | 'disconnect',
  attributes: string,
  answer: (request: RadiusRequest) => Buffer | null,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    let request: RadiusRequest | undefined;
    socket.on('message', (datagram, from) => {
      const decoded = decodeRequest(datagram);
      if (!decoded.ok)
        return reject(new Error(`radclient sent an undecodable packet: ${decoded.error.detail}`));
      request ??= decoded.value;
      const reply = answer(decoded.value);
      if (reply) socket.send(reply, from.port, from.address);
    });
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address() as AddressInfo;
      const child = spawn('radclient', ['-x', '-r', '1', '-t', '1', `127.0.0.1:${port}`, command, SECRET]);
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        socket.close();
        reject(
          new Error(
            error.code === 'ENOENT'
              ? 'radclient is not installed: run `apt-get install -y freeradius-utils` (the interop tests must not skip)'
              : `radclient failed to start: ${error.message}`,
          ),
        );
      });
      child.on('close', (exitCode) => {
        socket.close();
        if (!request) return reject(new Error(`radclient sent nothing (exit ${exitCode}):\n${output}`));
        resolve({ request, exitCode, output });
      });
      child.stdin.end(`${attributes}\n`);
    });
  });
}

describe('interop with radclient', () => {
  it('when radclient sends an Access-Request with PAP and Message-Authenticator, then we verify both and it accepts our Accept', async () => {
    const result = await exchange(
      'auth',
      'User-Name=test,User-Password=pw,Message-Authenticator=0x00',
      (req) => buildAccept(req, SECRET, { framedIp: '10.9.8.7', interimInterval: 600 }),
    );
    const { request } = result;
    expect(request.code).toBe(RadiusCode.AccessRequest);
    expect(verifyRequest(request.packet, SECRET, { requireMessageAuthenticator: true })).toEqual({
      ok: true,
      value: true,
    });
    const wrong = verifyRequest(request.packet, 'not-the-secret', { requireMessageAuthenticator: true });
    expect(!wrong.ok && wrong.error.reason).toBe('bad_message_authenticator');
    expect(readPassword(request, SECRET)).toEqual({ ok: true, value: 'pw' });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/Received Access-Accept/);
    expect(result.output).toMatch(/Framed-IP-Address = 10\.9\.8\.7/);
    expect(result.output).toMatch(/Acct-Interim-Interval = 600/);
  });

  it('when we answer with the wrong secret, then radclient discards the reply', async () => {
    const result = await exchange(
      'auth',
      'User-Name=test,User-Password=pw,Message-Authenticator=0x00',
      (req) => buildAccept(req, 'not-the-secret', { framedIp: '10.9.8.7' }),
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/Reply verification failed/);
    expect(result.output).not.toMatch(/Received Access-Accept/);
  });

  it.each([
    ['Start', AcctStatus.Start],
    ['Interim-Update', AcctStatus.InterimUpdate],
    ['Stop', AcctStatus.Stop],
  ])(
    'when radclient sends Accounting %s with 3GPP attributes, then we verify and decode it and it accepts our response',
    async (status, code) => {
      const attributes = [
        `Acct-Status-Type=${status}`,
        'Acct-Session-Id=sess-42',
        'User-Name=262011234567890',
        'Framed-IP-Address=100.64.0.9',
        'Calling-Station-Id=491701234567',
        'Called-Station-Id=iot.opencmp',
        'Acct-Input-Octets=5',
        'Acct-Input-Gigawords=2',
        'Acct-Output-Octets=1000',
        'Event-Timestamp=1700000000',
        '3GPP-IMSI=262011234567890',
        '3GPP-RAT-Type=8',
        '3GPP-SGSN-MCC-MNC=26201',
        '3GPP-IMEISV=3534560012345601',
        '3GPP-User-Location-Info=0x8262f2101a2b62f21001234567',
        '3GPP-Charging-ID=99',
        'Message-Authenticator=0x00',
      ].join(',');
      const result = await exchange('acct', attributes, (req) => buildAccountingResponse(req, SECRET));
      const { request } = result;
      expect(verifyRequest(request.packet, SECRET)).toEqual({ ok: true, value: true });
      expect(verifyMessageAuthenticator(request.packet.raw, SECRET)).toBe(true);
      expect(request).toMatchObject({
        code: RadiusCode.AccountingRequest,
        statusType: code,
        sessionId: 'sess-42',
        framedIp: '100.64.0.9',
        callingStationId: '491701234567',
        calledStationId: 'iot.opencmp',
        inputOctets: 8589934597n,
        outputOctets: 1000n,
        eventTimestamp: new Date(1_700_000_000_000),
        imsi: '262011234567890',
        bearer: 'NB-IoT',
        sgsnMccMnc: '26201',
        imeisv: '3534560012345601',
        chargingId: 99,
        userLocation: { type: 'TAI+ECGI', tac: 6699, eci: 19088743, enbId: 74565, cellId: 103 },
      });
      expect(result.exitCode, result.output).toBe(0);
      expect(result.output).toMatch(/Received Accounting-Response/);
    },
  );

  it('when radclient sends a Disconnect-Request, then we verify it (RFC 5176) and it accepts our ACK', async () => {
    const attributes =
      'Acct-Session-Id=sess-42,User-Name=262011234567890,Framed-IP-Address=100.64.0.9,Calling-Station-Id=491701234567,Message-Authenticator=0x00';
    const result = await exchange('disconnect', attributes, (req) => buildDisconnectAck(req, SECRET));
    expect(result.request).toMatchObject({ code: RadiusCode.DisconnectRequest, sessionId: 'sess-42' });
    expect(verifyRequest(result.request.packet, SECRET)).toEqual({ ok: true, value: true });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/Received Disconnect-ACK/);
  });

  it('when we answer a Disconnect-Request with a NAK, then radclient reads our Error-Cause', async () => {
    const result = await exchange('disconnect', 'Acct-Session-Id=gone', (req) =>
      buildDisconnectNak(req, SECRET, ErrorCause.SessionContextNotFound),
    );
    expect(verifyRequest(result.request.packet, SECRET).ok).toBe(true);
    expect(result.output).toMatch(/Received Disconnect-NAK/);
    expect(result.output).toMatch(/Error-Cause = Session-Context-Not-Found/);
  });
});

/** Run radclient against a port of the real AAA; resolves with its exit code and output. */
function radclient(port: number, command: 'auth' | 'acct', attributes: string, secret: string) {
  return new Promise<{ exitCode: number | null; output: string }>((resolve, reject) => {
    const child = spawn('radclient', ['-x', '-r', '2', '-t', '2', `127.0.0.1:${port}`, command, secret]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, output }));
    child.stdin.end(`${attributes}\n`);
  });
}

describe('interop: radclient against the real AAA', () => {
  const secret = 'interop-aaa-secret';
  let h: Harness;
  let aaa: AaaServer;
  let sim: { iccid: string; imsi: string };

  beforeAll(async () => {
    h = await createHarness({ RADIUS_SECRET: secret, RADIUS_INTERIM_INTERVAL: '120' });
    await seedFixtures(h.ctx);
    const [demo] = await h.ctx.db
      .select()
      .from(organisations)
      .where(eq(organisations.accountNumber, '8100012345'));
    await seedFleet(h.ctx, demo?.id ?? '', 8, 2, '10.73.0.0/24');
    sim = fixtureIds(8, 1);
    aaa = await startAaa(h.ctx, { authPort: 0, acctPort: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(async () => {
    await aaa?.stop();
    await h?.close();
  });

  it('when radclient sends an Access-Request with Message-Authenticator for a SIM, then it receives the Accept with the static IP', async () => {
    const result = await radclient(
      aaa.authPort,
      'auth',
      `User-Name=${sim.imsi},3GPP-IMSI=${sim.imsi},3GPP-IMEISV=3534560012345601,Message-Authenticator=0x00`,
      secret,
    );
    const [row] = await h.ctx.db.select().from(sims).where(eq(sims.iccid, sim.iccid));
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/Received Access-Accept/);
    expect(result.output).toContain(`Framed-IP-Address = ${row?.ipAddress}`);
    expect(result.output).toMatch(/Acct-Interim-Interval = 120/);
  });

  it('when radclient sends Accounting Start, Interim-Update and Stop, then each is answered and usage is counted once', async () => {
    const base = `Acct-Session-Id=rc-1,User-Name=${sim.imsi},3GPP-IMSI=${sim.imsi},3GPP-RAT-Type=8,3GPP-SGSN-MCC-MNC=26201`;
    const [before] = await h.ctx.db.select().from(sims).where(eq(sims.iccid, sim.iccid));
    for (const [status, counters] of [
      ['Start', 'Acct-Input-Octets=0,Acct-Output-Octets=0'],
      ['Interim-Update', 'Acct-Input-Octets=5000,Acct-Output-Octets=1000'],
      ['Interim-Update', 'Acct-Input-Octets=5000,Acct-Output-Octets=1000'],
      ['Stop', 'Acct-Input-Octets=7000,Acct-Output-Octets=3000,Acct-Terminate-Cause=User-Request'],
    ] as const) {
      const result = await radclient(
        aaa.acctPort,
        'acct',
        `Acct-Status-Type=${status},${base},${counters}`,
        secret,
      );
      expect(result.exitCode, result.output).toBe(0);
      expect(result.output).toMatch(/Received Accounting-Response/);
    }
    const [after] = await h.ctx.db.select().from(sims).where(eq(sims.iccid, sim.iccid));
    expect((after?.dataUsed ?? 0) - (before?.dataUsed ?? 0)).toBe(10_000);
    expect(after).toMatchObject({
      bearer: 'NB-IoT',
      operatorName: 'Telekom Deutschland',
      sessionState: 'offline',
    });
  });

  it('when radclient signs with the wrong secret, then the AAA drops it and radclient gets no answer', async () => {
    const result = await radclient(
      aaa.authPort,
      'auth',
      `User-Name=${sim.imsi},Message-Authenticator=0x00`,
      'not-the-secret',
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.output).not.toMatch(/Received Access-Accept/);
    expect(aaa.counters.get('drops.bad_message_authenticator')).toBeGreaterThan(0);
  });
});

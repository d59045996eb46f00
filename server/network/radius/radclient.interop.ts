import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AcctStatus, ErrorCause } from './attributes.js';
import { verifyMessageAuthenticator, verifyRequest } from './authenticator.js';
import { buildAccept, buildAccountingResponse, buildDisconnectAck, buildDisconnectNak } from './builders.js';
import { RadiusCode } from './packet.js';
import { readPassword } from './password.js';
import { decodeRequest, type RadiusRequest } from './request.js';

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

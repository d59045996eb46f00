import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAaa, fakeAaa } from './fake-aaa.js';
import { type Pgw, startPgw } from './pgw.js';

// Interop with Debian's radclient (freeradius-utils) as the Dynamic Authorization Client: it sends
// Disconnect-Requests to the simulator's DAE port and checks our ACK/NAK with the shared secret.
const SECRET = 'dae-interop-secret';
const sim = { iccid: '8949020123999000001', imsi: '262019990000001', msisdn: '491519990000001' };

let aaa: FakeAaa;
let pgw: Pgw;

beforeAll(async () => {
  aaa = await fakeAaa(SECRET);
  pgw = await startPgw({
    sims: [sim],
    aaa: { host: '127.0.0.1', authPort: aaa.port, acctPort: aaa.port },
    secret: SECRET,
    dae: { port: 0 },
    seed: 3,
    interimMs: 200,
    attachSpreadMs: 10,
    backoffMs: [100, 200],
    detachChance: 0,
    timeoutMs: 200,
  });
});
afterAll(async () => {
  await pgw?.stop();
  await aaa?.close();
});

function radclient(attributes: string): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('radclient', [
      '-x',
      '-r',
      '1',
      '-t',
      '2',
      `127.0.0.1:${pgw.daePort}`,
      'disconnect',
      SECRET,
    ]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'radclient is not installed: run `apt-get install -y freeradius-utils` (the interop tests must not skip)'
            : `radclient failed to start: ${error.message}`,
        ),
      ),
    );
    child.on('close', (exitCode) => resolve({ exitCode, output }));
    child.stdin.end(`${attributes}\n`);
  });
}

async function online(): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const id = pgw.devices().find((d) => d.state === 'online')?.sessionId;
    if (id) return id;
    if (Date.now() > deadline) throw new Error('the device did not come online');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('DAE interop with radclient', () => {
  it('when radclient disconnects a live session, then it gets a Disconnect-ACK and the session stops', async () => {
    const sessionId = await online();
    const result = await radclient(
      `Acct-Session-Id=${sessionId},User-Name=${sim.imsi},Calling-Station-Id=${sim.msisdn},Message-Authenticator=0x00`,
    );
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/Received Disconnect-ACK/);
    const deadline = Date.now() + 5_000;
    while (!aaa.received.some((r) => r.request.statusType === 2 && r.request.sessionId === sessionId)) {
      if (Date.now() > deadline) throw new Error('no Stop for the disconnected session');
      await new Promise((r) => setTimeout(r, 20));
    }
    const stop = aaa.received.find((r) => r.request.statusType === 2 && r.request.sessionId === sessionId);
    expect(stop?.request.terminateCause).toBe(6);
  });

  it('when radclient names a session the gateway does not have, then it gets a Disconnect-NAK with Session-Context-Not-Found', async () => {
    await online();
    const result = await radclient('Acct-Session-Id=DEADBEEF00000000,User-Name=262019990009999');
    expect(result.output).toMatch(/Received Disconnect-NAK/);
    expect(result.output).toMatch(/Error-Cause = Session-Context-Not-Found/);
  });

  it('when radclient signs with another secret, then the gateway stays silent', async () => {
    const child = spawn('radclient', [
      '-r',
      '1',
      '-t',
      '1',
      `127.0.0.1:${pgw.daePort}`,
      'disconnect',
      'wrong',
    ]);
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exitCode = await new Promise<number | null>((resolve) => {
      child.on('close', resolve);
      child.stdin.end('Acct-Session-Id=X\n');
    });
    expect(exitCode).not.toBe(0);
    expect(output).not.toMatch(/Received Disconnect/);
    expect(pgw.stats().daeDropped).toBeGreaterThanOrEqual(1);
  });
});

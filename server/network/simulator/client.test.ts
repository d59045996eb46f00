import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AcctStatus } from '../radius/attributes.js';
import { buildAccountingRequest, buildAccountingResponse } from '../radius/builders.js';
import { decodeRequest } from '../radius/request.js';
import { RadiusClient } from './client.js';

const SECRET = 'client-test-secret';

/** A peer that answers Accounting-Requests, ignoring the first `ignore` transmissions it receives. */
async function peer(ignore: number) {
  const socket: Socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (msg, from) => {
    received.push(Buffer.from(msg));
    if (received.length <= ignore) return;
    const request = decodeRequest(msg);
    if (request.ok) socket.send(buildAccountingResponse(request.value, SECRET), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: (socket.address() as AddressInfo).port, received, close: () => socket.close() };
}

const interim = (identifier: number) =>
  buildAccountingRequest({
    identifier,
    secret: SECRET,
    fields: { statusType: AcctStatus.InterimUpdate, sessionId: 'C1', userName: '262010000000001' },
  });

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

describe('RadiusClient', () => {
  it('when the first transmission goes unanswered, then the very same octets go again after the timeout and the answer resolves', async () => {
    const p = await peer(1);
    // the answer to the second transmission must come within 400 ms, even on a loaded CI machine
    const client = await RadiusClient.open({ host: '127.0.0.1', secret: SECRET, timeoutMs: 400, retries: 2 });
    cleanup.push(p.close, () => client.close());
    const exchange = await client.send(p.port, interim);
    expect(exchange.response?.code).toBeDefined();
    expect(exchange.transmissions).toBe(2);
    expect(exchange.ms).toBeGreaterThanOrEqual(400);
    expect(p.received).toHaveLength(2);
    expect(p.received[0]?.equals(p.received[1] ?? Buffer.alloc(0))).toBe(true);
    expect(client.stats).toMatchObject({ sent: 2, retransmits: 1, timeouts: 0 });
  });

  it('when no transmission is answered, then it gives up after the retries and resolves without a response', async () => {
    const p = await peer(Number.POSITIVE_INFINITY);
    const client = await RadiusClient.open({ host: '127.0.0.1', secret: SECRET, timeoutMs: 40, retries: 2 });
    cleanup.push(p.close, () => client.close());
    const exchange = await client.send(p.port, interim);
    expect(exchange.response).toBeNull();
    expect(exchange.transmissions).toBe(3);
    expect(p.received).toHaveLength(3);
    expect(client.stats).toMatchObject({ sent: 3, retransmits: 2, timeouts: 1 });
    expect(client.inFlight()).toBe(0);
  });

  it('when answered in time, then nothing is sent twice', async () => {
    const p = await peer(0);
    const client = await RadiusClient.open({
      host: '127.0.0.1',
      secret: SECRET,
      timeoutMs: 10_000,
      retries: 2,
    });
    cleanup.push(p.close, () => client.close());
    const exchanges = await Promise.all(Array.from({ length: 300 }, () => client.send(p.port, interim)));
    expect(exchanges.every((e) => e.response !== null && e.transmissions === 1)).toBe(true);
    expect(p.received).toHaveLength(300);
    expect(client.stats).toMatchObject({ sent: 300, retransmits: 0 });
  });
});

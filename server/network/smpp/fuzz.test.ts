/**
 * Malformed and random PDUs at both SMPP peers: ≥ 10,000 at the SMSC simulator, ≥ 10,000 at the ESME
 * from a fake SMSC socket. Neither may crash, and both still work afterwards.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmscSimulator } from '../simulator/smsc.js';
import { encodeSms } from './codec.js';
import { smpp } from './pdu.js';
import { Esme } from './session.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const commandIds = [
  0x80000000, 0x00000004, 0x80000004, 0x00000005, 0x80000005, 0x00000009, 0x80000009, 0x00000015, 0x80000015,
  0x00000006, 0x00000003, 0x00000102, 0x00000111, 0x12345678,
];

/** Valid PDUs to mutate. */
function seeds(): Buffer[] {
  const sm = encodeSms('x'.repeat(200), 3).parts[0]?.shortMessage ?? Buffer.alloc(0);
  return [
    new smpp.PDU('submit_sm', {
      sequence_number: 5,
      source_addr: '4900',
      destination_addr: '491701000001',
      esm_class: 0x40,
      data_coding: 0,
      short_message: sm,
    }).toBuffer(),
    new smpp.PDU('deliver_sm', {
      sequence_number: 6,
      source_addr: '491701000001',
      destination_addr: '4900',
      esm_class: 0x04,
      data_coding: 0,
      short_message: Buffer.from('id:abc stat:DELIVRD err:000'),
      receipted_message_id: 'abc',
      message_state: 2,
    }).toBuffer(),
    new smpp.PDU('enquire_link', { sequence_number: 7 }).toBuffer(),
    new smpp.PDU('bind_transceiver', { sequence_number: 8, system_id: 'x', password: 'y' }).toBuffer(),
  ];
}

/** One malformed or random PDU: random bodies with a right or wrong length, or a mutated valid one. */
function fuzzPdu(r: () => number, base: Buffer[]): Buffer {
  const kind = r();
  if (kind < 0.4) {
    const len = Math.floor(r() * 80);
    const body = Buffer.from(Array.from({ length: len }, () => Math.floor(r() * 256)));
    const head = Buffer.alloc(16);
    head.writeUInt32BE(16 + len, 0);
    head.writeUInt32BE(commandIds[Math.floor(r() * commandIds.length)] ?? 0, 4);
    head.writeUInt32BE(r() < 0.8 ? 0 : Math.floor(r() * 0x100), 8);
    head.writeUInt32BE(Math.floor(r() * 0x7fffffff), 12);
    return Buffer.concat([head, body]);
  }
  const b = Buffer.from(base[Math.floor(r() * base.length)] ?? Buffer.alloc(16));
  const flips = 1 + Math.floor(r() * 6);
  for (let i = 0; i < flips; i++) {
    const at = 16 + Math.floor(r() * Math.max(1, b.length - 16));
    if (at < b.length) b[at] = Math.floor(r() * 256);
  }
  if (kind > 0.9) {
    // truncate the body but keep the header's length honest, so framing holds and parsing fails
    const cut = 16 + Math.floor(r() * (b.length - 16));
    const t = Buffer.from(b.subarray(0, cut));
    t.writeUInt32BE(cut, 0);
    return t;
  }
  if (kind > 0.85) b.writeUInt32BE(Math.floor(r() * 64), 0); // a lying command_length
  return b;
}

describe('fuzzing the SMPP peers', () => {
  it('when 10,000 malformed and random PDUs hit the SMSC simulator, then it neither crashes nor stops serving', async () => {
    const smsc = await startSmscSimulator({ receiptDelayMs: 5 });
    cleanups.push(() => smsc.stop());
    const r = rng(42);
    const base = seeds();
    let sent = 0;
    let connections = 0;
    while (sent < 10_000) {
      connections++;
      const socket: Socket = connect(smsc.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('data', () => {});
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const batch = Buffer.concat(Array.from({ length: 200 }, () => fuzzPdu(r, base)));
      sent += 200;
      socket.write(batch);
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 30);
      });
    }
    expect(sent).toBeGreaterThanOrEqual(10_000);
    // still serving: a real ESME binds and submits
    const e = new Esme({ url: smsc.url, onDeliver: async () => 0 });
    e.start();
    cleanups.push(() => e.stop());
    expect(await e.waitBound()).toBe(true);
    const part = encodeSms('after the storm', 1).parts[0];
    if (!part) throw new Error('no part');
    expect(await e.submit({ destination: '491701000001', source: '4900', part })).toMatch(/^[0-9a-f]+$/);
    expect(connections).toBeGreaterThan(10);
  }, 60_000);

  it('when a fake SMSC sends 10,000 malformed and random PDUs after the bind, then the ESME reconnects and survives', async () => {
    const r = rng(7);
    const base = seeds();
    let sent = 0;
    let connections = 0;
    const bindResp = (seq: number) => {
      const b = Buffer.alloc(16 + 4);
      b.writeUInt32BE(20, 0);
      b.writeUInt32BE(0x80000009, 4);
      b.writeUInt32BE(0, 8);
      b.writeUInt32BE(seq, 12);
      b.write('sim\0', 16, 'latin1');
      return b;
    };
    const fake: Server = createServer((socket) => {
      connections++;
      socket.on('error', () => {});
      socket.once('data', (d) => {
        const seq = d.length >= 16 ? d.readUInt32BE(12) : 1;
        socket.write(bindResp(seq));
        // keep sending until the ESME gives up on this connection
        const timer = setInterval(() => {
          if (socket.destroyed || sent >= 10_000) {
            clearInterval(timer);
            return;
          }
          sent += 50;
          socket.write(Buffer.concat(Array.from({ length: 50 }, () => fuzzPdu(r, base))));
        }, 2);
        socket.on('close', () => clearInterval(timer));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise((resolve) => fake.close(() => resolve())));
    const port = (fake.address() as { port: number }).port;
    const delivered: unknown[] = [];
    const e = new Esme({
      url: `smpp://opencmp:secret@127.0.0.1:${port}`,
      onDeliver: async (d) => {
        delivered.push(d);
        return 0;
      },
      reconnectMinMs: 1,
      reconnectMaxMs: 2,
    });
    e.start();
    const end = Date.now() + 40_000;
    while (sent < 10_000 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    e.setUrl(null);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(connections).toBeGreaterThan(10);
    expect(e.status().counters.malformed).toBeGreaterThan(0);
    // the same ESME, pointed at a real SMSC, still works
    const smsc = await startSmscSimulator({ receiptDelayMs: 5 });
    cleanups.push(() => smsc.stop());
    e.setUrl(smsc.url);
    cleanups.push(() => e.stop());
    expect(await e.waitBound()).toBe(true);
    const part = encodeSms('still alive', 2).parts[0];
    if (!part) throw new Error('no part');
    await e.submit({ destination: '491701000001', source: '4900', part });
    expect(smsc.received.at(-1)?.text).toBe('still alive');
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { AcctStatus } from './attributes.js';
import { buildAccessRequest, buildAccountingRequest } from './builders.js';
import type { RadiusFields } from './fields.js';
import { RadiusCode } from './packet.js';
import { type AaaServer, startAaa } from './server.js';
import { TestNas } from './testkit.js';

const SECRET = 'fuzz-secret-1';
let h: Harness;
let aaa: AaaServer;
let nas: TestNas;

beforeAll(async () => {
  h = await createHarness({ RADIUS_SECRET: SECRET });
  const { demoOrgId } = await seedFixtures(h.ctx);
  await seedFleet(h.ctx, demoOrgId, 7, 20, '10.72.0.0/24');
  aaa = await startAaa(h.ctx, { authPort: 0, acctPort: 0, host: '127.0.0.1' });
  nas = await TestNas.open(SECRET);
});
afterAll(async () => {
  await nas?.close();
  await aaa?.stop();
  await h?.close();
});

/** Deterministic PRNG (mulberry32) so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the AAA under garbage', () => {
  it('when 100,000 random, mutated and odd-but-signed packets hit both ports, then it never crashes and still answers', async () => {
    const rnd = prng(4242);
    const int = (n: number) => Math.floor(rnd() * n);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
    const imsi = () => (rnd() < 0.8 ? fixtureIds(7, 1 + int(20)).imsi : String(262000000000000 + int(1e9)));
    const oddFields = (): RadiusFields => ({
      userName: rnd() < 0.5 ? imsi() : bytes(1 + int(20)).toString('latin1'),
      imsi: imsi(),
      sessionId: rnd() < 0.9 ? `F${int(50)}` : 'x\u0000y',
      inputOctets: BigInt(int(2 ** 31)) * BigInt(1 + int(4)),
      outputOctets: rnd() < 0.02 ? 2n ** 63n : BigInt(int(2 ** 31)),
      ...(rnd() < 0.5 ? { imeisv: String(3520990017614800 + int(99)) } : {}),
      ...(rnd() < 0.5 ? { ratType: int(12) } : {}),
      ...(rnd() < 0.5 ? { sgsnMccMnc: rnd() < 0.5 ? '26201' : String(10000 + int(89999)) } : {}),
      ...(rnd() < 0.3 ? { framedIp: `10.72.0.${int(256)}` } : {}),
    });
    const signed = () => {
      const fields = oddFields();
      const identifier = int(256);
      if (rnd() < 0.4)
        return { port: aaa.authPort, packet: buildAccessRequest({ identifier, secret: SECRET, fields }) };
      const statusType = [AcctStatus.Start, AcctStatus.InterimUpdate, AcctStatus.Stop, 9, 0][int(5)] ?? 1;
      return {
        port: aaa.acctPort,
        packet: buildAccountingRequest({ identifier, secret: SECRET, fields: { ...fields, statusType } }),
      };
    };
    const mutate = (p: Buffer) => {
      const out = Buffer.from(p);
      const kind = int(5);
      if (kind === 0) for (let i = 0; i < 1 + int(4); i++) out[int(out.length)] = int(256);
      if (kind === 1) return out.subarray(0, int(out.length));
      if (kind === 2) out.writeUInt16BE(int(5000), 2);
      if (kind === 3) out[20 + int(Math.max(1, out.length - 20))] = int(256);
      if (kind === 4) return Buffer.concat([out, bytes(int(300))]);
      return out;
    };
    let sent = 0;
    const total = 100_000;
    while (sent < total) {
      for (let i = 0; i < 250 && sent < total; i++, sent++) {
        const r = rnd();
        const port = rnd() < 0.5 ? aaa.authPort : aaa.acctPort;
        if (r < 0.35) nas.fire(port, bytes(int(120)));
        else if (r < 0.97) {
          const s = signed();
          nas.fire(s.port, mutate(s.packet));
        } else {
          const s = signed();
          nas.fire(s.port, s.packet);
        }
      }
      // keep at most ~1000 datagrams in the socket buffers, so the AAA really sees every one
      const seen = () => aaa.counters.get('requests.access') + aaa.counters.get('requests.accounting');
      for (let wait = 0; seen() < sent - 1000 && wait < 200; wait++)
        await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const reply = await nas.send(
      aaa.authPort,
      buildAccessRequest({
        identifier: 7,
        secret: SECRET,
        fields: { userName: fixtureIds(7, 1).imsi, imsi: fixtureIds(7, 1).imsi },
      }),
      5000,
    );
    expect([RadiusCode.AccessAccept, RadiusCode.AccessReject]).toContain(reply?.code);
    const c = aaa.counters;
    const received = c.get('requests.access') + c.get('requests.accounting');
    expect(received).toBeGreaterThanOrEqual(99_000);
    const drops = [...c.values].filter(([k]) => k.startsWith('drops.')).reduce((a, [, v]) => a + v, 0);
    expect(drops).toBeGreaterThan(80_000);
    expect(c.get('drops.internal')).toBe(0);
    expect(c.get('drops.store_failed')).toBe(0);
    expect(
      c.get('accounting.start') + c.get('accounting.interim') + c.get('accounting.stop'),
    ).toBeGreaterThan(0);
  }, 300_000);
});

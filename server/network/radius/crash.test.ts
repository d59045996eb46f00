import { describe, expect, it } from 'vitest';
import { demoIdentifiers } from '../../demo/sims.js';
import { childServers, signInOver } from '../../test/process.js';
import { AcctStatus } from './attributes.js';
import { buildAccountingRequest } from './builders.js';
import { TestNas } from './testkit.js';

// Kill the AAA with SIGKILL in the middle of accounting load, restart it on the same database, let
// the NAS retransmit what was not answered: every answered record survived, and nothing counts twice.
const SECRET = 'crash-secret-1';
const PASSWORD = 'crash-test-pw-1';
const servers = childServers({
  password: PASSWORD,
  env: { RADIUS_SECRET: SECRET, RADIUS_DAE_PORT: '9' },
});

async function start(env: Record<string, string>) {
  const server = await servers.start(env, ['api', 'aaa']);
  const [, acctPort] = await server.waitFor(/accounting 127\.0\.0\.1:(\d+)/);
  return { ...server, acctPort: Number(acctPort) };
}

async function dataUsed(url: string, iccids: string[]): Promise<Map<string, number>> {
  const { cookie } = await signInOver(url, 'owner@demo.example', PASSWORD);
  const out = new Map<string, number>();
  for (const iccid of iccids) {
    const res = await fetch(`${url}/api/v1/sims/${iccid}`, { headers: { cookie } });
    out.set(iccid, ((await res.json()) as { dataUsed: number }).dataUsed);
  }
  return out;
}

describe('the AAA killed mid-load', () => {
  it('when it is killed with SIGKILL and restarted, then every acknowledged record is stored exactly once', async () => {
    const env = await servers.database();
    const SESSIONS = 20;
    const STEPS = 40;
    const sims = Array.from({ length: SESSIONS }, (_, i) => demoIdentifiers(101 + i));
    let server = await start(env);
    const before = await dataUsed(
      server.url,
      sims.map((s) => s.iccid),
    );
    const nas = await TestNas.open(SECRET);
    servers.defer(() => nas.close());
    // the packets, in order per session: Start, then Interims with growing cumulative counters
    const packets: { session: number; step: number; packet: Buffer }[] = [];
    let id = 0;
    for (let step = 0; step <= STEPS; step++) {
      for (let n = 0; n < SESSIONS; n++) {
        const sim = sims[n];
        if (!sim) continue;
        packets.push({
          session: n,
          step,
          packet: buildAccountingRequest({
            identifier: id++ & 0xff,
            secret: SECRET,
            fields: {
              statusType: step === 0 ? AcctStatus.Start : AcctStatus.InterimUpdate,
              sessionId: `crash-${n}`,
              userName: sim.imsi,
              imsi: sim.imsi,
              inputOctets: BigInt(step * 1000),
              outputOctets: BigInt(step * 500),
            },
          }),
        });
      }
    }
    const acked = new Array<number>(SESSIONS).fill(-1);
    const send = (p: (typeof packets)[number]) =>
      nas.send(server.acctPort, p.packet, 3000).then((reply) => {
        if (reply) acked[p.session] = Math.max(acked[p.session] ?? -1, p.step);
        return reply;
      });
    // windows of 40 in flight, as a gateway would; a third of the load answered, then one more window mid-flight
    const window = 40;
    let next = 0;
    for (; next < packets.length / 3; next += window) {
      const replies = await Promise.all(packets.slice(next, next + window).map(send));
      expect(replies.every(Boolean)).toBe(true);
    }
    for (const p of packets.slice(next, next + window * 3)) void send(p);
    await new Promise((r) => setTimeout(r, 3));
    await server.stop('SIGKILL');
    const ackedSnapshot = [...acked];
    expect(ackedSnapshot.filter((s) => s > 0).length).toBeGreaterThan(0);

    server = await start(env);
    const survived = await dataUsed(
      server.url,
      sims.map((s) => s.iccid),
    );
    sims.forEach((sim, n) => {
      const step = ackedSnapshot[n] ?? -1;
      const delta = (survived.get(sim.iccid) ?? 0) - (before.get(sim.iccid) ?? 0);
      // everything acknowledged is there (maybe more: stored, then killed before the answer)
      expect(delta).toBeGreaterThanOrEqual(Math.max(0, step) * 1500);
      expect(delta).toBeLessThanOrEqual(STEPS * 1500);
    });
    // the gateway retransmits everything (answered or not) and ends the sessions
    for (const p of packets) {
      const reply = await nas.send(server.acctPort, p.packet, 5000);
      expect(reply).not.toBeNull();
    }
    const after = await dataUsed(
      server.url,
      sims.map((s) => s.iccid),
    );
    for (const sim of sims) {
      expect((after.get(sim.iccid) ?? 0) - (before.get(sim.iccid) ?? 0)).toBe(STEPS * 1500);
    }
    await server.stop('SIGTERM');
  }, 300_000);
});

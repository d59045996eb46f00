import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorSmscUrl } from '../../modules/sms/smpp-registry.js';
import { smscStatus } from '../../modules/sms/sms.smsc.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { createHarness, type Harness, seedFixtures } from '../../test/harness.js';
import { type SmppRunner, startSmpp } from '../smpp/runner.js';
import { demoMoSenders, startSimulator } from './index.js';

// The simulator's SMSC: started by startSimulator for the ESME of this process when no SMSC is set.
let h: Harness;
let runner: SmppRunner;
// no AAA listens here and no SIM is simulated: only the SMSC matters in this file
const options = {
  aaa: { host: '127.0.0.1', authPort: 9, acctPort: 9 },
  devices: 0,
  daePort: 0,
  pgw: { announce: false },
};

beforeAll(async () => {
  h = await createHarness();
  runner = await startSmpp(h.ctx, { statusMs: 60_000, esme: { reconnectMinMs: 20 } });
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

describe('the simulator’s SMSC', () => {
  it('when this process runs the ESME and no SMPP_URL is set, then the SMSC starts and the ESME binds to it at once', async () => {
    expect(runner.esme.state).toBe('disconnected');
    const simulator = await startSimulator(h.ctx, { ...options, smsc: true });
    try {
      expect(simulator.smsc).not.toBeNull();
      expect(simulatorSmscUrl()).toBe(simulator.smsc?.url);
      // the status poll is a minute away: the simulator wakes the ESME itself
      expect(await runner.esme.waitBound(3000)).toBe(true);
      expect(simulator.smsc?.boundSessions()).toBe(1);
      expect(runner.esme.counters.reconnects).toBe(0);
      expect(await smscStatus(h.ctx)).toMatchObject({ urlSource: 'simulator', state: 'bound' });
    } finally {
      await simulator.stop();
    }
    expect(simulatorSmscUrl()).toBeNull();
  });

  it('when SMPP_URL names an SMSC, or the ESME runs elsewhere, then no SMSC is started', async () => {
    const withUrl = { ...h.ctx, config: { ...h.ctx.config, SMPP_URL: 'smpp://a:b@127.0.0.1:2775' } };
    for (const [ctx, smsc] of [
      [withUrl, true],
      [h.ctx, false],
    ] as const) {
      const simulator = await startSimulator(ctx, { ...options, smsc });
      expect(simulator.smsc).toBeNull();
      expect(simulatorSmscUrl()).toBeNull();
      await simulator.stop();
    }
  });
});

describe('the demo’s MO senders', () => {
  it('when the gateway simulates some SIMs, then MOs come from 20 of those and from 20 SIMs without a data device', async () => {
    const { demoOrgId } = await seedFixtures(h.ctx);
    await seedFleet(h.ctx, demoOrgId, 5, 50, '10.77.0.0/24');
    const msisdn = (k: number) => fixtureIds(5, k).msisdn;
    const senders = await demoMoSenders(h.ctx, 25);
    expect(senders).toEqual([
      ...Array.from({ length: 20 }, (_, i) => msisdn(i + 1)),
      ...Array.from({ length: 20 }, (_, i) => msisdn(i + 26)),
    ]);
  });
});

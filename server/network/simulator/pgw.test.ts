import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { selectRows } from '../../db/client.js';
import { nasClients, sims } from '../../db/schema/index.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, seedFixtures, signIn } from '../../test/harness.js';
import { startDisconnectDrainer } from '../radius/disconnect.js';
import { type AaaServer, startAaa } from '../radius/server.js';
import {
  isDemoDatabase,
  SIMULATOR_NAS_NAME,
  type Simulator,
  simulatorEnabled,
  startSimulator,
} from './index.js';

// The simulator against the real AAA over UDP on 127.0.0.1, on a harness database with a fleet.
let h: Harness;
let aaa: AaaServer;
let drainer: { stop(): Promise<void> };
let simulator: Simulator;
let fleet: string[];

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const simRow = async (iccid: string) => {
  const [row] = await h.ctx.db.select().from(sims).where(eq(sims.iccid, iccid));
  return row;
};

const sessionsOf = (iccid: string) =>
  selectRows<{ session_id: string; stopped_at: string | null; stop_cause: string | null }>(
    h.ctx.db,
    sql`SELECT session_id, stopped_at::text, stop_cause FROM radius_sessions WHERE iccid = ${iccid} ORDER BY started_at`,
  );

const usageOf = async (iccid: string) => {
  const [row] = await selectRows<{ total: string | null }>(
    h.ctx.db,
    sql`SELECT sum(data_up + data_down)::text AS total FROM sim_usage_days WHERE iccid = ${iccid}`,
  );
  return Number(row?.total ?? 0);
};

beforeAll(async () => {
  h = await createHarness();
  const { demoOrgId } = await seedFixtures(h.ctx);
  fleet = await seedFleet(h.ctx, demoOrgId, 1, 5, '10.70.0.0/24');
  // one SIM in stock-like state that the simulator must not pick
  await h.ctx.db
    .update(sims)
    .set({ status: 'deactivated' })
    .where(eq(sims.iccid, fleet[4] ?? ''));
  aaa = await startAaa(h.ctx, { host: '127.0.0.1', authPort: 0, acctPort: 0 });
  drainer = startDisconnectDrainer(h.ctx, aaa.nas, aaa.counters, { pollMs: 50 });
  simulator = await startSimulator(h.ctx, {
    aaa: { host: '127.0.0.1', authPort: aaa.authPort, acctPort: aaa.acctPort },
    devices: 10,
    daePort: 0,
    seed: 11,
    pgw: {
      interimMs: 150,
      attachSpreadMs: 100,
      backoffMs: [100, 200],
      rejectBackoffMs: [3_000, 60_000],
      detachChance: 0,
      operatorChangeChance: 0,
      timeoutMs: 400,
    },
  });
});
afterAll(async () => {
  await simulator?.stop();
  await drainer?.stop();
  await aaa?.stop();
  await h?.close();
});

describe('network simulator with the AAA', () => {
  it('when the simulator starts, then it registers its NAS with its DAE port and brings the activated SIMs online with network data', async () => {
    const [nas] = await h.ctx.db.select().from(nasClients).where(eq(nasClients.name, SIMULATOR_NAS_NAME));
    expect(nas).toMatchObject({ address: '127.0.0.1/32', daePort: simulator.pgw.daePort });
    const devices = simulator.pgw.devices();
    expect(devices.map((d) => d.iccid)).toEqual(fleet.slice(0, 4));

    for (const device of devices) {
      const sim = await until(async () => {
        const row = await simRow(device.iccid);
        return row?.sessionState === 'online' && row.cell ? row : undefined;
      }, `${device.iccid} online`);
      expect(sim).toMatchObject({ bearer: device.bearer, mccMnc: device.mccMnc, imei: device.imei });
      expect(sim.operatorName).toBeTruthy();
      expect(sim.country).toMatch(/^[A-Z]{2}$/);
      const open = (await sessionsOf(device.iccid)).filter((s) => !s.stopped_at);
      expect(open).toHaveLength(1);
      expect(open[0]?.session_id).toBe(
        simulator.pgw.devices().find((d) => d.iccid === device.iccid)?.sessionId,
      );
    }
    expect((await simRow(fleet[4] ?? ''))?.sessionState).toBe('offline');
  });

  it('when interim updates arrive, then the usage of the day grows by what the device moved', async () => {
    const iccid = fleet[0] ?? '';
    const before = await until(async () => (await usageOf(iccid)) || undefined, 'first usage');
    const after = await until(async () => {
      const now = await usageOf(iccid);
      return now > before ? now : undefined;
    }, 'usage to grow');
    expect(after).toBeGreaterThan(before);
    const sim = await simRow(iccid);
    expect(sim?.dataUsed).toBeGreaterThanOrEqual(after);
  });

  it('when the owner resets the connection, then the AAA sends a Disconnect-Request, the session ends with a Stop (Admin-Reset) and the device re-attaches', async () => {
    const iccid = fleet[1] ?? '';
    const [old] = (await sessionsOf(iccid)).filter((s) => !s.stopped_at);
    const owner = await signIn(h.app, 'owner@demo.example');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/sims/${iccid}/reset`,
      headers: as(owner),
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ resetPending: true });
    const stopped = await until(async () => {
      const rows = await sessionsOf(iccid);
      return rows.find((s) => s.session_id === old?.session_id && s.stopped_at);
    }, 'the Stop');
    expect(stopped.stop_cause).toMatch(/Admin-Reset/);
    const reopened = await until(async () => {
      const rows = await sessionsOf(iccid);
      const open = rows.find((s) => !s.stopped_at && s.session_id !== old?.session_id);
      const sim = await simRow(iccid);
      return open && sim?.sessionState === 'online' ? open : undefined;
    }, 'a new session');
    expect(reopened.session_id).not.toBe(old?.session_id);
    expect(simulator.pgw.stats().disconnectAcks).toBeGreaterThanOrEqual(1);
  });

  it('when the owner deactivates a SIM in use, then its session is disconnected and its device is rejected and backs off', async () => {
    const iccid = fleet[2] ?? '';
    const owner = await signIn(h.app, 'owner@demo.example');
    const res = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/sims/${iccid}`,
      headers: as(owner),
      payload: { status: 'deactivated' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const stopped = await until(async () => {
      const rows = await sessionsOf(iccid);
      return rows.length > 0 && rows.every((r) => r.stopped_at) && rows;
    }, 'the session to be disconnected');
    expect(stopped.at(-1)?.stop_cause).toMatch(/Admin-Reset/);
    const device = await until(
      async () => simulator.pgw.devices().find((d) => d.iccid === iccid && d.rejects >= 1),
      'a Reject',
    );
    expect(device.state).toBe('backoff');
    // the first reject backoff is 3 s ± 25 %, far longer than the 100–200 ms after a disconnect
    expect(device.nextAttachInMs).toBeGreaterThan(1_500);
    const sim = await simRow(iccid);
    expect(sim?.sessionState).not.toBe('online');
    const [rejected] = await selectRows<{ n: string }>(
      h.ctx.db,
      sql`SELECT count(*)::text AS n FROM sim_events WHERE iccid = ${iccid} AND type = ${eventTypes.authenticationFailed}`,
    );
    expect(Number(rejected?.n)).toBeGreaterThanOrEqual(1);
    // the other devices stay online
    const online = simulator.pgw.devices().filter((d) => d.state === 'online');
    expect(online.map((d) => d.iccid)).toEqual(expect.arrayContaining([fleet[0], fleet[3]]));
  });

  it('when OPENCMP_DEMO is off or the demo sign-ins are missing, then the simulator is off unless SIMULATOR says otherwise', async () => {
    // the harness runs with OPENCMP_DEMO=0 but has the demo sign-ins
    expect(await isDemoDatabase(h.ctx)).toBe(false);
    expect(await simulatorEnabled(h.ctx)).toBe(false);
    const demoOn = { ...h.ctx, config: { ...h.ctx.config, OPENCMP_DEMO: true } };
    expect(await simulatorEnabled(demoOn)).toBe(true);
    expect(await simulatorEnabled({ ...demoOn, config: { ...demoOn.config, SIMULATOR: false } })).toBe(false);
    expect(await simulatorEnabled({ ...h.ctx, config: { ...h.ctx.config, SIMULATOR: true } })).toBe(true);
  });
});

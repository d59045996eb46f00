/**
 * The network simulator (PRODUCT.md §11): a packet gateway that brings activated SIMs of the database
 * online over real RADIUS to the AAA, and an SMSC (./smsc.ts) that speaks SMPP to the ESME when no
 * real one is configured. The demo runs it by default, so that after `npm start` SIMs are online,
 * usage grows and SMS flow.
 */
import { randomBytes } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { nasClients, sims, users } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { nasClientsChanged } from '../../modules/network/nas-signal.js';
import { insertNasClient, updateNasClient } from '../../modules/network/network.repository.js';
import { localSmpp, setSimulatorSmscUrl } from '../../modules/sms/smpp-registry.js';
import { type Pgw, type PgwOptions, type SimulatedSim, startPgw } from './pgw.js';
import { type SmscSimulator, startSmscSimulator } from './smsc.js';

/** The name under which the simulator's packet gateway appears among the NAS clients. */
export const SIMULATOR_NAS_NAME = 'Network simulator';
const NAS_ADDRESS = '127.0.0.1/32';

export interface SimulatorOptions {
  /** Where the AAA listens (the ports it actually bound, when it runs in this process). */
  aaa: { host: string; authPort: number; acctPort: number };
  /** How many SIMs are alive (default SIMULATOR_DEVICES). */
  devices?: number;
  /** The gateway's DAE port; 0 picks a free one (default SIMULATOR_DAE_PORT). */
  daePort?: number;
  /** Real seconds between Interim-Updates (default SIMULATOR_INTERIM_SECONDS). */
  interimSeconds?: number;
  seed?: number;
  /** Further gateway settings, for tests (backoffs, spread, retransmission timer). */
  pgw?: Partial<Omit<PgwOptions, 'sims' | 'aaa' | 'secret'>>;
  /**
   * Whether this process's ESME may use the simulator's SMSC (it runs the smpp role). The SMSC starts
   * only then and when SMPP_URL is unset; the ESME learns its URL through setSimulatorSmscUrl (the
   * console's setting still wins).
   */
  smsc?: boolean;
  log?: (message: string) => void;
}

export interface Simulator {
  pgw: Pgw;
  /** The built-in SMSC, when it was started. */
  smsc: SmscSimulator | null;
  /** Stop the packet gateway (first at shutdown, so its Accounting-Off still reaches the AAA). */
  stopGateway(): Promise<void>;
  /** Stop everything still running (the SMSC after the ESME, so it can unbind). */
  stop(): Promise<void>;
}

/** Whether this database is the demo's: OPENCMP_DEMO is on and the demo's sign-ins exist. */
export async function isDemoDatabase(ctx: AppContext): Promise<boolean> {
  if (!ctx.config.OPENCMP_DEMO) return false;
  const email = demoLogins[0]?.email ?? '';
  const [row] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  return Boolean(row);
}

/** SIMULATOR explicitly, or on by default when the demo database is in use. */
export async function simulatorEnabled(ctx: AppContext): Promise<boolean> {
  return ctx.config.SIMULATOR ?? (await isDemoDatabase(ctx));
}

/** The first `count` activated SIMs, with the network data they had, so devices keep their identity. */
export async function simulatedSims(ctx: AppContext, count: number): Promise<SimulatedSim[]> {
  const rows = await ctx.db
    .select({
      iccid: sims.iccid,
      imsi: sims.imsi,
      msisdn: sims.msisdn,
      ip: sql<string | null>`host(${sims.ipAddress})`,
      imei: sims.imei,
      lockedImei: sims.lockedImei,
      bearer: sims.bearer,
      mccMnc: sims.mccMnc,
    })
    .from(sims)
    .where(eq(sims.status, 'activated'))
    .orderBy(asc(sims.iccid))
    .limit(count);
  return rows.map((r) => ({
    iccid: r.iccid,
    imsi: r.imsi,
    msisdn: r.msisdn,
    ip: r.ip,
    hints: { imei: r.lockedImei ?? r.imei, bearer: r.bearer, mccMnc: r.mccMnc },
  }));
}

/**
 * The gateway's shared secret: the one of the NAS client at 127.0.0.1 if there is one, else
 * RADIUS_SECRET (the AAA's default client), else a new random one that registration stores.
 */
async function nasSecret(ctx: AppContext): Promise<string> {
  const [row] = await ctx.db
    .select({ secret: nasClients.secret })
    .from(nasClients)
    .where(eq(nasClients.address, NAS_ADDRESS))
    .limit(1);
  return row?.secret ?? ctx.config.RADIUS_SECRET ?? randomBytes(24).toString('base64url');
}

/**
 * Register the gateway as the NAS client at 127.0.0.1 with its secret and DAE port, so the AAA
 * answers it and sends Disconnect-Requests to where it listens. A client at that address that an
 * operator added keeps its settings.
 */
async function registerNas(ctx: AppContext, secret: string, daePort: number, log: (m: string) => void) {
  const [row] = await ctx.db.select().from(nasClients).where(eq(nasClients.address, NAS_ADDRESS)).limit(1);
  if (!row) {
    await insertNasClient(ctx.db, { name: SIMULATOR_NAS_NAME, address: NAS_ADDRESS, secret, daePort });
  } else if (row.daePort !== daePort) {
    if (row.name === SIMULATOR_NAS_NAME) await updateNasClient(ctx.db, row.id, { daePort });
    else
      log(
        `simulator: NAS client "${row.name}" at 127.0.0.1 expects Disconnect-Requests on port ${row.daePort}, the simulator listens on ${daePort}`,
      );
  }
  nasClientsChanged();
}

/** Start the simulator's packet gateway; resolves once the gateway listens. */
export async function startSimulator(ctx: AppContext, options: SimulatorOptions): Promise<Simulator> {
  const log = options.log ?? (() => {});
  const count = options.devices ?? ctx.config.SIMULATOR_DEVICES;
  const interimSeconds = options.interimSeconds ?? ctx.config.SIMULATOR_INTERIM_SECONDS;
  const secret = await nasSecret(ctx);
  const pgw = await startPgw({
    sims: await simulatedSims(ctx, count),
    aaa: options.aaa,
    secret,
    dae: { host: '127.0.0.1', port: options.daePort ?? ctx.config.SIMULATOR_DAE_PORT, anyPortIfTaken: true },
    seed: options.seed ?? ctx.config.SIMULATOR_SEED,
    interimMs: interimSeconds === undefined ? undefined : interimSeconds * 1000,
    log,
    ...options.pgw,
    onListening: (daePort) => registerNas(ctx, secret, daePort, log),
  });

  const smsc = options.smsc && !ctx.config.SMPP_URL ? await startSmsc(ctx, count) : null;

  let gatewayStopped: Promise<void> | null = null;
  const stopGateway = () => {
    gatewayStopped ??= pgw.stop();
    return gatewayStopped;
  };
  return {
    pgw,
    smsc,
    stopGateway,
    async stop() {
      await stopGateway();
      if (smsc) {
        setSimulatorSmscUrl(null);
        await smsc.stop();
      }
    },
  };
}

/**
 * Whom the demo's SMS centre sends MO SMS from: the first 20 activated SIMs, whose devices also use
 * data (the gateway simulates the first `devices`), and the 20 after those, devices that only send
 * SMS, so that the demo shows SIMs attached without a data session (decision 023).
 */
export async function demoMoSenders(ctx: AppContext, devices: number): Promise<string[]> {
  // the same SIMs in the same order as simulatedSims
  const activated = (offset: number, limit: number) =>
    ctx.db
      .select({ msisdn: sims.msisdn })
      .from(sims)
      .where(eq(sims.status, 'activated'))
      .orderBy(asc(sims.iccid))
      .offset(offset)
      .limit(limit);
  const withData = await activated(0, Math.min(20, devices));
  return [...withData, ...(await activated(devices, 20))].map((r) => r.msisdn);
}

/** The demo's SMS centre: receipts after 1.5 s, an MO a minute from one of `demoMoSenders`. */
async function startSmsc(ctx: AppContext, devices: number): Promise<SmscSimulator> {
  const smsc = await startSmscSimulator({
    receiptDelayMs: 1500,
    moGenerator: { intervalMs: 60_000, msisdns: () => demoMoSenders(ctx, devices) },
  });
  setSimulatorSmscUrl(smsc.url);
  localSmpp()?.reload(); // the ESME of this process binds now rather than at its next settings poll
  return smsc;
}

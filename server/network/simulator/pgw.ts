/**
 * The simulated packet gateway: N devices behind real SIMs attach over RADIUS (Access-Request with
 * 3GPP attributes and Message-Authenticator), account for their sessions (Start, Interim-Updates with
 * growing cumulative counters, Stop), move between cells and operators, and obey Disconnect-Requests
 * on their own DAE port (RFC 5176). Rejected or disconnected devices re-attach after a backoff.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { AcctStatus, type Bearer, ErrorCause } from '../radius/attributes.js';
import { type Secret, verifyRequest } from '../radius/authenticator.js';
import {
  buildAccessRequest,
  buildAccountingRequest,
  buildDisconnectAck,
  buildDisconnectNak,
} from '../radius/builders.js';
import type { RadiusFields } from '../radius/fields.js';
import { RadiusCode } from '../radius/packet.js';
import { decodeRequest, type RadiusRequest } from '../radius/request.js';
import { RadiusClient } from './client.js';
import {
  type Cell,
  type DeviceHints,
  type DeviceProfile,
  deviceProfile,
  drawCell,
  hash32,
  mulberry32,
  neighbourCell,
  nextOperator,
  type Rng,
  timeZoneOf,
  userLocation,
} from './devices.js';

/** Acct-Terminate-Cause values the gateway sends (RFC 2866 §5.10). */
export const TerminateCause = {
  UserRequest: 1,
  LostCarrier: 2,
  IdleTimeout: 4,
  SessionTimeout: 5,
  AdminReset: 6,
  NasReboot: 11,
} as const;

/** A SIM the gateway brings online. */
export interface SimulatedSim {
  iccid: string;
  imsi: string;
  msisdn: string;
  /** The SIM's static address, used when the Accept carries no Framed-IP-Address. */
  ip?: string | null;
  hints?: DeviceHints;
}

export interface PgwOptions {
  sims: readonly SimulatedSim[];
  /** Where the AAA listens. */
  aaa: { host: string; authPort: number; acctPort: number };
  secret: Secret;
  /** NAS-IP-Address of the gateway (its RADIUS client address). */
  nasIp?: string;
  nasIdentifier?: string;
  /** Called-Station-Id. */
  apn?: string;
  /** The DAE (Disconnect-Request) listener; port 0 picks a free one, as does a taken port with `anyPortIfTaken`. */
  dae?: { host?: string; port: number; anyPortIfTaken?: boolean };
  seed?: number;
  /** Real milliseconds between Interim-Updates; each one accounts for the granted interval (speed factor). Default: the granted interval. */
  interimMs?: number;
  /** First attaches are spread over this many milliseconds. */
  attachSpreadMs?: number;
  /** Re-attach delay after a detach, a disconnect or a timeout: [min, max] milliseconds. */
  backoffMs?: readonly [number, number];
  /** After a Reject: the first delay, doubling per further Reject up to the second. */
  rejectBackoffMs?: readonly [number, number];
  /** Chance per Interim-Update that the device ends its session by itself. */
  detachChance?: number;
  /** Chance per Interim-Update of moving to a neighbouring cell, and of changing the serving operator. */
  cellChangeChance?: number;
  operatorChangeChance?: number;
  /** RADIUS retransmission timer and retransmissions. */
  timeoutMs?: number;
  retries?: number;
  /** Send Accounting-On before the first attach and Accounting-Off on stop (default on). */
  announce?: boolean;
  /** Called once the DAE listener is bound, before anything is sent (e.g. to register the NAS). */
  onListening?: (daePort: number) => Promise<void>;
  log?: (message: string) => void;
}

export type DeviceState = 'idle' | 'attaching' | 'online' | 'backoff';

/** What a test or the log may see of a device. */
export interface DeviceView {
  iccid: string;
  imsi: string;
  state: DeviceState;
  sessionId: string | null;
  framedIp: string | null;
  bearer: Bearer;
  mccMnc: string;
  imei: string;
  rejects: number;
  sessions: number;
  inputOctets: bigint;
  outputOctets: bigint;
  /** Real milliseconds until the next attach, when backing off. */
  nextAttachInMs: number | null;
}

export interface PgwStats {
  accessRequests: number;
  accepts: number;
  rejects: number;
  accessTimeouts: number;
  starts: number;
  interims: number;
  stops: number;
  accountingTimeouts: number;
  disconnectAcks: number;
  disconnectNaks: number;
  /** Disconnect-Requests dropped: undecodable, wrong code, or failing the authenticator check. */
  daeDropped: number;
  retransmits: number;
}

export interface Pgw {
  /** The DAE listener's port (the actual one when 0 was asked for). */
  daePort: number;
  stats(): PgwStats;
  devices(): DeviceView[];
  stop(): Promise<void>;
}

interface Session {
  id: string;
  chargingId: number;
  framedIp: string;
  grantedSeconds: number;
  sessionTimeout: number | null;
  simSeconds: number;
  input: bigint;
  output: bigint;
  inputPackets: number;
  outputPackets: number;
  lastAccountedAt: number;
}

interface Device {
  sim: SimulatedSim;
  profile: DeviceProfile;
  rng: Rng;
  state: DeviceState;
  operator: DeviceProfile['operator'];
  cell: Cell;
  session: Session | null;
  rejects: number;
  sessions: number;
  timer: NodeJS.Timeout | null;
  nextAttachAt: number | null;
  totalInput: bigint;
  totalOutput: bigint;
}

const DEFAULT_INTERIM_SECONDS = 600;
const UINT32 = 0xffffffff;

function closeQuietly(socket: Socket) {
  try {
    socket.close();
  } catch {
    // never bound, or closed already
  }
}

function bindSocket(socket: Socket, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve((socket.address() as AddressInfo).port);
    });
  });
}

/** Start the gateway: bind the DAE listener, announce the NAS, and begin attaching devices. */
export async function startPgw(options: PgwOptions): Promise<Pgw> {
  const seed = options.seed ?? Date.now();
  const nasIp = options.nasIp ?? '127.0.0.1';
  const nasIdentifier = options.nasIdentifier ?? 'opencmp-simulator-pgw';
  const apn = options.apn ?? 'iot.opencmp';
  const backoff = options.backoffMs ?? [3_000, 10_000];
  const rejectBackoff = options.rejectBackoffMs ?? [30_000, 300_000];
  const detachChance = options.detachChance ?? 0.02;
  const cellChangeChance = options.cellChangeChance ?? 0.08;
  const operatorChangeChance = options.operatorChangeChance ?? 0.01;
  const log = options.log ?? (() => {});
  const timing = mulberry32(seed ^ 0x5eed);
  const stats: PgwStats = {
    accessRequests: 0,
    accepts: 0,
    rejects: 0,
    accessTimeouts: 0,
    starts: 0,
    interims: 0,
    stops: 0,
    accountingTimeouts: 0,
    disconnectAcks: 0,
    disconnectNaks: 0,
    daeDropped: 0,
    retransmits: 0,
  };
  // Acct-Session-Id: boot time and a sequence, unique across restarts of the gateway
  const boot = Math.floor(Date.now() / 1000)
    .toString(16)
    .toUpperCase()
    .padStart(8, '0');
  let sequence = 0;
  let stopped = false;

  const client = await RadiusClient.open({
    host: options.aaa.host,
    secret: options.secret,
    sockets: Math.min(16, Math.max(1, Math.ceil(options.sims.length / 128))),
    timeoutMs: options.timeoutMs ?? 3000,
    retries: options.retries ?? 2,
  });

  const devices: Device[] = options.sims.map((sim) => {
    const profile = deviceProfile(seed, sim.imsi, sim.hints);
    const rng = mulberry32(seed ^ hash32(`${sim.imsi}/moves`));
    return {
      sim,
      profile,
      rng,
      state: 'idle',
      operator: profile.operator,
      cell: drawCell(rng),
      session: null,
      rejects: 0,
      sessions: 0,
      timer: null,
      nextAttachAt: null,
      totalInput: 0n,
      totalOutput: 0n,
    };
  });

  function schedule(device: Device, ms: number, action: () => Promise<void>) {
    if (stopped) return;
    if (device.timer) clearTimeout(device.timer);
    device.timer = setTimeout(
      () => {
        device.timer = null;
        action().catch((error: unknown) => log(`simulator: ${device.sim.iccid}: ${String(error)}`));
      },
      Math.max(0, ms),
    );
  }

  function jitter(ms: number): number {
    return ms * (0.75 + timing() * 0.5);
  }

  function backOff(device: Device, ms: number) {
    device.state = 'backoff';
    device.nextAttachAt = Date.now() + ms;
    schedule(device, ms, () => attach(device));
  }

  /** What every request of the device carries: who, where, on which radio. */
  function deviceFields(device: Device): RadiusFields {
    return {
      userName: device.sim.imsi,
      imsi: device.sim.imsi,
      callingStationId: device.sim.msisdn,
      calledStationId: apn,
      nasIp,
      nasIdentifier,
      imeisv: device.profile.imeisv,
      bearer: device.profile.bearer,
      sgsnMccMnc: device.operator.mccMnc,
      userLocation: userLocation(device.profile.bearer, device.operator.mccMnc, device.cell),
      msTimeZone: timeZoneOf(device.operator.country),
    };
  }

  async function attach(device: Device) {
    if (stopped) return;
    device.state = 'attaching';
    device.nextAttachAt = null;
    stats.accessRequests++;
    const fields: RadiusFields = { ...deviceFields(device), serviceType: 2, framedProtocol: 7 };
    const { response } = await client.send(options.aaa.authPort, (identifier) =>
      buildAccessRequest({ identifier, secret: options.secret, fields }),
    );
    if (stopped) return;
    if (!response) {
      stats.accessTimeouts++;
      log(`simulator: ${device.sim.iccid}: Access-Request timed out`);
      return backOff(device, jitter(backoff[1]));
    }
    if (response.code === RadiusCode.AccessReject) {
      stats.rejects++;
      device.rejects++;
      const delay = Math.min(rejectBackoff[1], rejectBackoff[0] * 2 ** (device.rejects - 1));
      log(`simulator: ${device.sim.iccid} rejected (${response.replyMessage ?? 'no reason given'})`);
      return backOff(device, jitter(delay));
    }
    if (response.code !== RadiusCode.AccessAccept) return backOff(device, jitter(backoff[1]));
    stats.accepts++;
    device.rejects = 0;
    await open(device, response);
  }

  async function open(device: Device, accept: RadiusRequest) {
    sequence++;
    const session: Session = {
      id: `${boot}${sequence.toString(16).toUpperCase().padStart(8, '0')}`,
      chargingId: Math.floor(device.rng() * UINT32),
      framedIp: accept.framedIp ?? device.sim.ip ?? '0.0.0.0',
      grantedSeconds:
        accept.interimInterval && accept.interimInterval > 0
          ? accept.interimInterval
          : DEFAULT_INTERIM_SECONDS,
      sessionTimeout: accept.sessionTimeout ?? null,
      simSeconds: 0,
      input: 0n,
      output: 0n,
      inputPackets: 0,
      outputPackets: 0,
      lastAccountedAt: Date.now(),
    };
    device.session = session;
    device.sessions++;
    device.state = 'online';
    stats.starts++;
    await account(device, session, AcctStatus.Start);
    if (device.session !== session) return;
    schedule(device, interimMs(session), () => interim(device, session));
  }

  function interimMs(session: Session): number {
    return options.interimMs ?? session.grantedSeconds * 1000;
  }

  /** Move traffic for `simSeconds` of session time at the device's rate, with some burstiness. */
  function moveTraffic(device: Device, session: Session, simSeconds: number) {
    const octets = (device.profile.octetsPerHour * simSeconds * (0.4 + device.rng() * 1.2)) / 3600;
    const up = BigInt(Math.round(octets * device.profile.upShare));
    const down = BigInt(Math.round(octets * (1 - device.profile.upShare)));
    session.input += up;
    session.output += down;
    device.totalInput += up;
    device.totalOutput += down;
    session.inputPackets = (session.inputPackets + Math.ceil(Number(up) / 300)) % UINT32;
    session.outputPackets = (session.outputPackets + Math.ceil(Number(down) / 500)) % UINT32;
    session.simSeconds += simSeconds;
    session.lastAccountedAt = Date.now();
  }

  async function interim(device: Device, session: Session) {
    if (stopped || device.session !== session) return;
    moveTraffic(device, session, session.grantedSeconds);
    if (device.rng() < operatorChangeChance) {
      device.operator = nextOperator(device.rng, device.operator);
      device.cell = drawCell(device.rng);
    } else if (device.rng() < cellChangeChance) {
      device.cell = neighbourCell(device.rng, device.cell);
    }
    if (session.sessionTimeout !== null && session.simSeconds >= session.sessionTimeout) {
      return end(device, session, TerminateCause.SessionTimeout);
    }
    if (device.rng() < detachChance) {
      const cause =
        device.profile.bearer === 'NB-IoT' ? TerminateCause.IdleTimeout : TerminateCause.UserRequest;
      return end(device, session, device.rng() < 0.2 ? TerminateCause.LostCarrier : cause);
    }
    stats.interims++;
    await account(device, session, AcctStatus.InterimUpdate);
    if (device.session !== session) return;
    schedule(device, interimMs(session), () => interim(device, session));
  }

  /** End the session with a Stop carrying the final counters, then re-attach after a backoff. */
  async function end(device: Device, session: Session, cause: number) {
    if (device.session !== session) return;
    device.session = null;
    if (device.timer) clearTimeout(device.timer);
    device.timer = null;
    const elapsed = Date.now() - session.lastAccountedAt;
    const simSeconds = Math.round((elapsed / interimMs(session)) * session.grantedSeconds);
    if (simSeconds > 0) moveTraffic(device, session, simSeconds);
    stats.stops++;
    backOff(device, jitter(backoff[0] + timing() * (backoff[1] - backoff[0])));
    await account(device, session, AcctStatus.Stop, cause);
  }

  async function account(device: Device, session: Session, status: number, cause?: number) {
    const fields: RadiusFields = {
      ...deviceFields(device),
      statusType: status,
      sessionId: session.id,
      framedIp: session.framedIp,
      chargingId: session.chargingId,
      eventTimestamp: new Date(),
      sessionTime: Math.floor(session.simSeconds),
    };
    if (status !== AcctStatus.Start) {
      fields.inputOctets = session.input;
      fields.outputOctets = session.output;
      fields.inputPackets = session.inputPackets;
      fields.outputPackets = session.outputPackets;
    }
    if (cause !== undefined) fields.terminateCause = cause;
    const { response } = await client.send(options.aaa.acctPort, (identifier) =>
      buildAccountingRequest({ identifier, secret: options.secret, fields }),
    );
    if (!response && !stopped) {
      stats.accountingTimeouts++;
      log(`simulator: ${device.sim.iccid}: Accounting-Request (status ${status}) timed out`);
    }
  }

  async function announce(status: number) {
    const { response } = await client.send(options.aaa.acctPort, (identifier) =>
      buildAccountingRequest({
        identifier,
        secret: options.secret,
        fields: {
          statusType: status,
          sessionId: `${boot}00000000`,
          nasIp,
          nasIdentifier,
          eventTimestamp: new Date(),
        },
      }),
    );
    if (!response)
      log(`simulator: Accounting-${status === AcctStatus.AccountingOn ? 'On' : 'Off'} timed out`);
  }

  // --- the DAE listener (RFC 5176): Disconnect-Request → ACK and Stop, or NAK ---
  const answered = new Map<string, { reply: Buffer; at: number }>();
  const daeSocket = (): Socket => {
    const socket = createSocket('udp4');
    socket.on('message', (datagram, from) => answerDae(socket, datagram, from));
    return socket;
  };
  function answerDae(dae: Socket, datagram: Buffer, from: { address: string; port: number }) {
    const decoded = decodeRequest(datagram);
    if (!decoded.ok || decoded.value.code !== RadiusCode.DisconnectRequest) {
      stats.daeDropped++;
      return;
    }
    const request = decoded.value;
    if (!verifyRequest(request.packet, options.secret).ok) {
      stats.daeDropped++;
      return;
    }
    // a retransmitted request (same client, identifier and authenticator) gets the same answer
    // again and ends nothing twice; the source port is left out, as servers may send from a pool
    const key = `${from.address}:${request.identifier}:${request.authenticator.toString('hex')}`;
    const now = Date.now();
    for (const [k, v] of answered) if (now - v.at > 30_000) answered.delete(k);
    const cached = answered.get(key);
    if (cached) {
      dae.send(cached.reply, from.port, from.address);
      return;
    }
    const { reply, ended } = disconnect(request);
    answered.set(key, { reply, at: now });
    dae.send(reply, from.port, from.address);
    if (ended) void end(ended.device, ended.session, TerminateCause.AdminReset);
  }

  function disconnect(request: RadiusRequest): {
    reply: Buffer;
    ended?: { device: Device; session: Session };
  } {
    const nak = (cause: number) => {
      stats.disconnectNaks++;
      return { reply: buildDisconnectNak(request, options.secret, cause) };
    };
    if (request.nasIp !== undefined && request.nasIp !== nasIp)
      return nak(ErrorCause.NasIdentificationMismatch);
    if (request.nasIdentifier !== undefined && request.nasIdentifier !== nasIdentifier) {
      return nak(ErrorCause.NasIdentificationMismatch);
    }
    const identifies =
      request.sessionId !== undefined ||
      request.userName !== undefined ||
      request.framedIp !== undefined ||
      request.callingStationId !== undefined;
    if (!identifies) return nak(ErrorCause.MissingAttribute);
    // every identifying attribute the request carries must match the session (RFC 5176 §3)
    const device = devices.find(
      (d) =>
        d.session !== null &&
        (request.sessionId === undefined || request.sessionId === d.session.id) &&
        (request.userName === undefined || request.userName === d.sim.imsi) &&
        (request.framedIp === undefined || request.framedIp === d.session.framedIp) &&
        (request.callingStationId === undefined || request.callingStationId === d.sim.msisdn),
    );
    if (!device?.session) return nak(ErrorCause.SessionContextNotFound);
    stats.disconnectAcks++;
    return { reply: buildDisconnectAck(request, options.secret), ended: { device, session: device.session } };
  }

  const daeHost = options.dae?.host ?? '127.0.0.1';
  const wanted = options.dae?.port ?? 3799;
  let daePort: number;
  let dae = daeSocket();
  try {
    try {
      daePort = await bindSocket(dae, wanted, daeHost);
    } catch (error) {
      // the NAS registration tells the AAA where the listener is, so any free port will do
      if (!options.dae?.anyPortIfTaken || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      log(`simulator: DAE port ${wanted} is taken, listening on a free one`);
      closeQuietly(dae);
      dae = daeSocket();
      daePort = await bindSocket(dae, 0, daeHost);
    }
    dae.on('error', (error) => log(`simulator: DAE socket: ${error.message}`));
    await options.onListening?.(daePort);
  } catch (error) {
    await client.close();
    closeQuietly(dae);
    throw error;
  }

  // Accounting-On first (the AAA closes what this NAS left open), then the devices attach; in the
  // background, so a process starting the simulator is not held up by the AAA
  const announcing = options.announce ?? true;
  const spread = options.attachSpreadMs ?? 5_000;
  const started = (async () => {
    if (announcing) await announce(AcctStatus.AccountingOn);
    for (const device of devices) {
      device.state = 'backoff';
      const delay = timing() * spread;
      device.nextAttachAt = Date.now() + delay;
      schedule(device, delay, () => attach(device));
    }
  })();
  log(`simulator: packet gateway with ${devices.length} devices, DAE on ${daeHost}:${daePort}`);

  return {
    daePort,
    stats: () => ({ ...stats, retransmits: client.stats.retransmits }),
    devices: () =>
      devices.map((d) => ({
        iccid: d.sim.iccid,
        imsi: d.sim.imsi,
        state: d.state,
        sessionId: d.session?.id ?? null,
        framedIp: d.session?.framedIp ?? null,
        bearer: d.profile.bearer,
        mccMnc: d.operator.mccMnc,
        imei: d.profile.imei,
        rejects: d.rejects,
        sessions: d.sessions,
        inputOctets: d.totalInput,
        outputOctets: d.totalOutput,
        nextAttachInMs: d.nextAttachAt === null ? null : Math.max(0, d.nextAttachAt - Date.now()),
      })),
    async stop() {
      if (stopped) return;
      await started;
      for (const device of devices) {
        if (device.timer) clearTimeout(device.timer);
        device.timer = null;
      }
      if (announcing) {
        stopped = true;
        await announce(AcctStatus.AccountingOff);
      }
      stopped = true;
      await client.close();
      await new Promise<void>((resolve) => dae.close(() => resolve()));
    },
  };
}

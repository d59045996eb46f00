/**
 * Disconnect-Requests (RFC 5176) from the `disconnect_requests` outbox: any process queues them, the
 * process running the `aaa` role claims and sends them to the NAS's DAE port, with retries and a
 * timeout. ACK: the NAS ends the session, its Stop record clears "reset pending". NAK or timeout: an
 * event on the SIM, and "reset pending" is cleared (503 Session-Context-Not-Found also closes the
 * session the NAS no longer knows).
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { sql } from 'drizzle-orm';
import { eventTypes } from '../../../contracts/events.js';
import type { AppContext } from '../../context.js';
import { event, recordEvents } from '../../modules/events/events.service.js';
import { onDisconnectQueued } from '../../modules/network/disconnect-signal.js';
import {
  claimDisconnects,
  type DisconnectRow,
  findSession,
  finishDisconnect,
  settleReset,
} from '../../modules/network/network.repository.js';
import { ErrorCause } from './attributes.js';
import { verifyResponse } from './authenticator.js';
import { buildDisconnectRequest } from './builders.js';
import type { RadiusCounters } from './counters.js';
import type { NasRegistry } from './nas.js';
import { decodePacket, RadiusCode } from './packet.js';
import { decodeRequest } from './request.js';

export type DisconnectOutcome =
  | { result: 'acked' }
  | { result: 'nak'; errorCause: number | null }
  | { result: 'timeout' };

const errorCauseNames: Record<number, string> = {
  [ErrorCause.ResidualSessionContextRemoved]: 'Residual-Session-Context-Removed',
  [ErrorCause.UnsupportedAttribute]: 'Unsupported-Attribute',
  [ErrorCause.MissingAttribute]: 'Missing-Attribute',
  [ErrorCause.NasIdentificationMismatch]: 'NAS-Identification-Mismatch',
  [ErrorCause.InvalidRequest]: 'Invalid-Request',
  [ErrorCause.UnsupportedService]: 'Unsupported-Service',
  [ErrorCause.AdministrativelyProhibited]: 'Administratively-Prohibited',
  [ErrorCause.SessionContextNotFound]: 'Session-Context-Not-Found',
  [ErrorCause.ResourcesUnavailable]: 'Resources-Unavailable',
};

/** A UDP client for Disconnect-Requests: one socket, identifiers 0..255 in flight at most. */
export class DisconnectClient {
  private readonly socket: Socket;
  private readonly waiting = new Map<
    number,
    { authenticator: Buffer; secret: string; done: (o: DisconnectOutcome) => void }
  >();
  private next = randomBytes(1)[0] ?? 0;
  private ready: Promise<void>;

  constructor(host = '127.0.0.1') {
    this.socket = createSocket('udp4');
    this.socket.on('message', (msg) => {
      const packet = decodePacket(msg);
      if (!packet.ok) return;
      const w = this.waiting.get(packet.value.identifier);
      if (!w) return;
      if (!verifyResponse(packet.value, w.authenticator, w.secret).ok) return;
      if (packet.value.code === RadiusCode.DisconnectAck) return w.done({ result: 'acked' });
      if (packet.value.code === RadiusCode.DisconnectNak) {
        const fields = decodeRequest(packet.value);
        return w.done({ result: 'nak', errorCause: fields.ok ? (fields.value.errorCause ?? null) : null });
      }
    });
    this.socket.on('error', () => {});
    this.ready = new Promise((r) => this.socket.bind(0, host, () => r()));
  }

  private identifier(): number | null {
    for (let i = 0; i < 256; i++) {
      const id = (this.next + i) & 0xff;
      if (!this.waiting.has(id)) {
        this.next = (id + 1) & 0xff;
        return id;
      }
    }
    return null;
  }

  /** Send one Disconnect-Request, retrying `retries` times, each try waiting `timeoutMs`. */
  async send(
    target: { address: string; port: number; secret: string },
    fields: Parameters<typeof buildDisconnectRequest>[0]['fields'],
    opts: { timeoutMs: number; retries: number },
  ): Promise<DisconnectOutcome> {
    await this.ready;
    let identifier = this.identifier();
    while (identifier === null) {
      await new Promise((r) => setTimeout(r, 10));
      identifier = this.identifier();
    }
    const id = identifier;
    const packet = buildDisconnectRequest({ identifier: id, secret: target.secret, fields });
    const authenticator = packet.subarray(4, 20);
    return new Promise<DisconnectOutcome>((resolve) => {
      let tries = 0;
      let timer: NodeJS.Timeout | null = null;
      const done = (o: DisconnectOutcome) => {
        if (timer) clearTimeout(timer);
        this.waiting.delete(id);
        resolve(o);
      };
      const attempt = () => {
        if (tries > opts.retries) return done({ result: 'timeout' });
        tries++;
        this.socket.send(packet, target.port, target.address, () => {});
        timer = setTimeout(attempt, opts.timeoutMs);
      };
      this.waiting.set(id, { authenticator: Buffer.from(authenticator), secret: target.secret, done });
      attempt();
    });
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

const reasonText: Record<DisconnectRow['reason'], string> = {
  reset: 'connection reset',
  deactivated: 'SIM deactivated',
  imei_lock: 'IMEI lock enabled',
  exhausted: 'data volume used up',
  limit: 'monthly data limit reached',
  expired: 'SIM lifetime ended',
};

/** Drain the outbox: claim pending requests, send them concurrently, record the outcomes. */
export interface DisconnectDrainer {
  stop(): Promise<void>;
  wake(): void;
}

export function startDisconnectDrainer(
  ctx: AppContext,
  nas: NasRegistry,
  counters: RadiusCounters,
  opts: { pollMs?: number } = {},
): DisconnectDrainer {
  const client = new DisconnectClient(ctx.config.RADIUS_HOST);
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let draining = false;

  const handle = async (row: DisconnectRow) => {
    const now = () => ctx.clock.now();
    const target = nas.findByAddress(row.nasAddress);
    const owner = { orgId: row.orgId, iccid: row.iccid };
    const session = await findSession(ctx.db, row.nasAddress, row.sessionId);
    if (!session || session.stopped_at) {
      // the session ended before we got to it: nothing to disconnect
      await finishDisconnect(ctx.db, row.id, 'acked', null, now());
      return;
    }
    if (!target) {
      counters.inc('disconnects.failed');
      await ctx.db.transaction(async (tx) => {
        await finishDisconnect(tx, row.id, 'failed', null, now());
        await settleReset(tx, row.nasAddress, row.sessionId, null, now());
        await recordEvents(tx, [
          event({ source: 'policy' }, owner, now(), {
            type: eventTypes.disconnectFailed,
            severity: 'warning',
            description: `Disconnect (${reasonText[row.reason]}) not sent: NAS ${row.nasAddress} is not a known client`,
            details: { sessionId: row.sessionId, nas: row.nasAddress, reason: row.reason },
          }),
        ]);
      });
      return;
    }
    const outcome = await client.send(
      { address: row.nasAddress, port: target.daePort, secret: target.secret },
      {
        sessionId: row.sessionId,
        ...(session.user_name ? { userName: session.user_name } : {}),
        ...(session.framed_ip ? { framedIp: session.framed_ip } : {}),
        ...(session.calling_station_id ? { callingStationId: session.calling_station_id } : {}),
      },
      { timeoutMs: ctx.config.RADIUS_DISCONNECT_TIMEOUT_MS, retries: ctx.config.RADIUS_DISCONNECT_RETRIES },
    );
    counters.inc(`disconnects.${outcome.result}`);
    if (outcome.result === 'acked') {
      await finishDisconnect(ctx.db, row.id, 'acked', null, now());
      return;
    }
    const cause = outcome.result === 'nak' ? outcome.errorCause : null;
    const gone = cause === ErrorCause.SessionContextNotFound;
    await ctx.db.transaction(async (tx) => {
      await finishDisconnect(tx, row.id, outcome.result, cause, now());
      await settleReset(tx, row.nasAddress, row.sessionId, gone ? 'Session-Context-Not-Found' : null, now());
      if (gone) {
        await tx.execute(
          sql`
          UPDATE sims SET session_state = 'offline', updated_at = now()
          WHERE iccid = ${row.iccid} AND session_state = 'online'
            AND NOT EXISTS (SELECT 1 FROM radius_sessions r WHERE r.iccid = ${row.iccid} AND r.stopped_at IS NULL)`,
        );
      }
      await recordEvents(tx, [
        event({ source: 'network' }, owner, now(), {
          type: eventTypes.disconnectFailed,
          severity: 'warning',
          description:
            outcome.result === 'nak'
              ? `Disconnect (${reasonText[row.reason]}) refused by the network: ${cause ? (errorCauseNames[cause] ?? `Error-Cause ${cause}`) : 'no cause given'}`
              : `Disconnect (${reasonText[row.reason]}) not answered by the network`,
          details: {
            sessionId: row.sessionId,
            nas: row.nasAddress,
            reason: row.reason,
            result: outcome.result,
            errorCause: cause,
            errorCauseName: cause ? (errorCauseNames[cause] ?? null) : null,
          },
        }),
      ]);
    });
  };

  const drain = async () => {
    if (draining || stopped) return;
    draining = true;
    try {
      for (;;) {
        if (stopped || inFlight.size >= 200) break;
        const rows = await claimDisconnects(ctx.db, 200 - inFlight.size, ctx.clock.now());
        if (rows.length === 0) break;
        for (const row of rows) {
          const p: Promise<void> = handle(row)
            .catch(() => {
              counters.inc('disconnects.error');
            })
            .finally(() => {
              inFlight.delete(p);
            });
          inFlight.add(p);
        }
      }
    } catch {
      counters.inc('disconnects.error');
    } finally {
      draining = false;
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      await drain();
      schedule();
    }, opts.pollMs ?? 500);
    timer.unref();
  };
  schedule();
  const wake = () => void drain();
  const unsubscribe = onDisconnectQueued(wake);
  return {
    wake,
    stop: async () => {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
      await client.close();
    },
  };
}

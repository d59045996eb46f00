/**
 * A RADIUS client over a pool of UDP sockets: one identifier space (0..255) per socket, responses
 * matched by socket and identifier and verified against the request authenticator, retransmission of
 * the very same octets on timeout (RFC 5080 §2.2.1). Used by the packet gateway; the radius benchmark
 * has a leaner one of its own (bench/radius-load.ts).
 *
 * Timeouts are found by one sweep over the requests in flight every `timeoutMs / 4` (10–100 ms), not
 * by a timer per request: at 10,000 requests a second, arming and clearing a timer for each cost the
 * benchmark's generator more CPU than building and signing the packets, on the cores it shares with
 * the server it measures. A request is retransmitted between `timeoutMs` and one sweep later.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Secret } from '../radius/authenticator.js';
import { verifyResponse } from '../radius/authenticator.js';
import { decodeRequest, type RadiusRequest } from '../radius/request.js';

export interface RadiusClientOptions {
  host: string;
  secret: Secret;
  /** Sockets in the pool; each allows 256 requests in flight. */
  sockets?: number;
  /** Wait this long for a response before sending the same packet again. */
  timeoutMs?: number;
  /** Retransmissions after the first send; then the request counts as timed out. */
  retries?: number;
}

/** What became of one request. */
export interface RadiusExchange {
  /** The verified response, or null when every transmission timed out. */
  response: RadiusRequest | null;
  /** Milliseconds from the first transmission to the response (or to giving up). */
  ms: number;
  transmissions: number;
}

export interface RadiusClientStats {
  sent: number;
  retransmits: number;
  timeouts: number;
  /** Responses that did not verify, arrived for no outstanding request, or did not decode. */
  dropped: number;
}

interface Pending {
  packet: Buffer;
  port: number;
  started: number;
  /** When the latest transmission went out (performance.now()). */
  sentAt: number;
  transmissions: number;
  resolve: (exchange: RadiusExchange) => void;
}

interface Slot {
  socket: Socket;
  pending: (Pending | undefined)[];
  inFlight: number;
  next: number;
}

export class RadiusClient {
  readonly stats: RadiusClientStats = { sent: 0, retransmits: 0, timeouts: 0, dropped: 0 };
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private cursor = 0;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly sweeper: NodeJS.Timeout;

  private constructor(private readonly options: RadiusClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.retries = options.retries ?? 2;
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(100, this.timeoutMs / 4)));
    this.sweeper.unref();
  }

  /** Bind the pool's sockets on 127.0.0.1 (ephemeral ports). */
  static async open(options: RadiusClientOptions): Promise<RadiusClient> {
    const client = new RadiusClient(options);
    const count = Math.max(1, options.sockets ?? 1);
    for (let i = 0; i < count; i++) {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, '127.0.0.1', () => {
          socket.off('error', reject);
          resolve();
        });
      });
      const slot: Slot = { socket, pending: new Array(256), inFlight: 0, next: 0 };
      socket.on('message', (datagram) => client.receive(slot, datagram));
      socket.on('error', () => {
        client.stats.dropped++;
      });
      client.slots.push(slot);
    }
    return client;
  }

  /** Local ports of the pool, e.g. for a test to tell the packets apart. */
  ports(): number[] {
    return this.slots.map((s) => (s.socket.address() as AddressInfo).port);
  }

  /** Requests waiting for a response. */
  inFlight(): number {
    return this.slots.reduce((n, s) => n + s.inFlight, 0);
  }

  /**
   * Send the packet `build` makes for the identifier it is given, to `port` on the host; resolves
   * with the verified response, or with null after the last retransmission timed out.
   */
  async send(port: number, build: (identifier: number) => Buffer): Promise<RadiusExchange> {
    let claimed = this.claim();
    while (!claimed) {
      if (this.closed) return { response: null, ms: 0, transmissions: 0 };
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      claimed = this.claim();
    }
    const { slot, identifier } = claimed;
    const packet = build(identifier);
    return new Promise<RadiusExchange>((resolve) => {
      const started = performance.now();
      const pending: Pending = { packet, port, started, sentAt: started, transmissions: 0, resolve };
      slot.pending[identifier] = pending;
      this.transmit(slot, pending);
    });
  }

  /** Close the sockets; requests in flight resolve as timed out. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const slot of this.slots) {
      for (let id = 0; id < 256; id++) {
        const pending = slot.pending[id];
        if (pending) this.finish(slot, id, pending, null);
      }
      await new Promise<void>((resolve) => slot.socket.close(() => resolve()));
    }
    for (const wake of this.waiting.splice(0)) wake();
  }

  private claim(): { slot: Slot; identifier: number } | null {
    if (this.closed) return null;
    for (let tried = 0; tried < this.slots.length; tried++) {
      const slot = this.slots[this.cursor] as Slot;
      this.cursor = (this.cursor + 1) % this.slots.length;
      if (slot.inFlight >= 256) continue;
      while (slot.pending[slot.next]) slot.next = (slot.next + 1) & 0xff;
      const identifier = slot.next;
      slot.next = (slot.next + 1) & 0xff;
      slot.inFlight++;
      return { slot, identifier };
    }
    return null;
  }

  private transmit(slot: Slot, pending: Pending) {
    if (this.closed) return;
    pending.transmissions++;
    pending.sentAt = performance.now();
    this.stats.sent++;
    if (pending.transmissions > 1) this.stats.retransmits++;
    slot.socket.send(pending.packet, pending.port, this.options.host);
  }

  /** Retransmit what waited `timeoutMs` for its response; give up after the last retry. */
  private sweep() {
    const due = performance.now() - this.timeoutMs;
    for (const slot of this.slots) {
      if (slot.inFlight === 0) continue;
      for (let id = 0; id < 256; id++) {
        const pending = slot.pending[id];
        if (!pending || pending.sentAt > due) continue;
        if (pending.transmissions > this.retries) {
          this.stats.timeouts++;
          this.finish(slot, id, pending, null);
        } else this.transmit(slot, pending);
      }
    }
  }

  private receive(slot: Slot, datagram: Buffer) {
    const decoded = decodeRequest(datagram);
    if (!decoded.ok) {
      this.stats.dropped++;
      return;
    }
    const identifier = decoded.value.identifier;
    const pending = slot.pending[identifier];
    const requestAuthenticator = pending?.packet.subarray(4, 20);
    if (
      !pending ||
      !requestAuthenticator ||
      !verifyResponse(decoded.value.packet, requestAuthenticator, this.options.secret).ok
    ) {
      this.stats.dropped++;
      return;
    }
    this.finish(slot, identifier, pending, decoded.value);
  }

  private finish(slot: Slot, identifier: number, pending: Pending, response: RadiusRequest | null) {
    slot.pending[identifier] = undefined;
    slot.inFlight--;
    pending.resolve({
      response,
      ms: performance.now() - pending.started,
      transmissions: pending.transmissions,
    });
    this.waiting.shift()?.();
  }
}

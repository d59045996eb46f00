/**
 * The radius bench's load generator: RADIUS requests over a pool of UDP sockets, each connected to
 * the AAA port it loads, at a fixed rate (open loop) or with a fixed number in flight (closed loop).
 * Every response is matched by socket and identifier and its authenticators verified against the
 * request, as the NAS would; an unanswered request is sent again, the same octets, after `timeoutMs`.
 *
 * It shares the machine's two cores with the server and PostgreSQL it measures, so it does per
 * request only what a NAS must: no promise, closure or timer per request (RadiusClient, which the
 * simulator's gateway uses, has all three), no name lookup per send (a connected socket), and the
 * times kept in preallocated arrays. With RadiusClient the generator took 23–26 µs of CPU per
 * Interim and, worse, its own scavenges (up to 34 ms) delayed reading answers the AAA had sent in
 * time, which the figures then counted as the AAA's latency.
 */
import { createSocket, type Socket } from 'node:dgram';
import {
  hasMessageAuthenticator,
  type Secret,
  verifyMessageAuthenticator,
  verifyResponseAuthenticator,
} from '../server/network/radius/authenticator.js';
import { RadiusCode } from '../server/network/radius/packet.js';

export interface LoadOptions {
  port: number;
  secret: Secret;
  /** Sockets in the pool; each allows 256 requests in flight (one identifier space). */
  sockets: number;
  /** Wait this long for a response before sending the same packet again. */
  timeoutMs: number;
  /** Retransmissions after the first send; then the request counts as timed out. */
  retries: number;
}

export interface LoadRun {
  /** Requests `count` asked for, all sent. */
  sent: number;
  answered: number;
  timeouts: number;
  /** Access-Rejects among the answers. */
  rejects: number;
  /** Milliseconds from a request's first transmission to its verified answer, in answer order. */
  latencies: Float64Array;
  /** Seconds from the start of the run to each answer, in the same order. */
  answeredAt: Float64Array;
  /** Seconds from the start of the run to the last answer. */
  lastAnswer: number;
}

interface Slot {
  socket: Socket;
  /** The request in flight on each identifier (undefined: the identifier is free). */
  packet: (Buffer | undefined)[];
  firstSent: Float64Array;
  lastSent: Float64Array;
  transmissions: Uint8Array;
  inFlight: number;
  next: number;
}

/** What a run counts while it goes; `make` builds request `i` for the identifier it is given. */
interface Current {
  count: number;
  make: (i: number, identifier: number) => Buffer;
  sent: number;
  finished: number;
  rejects: number;
  timeouts: number;
  latencies: Float64Array;
  answeredAt: Float64Array;
  answered: number;
  started: number;
  /** Closed loop: send the next request as each one finishes. */
  refill: boolean;
  done: () => void;
}

export class RadiusLoad {
  /** Transmissions after the first, over all runs. */
  retransmits = 0;
  private readonly slots: Slot[] = [];
  private cursor = 0;
  private current: Current | null = null;
  private readonly sweeper: NodeJS.Timeout;

  private constructor(private readonly options: LoadOptions) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(100, options.timeoutMs / 4)));
    this.sweeper.unref();
  }

  /** Bind the pool's sockets on 127.0.0.1 and connect each to the AAA's port there. */
  static async open(options: LoadOptions): Promise<RadiusLoad> {
    const load = new RadiusLoad(options);
    for (let n = 0; n < options.sockets; n++) {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, '127.0.0.1', () => socket.connect(options.port, '127.0.0.1', () => resolve()));
      });
      socket.removeAllListeners('error');
      const slot: Slot = {
        socket,
        packet: new Array(256),
        firstSent: new Float64Array(256),
        lastSent: new Float64Array(256),
        transmissions: new Uint8Array(256),
        inFlight: 0,
        next: 0,
      };
      socket.on('message', (datagram) => load.receive(slot, datagram));
      // a send refused while the AAA restarts is retransmitted by the sweep like a lost one
      socket.on('error', () => {});
      load.slots.push(slot);
    }
    return load;
  }

  /** Send `count` requests at `rate` per second, without waiting for answers; resolves once all are answered or timed out. */
  fixedRate(count: number, rate: number, make: (i: number, identifier: number) => Buffer): Promise<LoadRun> {
    return this.run(count, make, false, (c) => {
      // sleep until the next packet is due rather than spin: a spinning loop would take a core
      const tick = () => {
        const due = Math.min(c.count, Math.floor(((performance.now() - c.started) / 1000) * rate));
        while (c.sent < due && this.sendNext(c)) {}
        if (c.sent < c.count) setTimeout(tick, 1);
      };
      tick();
    });
  }

  /** Send `count` requests keeping `window` in flight: as fast as the AAA answers, never ahead of it. */
  closedLoop(
    count: number,
    window: number,
    make: (i: number, identifier: number) => Buffer,
  ): Promise<LoadRun> {
    return this.run(count, make, true, (c) => {
      while (c.sent < Math.min(c.count, window) && this.sendNext(c)) {}
    });
  }

  async close() {
    clearInterval(this.sweeper);
    for (const slot of this.slots) await new Promise<void>((resolve) => slot.socket.close(() => resolve()));
  }

  private run(
    count: number,
    make: (i: number, identifier: number) => Buffer,
    refill: boolean,
    start: (c: Current) => void,
  ): Promise<LoadRun> {
    if (this.current) throw new Error('one run at a time');
    return new Promise<LoadRun>((resolve) => {
      const c: Current = {
        count,
        make,
        sent: 0,
        finished: 0,
        rejects: 0,
        timeouts: 0,
        latencies: new Float64Array(count),
        answeredAt: new Float64Array(count),
        answered: 0,
        started: performance.now(),
        refill,
        done: () => {
          this.current = null;
          const last = c.answered > 0 ? (c.answeredAt[c.answered - 1] ?? 0) : 0;
          resolve({
            sent: c.sent,
            answered: c.answered,
            timeouts: c.timeouts,
            rejects: c.rejects,
            latencies: c.latencies.subarray(0, c.answered),
            answeredAt: c.answeredAt.subarray(0, c.answered),
            lastAnswer: last,
          });
        },
      };
      this.current = c;
      if (count === 0) return c.done();
      start(c);
    });
  }

  /** Send the run's next request on a free identifier; false when all 256 of every socket are in flight. */
  private sendNext(c: Current): boolean {
    for (let tried = 0; tried < this.slots.length; tried++) {
      const slot = this.slots[this.cursor] as Slot;
      this.cursor = (this.cursor + 1) % this.slots.length;
      if (slot.inFlight >= 256) continue;
      while (slot.packet[slot.next]) slot.next = (slot.next + 1) & 0xff;
      const id = slot.next;
      slot.next = (id + 1) & 0xff;
      const packet = c.make(c.sent++, id);
      slot.packet[id] = packet;
      slot.transmissions[id] = 1;
      slot.inFlight++;
      const now = performance.now();
      slot.firstSent[id] = now;
      slot.lastSent[id] = now;
      slot.socket.send(packet);
      return true;
    }
    return false;
  }

  private receive(slot: Slot, datagram: Buffer) {
    const c = this.current;
    const id = datagram.length >= 20 ? (datagram[1] as number) : -1;
    const packet = id >= 0 ? slot.packet[id] : undefined;
    if (
      !c ||
      !packet ||
      datagram.readUInt16BE(2) !== datagram.length ||
      !verifyResponseAuthenticator(datagram, packet.subarray(4, 20), this.options.secret) ||
      (hasMessageAuthenticator(datagram) &&
        !verifyMessageAuthenticator(datagram, this.options.secret, packet.subarray(4, 20)))
    )
      // unmatched or unverified: the request it should answer times out and is counted so
      return;
    const now = performance.now();
    c.latencies[c.answered] = now - (slot.firstSent[id] as number);
    c.answeredAt[c.answered] = (now - c.started) / 1000;
    c.answered++;
    if (datagram[0] === RadiusCode.AccessReject) c.rejects++;
    this.free(c, slot, id);
  }

  private free(c: Current, slot: Slot, id: number) {
    slot.packet[id] = undefined;
    slot.inFlight--;
    c.finished++;
    if (c.refill && c.sent < c.count) this.sendNext(c);
    if (c.finished === c.count) c.done();
  }

  /** Retransmit what waited `timeoutMs` for its answer; give up after the last retry. */
  private sweep() {
    const c = this.current;
    if (!c) return;
    const due = performance.now() - this.options.timeoutMs;
    for (const slot of this.slots) {
      if (slot.inFlight === 0) continue;
      for (let id = 0; id < 256; id++) {
        const packet = slot.packet[id];
        if (!packet || (slot.lastSent[id] as number) > due) continue;
        if ((slot.transmissions[id] as number) > this.options.retries) {
          c.timeouts++;
          this.free(c, slot, id);
          continue;
        }
        slot.transmissions[id] = (slot.transmissions[id] as number) + 1;
        slot.lastSent[id] = performance.now();
        this.retransmits++;
        slot.socket.send(packet);
      }
    }
  }
}

/** Test helpers: a NAS that sends RADIUS requests over UDP and waits for the answers. */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { verifyResponse } from './authenticator.js';
import { decodePacket } from './packet.js';
import { decodeRequest, type RadiusRequest } from './request.js';

/** A fake NAS on one UDP socket: sends a datagram, resolves with the decoded answer or null after a timeout. */
export class TestNas {
  private waiting = new Map<number, (r: RadiusRequest) => void>();
  private id = 0;
  readonly socket: Socket;

  private constructor(
    socket: Socket,
    readonly secret: string,
  ) {
    this.socket = socket;
    socket.on('message', (msg) => {
      const p = decodePacket(msg);
      if (!p.ok) return;
      const w = this.waiting.get(p.value.identifier);
      const d = decodeRequest(p.value);
      if (w && d.ok) w(d.value);
    });
  }

  static async open(secret: string, address = '127.0.0.1'): Promise<TestNas> {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, address, () => r()));
    return new TestNas(socket, secret);
  }

  get port() {
    return (this.socket.address() as AddressInfo).port;
  }

  nextId(): number {
    this.id = (this.id + 1) & 0xff;
    return this.id;
  }

  /** Send and wait for the answer with the packet's identifier (verified against its authenticator). */
  send(port: number, packet: Buffer, timeoutMs = 3000): Promise<RadiusRequest | null> {
    const identifier = packet.readUInt8(1);
    const authenticator = Buffer.from(packet.subarray(4, 20));
    return new Promise((resolve) => {
      // a later send may reuse the identifier: a timer or answer clears only its own waiter
      const waiter = (r: RadiusRequest) => {
        if (!verifyResponse(r.packet, authenticator, this.secret).ok) return;
        clearTimeout(timer);
        if (this.waiting.get(identifier) === waiter) this.waiting.delete(identifier);
        resolve(r);
      };
      const timer = setTimeout(() => {
        if (this.waiting.get(identifier) === waiter) this.waiting.delete(identifier);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(identifier, waiter);
      this.socket.send(packet, port, '127.0.0.1');
    });
  }

  /** Fire and forget. */
  fire(port: number, packet: Buffer) {
    this.socket.send(packet, port, '127.0.0.1');
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

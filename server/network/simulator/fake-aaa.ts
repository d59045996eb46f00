/** A minimal AAA made from the codec, for tests of the packet gateway that need no database. */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Secret } from '../radius/authenticator.js';
import { verifyRequest } from '../radius/authenticator.js';
import { buildAccept, buildAccountingResponse, buildReject } from '../radius/builders.js';
import { RadiusCode } from '../radius/packet.js';
import { decodeRequest, type RadiusRequest } from '../radius/request.js';

export interface FakeAaa {
  port: number;
  received: { packet: Buffer; request: RadiusRequest }[];
  close(): Promise<void>;
}

export async function fakeAaa(
  secret: Secret,
  options: {
    reject?: Set<string>;
    interimInterval?: number;
    /** Drop the first transmission of every request of these codes. */
    dropFirst?: Set<number>;
  } = {},
): Promise<FakeAaa> {
  const socket: Socket = createSocket('udp4');
  const received: FakeAaa['received'] = [];
  const seen = new Set<string>();
  socket.on('message', (packet, from) => {
    const decoded = decodeRequest(packet);
    if (!decoded.ok || !verifyRequest(decoded.value.packet, secret).ok) return;
    const request = decoded.value;
    received.push({ packet, request });
    const key = packet.toString('hex');
    if (options.dropFirst?.has(request.code) && !seen.has(key)) {
      seen.add(key);
      return;
    }
    let reply: Buffer;
    if (request.code === RadiusCode.AccessRequest) {
      reply = options.reject?.has(request.imsi ?? '')
        ? buildReject(request, secret, 'SIM is deactivated')
        : buildAccept(request, secret, {
            framedIp: '10.64.0.1',
            interimInterval: options.interimInterval ?? 300,
          });
    } else reply = buildAccountingResponse(request, secret);
    socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    received,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

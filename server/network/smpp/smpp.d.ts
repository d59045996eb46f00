/** The part of the untyped `smpp` package (0.5.1) OpenCMP uses. */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  /** A decoded PDU: header fields, mandatory parameters and TLVs by name. */
  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [param: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
  }
  export const PDU: {
    new (command: string | Buffer, options?: Record<string, unknown>): PDU;
    fromBuffer(buffer: Buffer): PDU | false;
    maxLength: number;
  };

  export class Session extends EventEmitter {
    socket: Socket;
    paused: boolean;
    constructor(options: { socket?: Socket; host?: string; port?: number });
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    pause(): void;
    resume(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    [command: string]: unknown;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export function createServer(
    options: Record<string, unknown>,
    listener?: (session: Session) => void,
  ): Server;
  export function connect(options: { host: string; port: number }, listener?: () => void): Session;

  export const errors: Record<string, number>;
  export const consts: Record<string, unknown>;

  /** Node's ESM loader sees this CommonJS package's exports only as the default export. */
  const smpp: {
    PDU: typeof PDU;
    Session: typeof Session;
    createServer: typeof createServer;
    connect: typeof connect;
    errors: typeof errors;
  };
  export default smpp;
}

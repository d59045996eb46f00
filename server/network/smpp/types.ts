/**
 * The ESME's own shapes: options, submits and their errors. Its state, counters and status report,
 * and the deliver_sm it hands on, are the sms module's (server/modules/sms/esme-link.ts).
 */
import type { DeliverSm } from '../../modules/sms/esme-link.js';
import type { SubmitPart } from './codec.js';

export interface EsmeOptions {
  /** smpp://system_id:password@host:port; null leaves the ESME disconnected. */
  url: string | null;
  /** Handles a deliver_sm; resolves to the command_status to answer (0 = stored). */
  onDeliver: (d: DeliverSm) => Promise<number>;
  window?: number;
  enquireLinkMs?: number;
  responseTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  throttleMinMs?: number;
  throttleMaxMs?: number;
  systemType?: string;
}

/** A submit the SMSC answered with an error status: permanent unless `retriable`. */
export class SubmitError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
    readonly commandStatus?: number,
  ) {
    super(message);
    this.name = 'SubmitError';
  }
}

export interface SubmitRequest {
  destination: string;
  source: string;
  part: SubmitPart;
}

export interface PendingSubmit {
  req: SubmitRequest;
  resolve: (messageId: string) => void;
  reject: (err: Error) => void;
}

/** Per-second buckets over a sliding window. */
export class Rate {
  private buckets = new Map<number, number>();
  constructor(private seconds = 10) {}
  add(n = 1) {
    const s = Math.floor(Date.now() / 1000);
    this.buckets.set(s, (this.buckets.get(s) ?? 0) + n);
    if (this.buckets.size > this.seconds * 2)
      for (const k of this.buckets.keys()) if (k < s - this.seconds) this.buckets.delete(k);
  }
  perSecond(): number {
    const s = Math.floor(Date.now() / 1000);
    let n = 0;
    for (const [k, v] of this.buckets) if (k >= s - this.seconds && k < s) n += v;
    return Math.round((n / this.seconds) * 10) / 10;
  }
}

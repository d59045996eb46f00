/**
 * The ESME's submit window: submits wait in a queue and go out while fewer than `window` are
 * unanswered; ESME_RTHROTTLED or ESME_RMSGQFUL puts the PDU back and pauses sending (doubling from
 * throttleMinMs to throttleMaxMs); an answer that does not come in time drops the bind. Callers pace
 * what they hand over with `capacity`/`whenRoom`.
 */
import type { PDU, Session } from 'smpp';
import { isAlphanumericSender } from '../../../contracts/sms-encoding.js';
import type { EsmeCounters } from '../../modules/sms/esme-link.js';
import { sendBatched, smpp, status, statusName } from './pdu.js';
import { type PendingSubmit, Rate, SubmitError, type SubmitRequest } from './types.js';

export interface SubmitWindowOptions {
  window: number;
  responseTimeoutMs: number;
  throttleMinMs: number;
  throttleMaxMs: number;
}

export interface SubmitWindowHooks {
  counters: Pick<EsmeCounters, 'submitted' | 'rejected' | 'throttled'>;
  /** Runs a response handler so that nothing it throws reaches the socket (the ESME drops the bind). */
  safely(fn: () => void): void;
  /** A submit_sm on this session was not answered in time. */
  timedOut(session: Session): void;
}

export class SubmitWindow {
  readonly submitRate = new Rate();
  private session: Session | null = null;
  private queue: PendingSubmit[] = [];
  private outstanding = new Map<number, { p: PendingSubmit; timer: NodeJS.Timeout }>();
  private throttleTimer: NodeJS.Timeout | null = null;
  private throttleMs = 0;
  private roomWaiters: { n: number; resolve: () => void }[] = [];

  constructor(
    private readonly o: SubmitWindowOptions,
    private readonly hooks: SubmitWindowHooks,
  ) {}

  get outstandingCount(): number {
    return this.outstanding.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** The bind is up on this session: send what is queued. */
  attach(session: Session): void {
    this.session = session;
    this.pump();
  }

  /** The bind is gone: outstanding and queued submits fail as retriable, back-off ends, waiters wake. */
  detach(reason: string): void {
    this.session = null;
    if (this.throttleTimer) clearTimeout(this.throttleTimer);
    this.throttleTimer = null;
    this.throttleMs = 0;
    const failed = [...[...this.outstanding.values()].map((o) => o.p), ...this.queue.splice(0)];
    for (const o of this.outstanding.values()) clearTimeout(o.timer);
    this.outstanding.clear();
    for (const p of failed) p.reject(new SubmitError(`connection to the SMSC lost: ${reason}`, true));
    for (const w of this.roomWaiters.splice(0)) w.resolve();
  }

  /** Queue one part; resolves with the SMSC's message id (see Esme.submit). */
  enqueue(req: SubmitRequest): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.pump();
    });
  }

  /** Fail the submits not sent yet as retriable (stopping): only the outstanding ones still get answers. */
  abandonQueued(reason: string): void {
    for (const p of this.queue.splice(0)) p.reject(new SubmitError(reason, true));
    this.wakeRoomWaiters();
  }

  /**
   * How many submits may be outstanding or queued at once: 1,000 (or 20 windows) so that the outbox
   * claim's database round trip, which starts when half of it is free, never leaves the window idle
   * on a busy machine. Queued submits are abandoned (back to the outbox) when the ESME stops.
   */
  maxPending(): number {
    return Math.max(1000, this.o.window * 20);
  }

  /** Free room in the window plus queue, so callers can pace what they hand over. */
  capacity(): number {
    return Math.max(0, this.maxPending() - this.outstanding.size - this.queue.length);
  }

  /**
   * Resolves once `n` submits fit (or the bind is lost): the outbox refills in batches rather than
   * claiming a few rows each time a submit is answered.
   */
  whenRoom(n: number): Promise<void> {
    if (this.capacity() >= n || !this.session) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ n, resolve }));
  }

  /** Whether this sequence number is an unanswered submit of ours. */
  has(seq: number): boolean {
    return this.outstanding.has(seq);
  }

  /** A submit_sm_resp (or a generic_nack) for one of ours. */
  onResponse(seq: number, resp: PDU): void {
    const o = this.outstanding.get(seq);
    if (!o) return;
    this.outstanding.delete(seq);
    clearTimeout(o.timer);
    const code = resp.command_status;
    const { counters } = this.hooks;
    if (code === status.ok) {
      counters.submitted++;
      this.submitRate.add();
      this.throttleMs = 0;
      o.p.resolve(String(resp.message_id ?? ''));
      this.wakeRoomWaiters();
    } else if (code === status.throttled || code === status.messageQueueFull) {
      counters.throttled++;
      this.queue.unshift(o.p);
      this.throttleMs = Math.min(
        this.o.throttleMaxMs,
        this.throttleMs ? this.throttleMs * 2 : this.o.throttleMinMs,
      );
      if (!this.throttleTimer) {
        this.throttleTimer = setTimeout(() => {
          this.throttleTimer = null;
          this.pump();
        }, this.throttleMs);
      }
      return;
    } else {
      counters.rejected++;
      o.p.reject(
        new SubmitError(
          `the SMSC refused the message: ${statusName(code)}`,
          code === status.systemError || code === status.deliveryFailedTemporary,
          code,
        ),
      );
      this.wakeRoomWaiters();
    }
    this.pump();
  }

  private wakeRoomWaiters() {
    if (this.roomWaiters.length === 0) return;
    const room = this.session ? this.capacity() : Number.POSITIVE_INFINITY;
    const still: typeof this.roomWaiters = [];
    for (const w of this.roomWaiters) {
      if (room >= w.n) w.resolve();
      else still.push(w);
    }
    this.roomWaiters = still;
  }

  /** Send queued submits while the window has room and no throttle back-off runs. */
  private pump() {
    const session = this.session;
    if (!session || this.throttleTimer) return;
    while (this.outstanding.size < this.o.window && this.queue.length > 0) {
      const p = this.queue.shift() as PendingSubmit;
      const { part, destination, source } = p.req;
      const alphanumeric = isAlphanumericSender(source);
      const pdu = new smpp.PDU('submit_sm', {
        service_type: '',
        // a sender name goes as alphanumeric (TON 5, NPI 0), a number as international ISDN
        source_addr_ton: alphanumeric ? 5 : 1,
        source_addr_npi: alphanumeric ? 0 : 1,
        source_addr: source,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: destination,
        esm_class: part.esmClass,
        registered_delivery: 1,
        data_coding: part.dataCoding,
        short_message: part.shortMessage,
      });
      const sent = sendBatched(session, pdu, (resp) =>
        this.hooks.safely(() => this.onResponse(pdu.sequence_number, resp)),
      );
      if (!sent) {
        this.queue.unshift(p);
        return;
      }
      const timer = setTimeout(() => this.hooks.timedOut(session), this.o.responseTimeoutMs);
      timer.unref();
      this.outstanding.set(pdu.sequence_number, { p, timer });
    }
  }
}

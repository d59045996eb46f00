/**
 * OpenCMP's ESME: one transceiver bind to the SMSC, kept alive with enquire_link, reconnected with
 * exponential backoff, a window of outstanding submit_sm, back-off on ESME_RTHROTTLED, and every
 * deliver_sm answered (with the status its handler returns). Malformed PDUs from the SMSC drop the
 * connection (the package cannot resynchronise a byte stream) and count; they never throw.
 */
import type { PDU, Session } from 'smpp';
import { decodeText, esmClassReceipt, parseUdh, type SubmitPart } from './codec.js';
import { parseSmppUrl, type SmppTarget, sendBatched, smpp, status, statusName } from './pdu.js';

export type EsmeState = 'disconnected' | 'connecting' | 'bound';

/** A deliver_sm as the ESME hands it on: an MO part or a delivery receipt. */
export interface DeliverSm {
  sourceAddr: string;
  destinationAddr: string;
  esmClass: number;
  dataCoding: number;
  /** True for a delivery receipt (esm_class 0x04). */
  receipt: boolean;
  /** Text of the body (UDH removed), decoded by data_coding. */
  text: string;
  concat?: { ref: number; total: number; seq: number };
  receiptedMessageId?: string;
  messageState?: number;
}

export interface EsmeCounters {
  submitted: number;
  rejected: number;
  throttled: number;
  delivered: number;
  failed: number;
  mo: number;
  /** MO SMS refused (volume, monthly limit, SIM state) with ESME_RX_R_APPN. */
  moRefused: number;
  receipts: number;
  malformed: number;
  reconnects: number;
}

export interface EsmeStatus {
  state: EsmeState;
  lastError: string | null;
  since: string;
  counters: EsmeCounters;
  /** Accepted submit_sm per second over the last 10 s, and the same for deliver_sm received. */
  throughput: { submitPerSecond: number; deliverPerSecond: number };
  window: { size: number; outstanding: number; queued: number };
}

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

interface Pending {
  req: SubmitRequest;
  resolve: (messageId: string) => void;
  reject: (err: Error) => void;
}

/** Per-second buckets over a sliding window. */
class Rate {
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

export class Esme {
  state: EsmeState = 'disconnected';
  lastError: string | null = null;
  since = new Date();
  readonly counters: EsmeCounters = {
    submitted: 0,
    rejected: 0,
    throttled: 0,
    delivered: 0,
    failed: 0,
    mo: 0,
    moRefused: 0,
    receipts: 0,
    malformed: 0,
    reconnects: 0,
  };
  private url: string | null;
  private session: Session | null = null;
  private stopped = true;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private throttleTimer: NodeJS.Timeout | null = null;
  private throttleMs = 0;
  private queue: Pending[] = [];
  private outstanding = new Map<number, { p: Pending; timer: NodeJS.Timeout }>();
  private submitRate = new Rate();
  private deliverRate = new Rate();
  private readonly o: Required<Omit<EsmeOptions, 'url' | 'onDeliver'>>;
  private bindWaiters: (() => void)[] = [];
  private roomWaiters: { n: number; resolve: () => void }[] = [];

  constructor(private readonly options: EsmeOptions) {
    this.url = options.url;
    this.o = {
      window: options.window ?? 10,
      enquireLinkMs: options.enquireLinkMs ?? 30_000,
      responseTimeoutMs: options.responseTimeoutMs ?? 30_000,
      reconnectMinMs: options.reconnectMinMs ?? 500,
      reconnectMaxMs: options.reconnectMaxMs ?? 30_000,
      throttleMinMs: options.throttleMinMs ?? 200,
      throttleMaxMs: options.throttleMaxMs ?? 10_000,
      systemType: options.systemType ?? 'OpenCMP',
    };
  }

  get currentUrl(): string | null {
    return this.url;
  }

  /** Start binding (and keep re-binding until stopped). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Unbind, close and fail whatever is queued as retriable. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const s = this.session;
    if (s && this.state === 'bound') {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        s.send(new smpp.PDU('unbind', {}), () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    this.drop('stopped', true);
  }

  /** Point the ESME at another SMSC (or none): drops the current bind and binds anew. */
  setUrl(url: string | null): void {
    if (url === this.url) return;
    this.url = url;
    this.attempt = 0;
    if (this.stopped) return;
    // not a reconnect: leave the old SMSC (if any) and bind to the new one at once
    this.drop('SMSC address changed', true);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connect();
  }

  /** Fail the submits not sent yet as retriable (stopping): only the outstanding ones still get answers. */
  abandonQueued(reason: string): void {
    for (const p of this.queue.splice(0)) p.reject(new SubmitError(reason, true));
    this.wakeRoomWaiters();
  }

  /** Resolves once bound (or after `ms`); for tests and benchmarks. */
  waitBound(ms = 5000): Promise<boolean> {
    if (this.state === 'bound') return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(this.state === 'bound'), ms);
      this.bindWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Count a receipt or MO outcome the deliver handler decided. */
  note(kind: 'delivered' | 'failed' | 'mo' | 'moRefused'): void {
    this.counters[kind]++;
  }

  /** Free room in the window plus queue, so callers can pace what they hand over. */
  capacity(): number {
    return Math.max(0, this.maxPending() - this.outstanding.size - this.queue.length);
  }

  /**
   * How many submits may be outstanding or queued at once: 1,000 (or 20 windows) so that the outbox
   * claim's database round trip, which starts when half of it is free, never leaves the window idle
   * on a busy machine. Queued submits are abandoned (back to the outbox) when the ESME stops.
   */
  maxPending(): number {
    return Math.max(1000, this.o.window * 20);
  }

  /**
   * Resolves once `n` submits fit (or the bind is lost): the outbox refills in batches rather than
   * claiming a few rows each time a submit is answered.
   */
  whenRoom(n: number): Promise<void> {
    if (this.capacity() >= n || this.state !== 'bound') return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ n, resolve }));
  }

  private wakeRoomWaiters() {
    if (this.roomWaiters.length === 0) return;
    const room = this.state === 'bound' ? this.capacity() : Number.POSITIVE_INFINITY;
    const still: typeof this.roomWaiters = [];
    for (const w of this.roomWaiters) {
      if (room >= w.n) w.resolve();
      else still.push(w);
    }
    this.roomWaiters = still;
  }

  status(): EsmeStatus {
    return {
      state: this.state,
      lastError: this.lastError,
      since: this.since.toISOString(),
      counters: { ...this.counters },
      throughput: {
        submitPerSecond: this.submitRate.perSecond(),
        deliverPerSecond: this.deliverRate.perSecond(),
      },
      window: { size: this.o.window, outstanding: this.outstanding.size, queued: this.queue.length },
    };
  }

  /**
   * Submit one part; resolves with the SMSC's message id. Rejects with a retriable SubmitError when not
   * bound or the bind drops before the answer, a permanent one when the SMSC refuses the message.
   */
  submit(req: SubmitRequest): Promise<string> {
    if (this.state !== 'bound') return Promise.reject(new SubmitError('not bound to the SMSC', true));
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.pump();
    });
  }

  private setState(state: EsmeState) {
    if (this.state === state) return;
    this.state = state;
    this.since = new Date();
    if (state === 'bound') for (const w of this.bindWaiters.splice(0)) w();
  }

  private connect() {
    if (this.stopped || this.session) return;
    if (!this.url) {
      this.setState('disconnected');
      this.lastError = 'no SMSC configured (SMPP_URL or the operator console)';
      return;
    }
    let target: SmppTarget;
    try {
      target = parseSmppUrl(this.url);
    } catch (err) {
      this.setState('disconnected');
      this.lastError = `SMSC URL ${(err as Error).message}`;
      return;
    }
    this.setState('connecting');
    const session = smpp.connect({ host: target.host, port: target.port });
    this.session = session;
    session.on('connect', () => {
      session.send(
        new smpp.PDU('bind_transceiver', {
          system_id: target.systemId,
          password: target.password,
          system_type: this.o.systemType,
          interface_version: 0x34,
        }),
        (resp) => this.safely(() => this.onBindResp(session, resp)),
      );
    });
    session.on('pdu', (pdu: PDU) => this.safely(() => this.onPdu(session, pdu)));
    session.on('error', (err: Error) => {
      if (this.session !== session) return;
      const malformed = !('syscall' in err);
      if (malformed) this.counters.malformed++;
      this.lastError = malformed ? `malformed PDU from the SMSC: ${err.message}` : err.message;
      this.drop(this.lastError, false);
    });
    session.on('close', () => {
      if (this.session !== session) return;
      if (this.state === 'bound') this.lastError = 'the SMSC closed the connection';
      this.drop(this.lastError ?? 'connection closed', false);
    });
  }

  /** Run a handler without letting anything it throws reach the socket's event loop. */
  private safely(fn: () => void) {
    try {
      fn();
    } catch (err) {
      this.counters.malformed++;
      this.lastError = `could not handle a PDU: ${(err as Error).message}`;
      this.drop(this.lastError, false);
    }
  }

  private onBindResp(session: Session, resp: PDU) {
    if (this.session !== session) return;
    if (resp.command_status !== status.ok) {
      this.lastError = `bind refused: ${statusName(resp.command_status)}`;
      this.drop(this.lastError, false);
      return;
    }
    this.attempt = 0;
    this.lastError = null;
    this.setState('bound');
    this.scheduleEnquireLink(session);
    this.pump();
  }

  private scheduleEnquireLink(session: Session) {
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = setInterval(() => {
      if (this.session !== session) return;
      const timer = setTimeout(() => {
        if (this.session !== session) return;
        this.lastError = 'enquire_link not answered';
        this.drop(this.lastError, false);
      }, this.o.responseTimeoutMs);
      timer.unref();
      session.send(new smpp.PDU('enquire_link', {}), () => clearTimeout(timer));
    }, this.o.enquireLinkMs);
    this.enquireTimer.unref();
  }

  private onPdu(session: Session, pdu: PDU) {
    if (this.session !== session) return;
    if (pdu.isResponse()) {
      if (pdu.command === 'generic_nack' && pdu.command_status !== 0) {
        const o = this.outstanding.get(pdu.sequence_number);
        if (o) this.onSubmitResp(pdu.sequence_number, pdu);
      }
      return;
    }
    switch (pdu.command) {
      case 'deliver_sm':
        this.onDeliverSm(session, pdu);
        return;
      case 'enquire_link':
        session.send(pdu.response());
        return;
      case 'unbind':
        session.send(pdu.response());
        this.lastError = 'the SMSC unbound';
        this.drop(this.lastError, false);
        return;
      case 'alert_notification':
        return;
      case 'unknown':
        session.send(pdu.response());
        return;
      default:
        session.send(pdu.response({ command_status: status.invalidCommandId }));
    }
  }

  private onDeliverSm(session: Session, pdu: PDU) {
    this.deliverRate.add();
    const esmClass = Number(pdu.esm_class ?? 0);
    const dataCoding = Number(pdu.data_coding ?? 0);
    const raw = Buffer.isBuffer(pdu.short_message) ? pdu.short_message : Buffer.alloc(0);
    const payload = Buffer.isBuffer(pdu.message_payload) ? pdu.message_payload : undefined;
    const { concat, body } = parseUdh(raw.length === 0 && payload ? payload : raw, esmClass);
    const d: DeliverSm = {
      sourceAddr: String(pdu.source_addr ?? ''),
      destinationAddr: String(pdu.destination_addr ?? ''),
      esmClass,
      dataCoding,
      receipt: (esmClass & 0x3c) === esmClassReceipt,
      text: decodeText(body, dataCoding & 0x0f),
      concat,
      receiptedMessageId: typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : undefined,
      messageState: typeof pdu.message_state === 'number' ? pdu.message_state : undefined,
    };
    if (d.receipt) this.counters.receipts++;
    let answer: Promise<number>;
    try {
      answer = this.options.onDeliver(d);
    } catch {
      answer = Promise.resolve(status.deliveryFailedTemporary);
    }
    answer
      .catch(() => status.deliveryFailedTemporary)
      .then((commandStatus) => {
        if (this.session === session) sendBatched(session, pdu.response({ command_status: commandStatus }));
      });
  }

  /** Send queued submits while the window has room and no throttle back-off runs. */
  private pump() {
    const session = this.session;
    if (!session || this.state !== 'bound' || this.throttleTimer) return;
    while (this.outstanding.size < this.o.window && this.queue.length > 0) {
      const p = this.queue.shift() as Pending;
      const { part, destination, source } = p.req;
      const pdu = new smpp.PDU('submit_sm', {
        service_type: '',
        source_addr_ton: 1,
        source_addr_npi: 1,
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
        this.safely(() => this.onSubmitResp(pdu.sequence_number, resp)),
      );
      if (!sent) {
        this.queue.unshift(p);
        return;
      }
      const timer = setTimeout(() => {
        if (this.session !== session) return;
        this.lastError = 'submit_sm not answered in time';
        this.drop(this.lastError, false);
      }, this.o.responseTimeoutMs);
      timer.unref();
      this.outstanding.set(pdu.sequence_number, { p, timer });
    }
  }

  private onSubmitResp(seq: number, resp: PDU) {
    const o = this.outstanding.get(seq);
    if (!o) return;
    this.outstanding.delete(seq);
    clearTimeout(o.timer);
    const code = resp.command_status;
    if (code === status.ok) {
      this.counters.submitted++;
      this.submitRate.add();
      this.throttleMs = 0;
      o.p.resolve(String(resp.message_id ?? ''));
      this.wakeRoomWaiters();
    } else if (code === status.throttled || code === status.messageQueueFull) {
      this.counters.throttled++;
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
      this.counters.rejected++;
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

  /** Forget the connection; fail outstanding and queued submits as retriable; reconnect unless stopped. */
  private drop(reason: string, final: boolean) {
    const s = this.session;
    this.session = null;
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
    if (this.throttleTimer) clearTimeout(this.throttleTimer);
    this.throttleTimer = null;
    this.throttleMs = 0;
    const failed = [...[...this.outstanding.values()].map((o) => o.p), ...this.queue.splice(0)];
    for (const o of this.outstanding.values()) clearTimeout(o.timer);
    this.outstanding.clear();
    for (const p of failed) p.reject(new SubmitError(`connection to the SMSC lost: ${reason}`, true));
    const waiters = this.roomWaiters.splice(0);
    for (const w of waiters) w.resolve();
    if (s) {
      s.removeAllListeners('pdu');
      s.on('error', () => {});
      s.destroy();
    }
    if (!this.stopped && !final) this.scheduleReconnect();
    else this.setState('disconnected');
  }

  private scheduleReconnect() {
    if (this.reconnectTimer || this.stopped) return;
    const base = Math.min(this.o.reconnectMaxMs, this.o.reconnectMinMs * 2 ** this.attempt);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.attempt++;
    this.counters.reconnects++;
    this.setState('disconnected');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}

/**
 * OpenCMP's ESME: one transceiver bind to the SMSC, kept alive with enquire_link, reconnected with
 * exponential backoff, submits through its window (./submit-window.ts), and every deliver_sm answered
 * (with the status its handler returns). Malformed PDUs from the SMSC drop the connection (the
 * package cannot resynchronise a byte stream) and count; they never throw.
 */
import type { PDU, Session } from 'smpp';
import {
  type EsmeCounters,
  type EsmeLink,
  type EsmeState,
  type EsmeStatus,
  zeroCounters,
} from '../../modules/sms/esme-link.js';
import { parseSmppUrl, type SmppTarget } from '../../modules/sms/smsc-url.js';
import { decodeDeliverSm } from './deliver.js';
import { sendBatched, smpp, status, statusName } from './pdu.js';
import { SubmitWindow } from './submit-window.js';
import { type EsmeOptions, Rate, SubmitError, type SubmitRequest } from './types.js';

export class Esme implements EsmeLink {
  state: EsmeState = 'disconnected';
  lastError: string | null = null;
  since = new Date();
  readonly counters: EsmeCounters = zeroCounters();
  private url: string | null;
  private session: Session | null = null;
  private stopped = true;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private deliverRate = new Rate();
  private readonly o: Required<Omit<EsmeOptions, 'url' | 'onDeliver'>>;
  private readonly window: SubmitWindow;
  private bindWaiters: (() => void)[] = [];

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
    this.window = new SubmitWindow(this.o, {
      counters: this.counters,
      safely: (fn) => this.safely(fn),
      timedOut: (session) => {
        if (this.session !== session) return;
        this.lastError = 'submit_sm not answered in time';
        this.drop(this.lastError, false);
      },
    });
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
    this.window.abandonQueued(reason);
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
    return this.window.capacity();
  }

  /** How many submits may be outstanding or queued at once (see SubmitWindow.maxPending). */
  maxPending(): number {
    return this.window.maxPending();
  }

  /** Resolves once `n` submits fit (or the bind is lost). */
  whenRoom(n: number): Promise<void> {
    return this.window.whenRoom(n);
  }

  status(): EsmeStatus {
    return {
      state: this.state,
      lastError: this.lastError,
      since: this.since.toISOString(),
      counters: { ...this.counters },
      throughput: {
        submitPerSecond: this.window.submitRate.perSecond(),
        deliverPerSecond: this.deliverRate.perSecond(),
      },
      window: {
        size: this.o.window,
        outstanding: this.window.outstandingCount,
        queued: this.window.queuedCount,
      },
    };
  }

  /**
   * Submit one part; resolves with the SMSC's message id. Rejects with a retriable SubmitError when not
   * bound or the bind drops before the answer, a permanent one when the SMSC refuses the message.
   */
  submit(req: SubmitRequest): Promise<string> {
    if (this.state !== 'bound') return Promise.reject(new SubmitError('not bound to the SMSC', true));
    return this.window.enqueue(req);
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
    this.window.attach(session);
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
        if (this.window.has(pdu.sequence_number)) this.window.onResponse(pdu.sequence_number, pdu);
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
    const d = decodeDeliverSm(pdu);
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

  /** Forget the connection; fail outstanding and queued submits as retriable; reconnect unless stopped. */
  private drop(reason: string, final: boolean) {
    const s = this.session;
    this.session = null;
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
    this.window.detach(reason);
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

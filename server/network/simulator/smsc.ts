/**
 * A simulated SMSC (SMPP 3.4 server) for the demo, the tests and the benchmarks: accepts
 * bind_transceiver with one system_id/password, answers submit_sm with a message id, reassembles
 * concatenated messages, sends delivery receipts (esm_class 0x04 with receipted_message_id and
 * message_state TLVs, plus the classic receipt text) after a delay — holding them, as an SMS centre
 * does, while no ESME is bound, and handing them over at the next bind — and sends MO SMS. Anything
 * malformed closes that one connection; the simulator never throws.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { PDU, Session } from 'smpp';
import { receiptZoneQuery } from '../../modules/sms/smsc-url.js';
import { decodeText, encodeSms, parseUdh, type SubmitPart } from '../smpp/codec.js';
import { sendBatched, smpp, status, temporaryDeliverStatuses } from '../smpp/pdu.js';
import { createReassembly, type Outcome, receiptPdu } from './smsc-mt.js';

export type { Outcome };

/** The number devices text (the MO destination), unless the options give another. */
export const SERVICE_NUMBER = '4900';

/** What the simulated devices text home (and the demo's history shows they did). */
export const DEVICE_MO_TEXTS: readonly string[] = [
  'STATUS OK',
  'Battery 87%',
  'Temp 21.5°C',
  'ALARM door open',
  'Reboot done',
];

/** A complete MT message the simulator received (after reassembly). */
export interface ReceivedMt {
  source: string;
  /** 5 for an alphanumeric sender, 1 for an international number. */
  sourceTon: number;
  destination: string;
  text: string;
  dataCoding: number;
  parts: number;
  messageIds: string[];
  outcome: Outcome;
}

export interface SmscSimulatorOptions {
  port?: number;
  host?: string;
  systemId?: string;
  password?: string;
  /** Delay before a delivery receipt (ms), for all messages or by message. */
  receiptDelayMs?: number | ((m: { destination: string; text: string }) => number);
  /** The SMS centre's clock, for the receipts' dates (default: the system's). */
  now?: () => Date;
  /** The time zone of the receipts' dates (IANA; default UTC), as the ESME's `receipt_zone` names it. */
  receiptZone?: string;
  /** Decides each message's outcome; default: `failRate`/`expireRate` at random, else delivered. */
  outcome?: (m: { destination: string; text: string }) => Outcome;
  failRate?: number;
  expireRate?: number;
  /** The number MO SMS are addressed to. */
  serviceNumber?: string;
  /**
   * An MO part the ESME answers with a temporary status (ESME_RX_T_APPN, ESME_RSYSERR, ESME_RTHROTTLED,
   * ESME_RMSGQFUL) is sent again after `moRetryMs`, at most `moRetries` times; any other error status
   * is final: the message is counted as refused and never resent.
   */
  moRetries?: number;
  moRetryMs?: number;
  /** Demo: send an MO from one of these MSISDNs every `intervalMs`. */
  moGenerator?: { msisdns: () => Promise<string[]> | string[]; intervalMs: number; texts?: string[] };
}

export interface SmscSimulator {
  port: number;
  /** Where to bind: smpp://system_id:password@127.0.0.1:port, with `?receipt_zone=` when it has one. */
  url: string;
  /** Complete MT messages received so far (newest last; the last 10,000 to 12,000). */
  received: ReceivedMt[];
  stats: {
    binds: number;
    bindFailures: number;
    submits: number;
    throttled: number;
    malformed: number;
    /** MO messages sent. */
    mo: number;
    /** MO messages the ESME refused with a final status (any part). */
    moRefused: number;
    /** MO parts sent again after a temporary status. */
    moRetries: number;
  };
  /**
   * Send an MO SMS from `msisdn` to the first bound ESME; resolves with each part's final
   * deliver_sm_resp status (-1: the connection was gone). `parts` picks which parts go out and in
   * which order (1-based, repeats allowed: a duplicate); `ref` sets the concatenation reference.
   */
  sendMo(msisdn: string, text: string, opts?: { ref?: number; parts?: number[] }): Promise<number[]>;
  /** Answer the next `n` submit_sm with ESME_RTHROTTLED. */
  throttleNext(n: number): void;
  /** Close every ESME connection (the ESME should reconnect). */
  dropSessions(): void;
  boundSessions(): number;
  /** Receipts held for the next bind (their part's fate was decided while no ESME was bound). */
  heldReceipts(): number;
  stop(): Promise<void>;
}

/** Start the simulator on 127.0.0.1 (port 0 = any free port). */
export async function startSmscSimulator(opts: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
  const systemId = opts.systemId ?? 'opencmp';
  const password = opts.password ?? 'secret';
  const host = opts.host ?? '127.0.0.1';
  const serviceNumber = opts.serviceNumber ?? SERVICE_NUMBER;
  const receiptDelay = (m: { destination: string; text: string }) =>
    typeof opts.receiptDelayMs === 'function' ? opts.receiptDelayMs(m) : (opts.receiptDelayMs ?? 300);
  const now = opts.now ?? (() => new Date());
  /** Receipts due while no ESME was bound, oldest first, for the next bind. */
  const held: PDU[] = [];
  const maxHeld = 10_000;
  const idPrefix = randomBytes(3).toString('hex');
  let nextId = 1;
  let throttle = 0;
  let moRef = Math.floor(Math.random() * 256);
  const bound = new Set<Session>();
  const timers = new Set<NodeJS.Timeout>();
  const received: ReceivedMt[] = [];
  const stats = {
    binds: 0,
    bindFailures: 0,
    submits: 0,
    throttled: 0,
    malformed: 0,
    mo: 0,
    moRefused: 0,
    moRetries: 0,
  };
  const moRetries = opts.moRetries ?? 3;
  const moRetryMs = opts.moRetryMs ?? 1000;
  const reassembly = createReassembly();

  const decide = (m: { destination: string; text: string }): Outcome => {
    if (opts.outcome) return opts.outcome(m);
    const r = Math.random();
    if (r < (opts.failRate ?? 0)) return 'failed';
    if (r < (opts.failRate ?? 0) + (opts.expireRate ?? 0)) return 'expired';
    return 'delivered';
  };

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const sendReceipts = (
    session: Session,
    source: string,
    destination: string,
    ids: string[],
    text: string,
    outcome: Outcome,
    submitted: Date,
  ) => {
    later(receiptDelay({ destination, text }), () => {
      const done = now();
      const zone = opts.receiptZone ?? 'UTC';
      const pdus = ids.map((id) =>
        receiptPdu({ id, source, destination, text, outcome, submitted, done, zone }),
      );
      // to the ESME that submitted, or another bound with the same system_id; else held for the next bind
      const to = bound.has(session) ? session : [...bound][0];
      if (to) for (const receipt of pdus) sendBatched(to, receipt);
      else {
        held.push(...pdus);
        if (held.length > maxHeld) held.splice(0, held.length - maxHeld);
      }
    });
  };

  const onSubmit = (session: Session, pdu: PDU) => {
    if (!bound.has(session)) {
      session.send(pdu.response({ command_status: 0x04 }));
      return;
    }
    if (throttle > 0) {
      throttle--;
      stats.throttled++;
      session.send(pdu.response({ command_status: status.throttled }));
      return;
    }
    const destination = String(pdu.destination_addr ?? '');
    const source = String(pdu.source_addr ?? '');
    const sourceTon = Number(pdu.source_addr_ton ?? 0);
    if (!/^\+?\d{3,20}$/.test(destination)) {
      session.send(pdu.response({ command_status: status.invalidDestination }));
      return;
    }
    // as a network's SMSC: a sender name of up to 11 characters with TON 5, else digits
    const validSource = sourceTon === 5 ? /^[ -~]{1,11}$/.test(source) : /^\d{1,20}$/.test(source);
    if (!validSource) {
      session.send(pdu.response({ command_status: status.invalidSourceAddress }));
      return;
    }
    const esmClass = Number(pdu.esm_class ?? 0);
    const dataCoding = Number(pdu.data_coding ?? 0);
    const raw = Buffer.isBuffer(pdu.short_message) ? pdu.short_message : Buffer.alloc(0);
    const { concat, body } = parseUdh(raw, esmClass);
    const text = decodeText(body, dataCoding & 0x0f);
    const id = `${idPrefix}${(nextId++).toString(16).padStart(8, '0')}`;
    stats.submits++;
    sendBatched(session, pdu.response({ message_id: id }));
    const submitted = now();
    const wantsReceipt = (Number(pdu.registered_delivery ?? 0) & 0x03) !== 0;
    const complete = (fullText: string, ids: string[], parts: number) => {
      const outcome = decide({ destination, text: fullText });
      received.push({
        source,
        sourceTon,
        destination,
        text: fullText,
        dataCoding,
        parts,
        messageIds: ids,
        outcome,
      });
      // keep the last 10,000 (trimmed in steps, not one element per message)
      if (received.length > 12_000) received.splice(0, received.length - 10_000);
      if (wantsReceipt) sendReceipts(session, source, destination, ids, fullText, outcome, submitted);
    };
    if (!concat || concat.total === 1) {
      complete(text, [id], 1);
      return;
    }
    const whole = reassembly.add(destination, concat, text, id);
    if (whole) complete(whole.text, whole.ids, concat.total);
  };

  const onPdu = (session: Session, pdu: PDU) => {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case 'bind_transceiver': {
        const ok = pdu.system_id === systemId && pdu.password === password;
        if (!ok) {
          stats.bindFailures++;
          session.send(pdu.response({ command_status: status.invalidPassword }));
          return;
        }
        if (bound.has(session)) {
          session.send(pdu.response({ command_status: status.alreadyBound }));
          return;
        }
        stats.binds++;
        bound.add(session);
        session.send(pdu.response({ system_id: 'OpenCMPsim' }));
        for (const receipt of held.splice(0)) sendBatched(session, receipt);
        return;
      }
      case 'bind_transmitter':
      case 'bind_receiver':
        session.send(pdu.response({ command_status: status.bindFailed }));
        return;
      case 'submit_sm':
        onSubmit(session, pdu);
        return;
      case 'enquire_link':
        session.send(pdu.response());
        return;
      case 'unbind':
        bound.delete(session);
        session.send(pdu.response(), () => session.close());
        return;
      case 'unknown':
        stats.malformed++;
        session.send(pdu.response());
        return;
      default:
        session.send(pdu.response({ command_status: status.invalidCommandId }));
    }
  };

  const server = smpp.createServer({}, (session: Session) => {
    session.on('pdu', (pdu: PDU) => {
      try {
        onPdu(session, pdu);
      } catch {
        stats.malformed++;
        bound.delete(session);
        session.destroy();
      }
    });
    session.on('error', () => {
      stats.malformed++;
      bound.delete(session);
      session.destroy();
    });
    session.on('close', () => bound.delete(session));
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const deliverPart = (session: Session, msisdn: string, part: SubmitPart) =>
    new Promise<number>((resolve) => {
      const sent = session.send(
        new smpp.PDU('deliver_sm', {
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: msisdn,
          dest_addr_ton: 0,
          dest_addr_npi: 1,
          destination_addr: serviceNumber,
          esm_class: part.esmClass,
          data_coding: part.dataCoding,
          short_message: part.shortMessage,
        }),
        (resp) => resolve(resp.command_status),
      );
      if (!sent) resolve(-1);
    });

  /** One part until a final answer: temporary statuses are retried a few times, then given up. */
  const deliverWithRetries = async (session: Session, msisdn: string, part: SubmitPart) => {
    for (let attempt = 0; ; attempt++) {
      const code = await deliverPart(session, msisdn, part);
      if (!temporaryDeliverStatuses.has(code) || attempt >= moRetries) return code;
      stats.moRetries++;
      await new Promise((resolve) => setTimeout(resolve, moRetryMs).unref());
      if (!bound.has(session)) return -1;
    }
  };

  const sendMo = async (
    msisdn: string,
    text: string,
    o: { ref?: number; parts?: number[] } = {},
  ): Promise<number[]> => {
    const session = [...bound][0];
    if (!session) throw new Error('no ESME is bound');
    moRef = (moRef + 1) & 0xff;
    const { parts } = encodeSms(text, o.ref ?? moRef);
    const order = o.parts ?? parts.map((_, i) => i + 1);
    stats.mo++;
    const codes: number[] = [];
    // parts go one after another, as an SMSC delivers them
    for (const seq of order) {
      const part = parts[seq - 1];
      if (!part) throw new Error(`the message has no part ${seq}`);
      codes.push(await deliverWithRetries(session, msisdn, part));
    }
    if (codes.some((c) => c !== status.ok)) stats.moRefused++;
    return codes;
  };

  let moTimer: NodeJS.Timeout | null = null;
  if (opts.moGenerator) {
    const g = opts.moGenerator;
    const texts = g.texts ?? DEVICE_MO_TEXTS;
    moTimer = setInterval(() => {
      void (async () => {
        const list = await g.msisdns();
        const msisdn = list[Math.floor(Math.random() * list.length)];
        const text = texts[Math.floor(Math.random() * texts.length)] ?? 'OK';
        if (msisdn && bound.size > 0) await sendMo(msisdn, text);
      })().catch(() => {});
    }, g.intervalMs);
    moTimer.unref();
  }

  return {
    port,
    // naming the zone of its dates, as an operator would for a centre on local time
    url: `smpp://${encodeURIComponent(systemId)}:${encodeURIComponent(password)}@127.0.0.1:${port}${
      opts.receiptZone ? receiptZoneQuery(opts.receiptZone) : ''
    }`,
    received,
    stats,
    sendMo,
    throttleNext: (n) => {
      throttle = n;
    },
    dropSessions: () => {
      for (const s of server.sessions) s.destroy();
      bound.clear();
    },
    boundSessions: () => bound.size,
    heldReceipts: () => held.length,
    stop: async () => {
      if (moTimer) clearInterval(moTimer);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of server.sessions) s.destroy();
      bound.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What the sms module sees of the ESME: the deliver_sm it hands on, the state and counters it
 * reports, and the two things the module asks of it (count an outcome, report its status). The
 * network layer's ESME (server/network/smpp/session.ts) implements EsmeLink; the module never
 * imports server/network.
 */

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

export type EsmeState = 'disconnected' | 'connecting' | 'bound';

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

/** Counters that have counted nothing yet. */
export function zeroCounters(): EsmeCounters {
  return {
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

/** The ESME as the sms module uses it: it counts the outcomes the module decides and reports its state. */
export interface EsmeLink {
  /** Count a receipt or MO outcome the deliver handler decided. */
  note(kind: 'delivered' | 'failed' | 'mo' | 'moRefused'): void;
  /** The live state, counters, throughput and window, for the console and the database report. */
  status(): EsmeStatus;
}

/**
 * What the simulated SMSC (smsc.ts) does with MT messages besides answering the submit: it puts
 * concatenated parts back together, and builds the delivery receipt of each part.
 */
import type { PDU } from 'smpp';
import { wallClockOf } from '../../lib/wall-clock.js';
import { smpp } from '../smpp/pdu.js';

/** A message's fate at the simulated handset. */
export type Outcome = 'delivered' | 'failed' | 'expired';

const receiptStates: Record<Outcome, { state: number; stat: string; err: string }> = {
  delivered: { state: 2, stat: 'DELIVRD', err: '000' },
  expired: { state: 3, stat: 'EXPIRED', err: '000' },
  failed: { state: 5, stat: 'UNDELIV', err: '001' },
};

/** A receipt's date, YYMMDDhhmm, on the wall clock of `zone` (IANA). */
function smppTime(d: Date, zone: string): string {
  const wall = new Date(zone === 'UTC' ? d.getTime() : wallClockOf(d.getTime(), zone));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(wall.getUTCFullYear() % 100)}${p(wall.getUTCMonth() + 1)}${p(wall.getUTCDate())}${p(wall.getUTCHours())}${p(wall.getUTCMinutes())}`;
}

/**
 * The delivery receipt of one submitted part, from the handset (`destination`) to the sender: the
 * receipted_message_id and message_state TLVs, plus the classic receipt text.
 */
export function receiptPdu(r: {
  id: string;
  source: string;
  destination: string;
  text: string;
  outcome: Outcome;
  submitted: Date;
  /** When the part reached its fate at the handset (the receipt's done date). */
  done: Date;
  /** The time zone the centre writes its dates in (IANA). */
  zone: string;
}): PDU {
  const st = receiptStates[r.outcome];
  const body = `id:${r.id} sub:001 dlvrd:${r.outcome === 'delivered' ? '001' : '000'} submit date:${smppTime(r.submitted, r.zone)} done date:${smppTime(r.done, r.zone)} stat:${st.stat} err:${st.err} text:${r.text.slice(0, 20).replace(/[^\x20-\x7e]/g, '.')}`;
  return new smpp.PDU('deliver_sm', {
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: r.destination,
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: r.source,
    esm_class: 0x04,
    data_coding: 0,
    short_message: Buffer.from(body, 'latin1'),
    receipted_message_id: r.id,
    message_state: st.state,
  });
}

/** Parts of concatenated MT messages waiting for the rest, by destination and reference. */
export function createReassembly() {
  const partial = new Map<string, { parts: (string | undefined)[]; ids: string[]; at: number }>();
  return {
    /** Add a part; returns the whole message (text, and message ids in part order) once every part came. */
    add(
      destination: string,
      concat: { ref: number; total: number; seq: number },
      text: string,
      id: string,
    ): { text: string; ids: string[] } | null {
      const key = `${destination}/${concat.ref}/${concat.total}`;
      const entry = partial.get(key) ?? {
        parts: new Array(concat.total).fill(undefined),
        ids: [],
        at: Date.now(),
      };
      entry.parts[concat.seq - 1] = text;
      entry.ids[concat.seq - 1] = id;
      partial.set(key, entry);
      // forget parts whose siblings never came
      if (partial.size > 1000)
        for (const [k, v] of partial) if (Date.now() - v.at > 60_000) partial.delete(k);
      if (!entry.parts.every((p) => p !== undefined)) return null;
      partial.delete(key);
      return { text: entry.parts.join(''), ids: entry.ids };
    },
  };
}

/**
 * Delivery receipts from the SMSC (deliver_sm with esm_class 0x04): what a receipt says, and a batch
 * of them applied in one transaction — part states, the message's final status and its event.
 */
import { eventTypes } from '../../../contracts/events.js';
import type { AppContext } from '../../context.js';
import { wallClockOf } from '../../lib/wall-clock.js';
import type { NewEvent } from '../events/events.repository.js';
import { event, recordEvents } from '../events/events.service.js';
import { type Heard, noteRegistered } from '../network/registration.js';
import type { DeliverSm, EsmeLink } from './esme-link.js';
import { lockBySmscIds, type SmsRow, updateReceiptStates } from './sms.repository.js';

type PartState = 'delivered' | 'failed' | 'expired';

/** A receipt's final state: the message_state TLV first, the text's `stat:` second; null = not final. */
export function receiptState(d: Pick<DeliverSm, 'messageState' | 'text'>): PartState | null {
  const byTlv: Record<number, PartState | null> = {
    1: null, // ENROUTE
    2: 'delivered',
    3: 'expired',
    4: 'failed', // DELETED
    5: 'failed', // UNDELIVERABLE
    6: 'delivered', // ACCEPTED
    7: 'failed', // UNKNOWN
    8: 'failed', // REJECTED
  };
  if (d.messageState !== undefined && d.messageState in byTlv) return byTlv[d.messageState] ?? null;
  const stat = /\bstat:([A-Z]+)/i.exec(d.text)?.[1]?.toUpperCase();
  const byText: Record<string, PartState | null> = {
    ENROUTE: null,
    DELIVRD: 'delivered',
    ACCEPTD: 'delivered',
    EXPIRED: 'expired',
    DELETED: 'failed',
    UNDELIV: 'failed',
    UNKNOWN: 'failed',
    REJECTD: 'failed',
  };
  return stat && stat in byText ? (byText[stat] ?? null) : null;
}

function receiptId(d: DeliverSm): string | null {
  if (d.receiptedMessageId) return d.receiptedMessageId;
  return /\bid:(\S+)/i.exec(d.text)?.[1] ?? null;
}

/** A delivery receipt reduced to what it changes: the part's SMSC id and its final state. */
export interface Receipt {
  smscId: string;
  state: PartState;
  /** stat: and err: of the receipt text, for the message's error. */
  stat?: string;
  err?: string;
  /**
   * The part reached the device (DELIVRD, message state 2): proof that it was registered. ACCEPTED
   * only says that the SMS centre took the message on.
   */
  handset: boolean;
  /** The SMS centre's `done date:` (when the part became final), if the text carries one. */
  done?: ReceiptDate;
  /** Its `submit date:` (when the centre took the part on), if the text carries one. */
  submitted?: ReceiptDate;
}

/** A date of a receipt's text: the minute (or second) it names, from `from` (epoch ms, UTC) for `ms`. */
export interface ReceiptDate {
  from: number;
  ms: number;
}

/** How far `zone`'s wall clock is ahead of UTC at the instant `at` (ms since the epoch), in ms. */
const zoneOffset = (at: number, zone: string) => wallClockOf(at, zone) - (at - (at % 1000));

/** The two date fields of a receipt text, built once (a receipt reads both). */
const dateFields = {
  done: /\bdone date:(\d{10}(?:\d{2})?)(?!\d)/i,
  submit: /\bsubmit date:(\d{10}(?:\d{2})?)(?!\d)/i,
};

/**
 * The `done date:` or `submit date:` of a receipt text (SMPP 3.4 Appendix B: YYMMDDhhmm; some centres
 * add ss), read in the centre's time zone (`receipt_zone` of its SMPP URL, UTC by default); null when
 * absent or not a date. A wall time the zone has twice (clocks going back) reads as the first; one it
 * skips (clocks going forward), with the offset from before the change.
 */
export function receiptDate(text: string, field: 'done' | 'submit', zone = 'UTC'): ReceiptDate | null {
  const digits = dateFields[field].exec(text)?.[1];
  if (!digits) return null;
  const [yy, mo, dd, hh, mi, ss] = (digits.match(/\d\d/g) ?? []).map(Number) as number[];
  const wall = Date.UTC(2000 + (yy as number), (mo as number) - 1, dd, hh, mi, ss ?? 0);
  const at = new Date(wall);
  // Date.UTC rolls over (month 13, 31 February); a date that does not read back is not one
  const same =
    at.getUTCMonth() === (mo as number) - 1 &&
    at.getUTCDate() === dd &&
    at.getUTCHours() === hh &&
    at.getUTCMinutes() === mi &&
    at.getUTCSeconds() === (ss ?? 0);
  if (!same) return null;
  const ms = ss === undefined ? 60_000 : 1_000;
  if (zone === 'UTC') return { from: wall, ms };
  // the zone's offsets a day either side: around a change of offset, the one before and the one after
  const day = 86_400_000;
  const before = wall - zoneOffset(wall - day, zone);
  const after = wall - zoneOffset(wall + day, zone);
  const reads = (t: number) => t + zoneOffset(t, zone) === wall - (wall % 1000);
  const from = reads(before) ? before : reads(after) ? after : before;
  return { from, ms };
}

/** The `done date:` of a receipt text (`receiptDate`). */
export const doneDate = (text: string, zone?: string) => receiptDate(text, 'done', zone);

/**
 * A receipt that arrives within this of the end of its done date's minute (or second) is dated by its
 * arrival, which is more precise; one later was queued (the ESME was away) and is dated by the centre.
 */
export const RECEIPT_PROMPT_MS = 2 * 60_000;

/**
 * How far the centre's `submit date:` may stand from the platform's own submission time and its
 * dates still be trusted: the two clocks and the submit's round trip, beyond the date's minute.
 */
export const RECEIPT_CLOCKS_MS = 2 * 60_000;

/**
 * When a part became final, from its receipt's dates (`r`), the message's submission as the platform
 * stored it, and the receipt's arrival (`now`): the done date when the receipt was queued, as the
 * latest instant of the date's minute (or second) that is not after the arrival; the arrival when it
 * came promptly, or when the dates cannot be the part's — a submit date away from the submission (a
 * centre on local time its URL does not name, or a skewed clock: either way every date of it is off
 * by as much), a done date before the submission or after the arrival. Then the arrival is the best
 * the platform knows.
 */
export function receiptTime(
  r: Pick<Receipt, 'done' | 'submitted'>,
  submittedAt: Date | null,
  now: Date,
): Date {
  const { done, submitted } = r;
  if (!done) return now;
  if (
    submitted &&
    submittedAt &&
    (submittedAt.getTime() < submitted.from - RECEIPT_CLOCKS_MS ||
      submittedAt.getTime() >= submitted.from + submitted.ms + RECEIPT_CLOCKS_MS)
  )
    return now;
  const latest = Math.min(done.from + done.ms - 1, now.getTime());
  const earliest = Math.max(done.from, submittedAt?.getTime() ?? done.from);
  if (earliest > latest || now.getTime() - latest <= RECEIPT_PROMPT_MS) return now;
  return new Date(latest);
}

/**
 * What a deliver_sm receipt says, or null when it carries no id or no final state (answered and
 * dropped). `zone`: the time zone of the centre's dates (its URL's `receipt_zone`).
 */
export function parseReceipt(d: DeliverSm, zone?: string): Receipt | null {
  const smscId = receiptId(d);
  const state = receiptState(d);
  if (!smscId || !state) return null;
  // read from where receiptState read the state: the TLV when it names one, else the text
  const byTlv = d.messageState !== undefined && d.messageState >= 1 && d.messageState <= 8;
  const done = receiptDate(d.text, 'done', zone);
  const submitted = receiptDate(d.text, 'submit', zone);
  return {
    smscId,
    state,
    stat: /\bstat:(\S+)/.exec(d.text)?.[1],
    err: /\berr:(\S+)/.exec(d.text)?.[1],
    handset: byTlv ? d.messageState === 2 : /\bstat:([A-Z]+)/i.exec(d.text)?.[1]?.toUpperCase() === 'DELIVRD',
    ...(done ? { done } : {}),
    ...(submitted ? { submitted } : {}),
  };
}

/**
 * Apply a batch of receipts in one transaction: each part takes its state; a message whose parts are
 * all final becomes delivered (all delivered), failed (any failed) or expired, with an event, both
 * dated when its last part became final (`receiptTime`: a receipt the centre queued while the ESME
 * was away is dated by the centre, not by its arrival). A part delivered to the handset proves the SIM
 * registered then. Returns the SMSC ids no MT carries (yet) — the caller retries those briefly.
 */
export async function applyReceipts(
  ctx: AppContext,
  esme: EsmeLink | null,
  receipts: Receipt[],
): Promise<Set<string>> {
  const unmatched = new Set(receipts.map((r) => r.smscId));
  if (receipts.length === 0) return unmatched;
  const now = ctx.clock.now();
  const outcomes: ('delivered' | 'failed')[] = [];
  await ctx.db.transaction(async (tx) => {
    const rows = await lockBySmscIds(tx, [...unmatched]);
    const byId = new Map<string, SmsRow>();
    for (const row of rows) for (const id of row.smscIds) byId.set(id, row);
    const changed = new Map<string, { row: SmsRow; partStates: string[]; last: Receipt; at: Date }>();
    // SIMs a part was delivered to: registered on the network then
    const reached: Heard[] = [];
    for (const r of receipts) {
      const row = byId.get(r.smscId);
      if (!row) continue;
      unmatched.delete(r.smscId);
      const at = receiptTime(r, row.submittedAt, now);
      const entry = changed.get(row.id) ?? { row, partStates: [...row.partStates], last: r, at };
      // a part delivered to the handset: the device was registered (an ACCEPTED part may be followed
      // by its DELIVRD, so a part already 'delivered' is not taken for a repeat)
      if (r.handset) reached.push({ iccid: row.iccid, at });
      entry.partStates[row.smscIds.indexOf(r.smscId)] = r.state;
      if (r.state !== 'delivered' || entry.last.state === 'delivered') entry.last = r;
      if (at > entry.at) entry.at = at;
      changed.set(row.id, entry);
    }
    const updates: {
      id: string;
      partStates: string[];
      status: SmsRow['status'];
      error: string | null;
      doneAt: Date | null;
    }[] = [];
    const events: NewEvent[] = [];
    for (const { row, partStates, last, at } of changed.values()) {
      const final =
        partStates.length === row.segments && partStates.every((x) => x !== 'submitted' && x !== 'pending');
      let status = row.status;
      if (final && row.status === 'submitted') {
        status = partStates.every((x) => x === 'delivered')
          ? 'delivered'
          : partStates.includes('failed')
            ? 'failed'
            : 'expired';
      }
      const stat = last.stat;
      const error =
        status === 'failed' || status === 'expired'
          ? `The SMS centre reported ${status === 'expired' ? 'expiry' : 'a delivery failure'}${stat ? ` (stat ${stat}${last.err ? `, err ${last.err}` : ''})` : ''}.`
          : row.error;
      updates.push({ id: row.id, partStates, status, error, doneAt: status !== row.status ? at : null });
      if (status === row.status) continue;
      const delivered = status === 'delivered';
      outcomes.push(delivered ? 'delivered' : 'failed');
      events.push(
        event({ source: 'network' }, { orgId: row.orgId, iccid: row.iccid }, at, {
          type: delivered ? eventTypes.smsDelivered : eventTypes.smsNotDelivered,
          severity: delivered ? 'info' : 'warning',
          description: delivered
            ? `SMS delivered (${row.segments} ${row.segments === 1 ? 'part' : 'parts'})`
            : `SMS ${status === 'expired' ? 'expired' : 'not delivered'}${stat ? `: ${stat}` : ''}`,
          details: {
            smsId: row.id,
            status,
            segments: row.segments,
            smscIds: row.smscIds,
            stat: stat ?? null,
          },
        }),
      );
    }
    await updateReceiptStates(tx, updates);
    await noteRegistered(tx, reached, now);
    await recordEvents(tx, events);
  });
  for (const o of outcomes) esme?.note(o);
  return unmatched;
}

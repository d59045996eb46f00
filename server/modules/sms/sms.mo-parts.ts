/**
 * Concatenated MO SMS: the parts of a message are kept in `sms_mo_parts` as they arrive (so a restart
 * between parts loses nothing), checked against the whole message's part count, and stored as one MO
 * with sms.mo.ts's rules when the last one comes — or, by the retention job, as what arrived.
 */
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { noteRegistered } from '../network/registration.js';
import type { SimRow } from '../sims/sims.repository.js';
import type { EsmeLink } from './esme-link.js';
import {
  insertMo,
  lockSimByMsisdn,
  type MoOutcome,
  moRefusal,
  normaliseMsisdn,
  recordMoRefusal,
} from './sms.mo.js';
import {
  deleteFinishedMoParts,
  deleteMoParts,
  findMoParts,
  finishMoParts,
  insertMoPart,
  type MoKey,
  type MoPartRow,
  staleMoMessages,
} from './sms.repository.js';

/** Parts of a concatenated MO wait this long for the rest; then what arrived is stored. */
export const MO_PARTS_WAIT_MS = 24 * 3600_000;
/** A stored or refused message's parts are kept this long to recognise repeated parts. */
export const MO_PARTS_REPEAT_MS = 3600_000;

/** One part of a concatenated MO as the ESME received it. */
export interface IncomingMoPart {
  /** Which SMSC it came from (host:port/system_id): references are the sender's, per SMSC. */
  smsc: string;
  from: string;
  to: string;
  text: string;
  encoding: 'gsm7' | 'ucs2';
  ref: number;
  total: number;
  seq: number;
}

/** `held`: kept, waiting for the other parts; `repeat`: a part seen before, answered as then. */
export type MoPartOutcome = MoOutcome | { outcome: 'held' } | { outcome: 'repeat'; refused: boolean };

const isOver = (r: MoPartRow, now: Date) =>
  r.state === 'held'
    ? now.getTime() - r.receivedAt.getTime() >= MO_PARTS_WAIT_MS
    : now.getTime() - (r.doneAt ?? r.receivedAt).getTime() >= MO_PARTS_REPEAT_MS;

/**
 * Store what arrived of a message that never completed: one MO with the parts in order, a gap mark
 * where parts are missing, `error` saying which, counted for the parts that arrived (each was
 * accepted and answered when it came).
 */
async function storeIncomplete(ctx: AppContext, db: Db, sim: SimRow, rows: MoPartRow[], now: Date) {
  const held = rows.filter((r) => r.state === 'held').sort((a, b) => a.seq - b.seq);
  const first = held[0];
  if (!first) return null;
  const total = first.total;
  const texts = Array.from({ length: total }, (_, i) => held.find((r) => r.seq === i + 1)?.text ?? '[…]');
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter(
    (seq) => !held.some((r) => r.seq === seq),
  );
  return insertMo(
    ctx,
    db,
    sim,
    {
      from: first.source,
      to: first.destination,
      text: texts.join(''),
      encoding: held.some((r) => r.encoding === 'ucs2') ? 'ucs2' : 'gsm7',
      segments: held.length,
    },
    now,
    `Incomplete: part${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${total} never arrived.`,
  );
}

/** A part of the SIM's (locked by the caller): held, stored with the rest, refused, or a repeat. */
async function takePart(
  ctx: AppContext,
  tx: Db,
  sim: SimRow,
  key: MoKey,
  part: IncomingMoPart,
  now: Date,
): Promise<MoPartOutcome> {
  let rows = await findMoParts(tx, key);
  const same = rows.find((r) => r.seq === part.seq);
  if (rows.some((r) => isOver(r, now)) || (same && same.text !== part.text)) {
    await storeIncomplete(ctx, tx, sim, await deleteMoParts(tx, key), now);
    rows = [];
  } else if (same) {
    return { outcome: 'repeat', refused: same.state === 'refused' };
  }
  const row: MoPartRow = {
    ...key,
    seq: part.seq,
    state: 'held',
    destination: part.to,
    encoding: part.encoding,
    text: part.text,
    receivedAt: now,
    doneAt: null,
  };
  const refusal = await moRefusal(tx, sim, part.total, now);
  if (refusal) {
    await insertMoPart(tx, { ...row, state: 'refused', doneAt: now });
    if (!rows.some((r) => r.state === 'refused')) {
      await recordMoRefusal(tx, sim, { from: part.from, to: part.to, segments: part.total }, refusal, now);
    }
    await finishMoParts(tx, key, 'refused', now);
    return { outcome: 'refused', ...refusal };
  }
  await insertMoPart(tx, row);
  const held = [...rows.filter((r) => r.state === 'held'), row].sort((a, b) => a.seq - b.seq);
  if (held.length < part.total) return { outcome: 'held' };
  await finishMoParts(tx, key, 'stored', now);
  const stored = await insertMo(
    ctx,
    tx,
    sim,
    {
      from: part.from,
      to: held[0]?.destination ?? part.to,
      text: held.map((r) => r.text).join(''),
      encoding: held.some((r) => r.encoding === 'ucs2') ? 'ucs2' : 'gsm7',
      segments: part.total,
    },
    now,
  );
  return { outcome: 'stored', id: stored.id };
}

/**
 * Take one part of a concatenated MO. Each part is checked as it arrives (against the whole
 * message's part count), so every part of a message the SIM may not send is refused, with one event
 * per message. Accepted parts are kept in `sms_mo_parts` until the last one arrives; then the
 * message is stored and counted in the same transaction. A repeated part (same number and text) is
 * answered as before and changes nothing; a part whose number is taken with another text starts a new
 * message (the sender reused the reference), storing what arrived of the old one.
 */
export async function receiveMoPart(
  ctx: AppContext,
  esme: EsmeLink | null,
  part: IncomingMoPart,
): Promise<MoPartOutcome> {
  const now = ctx.clock.now();
  const key: MoKey = {
    smsc: part.smsc,
    source: normaliseMsisdn(part.from),
    ref: part.ref,
    total: part.total,
  };
  const result = await ctx.db.transaction(async (tx): Promise<MoPartOutcome> => {
    // the SIM's row lock serialises the parts of its messages (and the expiry job)
    const sim = await lockSimByMsisdn(tx, part.from);
    if (!sim) return { outcome: 'unknown' };
    const outcome = await takePart(ctx, tx, sim, key, part, now);
    // a new part, sent or refused: the SIM was registered on the network to send it (last: see noteRegistered)
    if (outcome.outcome !== 'repeat') await noteRegistered(tx, [{ iccid: sim.iccid, at: now }], now);
    return outcome;
  });
  if (result.outcome === 'stored') esme?.note('mo');
  if (result.outcome === 'refused') esme?.note('moRefused');
  return result;
}

/**
 * The retention job's part: messages whose parts waited MO_PARTS_WAIT_MS for the rest are stored
 * as what arrived; the parts of finished messages are forgotten after MO_PARTS_REPEAT_MS.
 */
export async function expireMoParts(
  ctx: AppContext,
): Promise<{ incompleteStored: number; forgotten: number }> {
  const now = ctx.clock.now();
  let incompleteStored = 0;
  for (;;) {
    const keys = await staleMoMessages(ctx.db, new Date(now.getTime() - MO_PARTS_WAIT_MS), 100);
    for (const key of keys) {
      await ctx.db.transaction(async (tx) => {
        const sim = await lockSimByMsisdn(tx, key.source);
        const rows = await deleteMoParts(tx, key);
        if (sim && (await storeIncomplete(ctx, tx, sim, rows, now))) incompleteStored++;
      });
    }
    if (keys.length < 100) break;
  }
  const forgotten = await deleteFinishedMoParts(ctx.db, new Date(now.getTime() - MO_PARTS_REPEAT_MS));
  return { incompleteStored, forgotten };
}

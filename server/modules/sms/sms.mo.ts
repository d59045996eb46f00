/**
 * MO SMS (from a SIM, via the SMSC's deliver_sm): stored and counted, or refused when the SIM may not
 * send SMS — not activated, SMS volume used up, or its organisation's monthly MO SMS limit reached.
 * A refusal stores nothing, counts nothing and records event 112 on the SIM saying why; the ESME
 * answers the deliver_sm with ESME_RX_R_APPN so the SMSC gives the message up (no retry).
 * Messages that come in parts are reassembled in sms.mo-parts.ts.
 */
import { eq, sql } from 'drizzle-orm';
import { eventTypes, type MoRefusalCause } from '../../../contracts/events.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { sims } from '../../db/schema/index.js';
import { monthlyBlock } from '../config/config.service.js';
import { event, recordEvents } from '../events/events.service.js';
import { noteRegistered } from '../network/registration.js';
import type { SimRow } from '../sims/sims.repository.js';
import type { EsmeLink } from './esme-link.js';
import { insertSms } from './sms.repository.js';
import { countSmsUsage } from './sms.service.js';

export interface MoRefusal {
  cause: MoRefusalCause;
  reason: string;
}

/** What became of an MO: stored, refused (with why), or no SIM has the sender's MSISDN. */
export type MoOutcome =
  | { outcome: 'stored'; id: string }
  | { outcome: 'unknown' }
  | ({ outcome: 'refused' } & MoRefusal);

/** A complete MO message as the ESME reassembled it. */
export interface IncomingMo {
  from: string;
  to: string;
  text: string;
  encoding: 'gsm7' | 'ucs2';
  segments: number;
}

/** MSISDN as stored on SIMs: digits only, without + or a 00 prefix. */
export function normaliseMsisdn(addr: string): string {
  return addr.replace(/^\+/, '').replace(/^00/, '').replace(/\D/g, '');
}

/** The customer SIM with this MSISDN, locked for the caller's transaction (stock SIMs have no customer). */
export async function lockSimByMsisdn(db: Db, from: string): Promise<SimRow | undefined> {
  const msisdn = normaliseMsisdn(from);
  if (!msisdn) return undefined;
  const [sim] = await db
    .select()
    .from(sims)
    .where(sql`${eq(sims.msisdn, msisdn)} AND ${sims.status} <> 'stock' AND ${sims.orgId} IS NOT NULL`)
    .for('update')
    .limit(1);
  return sim?.orgId ? sim : undefined;
}

/**
 * Why this SIM may not send an MO of `segments` SMS now, or null. Checked in this order: the SIM's
 * state, its SMS volume (it must carry every part, as for MT), the organisation's monthly MO limit.
 */
export async function moRefusal(db: Db, sim: SimRow, segments: number, now: Date): Promise<MoRefusal | null> {
  if (sim.status !== 'activated') {
    return { cause: 'SIM_NOT_ACTIVATED', reason: `the SIM is ${sim.status}` };
  }
  const left = sim.smsTotal - sim.smsUsed;
  if (left < segments) {
    return {
      cause: 'SMS_VOLUME_EXHAUSTED',
      reason:
        left <= 0
          ? `the SMS volume is used up (${sim.smsUsed} of ${sim.smsTotal} SMS)`
          : `the message needs ${segments} SMS but only ${left} of ${sim.smsTotal} are left`,
    };
  }
  const limit = await monthlyBlock(db, { orgId: sim.orgId ?? '', iccid: sim.iccid }, 'sms-mo', now, segments);
  if (limit) return { cause: 'MONTHLY_MO_SMS_LIMIT_REACHED', reason: limit.message };
  return null;
}

/** Record event 112 on the SIM: which MO was refused and why. */
export async function recordMoRefusal(
  db: Db,
  sim: SimRow,
  mo: { from: string; to: string; segments: number },
  refusal: MoRefusal,
  at: Date,
) {
  await recordEvents(db, [
    event({ source: 'network' }, { orgId: sim.orgId ?? '', iccid: sim.iccid }, at, {
      type: eventTypes.smsRefused,
      severity: 'warning',
      description: `MO SMS refused: ${refusal.reason}`,
      details: {
        direction: 'MO',
        cause: refusal.cause,
        from: mo.from,
        to: mo.to,
        segments: mo.segments,
        answer: 'ESME_RX_R_APPN',
      },
    }),
  ]);
}

/** Store an MO (delivered) and count it against the SIM's volume and the month's MO usage. */
export async function insertMo(
  ctx: AppContext,
  db: Db,
  sim: SimRow,
  mo: IncomingMo,
  now: Date,
  error?: string,
) {
  const row = await insertSms(db, {
    orgId: sim.orgId ?? '',
    iccid: sim.iccid,
    direction: 'MO',
    peer: mo.to,
    sourceAddress: sim.msisdn,
    text: mo.text,
    encoding: mo.encoding,
    segments: mo.segments,
    status: 'delivered',
    source: 'network',
    error: error ?? null,
    createdAt: now,
    doneAt: now,
  });
  await countSmsUsage(ctx, db, sim, now, { smsMo: mo.segments });
  return row;
}

/** Take an MO from the SMSC: stored and counted, refused with an event, or unknown sender. */
export async function storeMo(ctx: AppContext, esme: EsmeLink | null, mo: IncomingMo): Promise<MoOutcome> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx): Promise<MoOutcome> => {
    const sim = await lockSimByMsisdn(tx, mo.from);
    if (!sim) return { outcome: 'unknown' };
    const refusal = await moRefusal(tx, sim, mo.segments, now);
    let outcome: MoOutcome;
    if (refusal) {
      await recordMoRefusal(tx, sim, mo, refusal, now);
      outcome = { outcome: 'refused', ...refusal };
    } else {
      const row = await insertMo(ctx, tx, sim, mo, now);
      outcome = { outcome: 'stored', id: row.id };
    }
    // sent, refused or not: the SIM was registered on the network to send it (last: see noteRegistered)
    await noteRegistered(tx, [{ iccid: sim.iccid, at: now }], now);
    return outcome;
  });
  if (result.outcome === 'stored') esme?.note('mo');
  if (result.outcome === 'refused') esme?.note('moRefused');
  return result;
}

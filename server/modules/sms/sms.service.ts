/**
 * SMS of a SIM, the MT side: send (stored pending, submitted by the `smpp` role from the outbox),
 * list, read, cancel, count against the volume, and fail. Receipts are in sms.receipts.ts, MO in
 * sms.mo.ts, the operator's SMSC connection in sms.smsc.ts.
 */
import { eventTypes } from '../../../contracts/events.js';
import type { SendSmsRequest, SmsMessage } from '../../../contracts/sms.js';
import { countSegments } from '../../../contracts/sms-encoding.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, notFound } from '../../lib/errors.js';
import type { Principal } from '../auth/auth.service.js';
import { monthlyBlock, noteLimitsReached } from '../config/config.service.js';
import { event, recordEvents } from '../events/events.service.js';
import { findSim, lockSim, type SimRow } from '../sims/sims.repository.js';
import { actorOf } from '../sims/sims.service.js';
import { addUsage, usageSlot } from '../usage/usage.repository.js';
import { applyVolumeEffects } from '../usage/volume.service.js';
import { localSmpp } from './smpp-registry.js';
import { findSms, insertSms, pageSms, type SmsRow, updateSms } from './sms.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentSms(r: SmsRow): SmsMessage {
  const parts =
    r.direction === 'MO'
      ? []
      : Array.from({ length: r.segments }, (_, i) => ({
          smscId: r.smscIds[i] ?? null,
          state: (r.partStates[i] ?? 'pending') as SmsMessage['parts'][number]['state'],
        }));
  return {
    id: r.id,
    iccid: r.iccid,
    direction: r.direction,
    peer: r.peer,
    from: r.sourceAddress,
    to: r.peer,
    text: r.text,
    encoding: r.encoding,
    segments: r.segments,
    status: r.status,
    parts,
    error: r.error,
    actor: r.actorName,
    createdAt: r.createdAt.toISOString(),
    submittedAt: iso(r.submittedAt),
    doneAt: iso(r.doneAt),
  };
}

/** A page of a SIM's SMS, newest first, with the SIM's SMS volume. */
export async function listSms(
  ctx: AppContext,
  orgId: string,
  iccid: string,
  q: { direction?: 'MT' | 'MO'; page: number; pageSize: number },
) {
  const sim = await findSim(ctx.db, orgId, iccid);
  if (!sim) throw notFound('SIM');
  const { items, total } = await pageSms(ctx.db, orgId, iccid, q);
  return {
    items: items.map(presentSms),
    total,
    page: q.page,
    pageSize: q.pageSize,
    volume: { smsTotal: sim.smsTotal, smsUsed: sim.smsUsed },
    defaultSource: ctx.config.SMPP_SOURCE_ADDR,
  };
}

export async function getSms(ctx: AppContext, orgId: string, iccid: string, id: string) {
  const row = await findSms(ctx.db, orgId, iccid, id);
  if (!row) throw notFound('SMS');
  return presentSms(row);
}

/**
 * Count SMS against a SIM's volume (and hourly and daily usage, in the hour of `countedAt`, by default
 * `at`: a refund goes back to the hour its SMS was counted in); crossing 20 % left or nothing left raises its
 * event, the volume mail and auto top-up once (applyVolumeEffects), and a reached monthly limit its
 * mail. Negative counts give volume back (a cancelled or failed MT).
 */
export async function countSmsUsage(
  ctx: AppContext,
  db: Db,
  sim: SimRow,
  at: Date,
  delta: { smsMt?: number; smsMo?: number; countedAt?: Date },
) {
  const mt = delta.smsMt ?? 0;
  const mo = delta.smsMo ?? 0;
  if (mt === 0 && mo === 0) return;
  const orgId = sim.orgId ?? '';
  const crossings = await addUsage(db, [
    {
      orgId,
      iccid: sim.iccid,
      ...usageSlot(delta.countedAt ?? at),
      dataUp: 0,
      dataDown: 0,
      smsMt: mt,
      smsMo: mo,
    },
  ]);
  await applyVolumeEffects(ctx, db, crossings, at);
  if (mt > 0 || mo > 0) await noteLimitsReached(ctx, db, [orgId], at);
}

/**
 * Refuse an MT when the organisation's monthly MT SMS limit is reached, or would be passed by its
 * `segments` parts (Configuration → limits).
 */
export async function enforceMonthlySmsLimit(db: Db, sim: SimRow, segments: number, at: Date): Promise<void> {
  const block = await monthlyBlock(db, { orgId: sim.orgId ?? '', iccid: sim.iccid }, 'sms-mt', at, segments);
  if (!block) return;
  // an MT can only be held back by the organisation's monthly MT limit (monthlyBlock)
  throw new AppError('sms_limit_reached', `SMS to SIM ${sim.iccid} refused: ${block.message}.`, {
    errors: [
      block.left
        ? {
            field: 'text',
            message: block.message,
            reason: 'sms_mt_monthly_limit_short',
            params: { month: block.month, left: block.left, need: segments },
          }
        : {
            field: 'text',
            message: block.message,
            reason: 'sms_mt_monthly_limit',
            params: { month: block.month },
          },
    ],
  });
}

/** Refuse an MT when the SIM's SMS volume cannot carry all of its parts. */
function checkSmsVolume(sim: SimRow, segments: number) {
  const left = sim.smsTotal - sim.smsUsed;
  if (left >= segments) return;
  const detail =
    left <= 0
      ? `The SMS volume of SIM ${sim.iccid} is used up (${sim.smsUsed} of ${sim.smsTotal} SMS). Top up SMS volume to send again.`
      : `This message needs ${segments} SMS but SIM ${sim.iccid} has only ${left} of ${sim.smsTotal} left. Shorten it or top up SMS volume.`;
  throw new AppError('sms_volume_exhausted', detail, {
    errors: [
      { field: 'text', message: `needs ${segments} SMS, ${Math.max(0, left)} left in the SMS volume` },
    ],
  });
}

/** Queue an MT SMS to a SIM: validated, counted against its volume, stored pending for the ESME. */
export async function sendSms(ctx: AppContext, principal: Principal, iccid: string, req: SendSmsRequest) {
  const now = ctx.clock.now();
  const count = countSegments(req.text);
  const actor = actorOf(principal);
  const row = await ctx.db.transaction(async (tx) => {
    const sim = await lockSim(tx, principal.orgId, iccid);
    if (!sim) throw notFound('SIM');
    if (sim.status !== 'activated') {
      throw conflict(
        'sms_sim_not_activated',
        { iccid: sim.iccid, status: sim.status },
        `SIM ${sim.iccid} is ${sim.status}: SMS can only be sent to an activated SIM.`,
      );
    }
    checkSmsVolume(sim, count.segments);
    await enforceMonthlySmsLimit(tx, sim, count.segments, now);
    const created = await insertSms(tx, {
      orgId: principal.orgId,
      iccid: sim.iccid,
      direction: 'MT',
      peer: sim.msisdn,
      sourceAddress: req.sourceAddress ?? ctx.config.SMPP_SOURCE_ADDR,
      text: req.text,
      encoding: count.encoding,
      segments: count.segments,
      status: 'pending',
      ref: Math.floor(Math.random() * 256),
      source: actor.source === 'api' ? 'api' : 'user',
      actorId: actor.id ?? null,
      actorName: actor.name ?? null,
      createdAt: now,
    });
    await countSmsUsage(ctx, tx, sim, now, { smsMt: count.segments });
    return created;
  });
  localSmpp()?.wake();
  return presentSms(row);
}

/**
 * DELETE of a message: a pending MT (not yet claimed by the submitter) is cancelled and its SMS volume
 * given back; any other message is removed from the SIM's list (its usage stays counted).
 */
export async function deleteSms(ctx: AppContext, principal: Principal, iccid: string, id: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const row = await findSms(tx, principal.orgId, iccid, id, true);
    if (!row) throw notFound('SMS');
    if (row.direction === 'MT' && row.status === 'pending') {
      if (row.leaseUntil && row.leaseUntil > now) {
        throw conflict(
          'sms_being_submitted',
          {},
          'This SMS is being submitted to the SMS centre right now; it can no longer be cancelled.',
        );
      }
      const sim = await lockSim(tx, principal.orgId, iccid);
      const updated = await updateSms(tx, row.id, { status: 'cancelled', doneAt: now, error: null });
      if (sim) await countSmsUsage(ctx, tx, sim, now, { smsMt: -row.segments, countedAt: row.createdAt });
      return { outcome: 'cancelled' as const, message: presentSms(updated ?? row) };
    }
    await updateSms(tx, row.id, { hiddenAt: now });
    return { outcome: 'removed' as const, message: presentSms(row) };
  });
}

/**
 * An MT the SMSC refused (`smscStatus`, its command status by name) or that could not be submitted
 * after many tries (`attempts`): failed, volume given back, an event that says which.
 */
export async function failMt(
  ctx: AppContext,
  row: SmsRow,
  reason: string,
  cause: { smscStatus: string } | { attempts: number },
) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const current = await findSms(tx, row.orgId, row.iccid, row.id, true);
    if (current?.status !== 'pending') return;
    await updateSms(tx, row.id, {
      status: 'failed',
      error: reason.slice(0, 300),
      doneAt: now,
      leaseUntil: null,
    });
    const sim = await lockSim(tx, row.orgId, row.iccid);
    if (sim) await countSmsUsage(ctx, tx, sim, now, { smsMt: -row.segments, countedAt: row.createdAt });
    await recordEvents(tx, [
      event({ source: 'network' }, { orgId: row.orgId, iccid: row.iccid }, now, {
        type: eventTypes.smsNotDelivered,
        severity: 'warning',
        description:
          'attempts' in cause
            ? `SMS not sent: given up after ${cause.attempts} attempts (${reason})`
            : `SMS not sent, refused by the SMSC: ${cause.smscStatus}`,
        details: {
          smsId: row.id,
          status: 'failed',
          segments: row.segments,
          reason: reason.slice(0, 300),
          ...cause,
        },
      }),
    ]);
  });
  localSmpp()?.esme.note('failed');
}

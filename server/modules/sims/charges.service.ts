/**
 * What a customer buys for a SIM beyond its product: a top-up (another data and SMS package, PRODUCT.md
 * §3 Volume) and a lifetime extension (a new period that keeps the remaining volume). Each is recorded
 * in `sim_charges` so orders and invoices can bill it.
 */
import { eventTypes } from '../../../contracts/events.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { conflict, notFound } from '../../lib/errors.js';
import type { Principal } from '../auth/auth.service.js';
import { type Actor, event, recordEvents } from '../events/events.service.js';
import { addVolumes, insertCharges } from './charges.repository.js';
import { presentDetail } from './sims.presenter.js';
import { lockSim, type SimRow, updateSim } from './sims.repository.js';
import { actorOf } from './sims.service.js';

const MB = 1024 * 1024;
/** How long before the end of life a lifetime may be extended early. */
export const extendableMonthsBefore = 3;
/** How long after expiry an extension can still bring a SIM back (PRODUCT.md §3). */
export const graceMonths = 18;

function addMonths(d: Date, months: number): Date {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + months);
  return r;
}

function chargeSource(actor: Actor): 'user' | 'api' | 'auto' {
  return actor.source === 'user' ? 'user' : actor.source === 'api' ? 'api' : 'auto';
}

/** The package one top-up adds, from the configuration (OPENCMP_TOPUP_DATA_MB, OPENCMP_TOPUP_SMS). */
export function topUpPackage(ctx: AppContext) {
  return {
    dataMb: ctx.config.OPENCMP_TOPUP_DATA_MB,
    dataBytes: ctx.config.OPENCMP_TOPUP_DATA_MB * MB,
    sms: ctx.config.OPENCMP_TOPUP_SMS,
  };
}

/** Why a SIM may not be topped up, or null when it may. */
function topUpRefusal(sim: SimRow): string | null {
  return sim.status === 'expired'
    ? `SIM ${sim.iccid} is expired: extend its lifetime before topping it up.`
    : null;
}

/**
 * Add one top-up package to each of a set of locked SIMs inside the caller's transaction, in a fixed
 * number of statements (the volumes, their events, the charges): the volume grows at once, so a SIM that
 * had used everything may attach and send again. Expired SIMs are refused with the reason. Used by the
 * portal and the API (one SIM), bulk top-up jobs and auto top-up.
 */
export async function applyTopUps(
  ctx: AppContext,
  db: Db,
  locked: SimRow[],
  actor: Actor,
  now: Date,
): Promise<{ toppedUp: SimRow[]; refused: { iccid: string; reason: string }[] }> {
  const refused: { iccid: string; reason: string }[] = [];
  const allowed: SimRow[] = [];
  for (const sim of locked) {
    const reason = topUpRefusal(sim);
    if (reason) refused.push({ iccid: sim.iccid, reason });
    else allowed.push(sim);
  }
  if (allowed.length === 0) return { toppedUp: [], refused };
  const { dataMb, dataBytes, sms: smsCount } = topUpPackage(ctx);
  const toppedUp = await addVolumes(
    db,
    allowed.map((s) => s.iccid),
    dataBytes,
    smsCount,
  );
  const source = chargeSource(actor);
  await recordEvents(
    db,
    allowed.flatMap((sim) => {
      const owner = { orgId: sim.orgId ?? '', iccid: sim.iccid };
      return [
        event(actor, owner, now, {
          type: eventTypes.dataQuotaAssigned,
          description: `Top-up: ${dataMb} MB data added`,
          details: { bytes: dataBytes, totalBefore: sim.dataTotal, totalAfter: sim.dataTotal + dataBytes },
        }),
        event(actor, owner, now, {
          type: eventTypes.smsQuotaAssigned,
          description: `Top-up: ${smsCount} SMS added`,
          details: { count: smsCount, totalBefore: sim.smsTotal, totalAfter: sim.smsTotal + smsCount },
        }),
      ];
    }),
  );
  await insertCharges(
    db,
    allowed.map((sim) => ({
      orgId: sim.orgId ?? '',
      iccid: sim.iccid,
      kind: 'top-up' as const,
      dataBytes,
      smsCount,
      source,
      actorId: actor.id ?? null,
      actorName: actor.name ?? null,
      createdAt: now,
    })),
  );
  return { toppedUp, refused };
}

/** Add one top-up package to a locked SIM inside the caller's transaction; an expired SIM is a 409. */
export async function applyTopUp(
  ctx: AppContext,
  db: Db,
  sim: SimRow,
  actor: Actor,
  now: Date,
): Promise<SimRow> {
  const { toppedUp, refused } = await applyTopUps(ctx, db, [sim], actor, now);
  if (refused[0]) throw conflict('top_up_expired', { iccid: refused[0].iccid }, refused[0].reason);
  return toppedUp[0] ?? sim;
}

/** Top up one of the organisation's SIMs. */
export async function topUpSim(ctx: AppContext, principal: Principal, iccid: string) {
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const sim = await lockSim(tx, principal.orgId, iccid);
    if (!sim) throw notFound('SIM');
    return applyTopUp(ctx, tx, sim, actorOf(principal), now);
  });
  return presentDetail(updated, now);
}

/**
 * Extend a SIM's lifetime: an expired SIM (within the grace period) starts a new period now and is
 * activated again; a SIM in its last months gets the new period added to its current end. The remaining
 * volume stays as it is.
 */
export async function extendSim(ctx: AppContext, principal: Principal, iccid: string) {
  const now = ctx.clock.now();
  const months = ctx.config.OPENCMP_EXTENSION_MONTHS;
  const actor = actorOf(principal);
  const updated = await ctx.db.transaction(async (tx) => {
    const sim = await lockSim(tx, principal.orgId, iccid);
    if (!sim) throw notFound('SIM');
    const end = sim.endOfLife ?? now;
    const expired = sim.status === 'expired' || end <= now;
    if (expired && addMonths(end, graceMonths) < now) {
      throw conflict(
        'extension_too_late',
        { iccid: sim.iccid, months: graceMonths },
        `SIM ${sim.iccid} expired more than ${graceMonths} months ago and can no longer be extended.`,
      );
    }
    if (!expired && end > addMonths(now, extendableMonthsBefore)) {
      throw conflict(
        'extension_too_early',
        { iccid: sim.iccid, months: extendableMonthsBefore, end: end.toISOString().slice(0, 10) },
        `SIM ${sim.iccid} can be extended in the last ${extendableMonthsBefore} months of its lifetime (it ends ${end.toISOString().slice(0, 10)}).`,
      );
    }
    const endOfLife = addMonths(expired ? now : end, months);
    const row = await updateSim(tx, principal.orgId, sim.iccid, {
      endOfLife,
      expiryNotice: null,
      ...(expired ? { status: 'activated' as const, activatedAt: now } : {}),
    });
    const owner = { orgId: principal.orgId, iccid: sim.iccid };
    await recordEvents(tx, [
      event(actor, owner, now, {
        type: eventTypes.lifetimeExtended,
        description: `Lifetime extended by ${months} months to ${endOfLife.toISOString().slice(0, 10)}`,
        details: {
          endOfLifeBefore: sim.endOfLife?.toISOString() ?? null,
          endOfLife: endOfLife.toISOString(),
          months,
        },
      }),
      ...(expired
        ? [event(actor, owner, now, { type: eventTypes.simActivation, description: 'SIM activated' })]
        : []),
    ]);
    await insertCharges(tx, [
      {
        orgId: principal.orgId,
        iccid: sim.iccid,
        kind: 'extension',
        months,
        source: chargeSource(actor),
        actorId: actor.id ?? null,
        actorName: actor.name ?? null,
        createdAt: now,
      },
    ]);
    return row ?? sim;
  });
  return presentDetail(updated, now);
}

/**
 * SMS of a SIM: send MT (stored pending, submitted by the `smpp` role from the outbox), list, cancel,
 * delivery receipts and MO SMS from the SMSC, and the operator's view of the SMSC connection.
 */
import { eventTypes } from '../../../contracts/events.js';
import type { SendSmsRequest, SmscStatus, SmsMessage, UpdateSmscRequest } from '../../../contracts/sms.js';
import { countSegments } from '../../../contracts/sms-encoding.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { AppError, invalidField, notFound } from '../../lib/errors.js';
import { maskSmppUrl, parseSmppUrl } from '../../network/smpp/pdu.js';
import { localSmpp, simulatorSmscUrl } from '../../network/smpp/registry.js';
import type { DeliverSm, Esme } from '../../network/smpp/session.js';
import type { Principal } from '../auth/auth.service.js';
import { monthlyBlock, noteLimitsReached } from '../config/config.service.js';
import type { NewEvent } from '../events/events.repository.js';
import { event, recordEvents } from '../events/events.service.js';
import { findSim, lockSim, type SimRow } from '../sims/sims.repository.js';
import { actorOf } from '../sims/sims.service.js';
import { addUsage } from '../usage/usage.repository.js';
import { applyVolumeEffects } from '../usage/volume.service.js';
import {
  findSms,
  insertSms,
  lockBySmscIds,
  outboxSize,
  pageSms,
  readSmscSettings,
  type SmsRow,
  updateReceiptStates,
  updateSms,
  writeSmscUrl,
} from './sms.repository.js';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
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
  };
}

export async function getSms(ctx: AppContext, orgId: string, iccid: string, id: string) {
  const row = await findSms(ctx.db, orgId, iccid, id);
  if (!row) throw notFound('SMS');
  return presentSms(row);
}

/**
 * Count SMS against a SIM's volume (and daily usage); crossing 20 % left or nothing left raises its
 * event, the volume mail and auto top-up once (applyVolumeEffects), and a reached monthly limit its
 * mail. Negative counts give volume back (a cancelled or failed MT).
 */
export async function countSmsUsage(
  ctx: AppContext,
  db: Db,
  sim: SimRow,
  at: Date,
  delta: { smsMt?: number; smsMo?: number; day?: string },
) {
  const mt = delta.smsMt ?? 0;
  const mo = delta.smsMo ?? 0;
  if (mt === 0 && mo === 0) return;
  const orgId = sim.orgId ?? '';
  const crossings = await addUsage(db, [
    { orgId, iccid: sim.iccid, day: delta.day ?? isoDay(at), dataUp: 0, dataDown: 0, smsMt: mt, smsMo: mo },
  ]);
  await applyVolumeEffects(ctx, db, crossings, at);
  if (mt > 0 || mo > 0) await noteLimitsReached(ctx, db, [orgId], at);
}

/** Refuse an MT when the organisation's monthly MT SMS limit is reached (Configuration → limits). */
export async function enforceMonthlySmsLimit(db: Db, sim: SimRow, at: Date): Promise<void> {
  const reason = await monthlyBlock(db, { orgId: sim.orgId ?? '', iccid: sim.iccid }, 'sms-mt', at);
  if (!reason) return;
  throw new AppError('sms_limit_reached', `SMS to SIM ${sim.iccid} refused: ${reason}.`, {
    errors: [{ field: 'text', message: reason }],
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
      throw new AppError(
        'conflict',
        `SIM ${sim.iccid} is ${sim.status}: SMS can only be sent to an activated SIM.`,
      );
    }
    checkSmsVolume(sim, count.segments);
    await enforceMonthlySmsLimit(tx, sim, now);
    const created = await insertSms(tx, {
      orgId: principal.orgId,
      iccid: sim.iccid,
      direction: 'MT',
      peer: sim.msisdn,
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
        throw new AppError(
          'conflict',
          'This SMS is being submitted to the SMS centre right now; it can no longer be cancelled.',
        );
      }
      const sim = await lockSim(tx, principal.orgId, iccid);
      const updated = await updateSms(tx, row.id, { status: 'cancelled', doneAt: now, error: null });
      if (sim) await countSmsUsage(ctx, tx, sim, now, { smsMt: -row.segments, day: isoDay(row.createdAt) });
      return { outcome: 'cancelled' as const, message: presentSms(updated ?? row) };
    }
    await updateSms(tx, row.id, { hiddenAt: now });
    return { outcome: 'removed' as const, message: presentSms(row) };
  });
}

// ---- from the SMSC -------------------------------------------------------------------------------

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
}

/** What a deliver_sm receipt says, or null when it carries no id or no final state (answered and dropped). */
export function parseReceipt(d: DeliverSm): Receipt | null {
  const smscId = receiptId(d);
  const state = receiptState(d);
  if (!smscId || !state) return null;
  return {
    smscId,
    state,
    stat: /\bstat:(\S+)/.exec(d.text)?.[1],
    err: /\berr:(\S+)/.exec(d.text)?.[1],
  };
}

/**
 * Apply a batch of receipts in one transaction: each part takes its state; a message whose parts are
 * all final becomes delivered (all delivered), failed (any failed) or expired, with an event.
 * Returns the SMSC ids no MT carries (yet) — the caller retries those briefly.
 */
export async function applyReceipts(
  ctx: AppContext,
  esme: Esme | null,
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
    const changed = new Map<string, { row: SmsRow; partStates: string[]; last: Receipt }>();
    for (const r of receipts) {
      const row = byId.get(r.smscId);
      if (!row) continue;
      unmatched.delete(r.smscId);
      const entry = changed.get(row.id) ?? { row, partStates: [...row.partStates], last: r };
      entry.partStates[row.smscIds.indexOf(r.smscId)] = r.state;
      if (r.state !== 'delivered' || entry.last.state === 'delivered') entry.last = r;
      changed.set(row.id, entry);
    }
    const updates: {
      id: string;
      partStates: string[];
      status: SmsRow['status'];
      error: string | null;
      done: boolean;
    }[] = [];
    const events: NewEvent[] = [];
    for (const { row, partStates, last } of changed.values()) {
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
      updates.push({ id: row.id, partStates, status, error, done: status !== row.status });
      if (status === row.status) continue;
      const delivered = status === 'delivered';
      outcomes.push(delivered ? 'delivered' : 'failed');
      events.push(
        event({ source: 'network' }, { orgId: row.orgId, iccid: row.iccid }, now, {
          type: delivered ? eventTypes.smsDelivered : eventTypes.smsNotDelivered,
          severity: delivered ? 'info' : 'warning',
          description: delivered
            ? `SMS delivered (${row.segments} ${row.segments === 1 ? 'part' : 'parts'})`
            : `SMS ${status === 'expired' ? 'expired' : 'not delivered'}${stat ? `: ${stat}` : ''}`,
          details: { smsId: row.id, status, segments: row.segments, smscIds: row.smscIds },
        }),
      );
    }
    await updateReceiptStates(tx, updates, now);
    await recordEvents(tx, events);
  });
  for (const o of outcomes) esme?.note(o);
  return unmatched;
}

// ---- operator console ----------------------------------------------------------------------------

/** The SMSC URL in force: the console's setting over SMPP_URL. */
export async function effectiveSmscUrl(
  ctx: AppContext,
): Promise<{ url: string | null; source: SmscStatus['urlSource'] }> {
  const row = await readSmscSettings(ctx.db);
  if (row?.url) return { url: row.url, source: 'console' };
  if (ctx.config.SMPP_URL) return { url: ctx.config.SMPP_URL, source: 'environment' };
  const simulated = simulatorSmscUrl();
  if (simulated) return { url: simulated, source: 'simulator' };
  return { url: null, source: 'none' };
}

const emptyCounters = {
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

/** Live state of the ESME: from this process when it runs the `smpp` role, else the last report in the database. */
export async function smscStatus(ctx: AppContext): Promise<SmscStatus> {
  const { url, source } = await effectiveSmscUrl(ctx);
  const outbox = await outboxSize(ctx.db);
  const local = localSmpp();
  if (local) {
    const s = local.esme.status();
    return {
      url: maskSmppUrl(url),
      urlSource: source,
      ...s,
      reportedAt: ctx.clock.now().toISOString(),
      outbox,
    };
  }
  const row = await readSmscSettings(ctx.db);
  const reported = row?.status as Partial<ReturnType<Esme['status']>> | null | undefined;
  const fresh = row?.statusAt && ctx.clock.now().getTime() - row.statusAt.getTime() < 15_000;
  return {
    url: maskSmppUrl(url),
    urlSource: source,
    state: fresh && reported?.state ? reported.state : 'disconnected',
    lastError: fresh
      ? (reported?.lastError ?? null)
      : row?.statusAt
        ? 'the process running the smpp role stopped reporting'
        : 'no process runs the smpp role',
    since: reported?.since ?? null,
    reportedAt: iso(row?.statusAt ?? null),
    counters: { ...emptyCounters, ...(reported?.counters ?? {}) },
    throughput: reported?.throughput ?? { submitPerSecond: 0, deliverPerSecond: 0 },
    window: reported?.window ?? { size: 0, outstanding: 0, queued: 0 },
    outbox,
  };
}

/** Change (or clear) the console's SMSC URL; the ESME rebinds within seconds. */
export async function updateSmsc(ctx: AppContext, principal: Principal, req: UpdateSmscRequest) {
  const url = req.url ? req.url : null;
  if (url) {
    try {
      parseSmppUrl(url);
    } catch (err) {
      throw invalidField('url', (err as Error).message);
    }
  }
  const by = principal.kind === 'client' ? principal.clientId : principal.user.email;
  await writeSmscUrl(ctx.db, url, by, ctx.clock.now());
  localSmpp()?.reload();
  return smscStatus(ctx);
}

/** An MT the SMSC refused (or that could not be submitted after many tries): failed, volume given back, an event. */
export async function failMt(ctx: AppContext, row: SmsRow, reason: string) {
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
    if (sim) await countSmsUsage(ctx, tx, sim, now, { smsMt: -row.segments, day: isoDay(row.createdAt) });
    await recordEvents(tx, [
      event({ source: 'network' }, { orgId: row.orgId, iccid: row.iccid }, now, {
        type: eventTypes.smsNotDelivered,
        severity: 'warning',
        description: `SMS not sent: ${reason}`,
        details: { smsId: row.id, status: 'failed', segments: row.segments },
      }),
    ]);
  });
  localSmpp()?.esme.note('failed');
}

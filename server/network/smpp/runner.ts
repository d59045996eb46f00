/**
 * The `smpp` role: runs the ESME against the SMSC in force (console setting over SMPP_URL), drains the
 * MT outbox through it, turns deliver_sm into receipts and MO SMS, and reports its state to the
 * database so a console in another process can show it.
 */
import type { AppContext } from '../../context.js';
import type { DeliverSm } from '../../modules/sms/esme-link.js';
import { setLocalSmpp } from '../../modules/sms/smpp-registry.js';
import { storeMo } from '../../modules/sms/sms.mo.js';
import { type MoPartOutcome, receiveMoPart } from '../../modules/sms/sms.mo-parts.js';
import { applyReceipts, parseReceipt, type Receipt } from '../../modules/sms/sms.receipts.js';
import {
  claimOutbox,
  markSubmitted,
  type OutboxRelease,
  releaseOutbox,
  type SmsRow,
  writeSmscStatus,
} from '../../modules/sms/sms.repository.js';
import { failMt } from '../../modules/sms/sms.service.js';
import { effectiveSmscUrl } from '../../modules/sms/sms.smsc.js';
import { parseSmppUrl, type SmppTarget } from '../../modules/sms/smsc-url.js';
import { encodeSms } from './codec.js';
import { status, statusName } from './pdu.js';
import { Esme } from './session.js';
import { type EsmeOptions, SubmitError } from './types.js';

export interface SmppRunnerOptions {
  /** Outbox poll interval when nothing wakes it (ms). */
  pollMs?: number;
  /** How often the state is written to the database and the URL setting re-read (ms). */
  statusMs?: number;
  /** How long a claimed MT stays with this submitter before another may take it (ms). */
  leaseMs?: number;
  /** How long an unmatched receipt waits for its submit to be stored (ms). */
  receiptWaitMs?: number;
  esme?: Partial<Omit<EsmeOptions, 'url' | 'onDeliver'>>;
}

export interface SmppRunner {
  esme: Esme;
  stop(): Promise<void>;
}

const maxAttempts = 20;

/**
 * The deliver_sm_resp status for an MO: stored → 0; no SIM has the sender's MSISDN → ESME_RINVSRCADR;
 * refused by policy (SIM not activated, SMS volume used up, monthly MO limit) → ESME_RX_R_APPN, the
 * "ESME rejects this message" status that SMSCs treat as final — ESME_RX_T_APPN (0x64) would make the
 * SMSC retry a message that cannot succeed until someone tops up, and ESME_RX_P_APPN reports a fault
 * in the ESME's application rather than a deliberate refusal.
 */
function moAnswer(o: MoPartOutcome): number {
  switch (o.outcome) {
    case 'stored':
    case 'held':
      return status.ok;
    case 'repeat':
      return o.refused ? status.deliveryRejected : status.ok;
    case 'unknown':
      return status.invalidSourceAddress;
    case 'refused':
      return status.deliveryRejected;
  }
}

/** The last URL `targetOf` parsed, and what came of it. */
let parsed: { url: string | null; target: SmppTarget | null } = { url: null, target: null };

/**
 * The SMSC's URL parsed, or null (none, or not valid: the ESME does not bind then). Asked for every
 * deliver_sm, so the parse of the URL in use is kept (a zone's check builds a formatter, ~0.15 ms).
 */
function targetOf(url: string | null): SmppTarget | null {
  if (url !== parsed.url) {
    let target: SmppTarget | null = null;
    try {
      target = url ? parseSmppUrl(url) : null;
    } catch {}
    parsed = { url, target };
  }
  return parsed.target;
}

/** The SMSC's identity for MO part keys: host:port/system_id (references are per SMSC and sender). */
function smscKey(url: string | null): string {
  const t = targetOf(url);
  return t ? `${t.host}:${t.port}/${t.systemId}` : '';
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start the ESME and its outbox; returns a stop function that lets submits in flight finish. */
export async function startSmpp(ctx: AppContext, opts: SmppRunnerOptions = {}): Promise<SmppRunner> {
  const pollMs = opts.pollMs ?? 500;
  const statusMs = opts.statusMs ?? 2000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const receiptWaitMs = opts.receiptWaitMs ?? 5000;
  // the sender of MTs stored before each kept its own (migration 0024)
  const source = ctx.config.SMPP_SOURCE_ADDR;
  let stopped = false;

  // Receipts are applied in batches (one transaction each) and answered after their batch commits;
  // a receipt whose submit is not stored yet waits for it up to receiptWaitMs, then is answered and dropped.
  const receiptQueue: { r: Receipt; resolve: (status: number) => void; until: number }[] = [];
  let receiptTimer: NodeJS.Timeout | null = null;
  let applying = false;
  const scheduleReceipts = (ms: number) => {
    if (receiptTimer || applying) return;
    receiptTimer = setTimeout(() => void applyQueued(), ms);
  };
  const applyQueued = async () => {
    receiptTimer = null;
    applying = true;
    const batch = receiptQueue.splice(0, 500);
    try {
      const unmatched = await applyReceipts(
        ctx,
        esme,
        batch.map((b) => b.r),
      );
      const now = Date.now();
      for (const b of batch) {
        if (!unmatched.has(b.r.smscId) || now > b.until || stopped) b.resolve(status.ok);
        else receiptQueue.push(b);
      }
    } catch {
      for (const b of batch) b.resolve(status.deliveryFailedTemporary); // the SMSC will resend it
    } finally {
      applying = false;
    }
    if (receiptQueue.length > 0) scheduleReceipts(receiptQueue.length >= 200 ? 0 : 50);
  };

  const onDeliver = async (d: DeliverSm): Promise<number> => {
    if (d.receipt) {
      const r = parseReceipt(d, targetOf(esme.currentUrl)?.receiptZone);
      if (!r) return status.ok; // no id or no final state: answered, nothing to change
      return new Promise<number>((resolve) => {
        receiptQueue.push({ r, resolve, until: Date.now() + receiptWaitMs });
        scheduleReceipts(receiptQueue.length >= 200 ? 0 : 10);
      });
    }
    const encoding = (d.dataCoding & 0x0f) === 8 ? 'ucs2' : 'gsm7';
    if (d.concat && d.concat.total > 1) {
      return moAnswer(
        await receiveMoPart(ctx, esme, {
          smsc: smscKey(esme.currentUrl),
          from: d.sourceAddr,
          to: d.destinationAddr,
          text: d.text,
          encoding,
          ...d.concat,
        }),
      );
    }
    return moAnswer(
      await storeMo(ctx, esme, {
        from: d.sourceAddr,
        to: d.destinationAddr,
        text: d.text,
        encoding,
        segments: 1,
      }),
    );
  };

  const initial = await effectiveSmscUrl(ctx);
  const esme = new Esme({ url: initial.url, onDeliver, window: ctx.config.SMPP_WINDOW, ...opts.esme });

  // -- outbox ------------------------------------------------------------------------------------
  const inflight = new Set<Promise<void>>();
  // outcomes are stored in batches (one statement each): submitted with SMSC ids, or released for a retry
  let marks: { id: string; smscIds: string[] }[] = [];
  let releases: OutboxRelease[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = () => {
    flushTimer = null;
    const done = marks;
    const retry = releases;
    marks = [];
    releases = [];
    flushing = flushing.then(async () => {
      await markSubmitted(ctx.db, done, ctx.clock.now()).catch(() => {});
      await releaseOutbox(ctx.db, retry).catch(() => {}); // else the lease runs out and frees them
    });
  };
  const scheduleFlush = () => {
    if (marks.length + releases.length >= 200) flush();
    else flushTimer ??= setTimeout(flush, 10);
  };
  const submitRow = async (row: SmsRow) => {
    const { parts } = encodeSms(row.text, row.ref);
    try {
      const ids = await Promise.all(
        parts.map((part) =>
          esme.submit({ destination: row.peer, source: row.sourceAddress ?? source, part }),
        ),
      );
      marks.push({ id: row.id, smscIds: ids });
      scheduleFlush();
    } catch (err) {
      const e = err as Error;
      const final = e instanceof SubmitError && !e.retriable;
      if (final || row.attempts >= maxAttempts) {
        const cause =
          final && e.commandStatus !== undefined
            ? { smscStatus: statusName(e.commandStatus) }
            : { attempts: row.attempts };
        await failMt(ctx, row, e.message, cause).catch(() => {});
      } else {
        // a refusal while bound backs off; a lost bind or a stop retries as soon as a bind is back
        const backoff =
          esme.state === 'bound' && !stopped ? Math.min(300_000, 1000 * 2 ** Math.min(row.attempts, 8)) : 0;
        releases.push({
          id: row.id,
          nextAttemptAt: new Date(ctx.clock.now().getTime() + backoff),
          error: e.message.slice(0, 300),
        });
        scheduleFlush();
      }
    }
  };

  let wakeUp: (() => void) | null = null;
  const wake = () => {
    const w = wakeUp;
    wakeUp = null;
    w?.();
  };
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const drain = async () => {
    while (!stopped) {
      try {
        if (esme.state !== 'bound') {
          await idle(pollMs);
          continue;
        }
        // refill when half the room is free: one claim per batch, not one per answered submit
        const batch = Math.ceil(esme.maxPending() / 2);
        if (esme.capacity() < batch) {
          await Promise.race([esme.whenRoom(batch), sleep(pollMs)]);
          continue;
        }
        const rows = await claimOutbox(ctx.db, ctx.clock.now(), leaseMs, Math.min(esme.capacity(), 500));
        if (rows.length === 0) {
          await idle(pollMs);
          continue;
        }
        for (const row of rows) {
          const p = submitRow(row).finally(() => inflight.delete(p));
          inflight.add(p);
        }
      } catch {
        await idle(pollMs);
      }
    }
  };

  // -- state report and URL setting --------------------------------------------------------------
  const report = async () => {
    try {
      const { url } = await effectiveSmscUrl(ctx);
      if (url !== esme.currentUrl) esme.setUrl(url);
      await writeSmscStatus(ctx.db, { ...esme.status() }, ctx.clock.now());
    } catch {
      // the database is away for a moment; the next report tries again
    }
  };
  const statusTimer = setInterval(() => void report(), statusMs);
  statusTimer.unref();

  setLocalSmpp({ esme, wake, reload: () => void report() });
  esme.start();
  const loop = drain();

  return {
    esme,
    stop: async () => {
      stopped = true;
      clearInterval(statusTimer);
      wake();
      await loop;
      // what is still queued goes back to the outbox; only the window's outstanding submits are awaited
      esme.abandonQueued('the ESME is stopping');
      await Promise.allSettled([...inflight]);
      if (receiptTimer) clearTimeout(receiptTimer);
      while (applying) await sleep(5);
      if (receiptQueue.length > 0) await applyQueued();
      for (const b of receiptQueue.splice(0)) b.resolve(status.deliveryFailedTemporary);
      if (flushTimer) clearTimeout(flushTimer);
      flush();
      await flushing;
      await esme.stop();
      await writeSmscStatus(ctx.db, { ...esme.status() }, ctx.clock.now()).catch(() => {});
      setLocalSmpp(null);
    },
  };
}

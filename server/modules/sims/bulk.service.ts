/** Bulk SIM actions: a job per request, processed in chunks with one result per SIM. */
import type { z } from 'zod';
import { billingBulkActions, type bulkRequest, type UpdateSimRequest } from '../../../contracts/sims.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../lib/errors.js';
import { auditChange, auditTarget } from '../audit/audit.context.js';
import { allowed, type Principal, whoIs } from '../auth/auth.service.js';
import type { Actor } from '../events/events.service.js';
import { recordEvents } from '../events/events.service.js';
import {
  findJob,
  insertJob,
  insertJobFromQuery,
  type JobItemRow,
  type JobRow,
  pageItems,
} from '../jobs/jobs.repository.js';
import { wakeDrainers } from '../network/disconnect-signal.js';
import { queueDisconnects } from '../network/network.repository.js';
import { applyTopUps } from './charges.service.js';
import { foreignIccids, lockSims, matchingIccidsQuery, updateSims } from './sims.repository.js';
import { actorOf, planChange } from './sims.service.js';

/** The job kind of bulk SIM actions. */
export const bulkKind = 'sims.bulk';
const maxSims = 1_000_000;

/** The change each action makes through planChange; top-up is a charge instead (applyTopUps). */
const requests: Record<Exclude<z.infer<typeof bulkRequest>['action'], 'topUp'>, UpdateSimRequest> = {
  activate: { status: 'activated' },
  deactivate: { status: 'deactivated' },
  imeiLockOn: { imeiLock: true },
  imeiLockOff: { imeiLock: false },
  autoTopUpOn: { autoTopUp: true },
  autoTopUpOff: { autoTopUp: false },
};

type ItemResult = { seq: number; result: 'ok' | 'unchanged' | 'error'; message: string | null };

/** Present a job for the API. */
export function presentJob(j: JobRow) {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    total: j.total,
    processed: j.processed,
    succeeded: j.succeeded,
    unchanged: j.unchanged,
    failed: j.failed,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
    error: j.error,
  };
}

/**
 * The refusal of a list naming ICCIDs that are not SIMs of the organisation: the first five, and how
 * many more (the same words for another organisation's SIM as for none, so nothing is revealed).
 */
function iccidsNotInOrg(foreign: string[]): AppError {
  const examples = foreign.slice(0, 5).join(', ');
  const more = foreign.length - 5;
  const text =
    foreign.length === 1
      ? `${examples} is not a SIM of this organisation`
      : `${foreign.length} of the ICCIDs are not SIMs of this organisation: ${examples}${more > 0 ? ` and ${more} more` : ''}`;
  const reason: { reason: string; params: Record<string, string | number> } =
    foreign.length === 1
      ? { reason: 'iccid_not_in_org', params: { iccid: examples } }
      : more > 0
        ? { reason: 'iccids_not_in_org_more', params: { count: foreign.length, examples, more } }
        : { reason: 'iccids_not_in_org', params: { count: foreign.length, examples } };
  return new AppError('validation_failed', `iccids: ${text}`, {
    errors: [{ field: 'iccids', message: text, ...reason }],
  });
}

/** Queue a bulk action over the given ICCIDs, or over every SIM that matches a filter. */
export async function startBulk(ctx: AppContext, principal: Principal, req: z.infer<typeof bulkRequest>) {
  if (billingBulkActions.includes(req.action) && !allowed(principal, 'sims:billing')) {
    throw new AppError(
      'forbidden',
      `${whoIs(principal)} may not ${req.action === 'topUp' ? 'top up SIMs' : 'change auto top-up'}.`,
    );
  }
  const actor = actorOf(principal);
  const values = {
    orgId: principal.orgId,
    kind: bulkKind,
    params: { action: req.action, actor },
    actorId: actor.id,
    actorName: actor.name,
    source: actor.source === 'api' ? ('api' as const) : ('user' as const),
  };
  const iccids = req.iccids ? [...new Set(req.iccids)] : null;
  const job = await ctx.db.transaction(async (tx) => {
    // every named ICCID must be a SIM of the organisation, or nothing is queued: a bulk action is
    // never half applied for a typo (what changes between queueing and processing is reported per SIM)
    if (iccids) {
      const foreign = await foreignIccids(tx, principal.orgId, iccids);
      if (foreign.length > 0) throw iccidsNotInOrg(foreign);
    }
    // a filter's SIMs go from the list query straight into the job's items, as they match now
    const created = iccids
      ? await insertJob(tx, values, iccids)
      : await insertJobFromQuery(
          tx,
          values,
          matchingIccidsQuery(principal.orgId, req.filter ?? {}, maxSims + 1),
        );
    // throwing rolls the job back
    if (created.total === 0)
      throw new AppError('validation_failed', 'filter: matches no SIMs', {
        errors: [{ field: 'filter', message: 'matches no SIMs', reason: 'filter_matches_none' }],
      });
    if (created.total > maxSims)
      throw new AppError('validation_failed', `filter: matches more than ${maxSims} SIMs`, {
        errors: [
          {
            field: 'filter',
            message: `matches more than ${maxSims} SIMs`,
            reason: 'filter_matches_too_many',
            params: { max: maxSims },
          },
        ],
      });
    return created;
  });
  auditTarget(`job:${job.id}`);
  auditChange(null, {
    action: req.action,
    count: job.total,
    ...(iccids
      ? { iccids: iccids.length <= 20 ? iccids : `${iccids.length} ICCIDs` }
      : { filter: req.filter }),
  });
  return presentJob(job);
}

/** Apply the job's action to one chunk of items inside the caller's transaction; returns a result per item. */
export async function processBulkChunk(ctx: AppContext, tx: Db, job: JobRow, items: JobItemRow[]) {
  const action = job.params.action as z.infer<typeof bulkRequest>['action'];
  const actor = job.params.actor as Actor;
  const now = ctx.clock.now();
  const locked = await lockSims(
    tx,
    job.orgId,
    items.map((i) => i.iccid),
  );
  const byIccid = new Map(locked.map((s) => [s.iccid, s]));
  const results: ItemResult[] = [];
  if (action === 'topUp') {
    // the charges commit with the items' results: a chunk is done (and billed) once or not at all
    const { refused } = await applyTopUps(ctx, tx, locked, actor, now);
    const why = new Map(refused.map((r) => [r.iccid, r.reason]));
    for (const item of items) {
      const reason = byIccid.has(item.iccid) ? why.get(item.iccid) : 'SIM not found';
      results.push({ seq: item.seq, result: reason ? 'error' : 'ok', message: reason ?? null });
    }
    return results;
  }
  const request = requests[action];
  const groups = new Map<string, { values: Parameters<typeof updateSims>[3]; iccids: string[] }>();
  const events = [];
  const disconnects = { deactivated: [] as string[], imei_lock: [] as string[] };
  for (const item of items) {
    const sim = byIccid.get(item.iccid);
    if (!sim) {
      results.push({ seq: item.seq, result: 'error', message: 'SIM not found' });
      continue;
    }
    try {
      const change = planChange(sim, request, actor, now);
      if (!change.changed) {
        results.push({ seq: item.seq, result: 'unchanged', message: null });
        continue;
      }
      const key = JSON.stringify(change.values);
      const group = groups.get(key) ?? { values: change.values, iccids: [] };
      group.iccids.push(sim.iccid);
      groups.set(key, group);
      events.push(...change.events);
      if (change.disconnect) disconnects[change.disconnect].push(sim.iccid);
      results.push({ seq: item.seq, result: 'ok', message: null });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ seq: item.seq, result: 'error', message: err.detail });
    }
  }
  for (const g of groups.values()) await updateSims(tx, job.orgId, g.iccids, g.values);
  await recordEvents(tx, events);
  // one statement per reason: only SIMs with an open session get a Disconnect-Request
  for (const [reason, iccids] of Object.entries(disconnects)) {
    if (iccids.length && (await queueDisconnects(tx, iccids, reason as keyof typeof disconnects, now)) > 0)
      setImmediate(wakeDrainers);
  }
  return results;
}

export async function getJob(ctx: AppContext, orgId: string, id: string) {
  const job = await findJob(ctx.db, orgId, id);
  if (!job) throw notFound('Job');
  return presentJob(job);
}

export async function getJobItems(
  ctx: AppContext,
  orgId: string,
  id: string,
  q: { result?: JobItemRow['result']; page: number; pageSize: number },
) {
  if (!(await findJob(ctx.db, orgId, id))) throw notFound('Job');
  const { items, total } = await pageItems(ctx.db, id, q);
  return {
    items: items.map((i) => ({ iccid: i.iccid, result: i.result, message: i.message })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

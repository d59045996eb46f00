/**
 * SIM transfer between an organisation and its sub-organisations (PRODUCT.md §2): by one ICCID,
 * ICCID ranges or a CSV/TXT file; every line checked, all or nothing, a per-line report. Performed by
 * the master's Owner or Admin; never sub to sub. Each moved SIM gets an address from the target's IP
 * space and an event on both sides.
 */
import type { TransferRequest, TransferResult } from '../../../contracts/orgs.js';
import type { AppContext } from '../../context.js';
import { AppError, conflict, type FieldError, invalidField, notFound } from '../../lib/errors.js';
import type { Actor } from '../events/events.service.js';
import {
  findOrganisation,
  listSubOrganisations,
  lockIpSpace,
  lockSubOrganisation,
} from '../orgs/orgs.repository.js';
import { countFreeAddresses } from '../stock/stock.repository.js';
import { checkRanges, overlapErrors, parseTransferFile, type TransferLine } from './transfer.lines.js';
import { countLines, moveSims } from './transfer.repository.js';

/** The most problems one answer lists. */
const errorLimit = 1000;

function rejectLines(errors: FieldError[]): never {
  const sorted = [...errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const first = sorted[0];
  throw new AppError(
    'validation_failed',
    `Nothing was transferred: ${errors.length} problem(s)${first ? `, first on line ${first.line} (${first.field}: ${first.message})` : ''}.`,
    { errors: sorted.slice(0, errorLimit) },
  );
}

/** The lines of the request, or a 400 listing every bad line. */
function linesOf(req: TransferRequest): TransferLine[] {
  if (req.iccid !== undefined) return [{ line: 1, start: req.iccid, end: req.iccid }];
  const { lines, errors } = req.ranges ? checkRanges(req.ranges) : parseTransferFile(req.file ?? '');
  if (errors.length) rejectLines(errors);
  const overlaps = overlapErrors(lines);
  if (overlaps.length) rejectLines(overlaps);
  return lines;
}

export async function transferSims(
  ctx: AppContext,
  caller: { orgId: string },
  actor: Actor,
  req: TransferRequest,
): Promise<TransferResult> {
  const lines = linesOf(req);
  const master = await findOrganisation(ctx.db, caller.orgId);
  if (!master) throw notFound('Organisation');
  const subIds = (await listSubOrganisations(ctx.db, master.id)).map((s) => s.id);
  const known = (id: string) => id === master.id || subIds.includes(id);
  if (!known(req.sourceOrgId)) throw notFound('Source organisation');
  if (!known(req.targetOrgId)) throw notFound('Target organisation');
  if (req.sourceOrgId !== master.id && req.targetOrgId !== master.id) {
    throw invalidField(
      'targetOrgId',
      'SIMs move only between your organisation and its sub-organisations, never from one sub-organisation to another',
      'transfer_between_sub_orgs',
    );
  }

  return ctx.db.transaction(async (tx) => {
    const subId = req.sourceOrgId === master.id ? req.targetOrgId : req.sourceOrgId;
    // The sub-organisation must still exist (a concurrent delete waits for us, or we for it).
    const sub = await lockSubOrganisation(tx, master.id, subId);
    if (!sub) throw notFound(req.sourceOrgId === master.id ? 'Target organisation' : 'Source organisation');
    const [source, target] = req.sourceOrgId === master.id ? [master, sub] : [sub, master];
    await lockIpSpace(tx, target.id);

    const counts = await countLines(tx, source.id, [master.id, ...subIds], lines);
    const byLine = new Map(counts.map((c) => [c.line, c]));
    const errors: FieldError[] = [];
    const field = req.iccid !== undefined ? 'iccid' : 'range';
    for (const l of lines) {
      const c = byLine.get(l.line);
      if (!c) continue;
      const single = l.start === l.end;
      if (single && (c.other > 0 || c.owned === 0)) {
        errors.push({
          line: l.line,
          field,
          message: `${l.start} is not a SIM of ${source.name}`,
          reason: 'not_a_sim_of',
          params: { iccid: l.start, org: source.name },
        });
      } else if (c.other > 0) {
        errors.push({
          line: l.line,
          field,
          message: `${c.other} SIM(s) in this range do not belong to ${source.name}${c.example ? `, e.g. ${c.example}` : ''}`,
          ...(c.example
            ? {
                reason: 'range_foreign_sims_example',
                params: { count: c.other, org: source.name, example: c.example },
              }
            : { reason: 'range_foreign_sims', params: { count: c.other, org: source.name } }),
        });
      } else if (c.owned === 0) {
        errors.push({
          line: l.line,
          field,
          message: `${source.name} has no SIMs in this range`,
          reason: 'range_without_sims_of',
          params: { org: source.name },
        });
      }
    }
    if (errors.length) rejectLines(errors);

    const total = counts.reduce((n, c) => n + c.owned, 0);
    const free = await countFreeAddresses(tx, target.id);
    if (free < total) {
      throw conflict(
        'no_free_addresses',
        { org: target.name, free, total },
        `${target.name}'s IP address space has ${free} free address(es) for ${total} SIMs: the provider must add an address block first.`,
      );
    }
    const summary = {
      count: total,
      source: { id: source.id, name: source.name },
      target: { id: target.id, name: target.name },
      lines: lines.slice(0, errorLimit).map((l) => ({ ...l, count: byLine.get(l.line)?.owned ?? 0 })),
      lineCount: lines.length,
      freeAddresses: free,
    };
    if (req.dryRun) return { dryRun: true, ...summary, firstIp: null, lastIp: null };

    const moved = await moveSims(tx, { source, target, lines, actor, at: ctx.clock.now() });
    if (moved.moved !== total) {
      // Another change moved some of these SIMs between our check and the update: undo everything.
      throw conflict(
        'changed_meanwhile',
        {},
        'Some of these SIMs changed while transferring; nothing was transferred, try again.',
      );
    }
    return { dryRun: false, ...summary, firstIp: moved.firstIp, lastIp: moved.lastIp };
  });
}

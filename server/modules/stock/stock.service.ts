/** Operator console: import SIM stock, assign stock to customers, manage their IP address spaces. */
import type { z } from 'zod';
import { eventTypes } from '../../../contracts/events.js';
import type { assignRequest, CreateCustomerRequest, CustomerDetail } from '../../../contracts/stock.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, invalidField, notFound } from '../../lib/errors.js';
import { auditChange, auditOrg, auditTarget } from '../audit/audit.context.js';
import { type Actor, event, recordEvents } from '../events/events.service.js';
import { insertOrganisation, lockIpSpace, nextAccountNumber } from '../orgs/orgs.repository.js';
import { assertEmailFree, inviteOwner, isUniqueViolation, orgUsers } from '../users/users.service.js';
import { type LineError, parseStockCsv } from './stock.csv.js';
import {
  assignSims,
  countSims,
  existingIdentifiers,
  findCustomer,
  freeAddresses,
  insertPool,
  insertStock,
  listCustomers,
  listPools,
  lockStockImports,
  lockStockRange,
  poolOverlaps,
  stockSummary,
} from './stock.repository.js';

const MB = 1024 * 1024;

function rejectLines(errors: LineError[]): never {
  const shown = errors.slice(0, 1000);
  const first = shown[0];
  throw new AppError(
    'validation_failed',
    `The file was not imported: ${errors.length} problem(s)${first ? `, first on line ${first.line} (${first.field}: ${first.message})` : ''}.`,
    { errors: shown },
  );
}

/** Import a stock CSV: all lines or none; every bad line is reported, in the order of the file. */
export async function importStock(ctx: AppContext, csv: string) {
  const { lines, errors } = parseStockCsv(csv);
  return ctx.db.transaction(async (tx) => {
    // one import at a time: two files holding the same SIM would both pass the check below, and the
    // second would end in the unique index instead of a line of the report
    await lockStockImports(tx);
    const existing = lines.length > 0 ? await existingIdentifiers(tx, lines) : [];
    const taken = {
      iccid: new Set(existing.map((e) => e.iccid)),
      imsi: new Set(existing.map((e) => e.imsi)),
      msisdn: new Set(existing.map((e) => e.msisdn)),
    };
    const problems = [...errors];
    for (const l of lines) {
      for (const key of ['iccid', 'imsi', 'msisdn'] as const) {
        if (taken[key].has(l[key]))
          problems.push({
            line: l.line,
            field: key,
            message: `${l[key]} is already in stock or assigned`,
            reason: 'already_in_stock',
            params: { value: l[key] },
          });
      }
    }
    if (problems.length > 0) rejectLines(problems.sort((a, b) => a.line - b.line));
    await insertStock(tx, lines);
    return { imported: lines.length };
  });
}

export async function getStockSummary(ctx: AppContext) {
  const { byFormFactor, ranges } = await stockSummary(ctx.db);
  return { total: byFormFactor.reduce((s, f) => s + f.count, 0), byFormFactor, ranges };
}

/** Assign every stock SIM in an ICCID range to a customer organisation, all or nothing. */
export async function assignStock(ctx: AppContext, actor: Actor, req: z.infer<typeof assignRequest>) {
  const org = await findCustomer(ctx.db, req.orgId);
  if (!org) throw notFound('Customer organisation');
  auditOrg(org.id);
  auditTarget(`customer:${org.id}`);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const range = await lockStockRange(tx, req.iccidFrom, req.iccidTo);
    if (range.length === 0) throw invalidField('iccidFrom', 'no SIMs in this range', 'no_sims_in_range');
    const taken = range.filter((s) => s.status !== 'stock' || s.orgId !== null);
    if (taken.length) {
      throw conflict(
        'range_not_in_stock',
        { count: taken.length, iccid: taken[0]?.iccid ?? '' },
        `${taken.length} SIM(s) in the range are not in stock, e.g. ${taken[0]?.iccid}.`,
      );
    }
    const iccids = range.map((s) => s.iccid);
    await lockIpSpace(tx, org.id);
    const ips = await freeAddresses(tx, org.id, iccids.length);
    if (ips.length < iccids.length) {
      throw conflict(
        'assign_no_free_addresses',
        { free: ips.length, total: iccids.length },
        `The organisation's IP address space has ${ips.length} free address(es) for ${iccids.length} SIMs: add an address block first.`,
      );
    }
    const endOfLife = new Date(now);
    endOfLife.setUTCMonth(endOfLife.getUTCMonth() + req.contractMonths);
    await assignSims(tx, org.id, iccids, ips, {
      activatedAt: now,
      endOfLife,
      dataTotal: req.dataMb * MB,
      smsTotal: req.sms,
    });
    await recordEvents(
      tx,
      iccids.map((iccid) =>
        event(actor, { orgId: org.id, iccid }, now, {
          type: eventTypes.simAssigned,
          description: `SIM assigned to ${org.name} and activated (${req.dataMb} MB, ${req.sms} SMS, ${req.contractMonths} months)`,
          details: { dataMb: req.dataMb, sms: req.sms, contractMonths: req.contractMonths },
        }),
      ),
    );
    return { assigned: iccids.length, firstIp: ips[0] ?? null, lastIp: ips.at(-1) ?? null };
  });
}

export async function customers(ctx: AppContext, q?: string) {
  const items = await listCustomers(ctx.db, q);
  return { items, total: items.length };
}

export async function pools(ctx: AppContext, orgId: string) {
  if (!(await findCustomer(ctx.db, orgId))) throw notFound('Customer organisation');
  return { items: await listPools(ctx.db, orgId) };
}

/** Refuse an IPv4 block that is malformed, outside /8 to /30, has host bits set, or overlaps any organisation's block. */
async function checkNewPool(db: Db, cidr: string) {
  const [addr, bitsText] = cidr.split('/');
  const octets = (addr ?? '').split('.').map(Number);
  const bits = Number(bitsText);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o > 255) || bits < 8 || bits > 30) {
    throw invalidField('cidr', 'must be a valid IPv4 block between /8 and /30', 'cidr_invalid');
  }
  const value = octets.reduce((a, o) => a * 256 + o, 0);
  if (value % 2 ** (32 - bits) !== 0)
    throw invalidField(
      'cidr',
      `has host bits set; the block starts at a multiple of ${2 ** (32 - bits)}`,
      'cidr_host_bits',
      { multiple: 2 ** (32 - bits) },
    );
  if (await poolOverlaps(db, cidr))
    throw conflict('block_overlaps', { cidr }, `${cidr} overlaps an existing address block.`);
}

/** Give a customer another IPv4 block; blocks never overlap across organisations. */
export async function addPool(ctx: AppContext, orgId: string, cidr: string) {
  if (!(await findCustomer(ctx.db, orgId))) throw notFound('Customer organisation');
  await checkNewPool(ctx.db, cidr);
  await insertPool(ctx.db, orgId, cidr);
  return pools(ctx, orgId);
}

/** One customer organisation with its users, SIM count and IP address spaces. */
export async function customerDetail(ctx: AppContext, orgId: string): Promise<CustomerDetail> {
  const org = await findCustomer(ctx.db, orgId);
  if (!org) throw notFound('Customer organisation');
  const [users, ipPools, simCount] = await Promise.all([
    orgUsers(ctx, orgId),
    listPools(ctx.db, orgId),
    countSims(ctx.db, orgId),
  ]);
  return {
    id: org.id,
    name: org.name,
    accountNumber: org.accountNumber,
    parentId: org.parentId,
    billingCountry: org.billingCountry,
    invoiceEmail: org.invoiceEmail,
    language: org.language,
    createdAt: org.createdAt.toISOString(),
    simCount,
    users,
    ipPools,
  };
}

/**
 * Create a customer organisation under the provider (the operator's organisation): the next account
 * number, the IP block if given, and its first Owner, invited by e-mail; all or nothing.
 */
export async function createCustomer(ctx: AppContext, providerOrgId: string, input: CreateCustomerRequest) {
  await assertEmailFree(ctx.db, input.owner.email, 'owner.email');
  if (input.cidr) await checkNewPool(ctx.db, input.cidr);
  for (let attempt = 1; ; attempt++) {
    try {
      const org = await ctx.db.transaction(async (tx) => {
        const created = await insertOrganisation(tx, {
          kind: 'customer',
          parentId: providerOrgId,
          accountNumber: await nextAccountNumber(tx),
          name: input.company,
          billingCountry: input.billingCountry,
          invoiceEmail: input.invoiceEmail,
          language: input.language,
        });
        if (input.cidr) await insertPool(tx, created.id, input.cidr);
        await inviteOwner(ctx, tx, created.id, input.owner, 'owner.email');
        return created;
      });
      auditOrg(org.id);
      auditTarget(`customer:${org.id}`);
      auditChange(null, {
        accountNumber: org.accountNumber,
        name: org.name,
        billingCountry: org.billingCountry,
        invoiceEmail: org.invoiceEmail,
        language: org.language,
        cidr: input.cidr ?? null,
        owner: input.owner.email,
      });
      return customerDetail(ctx, org.id);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // A concurrent request took the e-mail, the block or the account number between check and insert.
      await assertEmailFree(ctx.db, input.owner.email, 'owner.email');
      if (input.cidr) await checkNewPool(ctx.db, input.cidr);
      if (attempt >= 3) throw err;
    }
  }
}

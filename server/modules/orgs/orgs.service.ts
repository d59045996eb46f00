/**
 * The Organisation tab: a master organisation's sub-organisations (PRODUCT.md §2). The master sees
 * each one's name, account number, owner and counts, never its SIMs, users or orders; any other
 * organisation (a sibling, the master itself, a foreign one) answers 404.
 */
import type { CreateSubOrganisationRequest, SubOrganisation } from '../../../contracts/orgs.js';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../lib/errors.js';
import { insertAddress } from '../account/account.repository.js';
import { countSims } from '../stock/stock.repository.js';
import { assertEmailFree, inviteOwner, isUniqueViolation } from '../users/users.service.js';
import {
  deleteOrganisation,
  findOrganisation,
  findSubOrganisation,
  insertOrganisation,
  listSubOrganisations,
  lockSubOrganisation,
  nextAccountNumber,
  type SubOrgRow,
  updateOrganisation,
} from './orgs.repository.js';

function present(row: SubOrgRow): SubOrganisation {
  return {
    id: row.id,
    name: row.name,
    accountNumber: row.accountNumber,
    owner: row.owner,
    simCount: row.simCount,
    userCount: row.userCount,
    subOrganisationCount: row.subOrganisationCount,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export async function listSubOrgs(ctx: AppContext, masterId: string) {
  const items = (await listSubOrganisations(ctx.db, masterId)).map(present);
  return { items, total: items.length };
}

export async function getSubOrg(ctx: AppContext, masterId: string, id: string) {
  const row = await findSubOrganisation(ctx.db, masterId, id);
  if (!row) throw notFound('Organisation');
  return present(row);
}

/**
 * Create a sub-organisation: the next account number, its invoice address, and its Owner invited by
 * e-mail (7-day single-use link); all or nothing. It draws IP addresses from its master's space until
 * the provider gives it a block of its own (docs/decisions/010).
 */
export async function createSubOrg(ctx: AppContext, masterId: string, input: CreateSubOrganisationRequest) {
  const master = await findOrganisation(ctx.db, masterId);
  if (master?.kind !== 'customer') throw notFound('Organisation');
  await assertEmailFree(ctx.db, input.owner.email, 'owner.email');
  for (let attempt = 1; ; attempt++) {
    try {
      const id = await ctx.db.transaction(async (tx) => {
        const created = await insertOrganisation(tx, {
          kind: 'customer',
          parentId: master.id,
          accountNumber: await nextAccountNumber(tx),
          name: input.company,
          billingCountry: input.billingCountry,
          invoiceEmail: input.invoiceEmail ?? input.owner.email,
          language: input.language ?? master.language,
          contactName: `${input.owner.firstName} ${input.owner.lastName}`,
        });
        await insertAddress(tx, {
          orgId: created.id,
          kind: 'invoice',
          company: input.company,
          recipient: input.address.recipient ?? null,
          street: input.address.street,
          postalCode: input.address.postalCode,
          city: input.address.city,
          country: input.address.country,
          isDefault: true,
        });
        await inviteOwner(ctx, tx, created.id, input.owner, 'owner.email');
        return created.id;
      });
      return getSubOrg(ctx, master.id, id);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // A concurrent request took the e-mail or the account number between check and insert.
      await assertEmailFree(ctx.db, input.owner.email, 'owner.email');
      if (attempt >= 3) throw err;
    }
  }
}

/** Rename a sub-organisation (the master may; the sub-organisation's own people cannot, it is on invoices). */
export async function renameSubOrg(ctx: AppContext, masterId: string, id: string, name: string) {
  if (!(await findSubOrganisation(ctx.db, masterId, id))) throw notFound('Organisation');
  await updateOrganisation(ctx.db, id, { name });
  return getSubOrg(ctx, masterId, id);
}

/**
 * Delete a sub-organisation that holds no SIMs and has no sub-organisations of its own. PRODUCT.md §2
 * also requires "no open orders": orders do not exist in OpenCMP yet; when they do, refuse here too.
 */
export async function deleteSubOrg(ctx: AppContext, masterId: string, id: string) {
  await ctx.db.transaction(async (tx) => {
    // The row lock makes a concurrent transfer into this organisation wait, or wait for it.
    const org = await lockSubOrganisation(tx, masterId, id);
    if (!org) throw notFound('Organisation');
    const sims = await countSims(tx, id);
    if (sims > 0) {
      throw conflict(
        'org_holds_sims',
        { org: org.name, sims },
        `${org.name} still holds ${sims} SIM(s): transfer them back before deleting the organisation.`,
      );
    }
    const row = await findSubOrganisation(tx, masterId, id);
    if (row && row.subOrganisationCount > 0) {
      throw conflict(
        'org_has_suborgs',
        { org: org.name, count: row.subOrganisationCount },
        `${org.name} has ${row.subOrganisationCount} sub-organisation(s) of its own: they must be deleted first.`,
      );
    }
    await deleteOrganisation(tx, id);
  });
}

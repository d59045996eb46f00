/**
 * Configuration → API access: the organisation's API clients (PRODUCT.md §9 "API users").
 * A client id is the account number, an underscore and a chosen name; the secret is shown once.
 */
import { type CreateApiClientRequest, secretWeakness } from '../../../contracts/apiclients.js';
import {
  apiClientActsAs,
  apiClientPermissions,
  type CustomerRole,
  can,
} from '../../../contracts/permissions.js';
import type { AppContext } from '../../context.js';
import { AppError, conflict, fieldsInUse, invalidField, notFound } from '../../lib/errors.js';
import { randomToken } from '../../lib/tokens.js';
import { auditChange, auditTarget } from '../audit/audit.context.js';
import type { ClientPrincipal, UserPrincipal } from '../auth/auth.service.js';
import { findOrganisation } from '../orgs/orgs.repository.js';
import {
  type ApiClientRow,
  clientIdTaken,
  findLiveClient,
  insertClient,
  listActiveClients,
  revokeClient,
} from './apiclients.repository.js';
import { forgetClient } from './client-cache.js';
import { hashSecret } from './token.service.js';

/**
 * Whether `actor` may revoke client `c`: Owners and Admins administer API users (PRODUCT.md §9); a
 * User or a 3rd party, who may set up API access for themselves, revokes only the clients they created.
 */
function mayRevoke(actor: UserPrincipal, c: ApiClientRow): boolean {
  return can(actor.role, 'users:admin') || c.createdBy === actor.userId;
}

function present(c: ApiClientRow, createdBy: string | null, actor: UserPrincipal) {
  return {
    id: c.id,
    name: c.name,
    clientId: c.clientId,
    readOnly: c.readOnly,
    actsAs: c.actsAs,
    permissions: apiClientPermissions(c.actsAs, c.readOnly),
    createdBy,
    mayRevoke: mayRevoke(actor, c),
    createdAt: c.createdAt.toISOString(),
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  };
}

/** The organisation's live API clients, with what `actor` may do to each; secrets are never returned. */
export async function listApiClients(ctx: AppContext, actor: UserPrincipal) {
  const rows = await listActiveClients(ctx.db, actor.orgId);
  return { items: rows.map((r) => present(r.client, r.creator, actor)), total: rows.length };
}

function clientIdInUse(clientId: string): AppError {
  return fieldsInUse(
    [{ field: 'name', message: 'is already in use', reason: 'in_use' }],
    `name: the client id ${clientId} is already in use`,
  );
}

/** Create a client with a chosen (strength-checked) or generated secret; the answer is the only time it shows. */
export async function createApiClient(ctx: AppContext, actor: UserPrincipal, input: CreateApiClientRequest) {
  if (input.secret !== undefined) {
    const weakness = secretWeakness(input.secret);
    if (weakness) throw invalidField('secret', weakness);
  }
  const org = await findOrganisation(ctx.db, actor.orgId);
  if (!org) throw notFound('Organisation');
  if (!org.accountNumber)
    throw conflict('no_account_number', {}, 'This organisation has no account number for API clients.');
  const clientId = `${org.accountNumber}_${input.name}`;
  if (await clientIdTaken(ctx.db, clientId)) throw clientIdInUse(clientId);
  const secret = input.secret ?? randomToken();
  try {
    const row = await insertClient(ctx.db, {
      orgId: org.id,
      name: input.name,
      clientId,
      secretHash: hashSecret(secret),
      readOnly: input.readOnly,
      actsAs: apiClientActsAs(actor.role as CustomerRole),
      createdBy: actor.userId,
      createdAt: ctx.clock.now(),
    });
    auditTarget(`api-client:${row.id}`);
    auditChange(null, { clientId: row.clientId, name: row.name, readOnly: row.readOnly, actsAs: row.actsAs });
    return { ...present(row, `${actor.user.firstName} ${actor.user.lastName}`, actor), clientSecret: secret };
  } catch (err) {
    const code = (e: unknown) => (typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined);
    const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
    if (code(err) === '23505' || code(cause) === '23505') throw clientIdInUse(clientId);
    throw err;
  }
}

/**
 * Revoke a client: its tokens stop working with the next request; another organisation's id answers
 * 404, a client the actor may not revoke (`mayRevoke`) 403.
 */
export async function revokeApiClient(ctx: AppContext, actor: UserPrincipal, id: string) {
  const client = await findLiveClient(ctx.db, actor.orgId, id);
  if (!client) throw notFound('API client');
  if (!mayRevoke(actor, client)) {
    throw new AppError(
      'forbidden',
      `You may revoke only the API clients you created; an Owner or Admin can revoke ${client.clientId}.`,
    );
  }
  const revoked = await revokeClient(ctx.db, actor.orgId, id, ctx.clock.now());
  if (!revoked) throw notFound('API client');
  // this process stops the client's tokens now; the others when the trigger's NOTIFY reaches them
  forgetClient(ctx.database, id);
  auditChange({ revoked: false }, { revoked: true });
}

/** /me for an API client: the client, its organisation and its permissions (reads only when read-only). */
export function describeClient(principal: ClientPrincipal) {
  const { org } = principal;
  return {
    client: {
      id: principal.clientRowId,
      clientId: principal.clientId,
      name: principal.name,
      readOnly: principal.readOnly,
      actsAs: principal.actsAs,
    },
    role: principal.role,
    organisation: {
      id: org.id,
      name: org.name,
      kind: org.kind,
      accountNumber: org.accountNumber,
      parentId: org.parentId,
      language: org.language,
    },
    permissions: apiClientPermissions(principal.actsAs, principal.readOnly),
  };
}

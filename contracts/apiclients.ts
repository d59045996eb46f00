/** API clients (PRODUCT.md §9 "API users") and the OAuth2 client-credentials token endpoint (§10). */
import { z } from 'zod';
import { organisationSummary } from './auth.js';
import { problem } from './common.js';
import { customerRoles, permissions } from './permissions.js';

export { minChosenSecretLength, secretWeakness } from './secret-strength.js';

/** The chosen part of a client id: what follows the account number and the underscore. */
export const apiClientName = z
  .string()
  .trim()
  .regex(/^[a-z0-9_-]{3,40}$/, 'must be 3 to 40 characters: lower-case letters, digits, _ and -');

export const createApiClientRequest = z.strictObject({
  name: apiClientName,
  /** A secret of one's own; omitted, the server generates one. */
  secret: z.string().max(200, 'must be at most 200 characters').optional(),
  readOnly: z.boolean().default(false),
});
export type CreateApiClientRequest = z.infer<typeof createApiClientRequest>;

export const apiClientSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  clientId: z.string(),
  readOnly: z.boolean(),
  /** Set when the client is held to its creator's lesser role (User, 3rd party); null: an API user's rights. */
  actsAs: z.enum(customerRoles).nullable(),
  /** What the client may do (`readOnly` and `actsAs` applied). */
  permissions: z.array(z.enum(permissions)),
  createdBy: z.string().nullable(),
  /** Whether the caller may revoke it: Owners and Admins any client, others those they created. */
  mayRevoke: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type ApiClientSummary = z.infer<typeof apiClientSummary>;

export const apiClientList = z.object({ items: z.array(apiClientSummary), total: z.number().int() });

/** The answer to creating a client: the only time the secret is ever shown. */
export const createdApiClient = apiClientSummary.extend({ clientSecret: z.string() });
export type CreatedApiClient = z.infer<typeof createdApiClient>;

/** The token request body (JSON or form-encoded); only `client_credentials` is supported. */
export const tokenRequest = z.object({
  grant_type: z.string().optional(),
  scope: z.string().optional(),
});

export const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
});

/** /me as an API client sees it: the client, its organisation and what it may do. */
export const clientMe = z.object({
  client: z.object({
    id: z.uuid(),
    clientId: z.string(),
    name: z.string(),
    readOnly: z.boolean(),
    actsAs: z.enum(customerRoles).nullable(),
  }),
  role: z.literal('api'),
  organisation: organisationSummary,
  permissions: z.array(z.enum(permissions)),
});

/** A refused token request: OAuth2's `error` and `error_description` (RFC 6749 §5.2) plus problem+json fields. */
export const oauthError = problem.extend({
  error: z.enum(['invalid_request', 'invalid_client', 'unsupported_grant_type']).optional(),
  error_description: z.string().optional(),
});

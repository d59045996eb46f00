/**
 * Bearer tokens for API clients: client secrets (salted SHA-256, see decision 007), the OAuth2
 * client-credentials exchange and the authentication of each bearer request.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { apiRole } from '../../../contracts/permissions.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { randomToken, safeEqual } from '../../lib/tokens.js';
import { auditClient } from '../audit/audit.context.js';
import type { ClientPrincipal } from '../auth/auth.service.js';
import { findActiveClientByClientId, platformSecret, touchClient } from './apiclients.repository.js';
import { activeClient, clientTouched } from './client-cache.js';

/** How long an access token lives (PRODUCT.md §10: `expires_in: 3600`). */
export const tokenSeconds = 3600;
const issuer = 'opencmp';
const hashScheme = 'sha256';

/** Store a client secret as `sha256$<salt>$<hex>`; secrets are random (or checked for strength), not passwords. */
export function hashSecret(secret: string): string {
  const salt = randomBytes(16).toString('base64url');
  return `${hashScheme}$${salt}$${createHash('sha256').update(`${salt}${secret}`).digest('hex')}`;
}

/** Check a secret against its stored hash in constant time; false for any malformed hash. */
export function verifySecret(stored: string, secret: string): boolean {
  const [scheme, salt, hex] = stored.split('$');
  if (scheme !== hashScheme || !salt || !hex) return false;
  return safeEqual(createHash('sha256').update(`${salt}${secret}`).digest('hex'), hex);
}

// A stored hash nobody knows the secret of, so unknown client ids cost the same as wrong secrets.
const dummyHash = hashSecret(randomToken());

const keys = new WeakMap<Db, Promise<Uint8Array>>();

/** The HS256 key: OPENCMP_JWT_SECRET when set, else a random key generated once and kept in the database. */
function signingKey(ctx: AppContext): Promise<Uint8Array> {
  let key = keys.get(ctx.db);
  if (!key) {
    const configured = ctx.config.OPENCMP_JWT_SECRET;
    key = (configured ? Promise.resolve(configured) : platformSecret(ctx.db, 'jwt-hs256', randomToken)).then(
      (secret) => new TextEncoder().encode(secret),
    );
    key.catch(() => keys.delete(ctx.db));
    keys.set(ctx.db, key);
  }
  return key;
}

/** Why a token request was refused, as OAuth2 (RFC 6749 §5.2) names it. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type',
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}

/** The client id and secret of an `Authorization: Basic …` header (form-encoded per RFC 6749 §2.3.1). */
export function basicCredentials(header: string | undefined): { clientId: string; secret: string } | null {
  if (!header || !/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const formDecode = (v: string) => {
    try {
      return decodeURIComponent(v.replaceAll('+', ' '));
    } catch {
      return v;
    }
  };
  return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** The client-credentials grant: check the client's secret and issue a signed, short-lived token. */
export async function issueToken(
  ctx: AppContext,
  credentials: { clientId: string; secret: string } | null,
  grantType: string | undefined,
) {
  if (!credentials)
    throw new OAuthError('invalid_client', 'Authenticate with HTTP Basic client_id:client_secret.');
  const client = await findActiveClientByClientId(ctx.db, credentials.clientId);
  if (client) auditClient(client);
  const ok = verifySecret(client?.secretHash ?? dummyHash, credentials.secret);
  if (!client || !ok)
    throw new OAuthError('invalid_client', 'The client id or secret is wrong, or the client was revoked.');
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required: client_credentials.');
  if (grantType !== 'client_credentials')
    throw new OAuthError('unsupported_grant_type', 'Only grant_type client_credentials is supported.');
  const now = ctx.clock.now();
  const iat = Math.floor(now.getTime() / 1000);
  const accessToken = await new SignJWT({ org: client.orgId, ro: client.readOnly })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(client.id)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + tokenSeconds)
    .sign(await signingKey(ctx));
  if (!client.lastUsedAt || now.getTime() - client.lastUsedAt.getTime() > 60_000) {
    await touchClient(ctx.db, client.id, now);
  }
  return { access_token: accessToken, token_type: 'bearer' as const, expires_in: tokenSeconds };
}

/** What a verified token says; kept per token so its signature is checked once, not on every request. */
interface VerifiedToken {
  sub: string | undefined;
  org: unknown;
  exp: number;
}

const maxVerified = 10_000;
const verifiedTokens = new WeakMap<Uint8Array, Map<string, VerifiedToken>>();

/**
 * Check a token's signature, issuer and claims once per signing key; a repeat only has its expiry
 * checked again (a token's bytes cannot change, and its signature cannot stop matching). jose says
 * a token is expired when `exp <= now` in whole seconds; so does this.
 */
async function verifyToken(ctx: AppContext, token: string, now: Date): Promise<VerifiedToken | null> {
  const key = await signingKey(ctx);
  let verified = verifiedTokens.get(key);
  if (!verified) {
    verified = new Map();
    verifiedTokens.set(key, verified);
  }
  const known = verified.get(token);
  if (known) {
    if (known.exp > Math.floor(now.getTime() / 1000)) return known;
    verified.delete(token);
    return null;
  }
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer,
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'jti'],
    });
    const result = { sub: payload.sub, org: payload.org, exp: payload.exp as number };
    // bounded: when full, the oldest half goes (Map keeps insertion order)
    if (verified.size >= maxVerified) {
      let drop = verified.size / 2;
      for (const k of verified.keys()) {
        if (drop-- <= 0) break;
        verified.delete(k);
      }
    }
    verified.set(token, result);
    return result;
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return null;
    throw err;
  }
}

/** Resolve a bearer token to its client, or null when it is forged, expired or the client was revoked. */
export async function authenticateBearer(ctx: AppContext, token: string): Promise<ClientPrincipal | null> {
  const now = ctx.clock.now();
  const verified = await verifyToken(ctx, token, now);
  if (!verified) return null;
  const { sub, org } = verified;
  if (!sub) return null;
  const row = await activeClient(ctx.database, sub);
  if (!row || row.client.orgId !== org) return null;
  const { client } = row;
  if (!client.lastUsedAt || now.getTime() - client.lastUsedAt.getTime() > 60_000) {
    await touchClient(ctx.db, client.id, now);
    clientTouched(ctx.database, client.id, now);
  }
  return {
    kind: 'client',
    clientRowId: client.id,
    clientId: client.clientId,
    name: client.name,
    orgId: client.orgId,
    role: apiRole,
    readOnly: client.readOnly,
    actsAs: client.actsAs,
    org: row.org,
  };
}

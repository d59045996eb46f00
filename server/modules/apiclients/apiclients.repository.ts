/** Queries of API clients and the shared token-signing key. Tenant queries take the organisation id. */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiClients, organisations, platformSecrets, users } from '../../db/schema/index.js';

export type ApiClientRow = typeof apiClients.$inferSelect;

/** The organisation's clients that are not revoked, oldest first, with the creator's name. */
export async function listActiveClients(db: Db, orgId: string) {
  return db
    .select({
      client: apiClients,
      creator: sql<string | null>`${users.firstName} || ' ' || ${users.lastName}`,
    })
    .from(apiClients)
    .leftJoin(users, eq(users.id, apiClients.createdBy))
    .where(and(eq(apiClients.orgId, orgId), isNull(apiClients.revokedAt)))
    .orderBy(asc(apiClients.createdAt), asc(apiClients.clientId));
}

/** Whether a client id was ever used (revoked clients keep theirs, so events stay unambiguous). */
export async function clientIdTaken(db: Db, clientId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: apiClients.id })
    .from(apiClients)
    .where(eq(apiClients.clientId, clientId))
    .limit(1);
  return Boolean(row);
}

export async function insertClient(db: Db, values: typeof apiClients.$inferInsert): Promise<ApiClientRow> {
  const [row] = await db.insert(apiClients).values(values).returning();
  if (!row) throw new Error('api client insert returned nothing');
  return row;
}

/** A live client of the organisation by its row id (undefined: none, revoked, or another organisation's). */
export async function findLiveClient(db: Db, orgId: string, id: string): Promise<ApiClientRow | undefined> {
  const [row] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.id, id), eq(apiClients.orgId, orgId), isNull(apiClients.revokedAt)));
  return row;
}

/** Revoke a live client of the organisation; false when it has no such client. */
export async function revokeClient(db: Db, orgId: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(apiClients)
    .set({ revokedAt: now })
    .where(and(eq(apiClients.id, id), eq(apiClients.orgId, orgId), isNull(apiClients.revokedAt)))
    .returning({ id: apiClients.id });
  return rows.length > 0;
}

/** A live client by its public client id, for the token endpoint. */
export async function findActiveClientByClientId(db: Db, clientId: string) {
  const [row] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.clientId, clientId), isNull(apiClients.revokedAt)))
    .limit(1);
  return row;
}

function prepareClientLookup(db: Db) {
  return db
    .select({ client: apiClients, org: organisations })
    .from(apiClients)
    .innerJoin(organisations, eq(organisations.id, apiClients.orgId))
    .where(and(eq(apiClients.id, sql.placeholder('id')), isNull(apiClients.revokedAt)))
    .limit(1)
    .prepare('find_active_api_client');
}

// Every bearer request checks that its client is still live, so the lookup is prepared once per database.
const clientLookups = new WeakMap<Db, ReturnType<typeof prepareClientLookup>>();

/** A live client by row id with its organisation: what authenticates a bearer request. */
export async function findActiveClient(db: Db, id: string) {
  let lookup = clientLookups.get(db);
  if (!lookup) {
    lookup = prepareClientLookup(db);
    clientLookups.set(db, lookup);
  }
  const [row] = await lookup.execute({ id });
  return row;
}

/** Record that a client was used; callers throttle this to once a minute. */
export async function touchClient(db: Db, id: string, now: Date) {
  await db.update(apiClients).set({ lastUsedAt: now }).where(eq(apiClients.id, id));
}

/** A platform secret by name, created with `generate()` on first use; concurrent first uses agree. */
export async function platformSecret(db: Db, name: string, generate: () => string): Promise<string> {
  await db.insert(platformSecrets).values({ name, value: generate() }).onConflictDoNothing();
  const [row] = await db.select().from(platformSecrets).where(eq(platformSecrets.name, name));
  if (!row) throw new Error(`platform secret ${name} missing after insert`);
  return row.value;
}

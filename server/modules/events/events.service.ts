/** Writing and reading SIM events; every change to a SIM records one, naming who caused it. */
import { eventTypeNames } from '../../../contracts/events.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { type EventRow, insertEvents, type NewEvent, pageEvents } from './events.repository.js';

/** Who caused a change: a person in the portal, an API client, the network or the platform's policy. */
export interface Actor {
  source: 'user' | 'api' | 'network' | 'policy';
  id?: string | null;
  name?: string | null;
}

/** Build an event row for a SIM. */
export function event(
  actor: Actor,
  sim: { orgId: string; iccid: string },
  at: Date,
  e: {
    type: number;
    severity?: 'info' | 'warning' | 'critical';
    description: string;
    details?: Record<string, unknown>;
  },
): NewEvent {
  return {
    orgId: sim.orgId,
    iccid: sim.iccid,
    occurredAt: at,
    type: e.type,
    severity: e.severity ?? 'info',
    source: actor.source,
    actorId: actor.id ?? null,
    actorName: actor.name ?? null,
    description: e.description,
    details: e.details ?? {},
  };
}

/** Record events (inside the caller's transaction when `db` is one). */
export async function recordEvents(db: Db, events: NewEvent[]) {
  await insertEvents(db, events);
}

function present(e: EventRow) {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    type: e.type,
    typeName: eventTypeNames[e.type] ?? `Type ${e.type}`,
    severity: e.severity,
    source: e.source,
    actor: e.actorName,
    description: e.description,
    details: e.details,
  };
}

/** A page of one SIM's events, newest first. */
export async function listSimEvents(
  ctx: AppContext,
  orgId: string,
  iccid: string,
  q: { type?: number[]; severity?: EventRow['severity'][]; page: number; pageSize: number },
) {
  const { items, total } = await pageEvents(ctx.db, orgId, iccid, {
    types: q.type,
    severities: q.severity,
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: items.map(present), total, page: q.page, pageSize: q.pageSize };
}

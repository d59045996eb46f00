/** Set-based statements of a SIM transfer: one per step, whatever the number of SIMs or lines. */
import { sql } from 'drizzle-orm';
import { eventTypes } from '../../../contracts/events.js';
import { type Db, selectRows } from '../../db/client.js';
import type { Actor } from '../events/events.service.js';
import { ipSpaceCtes } from '../stock/stock.repository.js';
import type { TransferLine } from './transfer.lines.js';

export interface LineCount {
  line: number;
  /** SIMs of the source organisation in the range. */
  owned: number;
  /** SIMs in the range that belong to anyone else (another organisation, or provider stock). */
  other: number;
  /** The first of those that belongs to an organisation the caller administers, to name in the error. */
  example: string | null;
}

const arrays = (lines: TransferLine[]) => ({
  line: sql.param(lines.map((l) => l.line)),
  start: sql.param(lines.map((l) => l.start)),
  end: sql.param(lines.map((l) => l.end)),
});

/** Per line: how many SIMs of the range the source holds and how many it does not (one statement). */
export async function countLines(
  db: Db,
  sourceOrgId: string,
  nameable: string[],
  lines: TransferLine[],
): Promise<LineCount[]> {
  const a = arrays(lines);
  return selectRows<LineCount>(
    db,
    sql`
    SELECT r.line,
      count(s.iccid) FILTER (WHERE s.org_id = ${sourceOrgId})::int AS owned,
      count(s.iccid) FILTER (WHERE s.org_id IS DISTINCT FROM ${sourceOrgId})::int AS other,
      min(s.iccid) FILTER (WHERE s.org_id IS DISTINCT FROM ${sourceOrgId}
        AND s.org_id = ANY(${sql.param(nameable)}::uuid[])) AS example
    FROM unnest(${a.line}::int[], ${a.start}::text[], ${a.end}::text[]) AS r(line, s, e)
    LEFT JOIN sims s ON s.iccid BETWEEN r.s AND r.e
    GROUP BY r.line ORDER BY r.line`,
  );
}

/**
 * Move the source's SIMs in the ranges to the target in one statement: each gets the next free
 * address of the target's IP space (its old one is released with the move), and an event is recorded
 * on both sides naming the actor. The sim_counts trigger moves the counts.
 */
export async function moveSims(
  db: Db,
  p: {
    source: { id: string; name: string };
    target: { id: string; name: string };
    lines: TransferLine[];
    actor: Actor;
    at: Date;
  },
): Promise<{ moved: number; firstIp: string | null; lastIp: string | null }> {
  const a = arrays(p.lines);
  const at = p.at.toISOString();
  const [row] = await selectRows<{ moved: number; firstIp: string | null; lastIp: string | null }>(
    db,
    sql`
    WITH RECURSIVE moving AS (
      SELECT s.iccid, s.ip_address AS old_ip, row_number() OVER (ORDER BY s.iccid) AS rn
      FROM unnest(${a.start}::text[], ${a.end}::text[]) AS r(s, e)
      JOIN sims s ON s.iccid BETWEEN r.s AND r.e
      WHERE s.org_id = ${p.source.id}
    ),
    ${ipSpaceCtes(p.target.id, sql`(SELECT count(*) FROM moving)`)},
    pairs AS (
      SELECT m.iccid, m.old_ip, f.ip AS new_ip, m.rn FROM moving m JOIN free f USING (rn)
    ),
    upd AS (
      UPDATE sims s SET org_id = ${p.target.id}, ip_address = pairs.new_ip, updated_at = ${at}::timestamptz
      FROM pairs WHERE s.iccid = pairs.iccid AND s.org_id = ${p.source.id}
      RETURNING s.iccid
    ),
    ev AS (
      INSERT INTO sim_events (org_id, iccid, occurred_at, type, severity, source, actor_id, actor_name, description, details)
      SELECT side.org_id, pairs.iccid, ${at}::timestamptz, ${eventTypes.transferred}, 'info', ${p.actor.source},
        ${p.actor.id ?? null}::uuid, ${p.actor.name ?? null},
        CASE side.kind
          WHEN 'out' THEN 'SIM transferred to ' || ${p.target.name}
          ELSE 'SIM transferred from ' || ${p.source.name} || ', new IP address ' || host(pairs.new_ip)
        END,
        CASE side.kind
          WHEN 'out' THEN jsonb_build_object('direction', 'out', 'toOrgId', ${p.target.id}::text,
            'toOrg', ${p.target.name}::text, 'releasedIp', host(pairs.old_ip))
          ELSE jsonb_build_object('direction', 'in', 'fromOrgId', ${p.source.id}::text,
            'fromOrg', ${p.source.name}::text, 'ip', host(pairs.new_ip))
        END
      FROM pairs JOIN upd ON upd.iccid = pairs.iccid
      CROSS JOIN (VALUES (${p.source.id}::uuid, 'out'), (${p.target.id}::uuid, 'in')) AS side(org_id, kind)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM upd)::int AS moved,
      (SELECT host(new_ip) FROM pairs ORDER BY rn LIMIT 1) AS "firstIp",
      (SELECT host(new_ip) FROM pairs ORDER BY rn DESC LIMIT 1) AS "lastIp",
      (SELECT count(*) FROM ev)::int AS events`,
  );
  return { moved: row?.moved ?? 0, firstIp: row?.firstIp ?? null, lastIp: row?.lastIp ?? null };
}

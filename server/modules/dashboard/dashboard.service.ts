/** The Dashboard (PRODUCT.md §4): SIM status, volume groups and usage charts, all of one moment. */
import type { Dashboard } from '../../../contracts/usage.js';
import type { AppContext } from '../../context.js';
import { limitsReached } from '../config/config.service.js';
import { recentUsage } from '../usage/usage.service.js';
import { simCountRows } from './dashboard.repository.js';

const statuses = ['activated', 'deactivated', 'expired'] as const;
const sessions = ['online', 'attached', 'offline', 'blocked'] as const;
const groups = ['sufficient', 'low', 'none'] as const;

function tally<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Everything the Dashboard shows for one organisation; reads rollups only, never raw usage. */
export async function dashboard(ctx: AppContext, orgId: string): Promise<Dashboard> {
  const now = ctx.clock.now();
  const [rows, usage, reached] = await Promise.all([
    simCountRows(ctx.db, orgId),
    recentUsage(ctx.db, orgId, now.toISOString().slice(0, 10)),
    limitsReached(ctx, orgId),
  ]);
  const sims = { total: 0, ...tally(statuses) };
  const sessionCounts = tally(sessions);
  const dataVolume = tally(groups);
  const smsVolume = tally(groups);
  for (const r of rows) {
    const n = Number(r.n);
    sims.total += n;
    if (r.status in sims) sims[r.status as (typeof statuses)[number]] += n;
    if (r.session in sessionCounts) sessionCounts[r.session as (typeof sessions)[number]] += n;
    if (r.dataGroup in dataVolume) dataVolume[r.dataGroup as (typeof groups)[number]] += n;
    if (r.smsGroup in smsVolume) smsVolume[r.smsGroup as (typeof groups)[number]] += n;
  }
  return {
    asOf: now.toISOString(),
    sims,
    sessions: sessionCounts,
    dataVolume,
    smsVolume,
    limitsReached: reached,
    usage,
  };
}

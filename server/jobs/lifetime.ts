/**
 * SIM lifetime (PRODUCT.md §3): SIMs past their end of life become `expired` (an event each), and the
 * organisation's Owners and Admins get one e-mail per organisation when SIMs come within 3 months and
 * again within 1 month of their end, each SIM counted once per notice.
 */
import { inArray } from 'drizzle-orm';
import { eventTypes } from '../../contracts/events.js';
import type { AppContext } from '../context.js';
import { retryOnConflict } from '../db/retry.js';
import { organisations } from '../db/schema/index.js';
import { event, recordEvents } from '../modules/events/events.service.js';
import { queueMail } from '../modules/mail/mail.service.js';
import { queueDisconnects } from '../modules/network/network.repository.js';
import { expireSims, lifetimeRecipients, markExpiryNotices } from '../modules/sims/charges.repository.js';
import { runPeriodically } from './periodic.js';

/** How many ICCIDs a notice lists before "and N more". */
const listed = 20;

function monthsAhead(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

type Marked = { orgId: string | null; iccid: string; endOfLife: Date | null }[];

async function mailNotices(ctx: AppContext, tx: AppContext['db'], marked: Marked, months: number) {
  const byOrg = new Map<string, Marked>();
  for (const m of marked) {
    if (!m.orgId) continue;
    byOrg.set(m.orgId, [...(byOrg.get(m.orgId) ?? []), m]);
  }
  if (byOrg.size === 0) return 0;
  const orgs = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.id, [...byOrg.keys()]));
  let mails = 0;
  for (const org of orgs) {
    const sims = (byOrg.get(org.id) ?? []).sort(
      (a, b) => (a.endOfLife?.getTime() ?? 0) - (b.endOfLife?.getTime() ?? 0),
    );
    const lines = sims
      .slice(0, listed)
      .map((s) => `  ${s.iccid}  ${s.endOfLife?.toISOString().slice(0, 10) ?? ''}`);
    if (sims.length > listed) lines.push(`  … and ${sims.length - listed} more`);
    for (const r of await lifetimeRecipients(tx, org.id)) {
      await queueMail(ctx, tx, {
        to: r.email,
        template: 'lifetime-notice',
        language: r.language,
        orgId: org.id,
        vars: {
          name: r.firstName,
          organisation: org.name,
          count: sims.length,
          months,
          date: sims[0]?.endOfLife?.toISOString().slice(0, 10) ?? '',
          list: lines.join('\n'),
          link: `${ctx.config.publicUrl}/sims?sort=endOfLife`,
        },
      });
      mails++;
    }
  }
  return mails;
}

/** Expire what is due and send the notices that are due; returns what it did. */
export async function applyLifetime(ctx: AppContext) {
  const now = ctx.clock.now();
  // expiring locks SIMs, then their sessions: run again if PostgreSQL broke a deadlock with the AAA
  return retryOnConflict(() =>
    ctx.db.transaction(async (tx) => {
      const expired = await expireSims(tx, now);
      await recordEvents(
        tx,
        expired.map((s) =>
          event({ source: 'policy' }, { orgId: s.orgId ?? '', iccid: s.iccid }, now, {
            type: eventTypes.lifetimeExpired,
            severity: 'warning',
            description: `Lifetime ended on ${s.endOfLife?.toISOString().slice(0, 10) ?? '?'}: SIM expired`,
            details: { endOfLife: s.endOfLife?.toISOString() ?? null },
          }),
        ),
      );
      // an open data session of an expired SIM ends (the AAA refuses the next attach)
      await queueDisconnects(
        tx,
        expired.map((s) => s.iccid),
        'expired',
        now,
      );
      // the 1-month notice first: a SIM that never had the 3-month one gets only the nearer one
      const oneMonth = await markExpiryNotices(tx, now, monthsAhead(now, 1), 1);
      const threeMonths = await markExpiryNotices(tx, now, monthsAhead(now, 3), 3);
      const mails = (await mailNotices(ctx, tx, oneMonth, 1)) + (await mailNotices(ctx, tx, threeMonths, 3));
      return { expired: expired.length, noticed: oneMonth.length + threeMonths.length, mails };
    }),
  );
}

/** Run the lifetime job at start and then every 15 minutes; returns a stop function. */
export function startLifetime(ctx: AppContext, intervalMs = 900_000): () => Promise<void> {
  return runPeriodically('lifetime', () => applyLifetime(ctx), intervalMs);
}

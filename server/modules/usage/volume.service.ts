/**
 * What happens when a SIM's volume crosses a mark (PRODUCT.md §3 Volume): a threshold event at 20 %
 * and a used-up event at 0, one e-mail per organisation and batch to its volume-notification
 * addresses, and an automatic top-up for SIMs that have auto top-up on. Called by whoever adds usage
 * (accounting, SMS) with the crossings `addUsage` returned, inside the same transaction.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { eventTypes } from '../../../contracts/events.js';
import type { AppContext } from '../../context.js';
import { anyText, type Db } from '../../db/client.js';
import { organisationEmails, organisations, sims } from '../../db/schema/index.js';
import type { NewEvent } from '../events/events.repository.js';
import { type Actor, event, recordEvents } from '../events/events.service.js';
import { queueMail } from '../mail/mail.service.js';
import { applyTopUps } from '../sims/charges.service.js';
import type { VolumeCrossing } from './usage.repository.js';

const policy: Actor = { source: 'policy', name: 'Volume policy' };
const autoTopUp: Actor = { source: 'policy', name: 'Auto top-up' };

function crossingEvents(c: VolumeCrossing, at: Date): NewEvent[] {
  const sim = { orgId: c.orgId, iccid: c.iccid };
  const details = { total: c.total, used: c.used };
  const threshold = event(policy, sim, at, {
    type: c.service === 'data' ? eventTypes.dataThreshold : eventTypes.smsThreshold,
    severity: 'warning',
    description: `Less than 20 % of the ${c.service === 'data' ? 'data' : 'SMS'} volume left`,
    details,
  });
  if (c.group === 'low') return [threshold];
  const usedUp = event(policy, sim, at, {
    type: c.service === 'data' ? eventTypes.dataUsedUp : eventTypes.smsUsedUp,
    severity: 'critical',
    description:
      c.service === 'data'
        ? 'Data volume used up: data sessions are refused until a top-up'
        : 'SMS volume used up: SMS are refused until a top-up',
    details,
  });
  return c.from === 'sufficient' ? [threshold, usedUp] : [usedUp];
}

function describe(c: VolumeCrossing, toppedUp: boolean): string {
  const what = c.service === 'data' ? 'data' : 'SMS';
  const state = c.group === 'low' ? `${what} volume at or below 20 %` : `${what} volume used up`;
  return `  ${c.iccid}  ${state}${toppedUp ? ' (auto top-up added a package)' : ''}`;
}

/**
 * Record the crossings' events, top up SIMs with auto top-up, and mail each organisation once. Returns
 * the crossings into `none` that still stand after auto top-ups: the caller blocks those services
 * (the AAA disconnects data, the SMS service refuses).
 */
export async function applyVolumeEffects(
  ctx: AppContext,
  db: Db,
  crossings: VolumeCrossing[],
  at: Date,
): Promise<VolumeCrossing[]> {
  if (crossings.length === 0) return [];
  await recordEvents(
    db,
    crossings.flatMap((c) => crossingEvents(c, at)),
  );

  const iccids = [...new Set(crossings.map((c) => c.iccid))];
  const auto = await db
    .select()
    .from(sims)
    .where(
      and(
        anyText(sims.iccid, iccids),
        eq(sims.autoTopUp, true),
        inArray(sims.status, ['activated', 'deactivated']),
      ),
    )
    .orderBy(sims.iccid)
    .for('update');
  // the query keeps expired SIMs out, so every one of them is topped up (in one set of statements)
  const toppedUp = new Set((await applyTopUps(ctx, db, auto, autoTopUp, at)).toppedUp.map((s) => s.iccid));

  const byOrg = new Map<string, VolumeCrossing[]>();
  for (const c of crossings) byOrg.set(c.orgId, [...(byOrg.get(c.orgId) ?? []), c]);
  const orgs = await db
    .select({ id: organisations.id, name: organisations.name, language: organisations.language })
    .from(organisations)
    .where(inArray(organisations.id, [...byOrg.keys()]));
  const recipients = await db
    .select({ orgId: organisationEmails.orgId, email: organisationEmails.email })
    .from(organisationEmails)
    .where(
      and(
        inArray(organisationEmails.orgId, [...byOrg.keys()]),
        eq(organisationEmails.category, 'volume-notifications'),
      ),
    );
  for (const org of orgs) {
    const list = (byOrg.get(org.id) ?? []).map((c) => describe(c, toppedUp.has(c.iccid)));
    for (const r of recipients.filter((x) => x.orgId === org.id)) {
      await queueMail(ctx, db, {
        to: r.email,
        template: 'volume-notice',
        language: org.language,
        orgId: org.id,
        vars: {
          name: org.name,
          organisation: org.name,
          count: list.length,
          list: list.join('\n'),
          link: `${ctx.config.publicUrl}/sims?dataVolume=low,none`,
        },
      });
    }
  }
  return crossings.filter((c) => c.group === 'none' && !toppedUp.has(c.iccid));
}

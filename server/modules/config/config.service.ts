/**
 * The Configuration tab's own settings: monthly limits (PRODUCT.md §3, reset on the 1st, UTC) and the
 * defaults new SIMs take. The AAA and the SMS service ask `monthlyBlock` before serving; whoever adds
 * usage calls `noteLimitsReached`, which mails the organisation once per limit and month.
 */
import type { OrgSettings, OrgSettingsRequest } from '../../../contracts/config.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { retryOnConflict } from '../../db/retry.js';
import { AppError } from '../../lib/errors.js';
import { allowed, type Principal, whoIs } from '../auth/auth.service.js';
import { queueMail } from '../mail/mail.service.js';
import { liftLimitBlocks } from '../network/registration.js';
import { lifetimeRecipients } from '../sims/charges.repository.js';
import {
  claimLimitNotice,
  findDataLimitSettings,
  findOrgLimitSettings,
  findSettings,
  type OrgSettingsRow,
  orgMonthToDate,
  simDataMonthToDate,
  simsDataMonthToDate,
  upsertSettings,
} from './config.repository.js';

const MB = 1024 * 1024;

/** The calendar month (UTC) of an instant: its name, first day and the day itself. */
export function monthOf(now: Date) {
  const today = now.toISOString().slice(0, 10);
  return { month: today.slice(0, 7), first: `${today.slice(0, 7)}-01`, today };
}

function reachedOf(s: OrgSettingsRow | undefined, used: { dataBytes: number; smsMo: number; smsMt: number }) {
  return {
    data: s?.dataLimitBytes != null && used.dataBytes >= s.dataLimitBytes,
    smsMo: s?.smsMoLimit != null && used.smsMo >= s.smsMoLimit,
    smsMt: s?.smsMtLimit != null && used.smsMt >= s.smsMtLimit,
  };
}

function present(s: OrgSettingsRow | undefined, now: Date, used: OrgSettings['monthToDate']): OrgSettings {
  return {
    dataLimitMb: s?.dataLimitBytes != null ? Math.round(s.dataLimitBytes / MB) : null,
    smsMoLimit: s?.smsMoLimit ?? null,
    smsMtLimit: s?.smsMtLimit ?? null,
    simDataLimitMb: s?.simDataLimitBytes != null ? Math.round(s.simDataLimitBytes / MB) : null,
    imeiLockDefault: s?.imeiLockDefault ?? false,
    autoTopUpDefault: s?.autoTopUpDefault ?? false,
    month: monthOf(now).month,
    monthToDate: used,
    reached: reachedOf(s, used),
  };
}

/** The organisation's settings and its usage so far this month, read side by side. */
async function settingsAndMonth(ctx: AppContext, orgId: string) {
  const now = ctx.clock.now();
  const { first, today } = monthOf(now);
  const [s, used] = await Promise.all([
    findSettings(ctx.db, orgId),
    orgMonthToDate(ctx.db, orgId, first, today),
  ]);
  return { now, s, used };
}

export async function getSettings(ctx: AppContext, orgId: string): Promise<OrgSettings> {
  const { now, s, used } = await settingsAndMonth(ctx, orgId);
  return present(s, now, used);
}

/** Which of the organisation's monthly limits are reached this month (the Dashboard's warning). */
export async function limitsReached(ctx: AppContext, orgId: string) {
  const { s, used } = await settingsAndMonth(ctx, orgId);
  return reachedOf(s, used);
}

/** Save limits and defaults; the auto top-up default needs the billing permission, as the per-SIM switch does. */
export async function saveSettings(ctx: AppContext, principal: Principal, req: OrgSettingsRequest) {
  const dataLimitBytes = req.dataLimitMb === null ? null : req.dataLimitMb * MB;
  const simDataLimitBytes = req.simDataLimitMb === null ? null : req.simDataLimitMb * MB;
  // ending blocks takes SIM rows and the organisation's counters, as an accounting batch does in
  // another order: PostgreSQL may abort one of the two, and this one is then run again
  await retryOnConflict(() =>
    ctx.db.transaction(async (tx) => {
      const current = await findSettings(tx, principal.orgId);
      if (
        req.autoTopUpDefault !== (current?.autoTopUpDefault ?? false) &&
        !allowed(principal, 'sims:billing')
      ) {
        throw new AppError('forbidden', `${whoIs(principal)} may not change the auto top-up default.`);
      }
      await upsertSettings(tx, {
        orgId: principal.orgId,
        dataLimitBytes,
        smsMoLimit: req.smsMoLimit,
        smsMtLimit: req.smsMtLimit,
        simDataLimitBytes,
        imeiLockDefault: req.imeiLockDefault,
        autoTopUpDefault: req.autoTopUpDefault,
        updatedAt: ctx.clock.now(),
      });
      // a data limit raised or removed may end what blocked its SIMs (decision 025)
      if (
        raised(current?.dataLimitBytes ?? null, dataLimitBytes) ||
        raised(current?.simDataLimitBytes ?? null, simDataLimitBytes)
      )
        await liftLimitBlocks(tx, principal.orgId);
    }),
  );
  return getSettings(ctx, principal.orgId);
}

/** A limit (null: none) that now allows more than before. */
function raised(before: number | null, after: number | null): boolean {
  return before !== null && (after === null || after > before);
}

export type LimitedService = 'data' | 'sms-mo' | 'sms-mt';

/** Why a service is held back this month: the English text, and the month and what is left of the cap. */
export interface MonthlyBlock {
  message: string;
  month: string;
  /** What is left of the organisation's cap (0 when it is reached; undefined for the per-SIM data cap). */
  left?: number;
}

/**
 * Why a SIM may not use a service this month, or null: the organisation's monthly cap for that
 * service, or (for data) the per-SIM monthly cap. `need` is what the use takes (an MT of three parts
 * takes 3): it is refused when it would go past the cap, not only once the cap is reached. Reads at
 * most 62 rollup rows.
 */
export async function monthlyBlock(
  db: Db,
  sim: { orgId: string; iccid: string },
  service: LimitedService,
  now: Date,
  need = 1,
): Promise<MonthlyBlock | null> {
  const s = await findSettings(db, sim.orgId);
  if (!s) return null;
  const { month, first, today } = monthOf(now);
  const cap = service === 'data' ? s.dataLimitBytes : service === 'sms-mo' ? s.smsMoLimit : s.smsMtLimit;
  if (cap != null) {
    const used = await orgMonthToDate(db, sim.orgId, first, today);
    const value = service === 'data' ? used.dataBytes : service === 'sms-mo' ? used.smsMo : used.smsMt;
    const name = service === 'data' ? 'data' : service === 'sms-mo' ? 'MO SMS' : 'MT SMS';
    if (value >= cap)
      return { message: `the organisation's monthly ${name} limit for ${month} is reached`, month, left: 0 };
    if (value + need > cap)
      return {
        message: `the organisation's monthly ${name} limit for ${month} has ${cap - value} left, and this needs ${need}`,
        month,
        left: cap - value,
      };
  }
  if (service === 'data' && s.simDataLimitBytes != null) {
    if ((await simDataMonthToDate(db, sim.iccid, first, today)) >= s.simDataLimitBytes) {
      return { message: `the SIM's monthly data limit for ${month} is reached`, month };
    }
  }
  return null;
}

/**
 * After usage was added: for each organisation that now reached a monthly limit, mail its Owners and
 * Admins once per limit and month. Returns the limits newly reached.
 */
export async function noteLimitsReached(ctx: AppContext, db: Db, orgIds: string[], now: Date) {
  const { month, first, today } = monthOf(now);
  const reached: { orgId: string; kind: LimitedService }[] = [];
  // one query for the batch's organisations; only those with an organisation-wide limit read usage
  for (const s of await findOrgLimitSettings(db, [...new Set(orgIds)])) {
    const orgId = s.orgId;
    const r = reachedOf(s, await orgMonthToDate(db, orgId, first, today));
    const kinds: LimitedService[] = [
      ...(r.data ? (['data'] as const) : []),
      ...(r.smsMo ? (['sms-mo'] as const) : []),
      ...(r.smsMt ? (['sms-mt'] as const) : []),
    ];
    for (const kind of kinds) {
      if (!(await claimLimitNotice(db, orgId, month, kind, now))) continue;
      reached.push({ orgId, kind });
      for (const u of await lifetimeRecipients(db, orgId)) {
        await queueMail(ctx, db, {
          to: u.email,
          template: 'limit-reached',
          language: u.language,
          orgId,
          vars: {
            name: u.firstName,
            date: month,
            list: kind === 'data' ? 'data' : kind === 'sms-mo' ? 'MO SMS' : 'MT SMS',
            link: `${ctx.config.publicUrl}/configuration`,
          },
        });
      }
    }
  }
  return reached;
}

/**
 * Of a batch of SIMs about to be accepted, those a monthly data limit blocks: the organisation's cap
 * or the per-SIM cap. One query when no organisation in the batch has a data limit (the usual case).
 */
export async function monthlyDataBlocks(
  db: Db,
  candidates: { orgId: string; iccid: string }[],
  now: Date,
): Promise<Set<string>> {
  const blocked = new Set<string>();
  const orgIds = [...new Set(candidates.map((c) => c.orgId))];
  if (orgIds.length === 0) return blocked;
  const settings = await findDataLimitSettings(db, orgIds);
  if (settings.length === 0) return blocked;
  const { first, today } = monthOf(now);
  for (const s of settings) {
    const ofOrg = candidates.filter((c) => c.orgId === s.orgId);
    if (s.dataLimitBytes != null) {
      const used = await orgMonthToDate(db, s.orgId, first, today);
      if (used.dataBytes >= s.dataLimitBytes) {
        for (const c of ofOrg) blocked.add(c.iccid);
        continue;
      }
    }
    if (s.simDataLimitBytes != null) {
      const used = await simsDataMonthToDate(
        db,
        ofOrg.map((c) => c.iccid),
        first,
        today,
      );
      for (const c of ofOrg) if ((used.get(c.iccid) ?? 0) >= s.simDataLimitBytes) blocked.add(c.iccid);
    }
  }
  return blocked;
}

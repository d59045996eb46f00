/**
 * What a SIM event says, in the reader's language. The server stores each event's description in
 * English (the API's language, and the text of the Data Streamer records); the portal shows the same
 * event from its type and details through its message catalogues (`events.text.*`), and falls back
 * to the stored English text where an event's details do not say enough (older events, rare kinds).
 */
import { accessRefusalCauses, disconnectReasons, eventTypes, moRefusalCauses } from './events.js';
import { formatBytes } from './units.js';

/** A message key of the portal's catalogues and the values it takes. */
export interface EventText {
  key: string;
  vars: Record<string, string | number>;
  /** Messages rendered in turn, joined with ", ", as the value `{list}` (e.g. what a session update changed). */
  list?: EventText[];
}

const accessCauses: ReadonlySet<string> = new Set(accessRefusalCauses);
const moCauses: ReadonlySet<string> = new Set(moRefusalCauses);
const disconnectReasonSet: ReadonlySet<string> = new Set(disconnectReasons);

const text = (key: string, vars: Record<string, string | number> = {}): EventText => ({
  key: `events.text.${key}`,
  vars,
});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A moment given as ISO text, as the calendar day (UTC) in `locale`; null when it is not one. */
function day(v: unknown, locale: string): string | null {
  const at = typeof v === 'string' ? new Date(v) : null;
  if (!at || Number.isNaN(at.getTime())) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
}

/** The message for an event of `type` with `details`, numbers formatted for `locale`; null: use the stored text. */
export function eventText(type: number, details: Record<string, unknown>, locale: string): EventText | null {
  switch (type) {
    case eventTypes.createPdpContext: {
      const ip = str(details.framedIp);
      return ip ? text('sessionStartedIp', { ip }) : text('sessionStarted');
    }
    case eventTypes.updatePdpContext: {
      if (str(details.closedAt)) return text('sessionReportedAgain');
      const changed = details.changed;
      if (!changed || typeof changed !== 'object') return null;
      const aspects = changed as Record<string, unknown>;
      const list = (['bearer', 'operator', 'cell'] as const).flatMap((aspect) => {
        const value = str(aspects[aspect]);
        return value ? [text(`sessionChanged.${aspect}`, { value })] : [];
      });
      return list.length ? { ...text('sessionUpdated'), list } : null;
    }
    case eventTypes.deletePdpContext: {
      const cause = str(details.cause);
      const input = num(details.inputOctets);
      const output = num(details.outputOctets);
      if (!cause || input === null || output === null) return null;
      return text('sessionEnded', { cause, used: formatBytes(input + output, locale) });
    }
    case eventTypes.authenticationFailed: {
      const cause = str(details.cause);
      return cause && accessCauses.has(cause) ? text(`refused.${cause}`) : null;
    }
    case eventTypes.updateLocation: {
      const operator = str(details.operator);
      const country = str(details.country);
      const mccMnc = str(details.mccMnc);
      if (operator && country) return text('locationOperator', { operator, country });
      return mccMnc ? text('locationNetwork', { mccMnc }) : null;
    }
    case eventTypes.updateGprsLocation: {
      const cell = str(details.cell);
      return cell ? text('cellChanged', { cell }) : null;
    }
    case eventTypes.simAssigned: {
      const dataMb = num(details.dataMb);
      const sms = num(details.sms);
      const months = num(details.contractMonths);
      if (dataMb === null || sms === null || months === null) return null;
      const n = new Intl.NumberFormat(locale);
      return text('assigned', { dataMb: n.format(dataMb), sms: n.format(sms), months: n.format(months) });
    }
    case eventTypes.simActivation:
      return text('activated');
    case eventTypes.simSuspension:
      return text('deactivated');
    case eventTypes.dataThreshold:
      return text('dataLow');
    case eventTypes.smsThreshold:
      return text('smsLow');
    case eventTypes.dataUsedUp:
      return text('dataUsedUp');
    case eventTypes.smsUsedUp:
      return text('smsUsedUp');
    case eventTypes.dataQuotaAssigned: {
      const bytes = num(details.bytes);
      return bytes === null ? null : text('topUpData', { amount: formatBytes(bytes, locale) });
    }
    case eventTypes.smsQuotaAssigned: {
      const count = num(details.count);
      return count === null ? null : text('topUpSms', { count: new Intl.NumberFormat(locale).format(count) });
    }
    case eventTypes.labelChanged: {
      if (!('after' in details)) return null;
      const label = str(details.after);
      return label ? text('labelChanged', { label }) : text('labelRemoved');
    }
    case eventTypes.imeiLockChanged: {
      if (details.imeiLock === false) return text('imeiLockOff');
      const imei = str(details.imei);
      if (details.imeiLock !== true || !imei) return null;
      return text(details.atFirstAttach === true ? 'imeiLockBoundAtAttach' : 'imeiLockBound', { imei });
    }
    case eventTypes.autoTopUpChanged:
      if (typeof details.autoTopUp !== 'boolean') return null;
      return text(details.autoTopUp ? 'autoTopUpOn' : 'autoTopUpOff');
    case eventTypes.lifetimeExtended: {
      const months = num(details.months);
      const end = day(details.endOfLife, locale);
      return months === null || !end ? null : text('lifetimeExtended', { months, date: end });
    }
    case eventTypes.lifetimeExpired: {
      const end = day(details.endOfLife, locale);
      return end ? text('lifetimeExpired', { date: end }) : null;
    }
    case eventTypes.smsDelivered: {
      const parts = num(details.segments);
      if (parts === null) return null;
      return parts === 1 ? text('smsDeliveredOne') : text('smsDelivered', { parts });
    }
    case eventTypes.smsNotDelivered: {
      // refused at submission (the SMSC's command status), given up after many tries (the English
      // reason of the last one), or the SMSC's receipt (with its stat)
      const smscStatus = str(details.smscStatus);
      if (smscStatus) return text('smsRefusedBySmsc', { status: smscStatus });
      const attempts = num(details.attempts);
      const reason = str(details.reason);
      if (attempts !== null && reason) return text('smsGaveUp', { attempts, reason });
      if (!('stat' in details)) return null;
      const stat = str(details.stat);
      const key = details.status === 'expired' ? 'smsExpired' : 'smsNotDelivered';
      return stat ? text(`${key}Stat`, { stat }) : text(key);
    }
    case eventTypes.smsRefused: {
      const cause = str(details.cause);
      return cause && moCauses.has(cause) ? text(`moRefused.${cause}`) : null;
    }
    case eventTypes.connectionReset:
      return text('resetRequested');
    case eventTypes.transferred: {
      const direction = details.direction;
      if (direction === 'out') {
        const org = str(details.toOrg);
        return org ? text('transferredOut', { org }) : null;
      }
      const org = str(details.fromOrg);
      const ip = str(details.ip);
      return direction === 'in' && org && ip ? text('transferredIn', { org, ip }) : null;
    }
    case eventTypes.disconnectFailed:
      return disconnectFailed(details);
    default:
      return null;
  }
}

/**
 * Event 106: a Disconnect-Request that did not end the session. Its reason is rendered as the value
 * `{list}` (a message of its own); the Error-Cause is the RFC 5176 name, as the network says it.
 */
function disconnectFailed(details: Record<string, unknown>): EventText | null {
  const reason = str(details.reason);
  if (!reason || !disconnectReasonSet.has(reason)) return null;
  const why = [text(`disconnectReason.${reason}`)];
  const nas = str(details.nas);
  if (!('result' in details)) return nas ? { ...text('disconnectUnknownNas', { nas }), list: why } : null;
  if (details.result === 'timeout') return { ...text('disconnectUnanswered'), list: why };
  if (details.result !== 'nak') return null;
  const code = num(details.errorCause);
  if (code === null) return { ...text('disconnectRefusedNoCause'), list: why };
  // recorded before the cause's name was: the stored text has it
  if (!('errorCauseName' in details)) return null;
  return {
    ...text('disconnectRefused', { cause: str(details.errorCauseName) ?? `Error-Cause ${code}` }),
    list: why,
  };
}

/**
 * The event's text through a catalogue: `say` gives a message with its values filled in (null: the
 * catalogue has no such message). Null when the stored English text is to be shown instead.
 */
export function sayEvent(
  type: number,
  details: Record<string, unknown>,
  locale: string,
  say: (key: string, vars: Record<string, string | number>) => string | null,
): string | null {
  const said = eventText(type, details, locale);
  if (!said) return null;
  const parts = said.list?.map((part) => say(part.key, part.vars));
  if (parts?.includes(null)) return null;
  return say(said.key, parts ? { ...said.vars, list: parts.join(', ') } : said.vars);
}

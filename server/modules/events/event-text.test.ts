import { describe, expect, it } from 'vitest';
import { eventText } from '../../../contracts/event-text.js';
import {
  accessRefusalCauses,
  disconnectReasons,
  eventTypes,
  moRefusalCauses,
} from '../../../contracts/events.js';
import { renderEvent } from '../../test/event-text.js';
import { sessionEnded } from '../network/accounting.service.js';
import { STALE_CAUSE } from '../network/network-data.js';
import type { SimRow } from '../sims/sims.repository.js';
import { planChange } from '../sims/sims.service.js';
import type { Actor } from './events.service.js';

/** The portal's rendering of an event of `type` with `details` in `locale`. */
const render = (type: number, details: Record<string, unknown>, locale: 'en' | 'de') =>
  renderEvent(locale, { type, details });

const actor: Actor = { source: 'user', id: '00000000-0000-4000-8000-000000000001', name: 'Ada Admin' };
const sim = {
  iccid: '8949020123000000011',
  orgId: '00000000-0000-4000-8000-000000000002',
  status: 'activated',
  label: 'Pump 7',
  imeiLock: true,
  lockedImei: '353462111729310',
  autoTopUp: false,
} as SimRow;
const at = new Date('2026-11-28T10:00:00Z');
/** Event 5 of a session that moved 1,572,864 octets (1.5 MB). */
const ended = (cause: string) =>
  sessionEnded(
    {
      orgId: sim.orgId ?? '',
      iccid: sim.iccid,
      sessionId: 's1',
      inputOctets: 1_000_000,
      outputOctets: 572_864,
    },
    cause,
    at,
  );
const eventsOf = (req: Parameters<typeof planChange>[1]) => planChange(sim, req, actor, at).events;

describe('event texts in the reader’s language', () => {
  it('when the SIM service records a change, then the English catalogue says what the stored text says', () => {
    const events = [
      ...eventsOf({ status: 'deactivated' }),
      ...eventsOf({ label: 'Pump 8' }),
      ...eventsOf({ autoTopUp: true }),
      ...eventsOf({ imeiLock: false }),
      ended('User-Request'),
    ];
    expect(events.map((e) => e.type)).toEqual([
      eventTypes.simSuspension,
      eventTypes.labelChanged,
      eventTypes.autoTopUpChanged,
      eventTypes.imeiLockChanged,
      eventTypes.deletePdpContext,
    ]);
    for (const e of events) expect(render(e.type, e.details ?? {}, 'en')).toBe(e.description);
  });

  it('when the reader reads German, then the same events are German, numbers in German notation', () => {
    const lost = ended('Lost-Carrier');
    expect(render(lost.type, lost.details ?? {}, 'de')).toBe(
      'Datensitzung beendet (Lost-Carrier): 1,5 MB verbraucht',
    );
    const [label] = eventsOf({ label: 'Pumpe 8' });
    expect(render(label?.type ?? 0, label?.details ?? {}, 'de')).toBe('Bezeichnung geändert in „Pumpe 8“');
    const [removed] = eventsOf({ label: '' });
    expect(render(removed?.type ?? 0, removed?.details ?? {}, 'de')).toBe('Bezeichnung entfernt');
    expect(render(eventTypes.dataQuotaAssigned, { bytes: 500 * 1024 * 1024 }, 'de')).toBe(
      'Aufladung: 500 MB Daten hinzugefügt',
    );
    expect(render(eventTypes.smsQuotaAssigned, { count: 1250 }, 'de')).toBe(
      'Aufladung: 1.250 SMS hinzugefügt',
    );
    expect(
      render(eventTypes.updateLocation, { mccMnc: '20416', operator: 'Odido', country: 'NL' }, 'de'),
    ).toBe('Standortaktualisierung: jetzt bei Odido (NL)');
    expect(render(eventTypes.updateGprsLocation, { cell: '20416-39073-90454533' }, 'de')).toBe(
      'GPRS-Standortaktualisierung: Zelle 20416-39073-90454533',
    );
    expect(render(eventTypes.simAssigned, { dataMb: 1000, sms: 250, contractMonths: 120 }, 'de')).toBe(
      'SIM zugewiesen und aktiviert (1.000 MB, 250 SMS, 120 Monate)',
    );
  });

  it('when a lifetime ends or is extended, or an SMS is delivered, then the German text says so with a German date', () => {
    expect(
      render(eventTypes.lifetimeExtended, { months: 12, endOfLife: '2037-06-11T08:00:00.000Z' }, 'de'),
    ).toBe('Laufzeit um 12 Monate verlängert bis 11.06.2037');
    expect(render(eventTypes.lifetimeExpired, { endOfLife: '2036-06-11T08:00:00.000Z' }, 'de')).toBe(
      'Laufzeit am 11.06.2036 abgelaufen: SIM abgelaufen',
    );
    expect(render(eventTypes.lifetimeExpired, { endOfLife: '2036-06-11T08:00:00.000Z' }, 'en')).toBe(
      'Lifetime ended on Jun 11, 2036: SIM expired',
    );
    expect(render(eventTypes.smsDelivered, { segments: 1 }, 'de')).toBe('SMS zugestellt (1 Teil)');
    expect(render(eventTypes.smsDelivered, { segments: 3 }, 'en')).toBe('SMS delivered (3 parts)');
    expect(eventText(eventTypes.lifetimeExpired, { endOfLife: 'not a date' }, 'en')).toBeNull();
    expect(render(eventTypes.smsNotDelivered, { status: 'failed', stat: 'UNDELIV' }, 'de')).toBe(
      'SMS nicht zugestellt: UNDELIV',
    );
    expect(render(eventTypes.smsNotDelivered, { status: 'expired', stat: null }, 'en')).toBe('SMS expired');
    // refused at submission (as failMt records it, asserted in sms.test.ts) or given up after many tries
    const refused = { status: 'failed', smscStatus: 'ESME_RINVDSTADR (0x0B)', reason: 'the SMSC refused…' };
    expect(render(eventTypes.smsNotDelivered, refused, 'en')).toBe(
      'SMS not sent, refused by the SMSC: ESME_RINVDSTADR (0x0B)',
    );
    expect(render(eventTypes.smsNotDelivered, refused, 'de')).toBe(
      'SMS nicht gesendet, von der SMSC abgelehnt: ESME_RINVDSTADR (0x0B)',
    );
    const gaveUp = { status: 'failed', attempts: 20, reason: 'not bound to the SMSC' };
    expect(render(eventTypes.smsNotDelivered, gaveUp, 'de')).toBe(
      'SMS nicht gesendet: nach 20 Versuchen aufgegeben (not bound to the SMSC)',
    );
    expect(render(eventTypes.smsNotDelivered, gaveUp, 'en')).toBe(
      'SMS not sent: given up after 20 attempts (not bound to the SMSC)',
    );
    // recorded before the status was: only the stored English reason says why
    expect(eventText(eventTypes.smsNotDelivered, { status: 'failed', segments: 1 }, 'en')).toBeNull();
    for (const cause of moRefusalCauses)
      expect(render(eventTypes.smsRefused, { cause }, 'de')).toMatch(/^MO-SMS abgelehnt: /);
  });

  it('when an Interim changed the bearer, operator or cell, then the update says which, in either language', () => {
    // the details the accounting service records (its English text is asserted in radius/server.test.ts)
    expect(render(eventTypes.updatePdpContext, { changed: { operator: 'A1 Telekom Austria' } }, 'en')).toBe(
      'Data session updated: operator A1 Telekom Austria',
    );
    const all = { changed: { bearer: '5G', operator: 'Odido', cell: '20416-39073-90454533' } };
    expect(render(eventTypes.updatePdpContext, all, 'en')).toBe(
      'Data session updated: bearer 5G, operator Odido, cell 20416-39073-90454533',
    );
    expect(render(eventTypes.updatePdpContext, all, 'de')).toBe(
      'Datensitzung aktualisiert: Funktechnik 5G, Netzbetreiber Odido, Zelle 20416-39073-90454533',
    );
    const reopened = { closedAt: '2026-11-28T10:00:00.000Z' };
    expect(render(eventTypes.updatePdpContext, reopened, 'en')).toBe(
      `Data session reported again after it was closed (${STALE_CAUSE})`,
    );
    expect(render(eventTypes.updatePdpContext, reopened, 'de')).toBe(
      'Datensitzung nach dem Schließen wieder gemeldet (Accounting-Timeout)',
    );
    // recorded before the change: the details name no aspect
    expect(eventText(eventTypes.updatePdpContext, { bearer: '4G', cell: null }, 'en')).toBeNull();
    expect(eventText(eventTypes.updatePdpContext, { changed: {} }, 'en')).toBeNull();
  });

  it('when the AAA refuses a session for any cause, then both catalogues have its message', () => {
    for (const cause of accessRefusalCauses) {
      expect(render(eventTypes.authenticationFailed, { cause }, 'en')).toMatch(/^Data session refused: /);
      expect(render(eventTypes.authenticationFailed, { cause }, 'de')).toMatch(/^Datensitzung abgelehnt: /);
    }
  });

  it('when a Disconnect-Request was not sent, refused or unanswered, then both languages name the reason', () => {
    // as server/network/radius/disconnect.ts records them (NAK and timeout: server.disconnect.test.ts)
    const unknownNas = { sessionId: 's1', nas: '192.0.2.7', reason: 'exhausted' };
    expect(render(eventTypes.disconnectFailed, unknownNas, 'en')).toBe(
      'Disconnect (data volume used up) not sent: NAS 192.0.2.7 is not a known client',
    );
    expect(render(eventTypes.disconnectFailed, unknownNas, 'de')).toBe(
      'Trennung (Datenvolumen aufgebraucht) nicht gesendet: NAS 192.0.2.7 ist kein bekannter Client',
    );
    const noCause = {
      nas: '192.0.2.7',
      reason: 'limit',
      result: 'nak',
      errorCause: null,
      errorCauseName: null,
    };
    expect(render(eventTypes.disconnectFailed, noCause, 'en')).toBe(
      'Disconnect (monthly data limit reached) refused by the network: no cause given',
    );
    const unnamed = {
      nas: '192.0.2.7',
      reason: 'imei_lock',
      result: 'nak',
      errorCause: 599,
      errorCauseName: null,
    };
    expect(render(eventTypes.disconnectFailed, unnamed, 'de')).toBe(
      'Trennung (IMEI-Sperre eingeschaltet) vom Netz abgelehnt: Error-Cause 599',
    );
    for (const reason of disconnectReasons)
      expect(render(eventTypes.disconnectFailed, { reason, result: 'timeout' }, 'de')).toMatch(
        /^Trennung \(.+\) vom Netz nicht beantwortet$/,
      );
    // recorded before the cause's name was, or with a reason this version does not know
    expect(
      eventText(eventTypes.disconnectFailed, { reason: 'reset', result: 'nak', errorCause: 503 }, 'en'),
    ).toBeNull();
    expect(eventText(eventTypes.disconnectFailed, { reason: 'other', result: 'timeout' }, 'en')).toBeNull();
    // a first-attach binding says so; one set by a user does not
    expect(render(eventTypes.imeiLockChanged, { imeiLock: true, imei: '490154203237518' }, 'en')).toBe(
      'IMEI lock bound to IMEI 490154203237518',
    );
  });

  it('when an event’s details do not say enough, then the stored text is shown', () => {
    expect(eventText(eventTypes.deletePdpContext, { cause: 'User-Request' }, 'en')).toBeNull();
    expect(eventText(eventTypes.authenticationFailed, { cause: 'SOMETHING_NEW' }, 'en')).toBeNull();
    expect(eventText(eventTypes.imeiLockChanged, { imeiLock: true, imei: null }, 'en')).toBeNull();
    expect(eventText(eventTypes.autoTopUpChanged, {}, 'en')).toBeNull();
    expect(eventText(eventTypes.labelChanged, {}, 'en')).toBeNull();
    expect(eventText(eventTypes.generic, {}, 'en')).toBeNull();
  });
});

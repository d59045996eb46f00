/** German texts of the Dashboard tab; typed against the English keys, so a missing or extra key fails the build. */
import type { dashboard as en } from '../en/dashboard.js';

export const dashboard: Record<keyof typeof en, string> = {
  'dashboard.asOf': 'Stand {time}',
  'dashboard.refresh': 'Aktualisieren',
  'dashboard.view': 'Anzeigen',
  'dashboard.viewGroup': 'SIMs anzeigen: {group}',
  'dashboard.status.title': 'SIM-Status',
  'dashboard.status.total': '{count} SIMs',
  'dashboard.status.online': '{count} gerade online',
  'dashboard.status.empty':
    'Noch keine SIMs. SIMs erscheinen hier, sobald eine Bestellung sie Ihnen zuweist.',
  'dashboard.data.title': 'Datenvolumen',
  'dashboard.sms.title': 'SMS-Volumen',
  'dashboard.usage.title': 'Nutzung',
  'dashboard.usage.months': 'Letzte 6 Monate',
  'dashboard.usage.weeks': 'Letzte 8 Wochen',
  'dashboard.usage.data': 'Daten',
  'dashboard.usage.sms': 'SMS',
  'dashboard.usage.dataTotal': '{total} in diesem Zeitraum',
  'dashboard.usage.smsTotal': '{total} SMS in diesem Zeitraum',
  'dashboard.usage.week': 'KW {week}',
  'dashboard.orders.title': 'Letzte Bestellungen',
  'dashboard.orders.empty': 'Noch keine Bestellungen. Ihre Bestellungen erscheinen hier mit ihrem Status.',
  'dashboard.limits.title': 'Monatslimit erreicht',
  'dashboard.limits.data': 'Daten: neue Datenverbindungen werden für alle SIMs abgelehnt, offene beendet.',
  'dashboard.limits.smsMo': 'SMS von Geräten (MO): für alle SIMs abgelehnt.',
  'dashboard.limits.smsMt': 'SMS an Geräte (MT): Senden ist für alle SIMs abgelehnt.',
  'dashboard.limits.until': 'Das gilt bis zum {date} (UTC) oder bis das Limit erhöht wird.',
  'dashboard.limits.configure': 'Limits ändern',
  'dashboard.error': 'Das Dashboard konnte nicht geladen werden.',
};

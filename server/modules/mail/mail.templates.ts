/** The texts of every e-mail, in English and German. */
import type { Language } from '../../../contracts/common.js';

export interface TemplateVars {
  name: string;
  link?: string;
  organisation?: string;
  hours?: number;
  days?: number;
  count?: number;
  months?: number;
  date?: string;
  list?: string;
}

type Render = (v: TemplateVars) => { subject: string; text: string };

const templates = {
  'password-reset': {
    en: (v) => ({
      subject: 'Reset your OpenCMP password',
      text: `Hello ${v.name},\n\nsomebody asked to reset the password of your OpenCMP account. If it was you, open this link within ${v.hours} hour(s) to choose a new password:\n\n${v.link}\n\nThe link works once. If you did not ask for it, ignore this e-mail; your password stays as it is.\n\nOpenCMP`,
    }),
    de: (v) => ({
      subject: 'OpenCMP-Passwort zurücksetzen',
      text: `Hallo ${v.name},\n\njemand hat das Zurücksetzen des Passworts Ihres OpenCMP-Kontos angefordert. Wenn Sie es waren, öffnen Sie diesen Link innerhalb von ${v.hours} Stunde(n), um ein neues Passwort zu wählen:\n\n${v.link}\n\nDer Link ist nur einmal gültig. Wenn Sie es nicht waren, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.\n\nOpenCMP`,
    }),
  },
  invitation: {
    en: (v) => ({
      subject: `You have been invited to OpenCMP by ${v.organisation}`,
      text: `Hello ${v.name},\n\nan account has been created for you in the OpenCMP portal of ${v.organisation}. Open this link within ${v.days} days to set your password:\n\n${v.link}\n\nThe link works once.\n\nOpenCMP`,
    }),
    de: (v) => ({
      subject: `Einladung zu OpenCMP von ${v.organisation}`,
      text: `Hallo ${v.name},\n\nfür Sie wurde ein Konto im OpenCMP-Portal von ${v.organisation} angelegt. Öffnen Sie diesen Link innerhalb von ${v.days} Tagen, um Ihr Passwort festzulegen:\n\n${v.link}\n\nDer Link ist nur einmal gültig.\n\nOpenCMP`,
    }),
  },
  'password-changed': {
    en: (v) => ({
      subject: 'Your OpenCMP password was changed',
      text: `Hello ${v.name},\n\nthe password of your OpenCMP account was just changed and your other sign-ins were ended. If this was not you, reset your password at once and contact your administrator.\n\nOpenCMP`,
    }),
    de: (v) => ({
      subject: 'Ihr OpenCMP-Passwort wurde geändert',
      text: `Hallo ${v.name},\n\ndas Passwort Ihres OpenCMP-Kontos wurde soeben geändert und Ihre anderen Anmeldungen wurden beendet. Wenn Sie das nicht waren, setzen Sie Ihr Passwort sofort zurück und wenden Sie sich an Ihre Administration.\n\nOpenCMP`,
    }),
  },
  'lifetime-notice': {
    en: (v) => ({
      subject: `${v.count} SIM(s) of ${v.organisation} reach the end of their lifetime within ${v.months} month(s)`,
      text: `Hello ${v.name},\n\nthe lifetime of ${v.count} SIM(s) of ${v.organisation} ends within ${v.months} month(s), the first on ${v.date}. When it ends, a SIM is expired and the network refuses it; a lifetime extension starts a new period and keeps the remaining volume.\n\n${v.list}\n\nSee them in My SIMs, sorted by end of lifetime:\n${v.link}\n\nOpenCMP`,
    }),
    de: (v) => ({
      subject: `${v.count} SIM(s) von ${v.organisation} erreichen innerhalb von ${v.months} Monat(en) das Ende ihrer Laufzeit`,
      text: `Hallo ${v.name},\n\ndie Laufzeit von ${v.count} SIM(s) von ${v.organisation} endet innerhalb von ${v.months} Monat(en), die erste am ${v.date}. Danach ist eine SIM abgelaufen und das Netz weist sie ab; eine Laufzeitverlängerung beginnt eine neue Laufzeit und behält das verbleibende Volumen.\n\n${v.list}\n\nSie finden sie in Meine SIMs, sortiert nach Laufzeitende:\n${v.link}\n\nOpenCMP`,
    }),
  },
  'volume-notice': {
    en: (v) => ({
      subject: `Volume notice for ${v.organisation}: ${v.count} SIM volume change(s)`,
      text: `Hello,\n\nthe volume of SIMs of ${v.organisation} crossed a mark. A SIM whose data volume is used up cannot open data sessions, one whose SMS volume is used up cannot send or receive SMS, until it is topped up.\n\n${v.list}\n\nSee the SIMs with low or no volume left:\n${v.link}\n\nYou receive this because this address is set for volume notifications in Account → Customer data.\n\nOpenCMP`,
    }),
    de: (v) => ({
      subject: `Volumenhinweis für ${v.organisation}: ${v.count} Änderung(en) beim SIM-Volumen`,
      text: `Hallo,\n\ndas Volumen von SIMs von ${v.organisation} hat eine Schwelle überschritten. Eine SIM ohne Datenvolumen kann keine Datenverbindungen öffnen, eine ohne SMS-Volumen keine SMS senden oder empfangen, bis sie aufgeladen wird.\n\n${v.list}\n\nDie SIMs mit wenig oder keinem Volumen:\n${v.link}\n\nSie erhalten diese E-Mail, weil diese Adresse unter Konto → Kundendaten für Volumenhinweise eingetragen ist.\n\nOpenCMP`,
    }),
  },
  'limit-reached': {
    en: (v) => ({
      subject: `Monthly ${v.list} limit reached for ${v.date}`,
      text: `Hello ${v.name},\n\nyour organisation reached its monthly ${v.list} limit for ${v.date}. Until the month ends (the limits reset on the 1st, UTC) or the limit is raised, this service is refused for all your SIMs; the other services go on.\n\nSee or change the limits in Configuration:\n${v.link}\n\nOpenCMP`,
    }),
    de: (v) => ({
      subject: `Monatslimit für ${v.list} erreicht (${v.date})`,
      text: `Hallo ${v.name},\n\nIhre Organisation hat ihr monatliches Limit für ${v.list} im Monat ${v.date} erreicht. Bis zum Monatsende (die Limits beginnen am 1. neu, UTC) oder bis das Limit erhöht wird, wird dieser Dienst für alle Ihre SIMs abgelehnt; die anderen Dienste laufen weiter.\n\nLimits ansehen oder ändern unter Konfiguration:\n${v.link}\n\nOpenCMP`,
    }),
  },
} satisfies Record<string, Record<Language, Render>>;

export type TemplateId = keyof typeof templates;

/** Subject and text of a template in a language. */
export function renderMail(template: TemplateId, language: Language, vars: TemplateVars) {
  return templates[template][language](vars);
}

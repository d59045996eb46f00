/** German texts of the Configuration tab; typed against the English keys, so a missing or extra key fails the build. */
import type { config as en } from '../en/config.js';

export const config: Record<keyof typeof en, string> = {
  'config.apiAccess.title': 'API-Zugang',
  'config.apiAccess.intro':
    'Maschinen nutzen die REST-API mit einem Bearer-Token von POST /api/v1/oauth/token (HTTP Basic client_id:client_secret, eine Stunde gültig). Jeder API-Client hat sein eigenes Secret; wird ein Client widerrufen, gelten seine Tokens sofort nicht mehr.',
  'config.apiAccess.create': 'API-Client anlegen',
  'config.apiAccess.empty': 'Noch keine API-Clients.',
  'config.apiAccess.clientId': 'Client-ID',
  'config.apiAccess.access': 'Zugriff',
  'config.apiAccess.readOnly': 'Nur lesen',
  'config.apiAccess.fullAccess': 'Voller Zugriff',
  'config.apiAccess.actsAs': 'Rechte von: {role}',
  'config.apiAccess.actsAsNote':
    'Dieser Client handelt mit den Rechten Ihrer Rolle ({role}): über die API kann er, was Sie im Portal können, nicht mehr.',
  'config.apiAccess.createdAt': 'Angelegt',
  'config.apiAccess.createdBy': 'von {name}',
  'config.apiAccess.lastUsed': 'Zuletzt genutzt',
  'config.apiAccess.never': 'Nie',
  'config.apiAccess.actions': 'Aktionen',
  'config.apiAccess.revoke': 'Widerrufen',
  'config.apiAccess.revokeTitle': 'API-Client widerrufen?',
  'config.apiAccess.revokeConfirm':
    '{clientId} und alle ihm ausgestellten Tokens funktionieren sofort nicht mehr. Das kann nicht rückgängig gemacht werden.',
  'config.apiAccess.revoked': '{clientId} ist widerrufen.',
  'config.apiAccess.name': 'Name',
  'config.apiAccess.nameHint': 'Die Client-ID wird {clientId}. 3 bis 40 Zeichen: a–z, 0–9, _ und -.',
  'config.apiAccess.nameInvalid': '3 bis 40 Zeichen verwenden: Kleinbuchstaben, Ziffern, _ und -.',
  'config.apiAccess.readOnlyLabel': 'Nur lesen: der Client darf nur lesen, nichts ändern',
  'config.apiAccess.ownSecret': 'Eigenes Secret wählen statt eines erzeugten',
  'config.apiAccess.secret': 'Client-Secret',
  'config.apiAccess.secretHint':
    'Mindestens {min} Zeichen aus drei von: Kleinbuchstaben, Großbuchstaben, Ziffern, andere Zeichen.',
  'config.apiAccess.secretTooShort': 'Mindestens {min} Zeichen.',
  'config.apiAccess.secretMix': 'Drei von: Kleinbuchstaben, Großbuchstaben, Ziffern, andere Zeichen mischen.',
  'config.apiAccess.createdTitle': 'API-Client angelegt',
  'config.apiAccess.secretOnce':
    'Kopieren Sie das Secret jetzt: es wird nur dieses eine Mal angezeigt und lässt sich später nicht abrufen. Geht es verloren, widerrufen Sie den Client und legen Sie einen neuen an.',
  'config.apiAccess.copy': 'Kopieren',
  'config.apiAccess.copied': 'Kopiert',
  'config.apiAccess.tokenExample': 'Token anfordern',
  'config.apiAccess.stored': 'Ich habe das Secret gespeichert',
  'config.more.title': 'Netzwerkansicht, Datenströme und SMS-Weiterleitung',
  'config.more.description':
    'Netzwerkeinstellungen, Datenströme und SMS-Weiterleitung für Ihre Organisation.',
  'config.limits.title': 'Monatslimits',
  'config.limits.intro':
    'Obergrenzen je Kalendermonat (UTC; dieser Monat: {month}). Ist eine erreicht, wird dieser Dienst für alle SIMs bis zum 1. abgelehnt oder bis Sie sie erhöhen; Inhaber und Admins werden per E-Mail informiert. Leer lassen für kein Limit.',
  'config.limits.dataLimitMb': 'Daten der Organisation',
  'config.limits.simDataLimitMb': 'Daten je SIM',
  'config.limits.smsMoLimit': 'SMS von Geräten (MO)',
  'config.limits.smsMtLimit': 'SMS an Geräte (MT)',
  'config.limits.none': 'Kein Limit',
  'config.limits.usedData': '{used} in diesem Monat genutzt',
  'config.limits.usedSms': '{used} in diesem Monat genutzt',
  'config.limits.simDataHint':
    'Eine SIM, die es erreicht, kann bis Monatsende keine Datenverbindungen öffnen.',
  'config.limits.saved': 'Limits und Voreinstellungen gespeichert',
  'config.defaults.title': 'Voreinstellungen für neue SIMs',
  'config.defaults.imeiLock':
    'IMEI-Sperre an: neue SIMs binden sich an das erste Gerät, mit dem sie sich anmelden',
  'config.defaults.autoTopUp': 'Automatisches Aufladen an: neue SIMs werden unter 20 % aufgeladen',
  'config.defaults.autoTopUpNotAllowed': 'Nur Rollen, die aufladen dürfen, können dies ändern.',
};

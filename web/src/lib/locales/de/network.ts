/** German texts of the operator console's Network area; typed against the English keys. */
import type { network as en } from '../en/network.js';

export const network: Record<keyof typeof en, string> = {
  'network.countersTitle': 'RADIUS',
  'network.aaaStopped':
    'Kein AAA-Prozess hat sich in den letzten 30 Sekunden gemeldet (Rolle aaa läuft nicht).',
  'network.requests': 'Anfragen',
  'network.accepts': 'Angenommen',
  'network.rejects': 'Abgelehnt',
  'network.accounting': 'Accounting',
  'network.drops': 'Verworfen',
  'network.openSessions': 'Offene Sitzungen',
  'network.disconnects': 'Trennungen',
  'network.responseTitle':
    'Antwortzeit in der letzten Minute, vom Lesen einer Anfrage bis zum Senden der Antwort',
  'network.responseAccess': 'Access-Request',
  'network.responseAccounting': 'Accounting-Request',
  'network.responseFigures': 'Median {p50} ms · p99 {p99} ms · {count} Antworten',
  'network.responseNone': 'keine Antworten in der letzten Minute',
  'network.byReason': 'Nach Grund',
  'network.none': 'keine',
  'network.refreshing': 'Stand {time}, aktualisiert alle 3 Sekunden',
  'network.nasTitle': 'NAS-Clients (Packet Gateways)',
  'network.nasEmpty':
    'Noch keine NAS-Clients. Beantwortet wird nur der Standard-Client aus RADIUS_SECRET (127.0.0.1), falls gesetzt.',
  'network.nasAdd': 'NAS-Client hinzufügen',
  'network.nasEdit': 'NAS-Client bearbeiten',
  'network.nasName': 'Name',
  'network.nasAddress': 'Adresse',
  'network.nasAddressHint':
    'IPv4-Adresse oder -Block, von dem das Gateway sendet, z. B. 10.20.0.1 oder 10.20.0.0/24',
  'network.nasSecret': 'Gemeinsames Geheimnis',
  'network.nasSecretHint': '8 bis 128 druckbare Zeichen ohne Leerzeichen',
  'network.nasSecretKeep': 'Leer lassen, um das bisherige Geheimnis zu behalten ({masked})',
  'network.nasDaePort': 'DAE-Port',
  'network.nasDaePortHint': 'UDP-Port für Disconnect-Requests (RFC 5176), meist 3799',
  'network.nasSave': 'Speichern',
  'network.nasSaved': 'NAS-Client {name} gespeichert',
  'network.nasRemove': 'Entfernen',
  'network.nasRemoveTitle': 'NAS-Client entfernen',
  'network.nasRemoveConfirm': 'Der AAA beantwortet {name} ({address}) ab sofort nicht mehr. Entfernen?',
  'network.nasRemoved': 'NAS-Client {name} entfernt',
  'network.invalidName': 'Einen Namen mit höchstens 64 Zeichen eingeben',
  'network.invalidAddress': 'Eine IPv4-Adresse oder einen Block eingeben, z. B. 10.20.0.0/24',
  'network.invalidSecret': 'Mindestens 8 druckbare Zeichen, keine Leerzeichen',
  'network.invalidPort': 'Ein Port zwischen 1 und 65535',
};

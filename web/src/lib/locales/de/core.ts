/** German texts of the shell, common words and errors; typed against the English keys, so a missing or extra key fails the build. */
import type { core as en } from '../en/core.js';

export const core: Record<keyof typeof en, string> = {
  'app.name': 'OpenCMP',
  'common.save': 'Speichern',
  'common.cancel': 'Abbrechen',
  'common.close': 'Schließen',
  'common.loading': 'Wird geladen …',
  'common.retry': 'Erneut versuchen',
  'common.error': 'Fehler',
  'common.success': 'Erledigt',
  'common.none': '—',
  'common.notYet': 'In dieser Installation noch nicht verfügbar',
  'common.togglePassword': 'Passwort anzeigen oder verbergen',
  'pagination.first': 'Erste Seite',
  'pagination.previous': 'Vorherige Seite',
  'pagination.next': 'Nächste Seite',
  'pagination.last': 'Letzte Seite',
  'pagination.label': 'Seiten',
  'common.passwordHint': 'Mindestens 10 Zeichen.',
  'language.label': 'Sprache',
  'language.en': 'English',
  'language.de': 'Deutsch',
  'validation.required': 'Pflichtfeld',
  'validation.email': 'Geben Sie eine gültige E-Mail-Adresse ein',
  'validation.totp': 'Geben Sie die 6 Ziffern ein',
  'validation.passwordLength': 'Verwenden Sie mindestens 10 Zeichen',
  'validation.passwordMismatch': 'Die Passwörter stimmen nicht überein',
  'errors.generic': 'Etwas ist schiefgelaufen.',
  'errors.network_error':
    'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'errors.invalid_credentials': 'E-Mail oder Passwort ist falsch.',
  'errors.invalid_totp': 'Der Zwei-Faktor-Code ist falsch.',
  'errors.invalid_token': 'Dieser Link ist abgelaufen oder wurde bereits verwendet.',
  'errors.csrf_failed':
    'Die Anfrage wurde aus Sicherheitsgründen abgelehnt. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'errors.forbidden': 'Das dürfen Sie nicht.',
  'errors.not_found': 'Nicht gefunden.',
  'errors.method_not_allowed': 'Diese Aktion ist hier nicht möglich.',
  'errors.conflict': 'Das widerspricht vorhandenen Daten.',
  'errors.conflict.sim_expired':
    'SIM {iccid} ist abgelaufen: nur eine Verlängerung der Laufzeit macht sie wieder nutzbar.',
  'errors.conflict.top_up_expired':
    'SIM {iccid} ist abgelaufen: verlängern Sie ihre Laufzeit, bevor Sie sie aufladen.',
  'errors.conflict.extension_too_late':
    'SIM {iccid} ist vor mehr als {months} Monaten abgelaufen und kann nicht mehr verlängert werden.',
  'errors.conflict.extension_too_early':
    'SIM {iccid} kann in den letzten {months} Monaten ihrer Laufzeit verlängert werden (sie endet am {end}).',
  'errors.conflict.sms_sim_not_activated':
    'SIM {iccid} ist nicht aktiviert: SMS können nur an aktivierte SIMs gesendet werden.',
  'errors.conflict.sms_being_submitted':
    'Diese SMS wird gerade an die SMS-Zentrale übergeben und kann nicht mehr abgebrochen werden.',
  'errors.conflict.no_open_session':
    'SIM {iccid} hat keine offene Datensitzung, die zurückgesetzt werden könnte.',
  'errors.conflict.no_free_addresses':
    'Der IP-Adressraum von {org} hat {free} freie Adresse(n) für {total} SIMs: der Anbieter muss zuerst einen Adressblock hinzufügen.',
  'errors.conflict.totp_on_turn_off_first':
    'Die Zwei-Faktor-Anmeldung ist bereits eingeschaltet. Schalten Sie sie zuerst aus.',
  'errors.conflict.totp_already_on': 'Die Zwei-Faktor-Anmeldung ist bereits eingeschaltet.',
  'errors.conflict.totp_not_started': 'Beginnen Sie zuerst die Einrichtung der Zwei-Faktor-Anmeldung.',
  'errors.conflict.password_already_set':
    'Dieser Benutzer hat bereits ein Passwort gesetzt; nur eingeladene Benutzer erhalten einen neuen Link.',
  'errors.conflict.user_already_deactivated': 'Dieser Benutzer ist bereits deaktiviert.',
  'errors.conflict.user_not_deactivated': 'Dieser Benutzer ist nicht deaktiviert.',
  'errors.conflict.owner_password_already_set':
    'Dieser Owner hat bereits ein Passwort gesetzt; nur eingeladene Benutzer erhalten einen neuen Link.',
  'errors.conflict.owner_already_deactivated': 'Dieser Owner ist bereits deaktiviert.',
  'errors.conflict.owner_not_deactivated': 'Dieser Owner ist nicht deaktiviert.',
  'errors.conflict.last_owner':
    '{name} ist der letzte Owner der Organisation, der sich anmelden kann: laden Sie zuerst einen anderen Owner ein oder aktivieren Sie ihn.',
  'errors.conflict.email_already_listed': '{email} ist für {category} bereits eingetragen.',
  'errors.conflict.invoice_address_exists':
    'Die Organisation hat bereits eine Rechnungsadresse; ändern Sie stattdessen diese.',
  'errors.conflict.invoice_address_required':
    'Die Rechnungsadresse kann geändert, aber nicht entfernt werden.',
  'errors.conflict.org_holds_sims':
    '{org} hat noch {sims} SIM(s): übertragen Sie sie zurück, bevor Sie die Organisation löschen.',
  'errors.conflict.org_has_suborgs':
    '{org} hat {count} eigene Unterorganisation(en): diese müssen zuerst gelöscht werden.',
  'errors.conflict.range_not_in_stock': '{count} SIM(s) im Bereich sind nicht im Lager, z. B. {iccid}.',
  'errors.conflict.assign_no_free_addresses':
    'Der IP-Adressraum der Organisation hat {free} freie Adresse(n) für {total} SIMs: fügen Sie zuerst einen Adressblock hinzu.',
  'errors.conflict.block_overlaps': '{cidr} überschneidet sich mit einem vorhandenen Adressblock.',
  'errors.conflict.no_account_number': 'Diese Organisation hat keine Kundennummer für API-Clients.',
  'errors.conflict.changed_meanwhile':
    'Einige dieser SIMs wurden während der Übertragung geändert; es wurde nichts übertragen, bitte erneut versuchen.',
  'errors.conflict.fields_in_use': 'Einige Werte werden bereits verwendet: siehe die markierten Felder.',
  'errors.field.in_use': 'Wird bereits verwendet.',
  'errors.field.role_not_assignable': 'Diese Rolle dürfen Sie nicht vergeben.',
  'errors.field.imei_needs_lock': 'Eine IMEI lässt sich nur bei eingeschalteter IMEI-Sperre festlegen.',
  'errors.field.filter_matches_none': 'Der Filter trifft auf keine SIM zu.',
  'errors.field.filter_matches_too_many':
    'Der Filter trifft auf mehr als {max} SIMs zu; schränken Sie ihn ein.',
  'errors.field.default_delivery_only': 'Nur eine Lieferadresse kann die Standardadresse sein.',
  'errors.field.smsc_url_invalid':
    'Keine gültige SMPP-URL (smpp://system_id:passwort@host:port, optional ?receipt_zone= und eine Zeitzone wie Europe/Berlin).',
  'errors.field.nas_name_in_use': 'Ein anderer NAS-Client hat diesen Namen.',
  'errors.field.nas_address_in_use': 'Ein anderer NAS-Client hat diese Adresse.',
  'errors.field.wrong_password': 'Falsches Passwort.',
  'errors.field.current_password_required':
    'Geben Sie Ihr aktuelles Passwort ein, um die E-Mail-Adresse zu ändern.',
  'errors.field.wrong_code': 'Falscher oder abgelaufener Code.',
  'errors.field.no_sims_in_range': 'Keine SIMs in diesem Bereich.',
  'errors.field.cidr_invalid': 'Muss ein IPv4-Block zwischen /8 und /30 sein.',
  'errors.field.cidr_host_bits':
    'Host-Bits sind gesetzt: Der Block beginnt bei einem Vielfachen von {multiple}.',
  'errors.field.transfer_between_sub_orgs':
    'SIMs wechseln nur zwischen Ihrer Organisation und ihren Unterorganisationen, nie von einer Unterorganisation zur anderen.',
  'errors.field.range_too_long': 'Der Zeitraum darf höchstens {days} Tage umfassen.',
  'errors.field.hourly_range_too_long':
    'Stündliche Nutzung lässt sich für höchstens {days} Tage abfragen; wählen Sie für längere Zeiträume die tägliche Nutzung.',
  'errors.field.hourly_retention':
    'Stündliche Nutzung wird {days} Tage aufbewahrt (ab {from}); wählen Sie für ältere Tage die tägliche Nutzung.',
  'errors.field.iccid_digits': 'Eine ICCID besteht nur aus Ziffern.',
  'errors.field.iccid_luhn': 'Die Luhn-Prüfziffer (die 20. Ziffer) ist falsch.',
  'errors.field.iccid_length': 'Eine ICCID hat 19 Ziffern, mit Luhn-Prüfziffer 20; diese hat {length}.',
  'errors.field.imsi_format': 'Eine IMSI hat 15 Ziffern (MCC, MNC und MSIN).',
  'errors.field.msisdn_format':
    'Eine MSISDN ist eine E.164-Nummer: 6 bis 15 Ziffern, ohne führende 0 oder +.',
  'errors.field.digits_between': 'Muss aus {min} bis {max} Ziffern bestehen.',
  'errors.field.digits_exactly': 'Muss aus {count} Ziffern bestehen.',
  'errors.field.one_of': 'Muss einer dieser Werte sein: {allowed}.',
  'errors.field.csv_missing_columns': 'Fehlende Spalte(n) {columns}; die Kopfzeile lautet {expected}.',
  'errors.field.csv_field_count': 'Diese Zeile hat {count} Felder, die Kopfzeile {header}.',
  'errors.field.duplicates_line': 'Wiederholt den Wert aus Zeile {line} dieser Datei.',
  'errors.field.file_no_sims': 'Die Datei enthält keine SIMs.',
  'errors.field.already_in_stock': '{value} ist bereits im Bestand oder vergeben.',
  'errors.field.range_ends_differ_in_length':
    'Das Ende hat {end} Ziffern, der Anfang {start}: Geben Sie beide Enden gleich lang an.',
  'errors.field.range_issuer_differs':
    'Das Ende muss das Herausgeberpräfix des Anfangs haben ({start}), nicht {end}.',
  'errors.field.range_reversed':
    '{end} liegt vor dem Anfang {start}: Schreiben Sie die kleinere ICCID zuerst.',
  'errors.field.transfer_line_fields': 'Diese Zeile hat {count} Felder; schreiben Sie ICCID_START;ICCID_END.',
  'errors.field.file_no_iccids': 'Die Datei enthält keine ICCID-Zeilen.',
  'errors.field.repeats_line': 'Wiederholt Zeile {line}.',
  'errors.field.overlaps_line': 'Überschneidet sich mit Zeile {line} ({start}–{end}).',
  'errors.field.not_a_sim_of': '{iccid} ist keine SIM von {org}.',
  'errors.field.range_foreign_sims': '{count} SIM(s) in diesem Bereich gehören nicht zu {org}.',
  'errors.field.range_foreign_sims_example':
    '{count} SIM(s) in diesem Bereich gehören nicht zu {org}, z. B. {example}.',
  'errors.field.range_without_sims_of': '{org} hat keine SIMs in diesem Bereich.',
  'errors.field.iccid_not_in_org': '{iccid} ist keine SIM dieser Organisation.',
  'errors.field.iccids_not_in_org_more':
    '{count} der ICCIDs sind keine SIMs dieser Organisation: {examples} und {more} weitere.',
  'errors.field.iccids_not_in_org': '{count} der ICCIDs sind keine SIMs dieser Organisation: {examples}.',
  'errors.too_many_requests': 'Zu viele Anfragen. Versuchen Sie es später erneut.',
  'errors.internal': 'Ein unerwarteter Fehler ist aufgetreten. Er wurde protokolliert.',
  'errors.unavailable': 'Der Dienst ist gerade nicht verfügbar. Versuchen Sie es später erneut.',
  'shell.accountNumber': 'Kundennummer {number}',
  'shell.toggleNav': 'Navigation ein-/ausblenden',
  'shell.userMenu': 'Benutzermenü',
  'shell.signOut': 'Abmelden',
  'shell.signOutFailed': 'Abmelden ist fehlgeschlagen.',
  'shell.mainNav': 'Hauptnavigation',
  'shell.loadError': 'Ihr Konto konnte nicht geladen werden.',
  'shell.languageSaved': 'Sprache gespeichert.',
  'roles.owner': 'Inhaber',
  'roles.admin': 'Administrator',
  'roles.user': 'Benutzer',
  'roles.readonly': 'Nur lesen',
  'roles.thirdparty': 'Drittanbieter',
  'roles.operator': 'Betreiber',
  'tabs.dashboard': 'Dashboard',
  'tabs.sims': 'Meine SIMs',
  'tabs.configuration': 'Konfiguration',
  'tabs.account': 'Konto',
  'tabs.orders': 'Bestellungen',
  'tabs.users': 'Benutzer',
  'tabs.organisation': 'Organisation',
  'tabs.support': 'Support',
  'tabs.operator': 'Betreiberkonsole',
  'tabs.dashboard.description':
    'Ein Überblick über Ihre SIMs: Status, Daten- und SMS-Volumen, Nutzung der letzten Monate und Wochen und Ihre letzten Bestellungen.',
  'tabs.sims.description':
    'SIM-Karten suchen, filtern und verwalten, mit Ereignissen, Nutzung und SMS für jede SIM.',
  'tabs.configuration.description':
    'Netzeinstellungen, monatliche Limits, Datenströme, SMS-Weiterleitung und API-Zugang Ihrer Organisation.',
  'tabs.orders.description': 'Ihre Bestellungen mit Rechnungen, betroffenen SIMs und weiteren Dokumenten.',
  'tabs.users.description':
    'Benutzer einladen, Rollen zuweisen und API-Benutzer Ihrer Organisation verwalten.',
  'tabs.organisation.description': 'Unterorganisationen anlegen und SIMs zwischen ihnen verschieben.',
  'tabs.support.description': 'Serviceanfragen stellen, ihren Status verfolgen und den ganzen Verlauf lesen.',
  'notAllowed.title': 'Nicht erlaubt',
  'notAllowed.text': 'Ihre Rolle umfasst diese Seite nicht.',
  'notAllowed.home': 'Zur Startseite',
  'pageError.title': 'Diese Seite ist fehlgeschlagen',
  'pageError.text':
    'Beim Anzeigen dieser Seite ist ein Fehler aufgetreten. Der Rest des Portals funktioniert weiter; Neuladen hilft meist.',
  'pageError.reload': 'Neu laden',
  'notFound.title': 'Seite nicht gefunden',
  'notFound.text': 'Unter dieser Adresse gibt es keine Seite.',
};

/** How the SIM detail names what the network reports: the cell of a location and why a session ended. */
import type { UserLocation } from './radius-record.js';

/** Acct-Terminate-Cause values (RFC 2866 §5.10) as the session-ended event names them. */
export const TERMINATE_CAUSES: Record<number, string> = {
  1: 'User-Request',
  2: 'Lost-Carrier',
  3: 'Lost-Service',
  4: 'Idle-Timeout',
  5: 'Session-Timeout',
  6: 'Admin-Reset',
  7: 'Admin-Reboot',
  8: 'Port-Error',
  9: 'NAS-Error',
  10: 'NAS-Request',
  11: 'NAS-Reboot',
};

/**
 * The stop cause of a session the AAA closed because its NAS stopped reporting it (stale-sessions.ts):
 * not one of RFC 2866's, which only a NAS sends. Such a session is reopened should the NAS report it again.
 */
export const STALE_CAUSE = 'Accounting-Timeout';

/** The cell text the SIM detail shows, e.g. `26201-6699-19088743` (PLMN, TAC/LAC, cell id). */
export function cellOf(l: UserLocation | undefined): string | null {
  if (!l || l.type === 'unknown') return null;
  const plmn = `${l.plmn.mcc}${l.plmn.mnc}`;
  switch (l.type) {
    case 'CGI':
      return `${plmn}-${l.lac}-${l.ci}`;
    case 'SAI':
      return `${plmn}-${l.lac}-${l.sac}`;
    case 'RAI':
      return `${plmn}-${l.lac}-${l.rac}`;
    case 'TAI':
      return `${plmn}-${l.tac}`;
    case 'ECGI':
      return `${plmn}-${l.eci}`;
    case 'TAI+ECGI':
      return `${plmn}-${l.tac}-${l.eci}`;
  }
}

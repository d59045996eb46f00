/**
 * The SMSC's address as the sms module configures it (console setting, SMPP_URL, the simulator):
 * `smpp://system_id:password@host:port[?receipt_zone=Area/City]`, parsed to validate it and masked
 * for the console and logs. The ESME (server/network/smpp) parses the URL it binds to with the same
 * function.
 */

/** Where the ESME binds: host, port and the credentials of `smpp://system_id:password@host:port`. */
export interface SmppTarget {
  host: string;
  port: number;
  systemId: string;
  password: string;
  /**
   * The time zone (IANA) of the dates in the centre's receipts (`submit date:`, `done date:`), from
   * `?receipt_zone=`; UTC unless given. Only a URL that sets it carries it.
   */
  receiptZone?: string;
}

/** `?receipt_zone=` and the zone, encoded so that `parseSmppUrl` reads it back ('+' included). */
export const receiptZoneQuery = (zone: string) =>
  `?receipt_zone=${encodeURIComponent(zone).replace(/%2F/g, '/')}`;

/** Whether `zone` is a time zone the runtime knows (IANA names, or UTC). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parse an SMPP URL; the error message says what is wrong (used for config, the console's PUT and tests). */
export function parseSmppUrl(url: string): SmppTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('must be a URL like smpp://system_id:password@host:2775');
  }
  if (u.protocol !== 'smpp:') throw new Error('must start with smpp://');
  if (!u.hostname) throw new Error('must name a host');
  const systemId = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  if (!systemId) throw new Error('must carry a system_id before the @');
  if (systemId.length > 15) throw new Error('system_id must be at most 15 characters (SMPP 3.4)');
  if (password.length > 8) throw new Error('password must be at most 8 characters (SMPP 3.4)');
  if (u.pathname && u.pathname !== '/') throw new Error('must not have a path');
  const port = u.port ? Number(u.port) : 2775;
  const target: SmppTarget = { host: u.hostname.replace(/^\[|\]$/g, ''), port, systemId, password };
  // the query read by hand: URLSearchParams takes '+' for a space, and zones have it (Etc/GMT+5)
  for (const pair of u.search.slice(1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      value = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1));
    } catch {
      throw new Error('has a parameter that is not percent-encoded properly');
    }
    if (name !== 'receipt_zone') throw new Error(`has an unknown parameter ${name} (only receipt_zone)`);
    if (target.receiptZone !== undefined) throw new Error('names receipt_zone twice');
    if (!isTimeZone(value)) throw new Error(`receipt_zone ${value} is not a time zone (e.g. Europe/Berlin)`);
    target.receiptZone = value;
  }
  return target;
}

/** The URL without its password, for the console and logs. */
export function maskSmppUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const t = parseSmppUrl(url);
    const zone = t.receiptZone ? receiptZoneQuery(t.receiptZone) : '';
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    return `smpp://${encodeURIComponent(t.systemId)}:***@${host}:${t.port}${zone}`;
  } catch {
    return 'smpp://(invalid)';
  }
}

/** IPv4 addresses and CIDR blocks of NAS clients: parsed, masked and written canonically. */

/** Parse a dotted IPv4 address into an unsigned 32-bit number; null when it is not one. */
export function ipv4ToInt(address: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return (
    ((parts[0] ?? 0) * 2 ** 24 + (parts[1] ?? 0) * 2 ** 16 + (parts[2] ?? 0) * 2 ** 8 + (parts[3] ?? 0)) >>> 0
  );
}

/** The network mask of a prefix length as an unsigned 32-bit number (0 for /0). */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parse `a.b.c.d` or `a.b.c.d/n` into network and prefix; null when malformed. */
export function parseCidr(text: string): { network: number; prefix: number } | null {
  const [addr = '', bits, extra] = text.split('/');
  if (extra !== undefined) return null;
  const ip = ipv4ToInt(addr);
  const prefix = bits === undefined ? 32 : /^\d{1,2}$/.test(bits) ? Number(bits) : Number.NaN;
  if (ip === null || !(prefix >= 0 && prefix <= 32)) return null;
  return { network: (ip & maskOf(prefix)) >>> 0, prefix };
}

/** The canonical text of a CIDR block, e.g. `10.0.0.0/8`, or null when malformed. */
export function canonicalCidr(text: string): string | null {
  const c = parseCidr(text.trim());
  if (!c) return null;
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

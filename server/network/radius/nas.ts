/** The NAS clients the AAA answers: matched by source address (most specific block wins), cached in memory. */
import type { AppContext } from '../../context.js';
import { listNasClients, nasSignature } from '../../modules/network/network.repository.js';

export interface NasClient {
  id: string | null;
  name: string;
  address: string;
  secret: string;
  daePort: number;
  network: number;
  prefix: number;
}

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

/** Parse `a.b.c.d` or `a.b.c.d/n` into network and prefix; null when malformed. */
export function parseCidr(text: string): { network: number; prefix: number } | null {
  const [addr = '', bits, extra] = text.split('/');
  if (extra !== undefined) return null;
  const ip = ipv4ToInt(addr);
  const prefix = bits === undefined ? 32 : /^\d{1,2}$/.test(bits) ? Number(bits) : Number.NaN;
  if (ip === null || !(prefix >= 0 && prefix <= 32)) return null;
  return { network: (ip & maskOf(prefix)) >>> 0, prefix };
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The canonical text of a CIDR block, e.g. `10.0.0.0/8`, or null when malformed. */
export function canonicalCidr(text: string): string | null {
  const c = parseCidr(text.trim());
  if (!c) return null;
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

/** Registry of NAS clients; reloads when the table changes (polled) or when told to. */
export class NasRegistry {
  private clients: NasClient[] = [];
  private signature = '';
  private lastRefresh = 0;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** The client for a source address; null for unknown clients. */
  find(address: string): NasClient | null {
    const ip = ipv4ToInt(address.startsWith('::ffff:') ? address.slice(7) : address);
    if (ip === null) return null;
    for (const c of this.clients) if ((ip & maskOf(c.prefix)) >>> 0 === c.network) return c;
    return null;
  }

  /** The client that owns a session's NAS address (for Disconnect-Requests). */
  findByAddress(address: string): NasClient | null {
    return this.find(address);
  }

  /** Reload when the table changed since the last load (or always with `force`). */
  refresh(force = false): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const signature = await nasSignature(this.ctx.db);
        if (!force && signature === this.signature) return;
        const rows = await listNasClients(this.ctx.db);
        const next: NasClient[] = [];
        for (const r of rows) {
          const c = parseCidr(r.address);
          if (c)
            next.push({
              id: r.id,
              name: r.name,
              address: r.address,
              secret: r.secret,
              daePort: r.daePort,
              ...c,
            });
        }
        const secret = this.ctx.config.RADIUS_SECRET;
        if (secret) {
          next.push({
            id: null,
            name: 'default (RADIUS_SECRET)',
            address: '127.0.0.1/32',
            secret,
            daePort: this.ctx.config.RADIUS_DAE_PORT,
            network: ipv4ToInt('127.0.0.1') ?? 0,
            prefix: 32,
          });
        }
        // most specific first; a stored client wins over the default one at the same address
        next.sort((a, b) => b.prefix - a.prefix || (a.id === null ? 1 : 0) - (b.id === null ? 1 : 0));
        this.clients = next;
        this.signature = signature;
      } finally {
        this.lastRefresh = Date.now();
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Refresh at most once a second (an unknown client may have just been added). */
  refreshSoon() {
    if (Date.now() - this.lastRefresh > 1000) this.refresh().catch(() => {});
  }
}

/** Processes' registries, told by the NAS client routes that the table changed. */
const registries = new Set<NasRegistry>();
export function trackRegistry(r: NasRegistry) {
  registries.add(r);
  return () => registries.delete(r);
}
export function nasClientsChanged() {
  for (const r of registries) r.refresh(true).catch(() => {});
}

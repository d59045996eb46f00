/** The NAS clients the AAA answers: matched by source address (most specific block wins), cached in memory. */
import type { AppContext } from '../../context.js';
import { ipv4ToInt, maskOf, parseCidr } from '../../modules/network/cidr.js';
import { onNasClientsChanged } from '../../modules/network/nas-signal.js';
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

/** Reload a registry whenever the NAS client routes (or the simulator) signal a change; returns the untrack. */
export function trackRegistry(r: NasRegistry) {
  return onNasClientsChanged(() => {
    r.refresh(true).catch(() => {});
  });
}

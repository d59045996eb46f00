/**
 * LISTEN/NOTIFY for in-process caches: a subscriber hears every payload sent to its channel by any
 * process (or trigger), and is told whether it is *live* — only while live can it trust that no
 * notification was missed. On PostgreSQL one dedicated connection per database listens (not a pool
 * connection, so the pool keeps its size); when it drops, subscribers go not-live at once and the
 * connection is re-established every second until it is back. PGlite is one process: its `listen`
 * delivers a committing statement's notifications before that statement's promise resolves.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Subscriber {
  /** A payload sent to the channel (`NOTIFY channel, 'payload'` or `pg_notify`). */
  notify(payload: string): void;
  /** Whether notifications are being received; false means some may have been (or be) missed. */
  live(live: boolean): void;
}

export interface Listener {
  /** Subscribe to a channel (a lower-case SQL identifier); resolves once it is live or has failed to be. */
  listen(channel: string, subscriber: Subscriber): Promise<() => void>;
  close(): Promise<void>;
}

const channelName = /^[a-z_][a-z0-9_]*$/;

function checkChannel(channel: string) {
  if (!channelName.test(channel)) throw new Error(`invalid channel name ${channel}`);
}

/** A listener on PostgreSQL through its own connection with the pool's settings. */
export function postgresListener(config: pg.ClientConfig, retryMs = 1000): Listener {
  const subscribers = new Map<string, Set<Subscriber>>();
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  /** The channels the current connection listens on. */
  let listening = new Set<string>();
  let isLive = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const each = (fn: (s: Subscriber) => void) => {
    for (const set of subscribers.values()) for (const s of set) fn(s);
  };
  const setLive = (live: boolean) => {
    if (isLive === live) return;
    isLive = live;
    each((s) => s.live(live));
  };
  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    setLive(false);
    c.end().catch(() => {});
    if (!closed && !retry) {
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, retryMs);
      retry.unref();
    }
  };
  const connect = (): Promise<void> => {
    if (connecting) return connecting;
    connecting = (async () => {
      const c = new pg.Client(config);
      c.on('notification', (msg) => {
        if (client !== c) return;
        for (const s of subscribers.get(msg.channel) ?? []) s.notify(msg.payload ?? '');
      });
      c.on('error', () => lost(c));
      c.on('end', () => lost(c));
      client = c;
      listening = new Set();
      try {
        await c.connect();
        for (const channel of subscribers.keys()) {
          await c.query(`LISTEN ${channel}`);
          listening.add(channel);
        }
        if (client === c && !closed) setLive(true);
      } catch {
        lost(c);
      }
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async listen(channel, subscriber) {
      checkChannel(channel);
      if (closed) throw new Error('listener closed');
      let set = subscribers.get(channel);
      if (!set) {
        set = new Set();
        subscribers.set(channel, set);
      }
      set.add(subscriber);
      subscriber.live(false);
      if (connecting) await connecting;
      if (!client && !retry) await connect();
      const c = client;
      if (c && isLive && !listening.has(channel)) {
        try {
          await c.query(`LISTEN ${channel}`);
          listening.add(channel);
        } catch {
          lost(c);
        }
      }
      if (isLive && client === c && listening.has(channel)) subscriber.live(true);
      return () => {
        set.delete(subscriber);
      };
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      setLive(false);
      await c?.end().catch(() => {});
    },
  };
}

/** A listener on PGlite, whose notifications arrive in the same process, so it is always live. */
export function pgliteListener(db: PGlite): Listener {
  const stops = new Set<() => Promise<void>>();
  return {
    async listen(channel, subscriber) {
      checkChannel(channel);
      const stop = await db.listen(channel, (payload) => subscriber.notify(payload));
      stops.add(stop);
      subscriber.live(true);
      return () => {
        stops.delete(stop);
        void stop().catch(() => {});
      };
    },
    async close() {
      stops.clear();
    },
  };
}

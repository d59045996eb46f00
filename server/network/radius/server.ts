/**
 * The RADIUS AAA over UDP: an authentication socket (Access-Request) and an accounting socket
 * (Accounting-Request). Every datagram is checked (known NAS, framing, authenticators) and then
 * queued for a group commit: packets arriving within a few milliseconds (or up to a batch size) are
 * decided and stored in ONE transaction, and only then answered. Anything wrong is dropped and
 * counted by reason; nothing a peer sends can crash the process.
 */
import { randomUUID } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../../context.js';
import { retryOnConflict } from '../../db/retry.js';
import { setLocalAaa } from '../../modules/network/aaa-registry.js';
import { decideAccess } from '../../modules/network/access.service.js';
import { storeAccounting } from '../../modules/network/accounting.service.js';
import { wakeDrainers } from '../../modules/network/disconnect-signal.js';
import { saveCounters } from '../../modules/network/network.repository.js';
import { AcctStatus } from './attributes.js';
import { verifyRequest } from './authenticator.js';
import { buildAccept, buildAccountingResponse, buildReject } from './builders.js';
import { RadiusCounters } from './counters.js';
import { GroupCommit } from './group-commit.js';
import { type NasClient, NasRegistry, trackRegistry } from './nas.js';
import { decodePacket, RadiusCode } from './packet.js';
import { ReplyCache } from './reply-cache.js';
import { decodeRequest, type RadiusRequest } from './request.js';

export interface AaaOptions {
  authPort?: number;
  acctPort?: number;
  host?: string;
  /** How long to collect accounting packets before a commit (ms). */
  batchMs?: number;
  /** How long to collect Access-Requests before deciding them (ms; 0: those of one event-loop turn). */
  authBatchMs?: number;
  /** Most packets per commit. */
  batchSize?: number;
  /** Most commits in flight at once. */
  concurrency?: number;
  /** How often counters are stored for other processes (ms). */
  countersEveryMs?: number;
}

export interface AaaServer {
  authPort: number;
  acctPort: number;
  counters: RadiusCounters;
  nas: NasRegistry;
  stop(): Promise<void>;
}

interface Pending {
  request: RadiusRequest;
  client: NasClient;
  from: RemoteInfo;
  cacheKey: string;
  /** performance.now() when the request was read off its socket (opencmp_radius_response_seconds). */
  receivedAt: number;
}

const statusNames: Record<number, string> = {
  [AcctStatus.Start]: 'start',
  [AcctStatus.InterimUpdate]: 'interim',
  [AcctStatus.Stop]: 'stop',
  [AcctStatus.AccountingOn]: 'on',
  [AcctStatus.AccountingOff]: 'off',
};

function bind(socket: Socket, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve((socket.address() as AddressInfo).port);
    });
  });
}

const MAX_COUNTER = BigInt(Number.MAX_SAFE_INTEGER);

/** Text the database can hold (no NUL) and counters that fit: anything else is refused up front, not mid-batch. */
function storable(r: RadiusRequest): boolean {
  for (const t of [r.sessionId, r.userName, r.callingStationId, r.calledStationId, r.imsi])
    if (t?.includes('\u0000')) return false;
  if (r.sessionId && r.sessionId.length > 253) return false;
  return (r.inputOctets ?? 0n) <= MAX_COUNTER && (r.outputOctets ?? 0n) <= MAX_COUNTER;
}

/** Run a batch; when it fails as a whole, run its items one by one so one bad packet cannot sink the rest. */
export async function isolate<T, R>(
  items: T[],
  run: (batch: T[]) => Promise<R>,
): Promise<{ item: T[]; result: R }[]> {
  // a batch PostgreSQL aborted to break a deadlock (with a concurrent batch or a user's change) runs
  // again whole; only a batch that fails for its content is split
  try {
    return [{ item: items, result: await retryOnConflict(() => run(items)) }];
  } catch (err) {
    if (items.length === 1) throw err;
    const out: { item: T[]; result: R }[] = [];
    for (const item of items) {
      try {
        out.push({ item: [item], result: await retryOnConflict(() => run([item])) });
      } catch {
        // this one cannot be stored: left unanswered, the NAS retries it
      }
    }
    return out;
  }
}

/** Start the AAA sockets; resolves once both are bound. */
export async function startAaa(ctx: AppContext, opts: AaaOptions = {}): Promise<AaaServer> {
  const config = ctx.config;
  const counters = new RadiusCounters();
  const nas = new NasRegistry(ctx);
  await nas.refresh(true);
  const untrack = trackRegistry(nas);
  const cache = new ReplyCache();
  const auth = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  const acct = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  const drop = (reason: string) => counters.inc(`drops.${reason}`);
  const send = (socket: Socket, reply: Buffer, to: RemoteInfo) => {
    socket.send(reply, to.port, to.address, () => {});
  };

  const batchMs = opts.batchMs ?? config.RADIUS_BATCH_MS;
  const authBatchMs = opts.authBatchMs ?? config.RADIUS_AUTH_BATCH_MS;
  const batchSize = opts.batchSize ?? config.RADIUS_BATCH_SIZE;
  const concurrency = opts.concurrency ?? config.RADIUS_BATCH_CONCURRENCY;
  // a packet that waited too long is dropped, not stored: its NAS has retransmitted or given up
  const overload = {
    maxWaitMs: config.RADIUS_QUEUE_MAX_MS,
    expired: (p: Pending) => {
      cache.forget(p.cacheKey);
      drop('overload');
    },
  };
  const authBatch = new GroupCommit<Pending>(
    authBatchMs,
    batchSize,
    concurrency,
    // one SIM's requests in arrival order (its IMEI lock binds at the first attach)
    (p) => `sim:${p.request.imsi ?? p.request.userName ?? ''}`,
    async (items) => {
      let parts: { item: Pending[]; result: Awaited<ReturnType<typeof decideAccess>> }[] = [];
      try {
        parts = await isolate(items, (batch) =>
          decideAccess(
            ctx,
            batch.map((i) => i.request),
          ),
        );
      } catch {
        // a single packet that cannot be decided
      }
      const answered = new Set<Pending>();
      for (const part of parts) {
        part.item.forEach((item, n) => {
          const d = part.result[n];
          if (!d) return;
          answered.add(item);
          let reply: Buffer;
          if (d.accept) {
            counters.inc('accepts.access');
            reply = buildAccept(item.request, item.client.secret, {
              ...(d.framedIp ? { framedIp: d.framedIp } : {}),
              interimInterval: config.RADIUS_INTERIM_INTERVAL,
            });
          } else {
            counters.inc(`rejects.${d.cause}`);
            reply = buildReject(item.request, item.client.secret, d.cause);
          }
          cache.done(item.cacheKey, reply);
          send(auth, reply, item.from);
          counters.observeResponse('access', performance.now() - item.receivedAt);
        });
      }
      for (const i of items) {
        if (answered.has(i)) continue;
        cache.forget(i.cacheKey);
        drop('store_failed');
      }
    },
    overload,
  );

  const acctBatch = new GroupCommit<Pending>(
    batchMs,
    batchSize,
    concurrency,
    // one session's records in arrival order; Accounting-On/Off (every session of a NAS) alone
    (p) =>
      p.request.statusType === AcctStatus.AccountingOn || p.request.statusType === AcctStatus.AccountingOff
        ? null
        : `${p.from.address}\u0000${p.request.sessionId ?? ''}`,
    async (items) => {
      let parts: { item: Pending[]; result: Awaited<ReturnType<typeof storeAccounting>> }[] = [];
      try {
        parts = await isolate(items, (batch) =>
          storeAccounting(
            ctx,
            batch.map((i) => ({ nasAddress: i.from.address, request: i.request })),
          ),
        );
      } catch {
        // a single packet that cannot be stored
      }
      const answered = new Set<Pending>();
      for (const { item: stored, result: outcome } of parts) {
        if (outcome.ignored) counters.inc('accounting.ignored', outcome.ignored);
        if (outcome.unknownSim) counters.inc('accounting.unknown_sim', outcome.unknownSim);
        if (outcome.disconnectsQueued) wakeDrainers();
        // durably stored: now, and only now, answer
        for (const item of stored) {
          answered.add(item);
          counters.inc(`accounting.${statusNames[item.request.statusType ?? 0] ?? 'other'}`);
          const reply = buildAccountingResponse(item.request, item.client.secret);
          cache.done(item.cacheKey, reply);
          send(acct, reply, item.from);
          counters.observeResponse('accounting', performance.now() - item.receivedAt);
        }
      }
      for (const i of items) {
        if (answered.has(i)) continue;
        cache.forget(i.cacheKey);
        drop('store_failed');
      }
    },
    overload,
  );

  const receive = (socket: Socket, kind: 'access' | 'accounting', msg: Buffer, from: RemoteInfo) => {
    const receivedAt = performance.now();
    try {
      counters.inc(`requests.${kind}`);
      const client = nas.find(from.address);
      if (!client) {
        nas.refreshSoon();
        return drop('unknown_client');
      }
      const framed = decodePacket(msg);
      if (!framed.ok) return drop(framed.error.reason);
      const packet = framed.value;
      const expected = kind === 'access' ? RadiusCode.AccessRequest : RadiusCode.AccountingRequest;
      if (packet.code !== expected) return drop('wrong_code');
      const verified = verifyRequest(packet, client.secret, { requireMessageAuthenticator: true });
      if (!verified.ok) return drop(verified.error.reason);
      const cacheKey = `${from.address}:${from.port}:${packet.identifier}:${packet.authenticator.toString('base64')}`;
      const cached = cache.get(cacheKey);
      if (cached === null) return drop('duplicate_in_progress');
      if (cached) {
        counters.inc('requests.retransmit');
        return send(socket, cached, from);
      }
      const decoded = decodeRequest(packet);
      if (!decoded.ok) return drop(decoded.error.reason);
      const request = decoded.value;
      if (!storable(request)) return drop('bad_attribute');
      if (kind === 'accounting') {
        const type = request.statusType;
        if (type === undefined || !(type in statusNames)) return drop('bad_status_type');
        if (
          (type === AcctStatus.Start || type === AcctStatus.InterimUpdate || type === AcctStatus.Stop) &&
          !request.sessionId
        )
          return drop('missing_attribute');
      }
      cache.start(cacheKey);
      (kind === 'access' ? authBatch : acctBatch).push({ request, client, from, cacheKey, receivedAt });
    } catch {
      drop('internal');
    }
  };
  auth.on('message', (msg, from) => receive(auth, 'access', msg, from));
  acct.on('message', (msg, from) => receive(acct, 'accounting', msg, from));
  auth.on('error', () => drop('socket_error'));
  acct.on('error', () => drop('socket_error'));

  const host = opts.host ?? config.RADIUS_HOST;
  const authPort = await bind(auth, opts.authPort ?? config.RADIUS_AUTH_PORT, host);
  const acctPort = await bind(acct, opts.acctPort ?? config.RADIUS_ACCT_PORT, host);

  const instance = `aaa-${randomUUID()}`;
  setLocalAaa({ instance, counters });
  const flush = () => saveCounters(ctx.db, instance, counters.snapshot(), ctx.clock.now()).catch(() => {});
  const timers = [
    setInterval(() => nas.refresh().catch(() => {}), 5000),
    setInterval(() => cache.sweep(), 1000),
    setInterval(flush, opts.countersEveryMs ?? 2000),
  ];
  for (const t of timers) t.unref();

  return {
    authPort,
    acctPort,
    counters,
    nas,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      untrack();
      await new Promise<void>((r) => auth.close(() => r()));
      await new Promise<void>((r) => acct.close(() => r()));
      await authBatch.drain();
      await acctBatch.drain();
      await flush();
      setLocalAaa(null);
    },
  };
}

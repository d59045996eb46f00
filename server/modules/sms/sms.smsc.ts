/**
 * The operator console's SMSC connection: which URL is in force (console over SMPP_URL over the
 * built-in simulator), the ESME's live state (this process's, or the last one reported), and
 * changing the URL.
 */
import type { SmscStatus, UpdateSmscRequest } from '../../../contracts/sms.js';
import type { AppContext } from '../../context.js';
import { invalidField } from '../../lib/errors.js';
import type { Principal } from '../auth/auth.service.js';
import { type EsmeStatus, zeroCounters } from './esme-link.js';
import { localSmpp, simulatorSmscUrl } from './smpp-registry.js';
import { outboxSize, readSmscSettings, writeSmscUrl } from './sms.repository.js';
import { maskSmppUrl, parseSmppUrl } from './smsc-url.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The SMSC URL in force: the console's setting over SMPP_URL. */
export async function effectiveSmscUrl(
  ctx: AppContext,
): Promise<{ url: string | null; source: SmscStatus['urlSource'] }> {
  const row = await readSmscSettings(ctx.db);
  if (row?.url) return { url: row.url, source: 'console' };
  if (ctx.config.SMPP_URL) return { url: ctx.config.SMPP_URL, source: 'environment' };
  const simulated = simulatorSmscUrl();
  if (simulated) return { url: simulated, source: 'simulator' };
  return { url: null, source: 'none' };
}

/** Live state of the ESME: from this process when it runs the `smpp` role, else the last report in the database. */
export async function smscStatus(ctx: AppContext): Promise<SmscStatus> {
  const { url, source } = await effectiveSmscUrl(ctx);
  const outbox = await outboxSize(ctx.db);
  const local = localSmpp();
  if (local) {
    const s = local.esme.status();
    return {
      url: maskSmppUrl(url),
      urlSource: source,
      ...s,
      reportedAt: ctx.clock.now().toISOString(),
      outbox,
    };
  }
  const row = await readSmscSettings(ctx.db);
  const reported = row?.status as Partial<EsmeStatus> | null | undefined;
  const fresh = row?.statusAt && ctx.clock.now().getTime() - row.statusAt.getTime() < 15_000;
  return {
    url: maskSmppUrl(url),
    urlSource: source,
    state: fresh && reported?.state ? reported.state : 'disconnected',
    lastError: fresh
      ? (reported?.lastError ?? null)
      : row?.statusAt
        ? 'the process running the smpp role stopped reporting'
        : 'no process runs the smpp role',
    since: reported?.since ?? null,
    reportedAt: iso(row?.statusAt ?? null),
    counters: { ...zeroCounters(), ...(reported?.counters ?? {}) },
    throughput: reported?.throughput ?? { submitPerSecond: 0, deliverPerSecond: 0 },
    window: reported?.window ?? { size: 0, outstanding: 0, queued: 0 },
    outbox,
  };
}

/** Change (or clear) the console's SMSC URL; the ESME rebinds within seconds. */
export async function updateSmsc(ctx: AppContext, principal: Principal, req: UpdateSmscRequest) {
  const url = req.url ? req.url : null;
  if (url) {
    try {
      parseSmppUrl(url);
    } catch (err) {
      throw invalidField('url', (err as Error).message, 'smsc_url_invalid');
    }
  }
  const by = principal.kind === 'client' ? principal.clientId : principal.user.email;
  await writeSmscUrl(ctx.db, url, by, ctx.clock.now());
  localSmpp()?.reload();
  return smscStatus(ctx);
}

/**
 * The ESME of this process, when it runs the `smpp` role, and the built-in SMSC simulator's URL: the
 * sms module reads them (console status, waking the outbox) and the network layer registers them
 * (server/network/smpp/runner.ts, server/network/simulator/index.ts), so the module never imports
 * server/network.
 */
import type { EsmeLink } from './esme-link.js';

/** The ESME of this process: the API reads its live state and wakes its outbox. */
export interface LocalSmpp {
  esme: EsmeLink;
  /** New MT messages are waiting: drain the outbox now instead of at the next poll. */
  wake(): void;
  /** The SMSC URL setting changed: re-read it now. */
  reload(): void;
}

let local: LocalSmpp | null = null;

/** Register (or, with null, unregister) the ESME of this process; the `smpp` role's runner calls it. */
export function setLocalSmpp(l: LocalSmpp | null): void {
  local = l;
}

/** The ESME of this process, or null when the process does not run the `smpp` role. */
export function localSmpp(): LocalSmpp | null {
  return local;
}

let simulatorUrl: string | null = null;

/** The built-in SMSC simulator's URL, used when neither the console nor SMPP_URL names an SMSC. */
export function setSimulatorSmscUrl(url: string | null): void {
  simulatorUrl = url;
}

/** The built-in SMSC simulator's URL, or null when this process runs none. */
export function simulatorSmscUrl(): string | null {
  return simulatorUrl;
}

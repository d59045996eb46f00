/** The ESME of this process, when it runs the `smpp` role: the API reads its live state and wakes its outbox. */
import type { Esme } from './session.js';

export interface LocalSmpp {
  esme: Esme;
  /** New MT messages are waiting: drain the outbox now instead of at the next poll. */
  wake(): void;
  /** The SMSC URL setting changed: re-read it now. */
  reload(): void;
}

let local: LocalSmpp | null = null;

export function setLocalSmpp(l: LocalSmpp | null): void {
  local = l;
}

export function localSmpp(): LocalSmpp | null {
  return local;
}

let simulatorUrl: string | null = null;

/** The built-in SMSC simulator's URL, used when neither the console nor SMPP_URL names an SMSC. */
export function setSimulatorSmscUrl(url: string | null): void {
  simulatorUrl = url;
}

export function simulatorSmscUrl(): string | null {
  return simulatorUrl;
}

/**
 * "The NAS clients changed": a wake-up from the services that edit `nas_clients` (the operator
 * console, the simulator registering its gateway) to the AAA's client registries of this process, so
 * they reload at once instead of at their next poll. The network layer subscribes
 * (server/network/radius/nas.ts); the services only signal, without importing server/network.
 */
import { signal } from '../../lib/signal.js';

const changed = signal();

/** Subscribe to changes of the NAS client table; returns the unsubscribe. */
export const onNasClientsChanged = changed.on;

/** Tell every subscriber of this process that the NAS client table changed. */
export const nasClientsChanged = changed.emit;

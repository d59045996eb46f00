/**
 * "Disconnect-Requests were queued": a wake-up from the services that queue them (deactivation,
 * reset, IMEI lock, the AAA's exhausted volume) to the disconnect drainers of this process, so a queued
 * request goes out at once instead of at the drainer's next poll. The network layer subscribes
 * (server/network/radius/disconnect.ts); the services only signal, without importing server/network.
 */
import { signal } from '../../lib/signal.js';

const queued = signal();

/** Subscribe a drainer; returns the unsubscribe. */
export const onDisconnectQueued = queued.on;

/** Wake every drainer of this process (a no-op in a process without the aaa role). */
export const wakeDrainers = queued.emit;

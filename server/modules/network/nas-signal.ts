/**
 * "The NAS clients changed": a wake-up from the services that edit `nas_clients` (the operator
 * console, the simulator registering its gateway) to the AAA's client registries of this process, so
 * they reload at once instead of at their next poll. The network layer subscribes
 * (server/network/radius/nas.ts); the services only signal, without importing server/network.
 */
const listeners = new Set<() => void>();

/** Subscribe to changes of the NAS client table; returns the unsubscribe. */
export function onNasClientsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tell every subscriber of this process that the NAS client table changed. */
export function nasClientsChanged() {
  for (const l of listeners) l();
}

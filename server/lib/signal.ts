/**
 * An in-process signal without payload: what a module owns when the network layer must hear about a
 * change at once (disconnects queued, NAS clients changed) without the module importing it.
 */
export interface Signal {
  /** Subscribe; returns the unsubscribe. */
  on(listener: () => void): () => void;
  /** Call every subscriber of this process. */
  emit(): void;
}

/** A new signal with no subscribers. */
export function signal(): Signal {
  const listeners = new Set<() => void>();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit() {
      for (const l of listeners) l();
    },
  };
}

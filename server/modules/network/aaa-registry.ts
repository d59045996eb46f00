/**
 * The counters of the AAA running in this process, if any, and how counter snapshots add up: the
 * operator's network status reads them; the network layer registers its AAA here
 * (server/network/radius/server.ts), so the module never imports server/network.
 */

/** Counter keys are `<group>.<name>`, e.g. `drops.unknown_client` or `rejects.IMSI_NOT_FOUND`. */
export type CounterSnapshot = Record<string, number>;

/** The AAA of this process: its instance name and its live counters. */
export interface LocalAaa {
  instance: string;
  counters: { snapshot(): CounterSnapshot };
}

let local: LocalAaa | null = null;

/** Register (or, with null, unregister) the AAA of this process; startAaa calls it. */
export function setLocalAaa(value: LocalAaa | null) {
  local = value;
}

/** The AAA of this process, for /metrics and the operator API; null without the `aaa` role. */
export function localAaa() {
  return local;
}

/** Add the counter groups of several snapshots together. */
export function sumSnapshots(snapshots: CounterSnapshot[]): CounterSnapshot {
  const out: CounterSnapshot = {};
  for (const s of snapshots) for (const [k, v] of Object.entries(s)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * Answers already sent, by request fingerprint: a retransmit gets the same answer again (RFC 5080
 * §2.2.2), without another transaction, and a packet still being processed is recognised as such.
 *
 * Entries sit in two generations, and every `ttlMs / 2` the older one is dropped whole and started
 * afresh, so an entry is kept between half the TTL and the TTL and expiry touches no entry one by one.
 * The TTL is 10 s, so an answer is kept 5–10 s: FreeRADIUS keeps one 5 s (`cleanup_delay`), which
 * covers a NAS's retransmissions (typically 3 s apart, 2–3 tries). A retransmission later than that is
 * taken as new: accounting counts nothing twice (cumulative counters), and an Access-Request is
 * decided again.
 *
 * A generation is not a Map of JavaScript objects but two off-heap arrays: an open-addressing index
 * (Int32Array) and an append-only arena (Buffer) holding each entry's key octets, state and answer.
 * Every entry outlives the next scavenge of V8's young generation, so as Map keys and strings every
 * entry was copied by it and then promoted: the cache was four fifths of what survived each scavenge
 * in the Access-Request bench, and the scavenge paused the one thread 6–11 ms (without the cache's
 * entries, 2–3 ms; `--trace-gc-nvp`) — the tail of the Access-Request latency. Off the heap the
 * entries cost the collector nothing, and a dropped generation's arrays are reused, not reallocated.
 */

const EMPTY = 0;
/** Entry states. */
const FORGOTTEN = 0;
const IN_PROGRESS = 1;
const ANSWERED = 2;

/** Entry header in the arena: hash u32, key length u16, state u8, answer offset u32, answer length u16. */
const HASH = 0;
const KEY_LENGTH = 4;
const STATE = 6;
const ANSWER_AT = 7;
const ANSWER_LENGTH = 11;
const HEADER = 13;

/** Longest key, in octets (an address, a port, an identifier and an authenticator need ~80). */
const MAX_KEY = 1024;

/** FNV-1a over `length` octets of `octets`. */
function fnv1a(octets: Buffer, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ (octets[i] as number), 0x01000193);
  return h >>> 0;
}

/** One generation: an index of entry offsets (+1; 0 is empty) and the arena the entries live in. */
class Generation {
  private index = new Int32Array(4096);
  private arena = Buffer.alloc(256 * 1024);
  private used = 0;
  /** Index slots taken (entries appended), for the load factor. */
  private taken = 0;
  /** Entries in progress or answered. */
  live = 0;

  /** Drop every entry, keeping the arrays (and the room they grew to). */
  reset() {
    if (this.taken > 0) this.index.fill(EMPTY);
    this.used = 0;
    this.taken = 0;
    this.live = 0;
  }

  /** Offset of the entry for the key in `scratch[0, length)`, or -1. */
  find(scratch: Buffer, length: number, hash: number): number {
    const mask = this.index.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = (this.index[slot] as number) - 1;
      if (at < 0) return -1;
      if (
        this.arena.readUInt32LE(at + HASH) === hash &&
        this.arena.readUInt16LE(at + KEY_LENGTH) === length &&
        this.arena.compare(scratch, 0, length, at + HEADER, at + HEADER + length) === 0
      )
        return at;
    }
  }

  state(at: number): number {
    return this.arena[at + STATE] as number;
  }

  /** A copy of the entry's answer. */
  answer(at: number): Buffer {
    const from = this.arena.readUInt32LE(at + ANSWER_AT);
    return Buffer.from(this.arena.subarray(from, from + this.arena.readUInt16LE(at + ANSWER_LENGTH)));
  }

  /** Set the state (and answer) of the key's entry, appending it when new. */
  put(scratch: Buffer, length: number, hash: number, state: number, answer?: Buffer) {
    let at = this.find(scratch, length, hash);
    if (at < 0) {
      at = this.append(HEADER + length);
      this.arena.writeUInt32LE(hash, at + HASH);
      this.arena.writeUInt16LE(length, at + KEY_LENGTH);
      this.arena[at + STATE] = FORGOTTEN;
      scratch.copy(this.arena, at + HEADER, 0, length);
      this.insert(at, hash);
    }
    this.setState(at, state);
    if (answer) {
      const from = this.append(answer.length);
      answer.copy(this.arena, from);
      this.arena.writeUInt32LE(from, at + ANSWER_AT);
      this.arena.writeUInt16LE(answer.length, at + ANSWER_LENGTH);
    }
  }

  /** Mark the key's entry, if any, forgotten. */
  forget(scratch: Buffer, length: number, hash: number) {
    const at = this.find(scratch, length, hash);
    if (at >= 0) this.setState(at, FORGOTTEN);
  }

  setState(at: number, state: number) {
    const was = this.arena[at + STATE] as number;
    if (was === FORGOTTEN && state !== FORGOTTEN) this.live++;
    if (was !== FORGOTTEN && state === FORGOTTEN) this.live--;
    this.arena[at + STATE] = state;
  }

  /** Room for `size` octets at the end of the arena (grown by doubling); returns their offset. */
  private append(size: number): number {
    if (this.used + size > this.arena.length) {
      const grown = Buffer.alloc(Math.max(this.arena.length * 2, this.used + size));
      this.arena.copy(grown, 0, 0, this.used);
      this.arena = grown;
    }
    const at = this.used;
    this.used += size;
    return at;
  }

  /** Index the entry at `at`; the index doubles before it is half full. */
  private insert(at: number, hash: number) {
    if ((this.taken + 1) * 2 > this.index.length) this.grow();
    const mask = this.index.length - 1;
    let slot = hash & mask;
    while (this.index[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.index[slot] = at + 1;
    this.taken++;
  }

  private grow() {
    const old = this.index;
    this.index = new Int32Array(old.length * 2);
    const mask = this.index.length - 1;
    for (const entry of old) {
      if (entry === EMPTY) continue;
      let slot = this.arena.readUInt32LE(entry - 1 + HASH) & mask;
      while (this.index[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.index[slot] = entry;
    }
  }
}

export class ReplyCache {
  private current = new Generation();
  private previous = new Generation();
  private rotatedAt: number;
  private readonly scratch = Buffer.alloc(MAX_KEY);
  /** The key now in `scratch`: its octet count and hash. */
  private encoded: string | null = null;
  private length = 0;
  private hash = 0;

  constructor(
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.rotatedAt = now();
  }

  /** undefined: new; null: still being processed; Buffer: the answer. */
  get(key: string): Buffer | null | undefined {
    this.sweep();
    this.encode(key);
    // the current generation has the last word: set() forgets a key in the older one
    let generation = this.current;
    let at = generation.find(this.scratch, this.length, this.hash);
    if (at < 0) {
      generation = this.previous;
      at = generation.find(this.scratch, this.length, this.hash);
      if (at < 0) return undefined;
    }
    const state = generation.state(at);
    if (state === IN_PROGRESS) return null;
    return state === ANSWERED ? generation.answer(at) : undefined;
  }

  /** The request is being processed: a retransmit meanwhile is recognised as a duplicate. */
  start(key: string) {
    this.set(key, IN_PROGRESS);
  }

  /** The request was answered with `reply` (the cache keeps a copy of its own). */
  done(key: string, reply: Buffer) {
    this.set(key, ANSWERED, reply);
  }

  /** The request was not answered (dropped): a retransmit is taken as new. */
  forget(key: string) {
    this.encode(key);
    this.current.forget(this.scratch, this.length, this.hash);
    this.previous.forget(this.scratch, this.length, this.hash);
  }

  /** Drop the older generation once it is half a TTL old. */
  sweep() {
    const now = this.now();
    if (now - this.rotatedAt < this.ttlMs / 2) return;
    const dropped = this.previous;
    dropped.reset();
    // a whole TTL without traffic: nothing of either generation is fresh
    if (now - this.rotatedAt >= this.ttlMs) this.current.reset();
    this.previous = this.current;
    this.current = dropped;
    this.rotatedAt = now;
  }

  get size() {
    return this.current.live + this.previous.live;
  }

  private set(key: string, state: number, reply?: Buffer) {
    this.sweep();
    this.encode(key);
    this.previous.forget(this.scratch, this.length, this.hash);
    this.current.put(this.scratch, this.length, this.hash, state, reply);
  }

  /**
   * The key's octets into the scratch buffer, with their count and hash. A request's get() and
   * start() come one after the other with the same key: the second finds it encoded already.
   */
  private encode(key: string) {
    if (key === this.encoded) return;
    if (key.length * 3 > MAX_KEY && Buffer.byteLength(key) > MAX_KEY)
      throw new RangeError(`reply cache key longer than ${MAX_KEY} octets`);
    this.length = this.scratch.write(key, 0, 'utf8');
    this.hash = fnv1a(this.scratch, this.length);
    this.encoded = key;
  }
}

import { describe, expect, it } from 'vitest';
import { ReplyCache } from './reply-cache.js';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};
const reply = Buffer.from([5, 1, 0, 20]);

describe('ReplyCache', () => {
  it('when a request is being processed and then answered, then a retransmit sees first "in progress", then the answer', () => {
    const c = clock();
    const cache = new ReplyCache(30_000, c.now);
    expect(cache.get('k')).toBeUndefined();
    cache.start('k');
    expect(cache.get('k')).toBeNull();
    cache.done('k', reply);
    expect(cache.get('k')).toEqual(reply);
  });

  it('when an answer is cached, then every octet comes back from a copy of its own, not from the Buffer that was sent', () => {
    const cache = new ReplyCache(30_000, clock().now);
    const octets = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const slice = Buffer.from(octets); // small: a slice of Node's shared pool
    cache.done('k', slice);
    const back = cache.get('k');
    expect(back).toEqual(octets);
    slice[0] = 9; // the cache kept its own copy
    expect(cache.get('k')?.[0]).toBe(0);
  });

  it('when an answer is younger than half the TTL at a rotation, then it is kept until the next one', () => {
    const c = clock();
    const cache = new ReplyCache(30_000, c.now);
    c.advance(10_000);
    cache.done('k', reply);
    c.advance(5_000); // rotation at 15 s: k moves to the older generation
    expect(cache.get('k')).toEqual(reply);
    c.advance(14_999);
    expect(cache.get('k')).toEqual(reply);
    c.advance(1); // rotation at 30 s: the older generation is dropped
    expect(cache.get('k')).toBeUndefined();
  });

  it('when an entry of the older generation changes, then it moves to the current one and lives on', () => {
    const c = clock();
    const cache = new ReplyCache(30_000, c.now);
    cache.start('k');
    c.advance(15_000);
    cache.done('k', reply);
    c.advance(15_000);
    expect(cache.get('k')).toEqual(reply);
    expect(cache.size).toBe(1);
  });

  it('when nothing arrived for a whole TTL, then nothing is answered from the cache', () => {
    const c = clock();
    const cache = new ReplyCache(30_000, c.now);
    cache.done('k', reply);
    c.advance(30_000);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when a request is forgotten, then a retransmit is taken as new, whichever generation held it', () => {
    const c = clock();
    const cache = new ReplyCache(30_000, c.now);
    cache.start('a');
    c.advance(15_000);
    cache.start('b');
    cache.forget('a');
    cache.forget('b');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
  });
});

describe('ReplyCache off the heap', () => {
  it('when 100,000 requests are answered within one generation, then the arrays grow and every answer comes back to its own key', () => {
    const cache = new ReplyCache(10_000, clock().now);
    const key = (i: number) =>
      `10.0.${i >> 8}.${i & 255}:1812:${i % 256}:${Buffer.from(String(i)).toString('base64')}`;
    const answer = (i: number) => Buffer.from(`answer ${i} `.repeat(1 + (i % 7)));
    for (let i = 0; i < 100_000; i++) {
      cache.start(key(i));
      if (i % 10 !== 0) cache.done(key(i), answer(i));
    }
    expect(cache.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 37) {
      if (i % 10 === 0) expect(cache.get(key(i))).toBeNull();
      else expect(cache.get(key(i))).toEqual(answer(i));
    }
    expect(cache.get('10.0.0.1:1812:1:unknown')).toBeUndefined();
  });

  it('when keys differ only in their last octet, or one is a prefix of another, then they are different entries', () => {
    const cache = new ReplyCache(10_000, clock().now);
    cache.done('127.0.0.1:5000:1:AAAA', Buffer.from([1]));
    cache.done('127.0.0.1:5000:1:AAAB', Buffer.from([2]));
    cache.done('127.0.0.1:5000:1:AAA', Buffer.from([3]));
    expect(cache.get('127.0.0.1:5000:1:AAAA')).toEqual(Buffer.from([1]));
    expect(cache.get('127.0.0.1:5000:1:AAAB')).toEqual(Buffer.from([2]));
    expect(cache.get('127.0.0.1:5000:1:AAA')).toEqual(Buffer.from([3]));
    expect(cache.get('127.0.0.1:5000:1:AAAC')).toBeUndefined();
  });

  it('when a key was answered, forgotten and started again, then it counts once and is in progress', () => {
    const cache = new ReplyCache(10_000, clock().now);
    cache.done('k', reply);
    cache.forget('k');
    expect(cache.size).toBe(0);
    cache.start('k');
    expect(cache.size).toBe(1);
    expect(cache.get('k')).toBeNull();
  });

  it('when generations rotate many times, then a reused generation holds nothing of its past', () => {
    const c = clock();
    const cache = new ReplyCache(10_000, c.now);
    for (let round = 0; round < 6; round++) {
      cache.done(`k${round}`, Buffer.from([round]));
      c.advance(5_000);
      expect(cache.get(`k${round}`)).toEqual(Buffer.from([round]));
      if (round > 0) expect(cache.get(`k${round - 1}`)).toBeUndefined();
    }
    expect(cache.size).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { signal } from './signal.js';

describe('signal', () => {
  it('when emitted, then every subscriber is called; after unsubscribing, not any more', () => {
    const s = signal();
    const calls: string[] = [];
    const offA = s.on(() => calls.push('a'));
    s.on(() => calls.push('b'));
    s.emit();
    offA();
    s.emit();
    expect(calls).toEqual(['a', 'b', 'b']);
  });

  it('when two signals exist, then emitting one does not reach the other', () => {
    const one = signal();
    const other = signal();
    let heard = 0;
    other.on(() => heard++);
    one.emit();
    expect(heard).toBe(0);
  });
});

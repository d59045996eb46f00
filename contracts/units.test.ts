import { describe, expect, it } from 'vitest';
import { formatBytes } from './units.js';

describe('formatBytes', () => {
  it('when bytes are shown, then in the binary unit that keeps them below 1,000, with 2 or 1 decimals', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('0.98 KB');
    expect(formatBytes(1023)).toBe('1 KB');
    expect(formatBytes(1_028_813)).toBe('0.98 MB');
    expect(formatBytes(999.9 * 1024 * 1024)).toBe('999.9 MB');
    // what would round to 1,000.0 moves up too
    expect(formatBytes(999.96 * 1024 * 1024)).toBe('0.98 GB');
    expect(formatBytes(2000 * 1024 ** 3)).toBe('1.95 TB');
    expect(formatBytes(-1_028_813)).toBe('-0.98 MB');
    expect(formatBytes(3003)).toBe('2.93 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MB');
    expect(formatBytes(37.5 * 1024 * 1024)).toBe('37.5 MB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.25 GB');
    expect(formatBytes(1.25 * 1024 ** 3, 'de')).toBe('1,25 GB');
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes } from './units.js';

describe('formatBytes', () => {
  it('when bytes are shown, then in the largest binary unit that keeps them ≥ 1, with 2 or 1 decimals', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1,023 B');
    expect(formatBytes(3003)).toBe('2.93 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MB');
    expect(formatBytes(37.5 * 1024 * 1024)).toBe('37.5 MB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.25 GB');
    expect(formatBytes(1.25 * 1024 ** 3, 'de')).toBe('1,25 GB');
  });
});

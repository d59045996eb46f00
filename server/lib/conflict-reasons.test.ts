/** Every 409 reason the server names has its message in both of the portal's catalogues. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from '../../web/src/lib/locales/de.js';
import { en } from '../../web/src/lib/locales/en.js';
import { rootDir } from './paths.js';

describe('conflict reasons', () => {
  it('when the server names a conflict reason, then both catalogues have its text', () => {
    const root = join(rootDir, 'server');
    const reasons = new Set<string>();
    for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      for (const [, reason = ''] of readFileSync(join(root, file), 'utf8').matchAll(
        /\bconflict\(\s*'(\w+)'/g,
      ))
        reasons.add(reason);
    }
    expect(reasons.size).toBeGreaterThanOrEqual(27);
    for (const reason of reasons) {
      expect(Object.keys(en)).toContain(`errors.conflict.${reason}`);
      expect(Object.keys(de)).toContain(`errors.conflict.${reason}`);
    }
  });
});

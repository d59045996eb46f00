/** Every reason the server names (of a 409, of a refused field) has its message in both of the portal's catalogues. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from '../../web/src/lib/locales/de.js';
import { en } from '../../web/src/lib/locales/en.js';
import { rootDir } from './paths.js';

/** The reasons the server's and the contracts' own code (not their tests) names with `pattern`'s first group. */
function reasonsNamed(pattern: RegExp): Set<string> {
  const reasons = new Set<string>();
  for (const dir of ['server', 'contracts']) {
    const root = join(rootDir, dir);
    for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      for (const [, reason = ''] of readFileSync(join(root, file), 'utf8').matchAll(pattern))
        reasons.add(reason);
    }
  }
  return reasons;
}

describe('reasons', () => {
  it('when the server names a conflict reason, then both catalogues have its text', () => {
    const reasons = new Set([
      ...reasonsNamed(/\bconflict\(\s*'(\w+)'/g),
      ...reasonsNamed(/\breason: \{ key: '(\w+)'/g),
    ]);
    expect(reasons.size).toBeGreaterThanOrEqual(28);
    for (const reason of reasons) {
      expect(Object.keys(en)).toContain(`errors.conflict.${reason}`);
      expect(Object.keys(de)).toContain(`errors.conflict.${reason}`);
    }
  });

  it('when the server names a reason for a refused field, then both catalogues have its text', () => {
    // invalidField(field, message, reason) and the field errors of a 409 ({ …, reason: '…' })
    const reasons = new Set([
      ...reasonsNamed(/\binvalidField\(\s*'[^']*',\s*(?:'[^']*'|`[^`]*`),\s*'(\w+)'/g),
      ...reasonsNamed(/\breason: '(\w+)'/g),
    ]);
    expect(reasons.size).toBeGreaterThanOrEqual(37);
    for (const reason of reasons) {
      expect(Object.keys(en)).toContain(`errors.field.${reason}`);
      expect(Object.keys(de)).toContain(`errors.field.${reason}`);
    }
  });

  it('when the AAA counts a drop or an accounting type, then both catalogues name it for the operator console', () => {
    const read = (file: string) => readFileSync(join(rootDir, 'server/network/radius', file), 'utf8');
    const union = read('packet.ts').match(/export type RadiusErrorReason =([^;]+);/)?.[1] ?? '';
    const drops = new Set([
      ...[...union.matchAll(/'(\w+)'/g)].map((m) => m[1] ?? ''),
      ...[...read('server.ts').matchAll(/\bdrop\('(\w+)'\)/g)].map((m) => m[1] ?? ''),
    ]);
    const statuses = read('server.ts').match(/const statusNames[^}]+}/)?.[0] ?? '';
    const accounting = new Set([...statuses.matchAll(/: '(\w+)'/g)].map((m) => m[1] ?? ''));
    expect(drops.size).toBeGreaterThanOrEqual(15);
    expect(accounting.size).toBe(5);
    for (const key of [
      ...[...drops].map((d) => `network.counter.drops.${d}`),
      ...[...accounting].map((a) => `network.counter.accounting.${a}`),
    ]) {
      expect(Object.keys(en)).toContain(key);
      expect(Object.keys(de)).toContain(key);
    }
  });
});

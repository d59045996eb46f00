/**
 * Dependencies point one way (ENGINEERING.md): the network layer calls the modules, and a module that
 * must act on the network calls an interface it owns. So no module file imports server/network.
 * Test files (`*.test.ts`) are left out: some drive the real network layer end to end (the ESME
 * against the SMSC simulator, Accounting-Requests through the RADIUS codec).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootDir } from '../lib/paths.js';

const modulesDir = join(rootDir, 'server', 'modules');
const networkDir = join(rootDir, 'server', 'network');

const importPatterns = [
  /\bfrom\s*['"]([^'"]+)['"]/g, // import … from, export … from
  /\bimport\s*['"]([^'"]+)['"]/g, // side-effect import
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // dynamic import()
];

/** The specifiers of `source` that resolve into server/network, for a file at `file`. */
function networkImports(file: string, source: string): string[] {
  const found: string[] = [];
  for (const re of importPatterns) {
    for (const [, specifier = ''] of source.matchAll(re)) {
      if (!specifier.startsWith('.')) continue;
      const inNetwork = relative(networkDir, resolve(dirname(file), specifier));
      if (inNetwork === '' || (!inNetwork.startsWith('..') && !isAbsolute(inNetwork))) found.push(specifier);
    }
  }
  return found;
}

/** The TypeScript files under server/modules that are not tests. */
function moduleFiles(): string[] {
  return readdirSync(modulesDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(modulesDir, f));
}

describe('module layering', () => {
  it('when a module file imports something, then nothing it imports lies under server/network', () => {
    const files = moduleFiles();
    expect(files).toContain(join(modulesDir, 'sms', 'sms.smsc.ts'));
    const offending = files.flatMap((file) =>
      networkImports(file, readFileSync(file, 'utf8')).map((s) => `${relative(rootDir, file)}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('when an import reaches server/network, by any path or form, then the check reports it', () => {
    const file = join(modulesDir, 'sms', 'sms.smsc.ts');
    const source = [
      "import type { Esme } from '../../network/smpp/session.js';",
      "export { status } from '../../network/smpp/pdu.js';",
      "import '../../network';",
      "const m = await import('../../network/radius/nas.js');",
      "import { wakeDrainers } from '../network/disconnect-signal.js';", // server/modules/network: allowed
      "import { effectiveSmscUrl } from './sms.smsc.js';",
    ].join('\n');
    expect(networkImports(file, source).sort()).toEqual([
      '../../network',
      '../../network/radius/nas.js',
      '../../network/smpp/pdu.js',
      '../../network/smpp/session.js',
    ]);
  });
});

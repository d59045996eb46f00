/** The server's V8 flags are given in three places; they must say the same (decision 016). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootDir } from '../lib/paths.js';
import { serverNodeFlags } from './spawn.js';

describe('the server node flags', () => {
  it('when the server is started by npm start, its shebang or the tests, then it gets the same flags', () => {
    const flags = serverNodeFlags.join(' ');
    const pkg = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).toContain(`node ${flags} dist/server/main.js`);
    const shebang = readFileSync(join(rootDir, 'server', 'main.ts'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${flags}`);
  });
});

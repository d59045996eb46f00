/** Where the project's files are, whether running from source (tsx, vitest) or from dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

/** The project root: the folder holding package.json. */
export const rootDir = findRoot(dirname(fileURLToPath(import.meta.url)));
/** The committed SQL migrations. */
export const migrationsDir = join(rootDir, 'server', 'db', 'migrations');
/** The built portal. */
export const webDir = join(rootDir, 'dist', 'web');

/** An exclusive lock on a data directory, so two processes never open one PGlite database. */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when another live process holds the directory. */
export class DirectoryLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Directories this process holds: a lock file with our own pid may be a stale one from a restarted
// container (pids repeat), so the file alone cannot tell whether this process opened the directory.
const held = new Set<string>();

/** Take the lock (creating the directory) or throw; returns a function that releases it. */
export function lockDirectory(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'opencmp.lock');
  if (held.has(file)) {
    throw new DirectoryLockedError(`The data directory ${dir} is already open in this process.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      return () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
        throw new DirectoryLockedError(
          `The data directory ${dir} is in use by another OpenCMP process (pid ${pid}). ` +
            'Stop that process first, or set OPENCMP_DATA_DIR to another directory.',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DirectoryLockedError(`Could not lock ${file}`);
}

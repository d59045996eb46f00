import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { DirectoryLockedError, lockDirectory } from './lockfile.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'opencmp-lock-'));
  dirs.push(d);
  return d;
}

/** A live process that is not this one. */
function otherLiveProcess(): number {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  if (!child.pid) throw new Error('could not start sleep');
  return child.pid;
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true', [], { stdio: 'ignore' });
  const pid = child.pid;
  if (!pid) throw new Error('could not start true');
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

describe('lockDirectory', () => {
  it('when the directory is free, then the lock is taken and the file holds our pid', () => {
    const dir = tempDir();
    const release = lockDirectory(dir);
    const file = join(dir, 'opencmp.lock');
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(file)).toBe(false);
  });

  it('when the directory does not exist yet, then it is created and locked', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const release = lockDirectory(dir);
    expect(existsSync(join(dir, 'opencmp.lock'))).toBe(true);
    release();
  });

  it('when another live process holds the lock, then DirectoryLockedError names the directory and the file stays', () => {
    const dir = tempDir();
    const pid = otherLiveProcess();
    const file = join(dir, 'opencmp.lock');
    writeFileSync(file, String(pid));
    let caught: unknown;
    try {
      lockDirectory(dir);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DirectoryLockedError);
    expect((caught as Error).message).toContain(dir);
    expect((caught as Error).message).toContain(String(pid));
    expect(readFileSync(file, 'utf8')).toBe(String(pid));
  });

  it('when the lock file names a dead process, then the stale lock is taken over', async () => {
    const dir = tempDir();
    const file = join(dir, 'opencmp.lock');
    writeFileSync(file, String(await deadPid()));
    const release = lockDirectory(dir);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(file)).toBe(false);
  });

  it('when the lock file holds garbage, then it is taken over', () => {
    const dir = tempDir();
    const file = join(dir, 'opencmp.lock');
    writeFileSync(file, 'not a pid');
    const release = lockDirectory(dir);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    release();
  });
});

describe('openDatabase on a data directory', () => {
  it('when a second PGlite opens a directory already open, then it is refused and the first keeps working', async () => {
    if (process.env.DATABASE_URL) return; // the directory lock guards PGlite only
    const dir = tempDir();
    const first = await openDatabase({ dataDir: dir });
    let secondError: unknown;
    try {
      const second = await openDatabase({ dataDir: dir }).catch((err: unknown) => {
        secondError = err;
        return null;
      });
      await second?.close();
      expect(secondError).toBeInstanceOf(DirectoryLockedError);
      expect((secondError as Error).message).toContain(dir);
      const rows = await first.query<{ n: number }>(sql`select 1 as n`);
      expect(rows[0]?.n).toBe(1);
      expect(readFileSync(join(dir, 'opencmp.lock'), 'utf8')).toBe(String(process.pid));
    } finally {
      await first.close();
    }
    expect(existsSync(join(dir, 'opencmp.lock'))).toBe(false);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { runPeriodically } from './periodic.js';

const stderr = () => {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
};
afterEach(() => vi.restoreAllMocks());

describe('periodic jobs', () => {
  it('when a run fails, then stderr names the job and the error, and the next run still comes', async () => {
    const lines = stderr();
    let runs = 0;
    const stop = runPeriodically(
      'retention',
      async () => {
        runs++;
        if (runs === 1) throw new Error('relation "sim_events" does not exist');
      },
      5,
    );
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3));
    await stop();
    expect(lines).toEqual(['retention: relation "sim_events" does not exist\n']);
  });

  it('when stopped during a run, then stop waits for that run and no run starts after', async () => {
    let release: () => void = () => {};
    let runs = 0;
    let finished = false;
    const stop = runPeriodically(
      'lifetime',
      async () => {
        runs++;
        await new Promise<void>((r) => {
          release = r;
        });
        finished = true;
      },
      60_000,
    );
    const stopped = stop();
    let done = false;
    void stopped.then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    release();
    await stopped;
    expect(finished).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(1);
  });

  it('when a run outlasts the interval, then the next starts after it ends, never beside it', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const stop = runPeriodically(
      'data-left',
      async () => {
        runs++;
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setTimeout(r, 30));
        active--;
      },
      5,
    );
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(4), { timeout: 2000 });
    await stop();
    expect(most).toBe(1);
  });
});

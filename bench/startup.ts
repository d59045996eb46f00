/** Target: `npm start` on an existing data directory is ready in < 3 s. Measures spawn → /readyz. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPassword, report, startServer } from './lib.js';

export async function benchStartup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'opencmp-bench-'));
  const env = { OPENCMP_DATA_DIR: dataDir, OPENCMP_DEMO_PASSWORD: benchPassword, DATABASE_URL: '' };
  try {
    const first = await startServer(env, 3901);
    await first.stop();
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await startServer(env, 3901);
      runs.push(s.readyMs);
      await s.stop();
    }
    runs.sort((a, b) => a - b);
    const median = runs[2] ?? Number.NaN;
    report('startup', {
      firstStartMs: Math.round(first.readyMs),
      medianReadyMs: Math.round(median),
      worstReadyMs: Math.round(runs.at(-1) ?? Number.NaN),
      targetMs: 3000,
      met: median < 3000,
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

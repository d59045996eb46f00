/** Target: the login page loads < 200 KB of gzipped JavaScript. Loads /login in Chromium and sums what came. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../server/test/spawn.js';
import { benchPassword, report, startServer } from './lib.js';

export async function benchBundle() {
  const dataDir = mkdtempSync(join(tmpdir(), 'opencmp-bench-'));
  const server = await startServer(
    { OPENCMP_DATA_DIR: dataDir, OPENCMP_DEMO_PASSWORD: benchPassword, DATABASE_URL: '' },
    3903,
  );
  // the server stops and its directory goes however the browser part ends (a missing chromium included)
  const browser = await launchChromium().catch(async (err: unknown) => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  try {
    const page = await browser.newPage();
    const scripts: Promise<{ url: string; raw: number; gzip: number }>[] = [];
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      scripts.push(res.body().then((b) => ({ url: res.url(), raw: b.length, gzip: gzipSync(b).length })));
    });
    await page.goto(`${server.url}/login`, { waitUntil: 'networkidle' });
    await page
      .getByLabel(/e-mail/i)
      .first()
      .waitFor();
    const loaded = await Promise.all(scripts);
    const gzip = loaded.reduce((s, x) => s + x.gzip, 0);
    report('bundle', {
      scripts: loaded.length,
      rawKB: Math.round(loaded.reduce((s, x) => s + x.raw, 0) / 1024),
      gzipKB: Math.round(gzip / 1024),
      targetKB: 200,
      met: gzip < 200 * 1024,
    });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

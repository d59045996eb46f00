/** Browser-test helpers: the built server on a temporary data directory, and Debian's Chromium. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, spawnServer } from '../server/test/spawn.js';

export const root = join(import.meta.dirname, '..');
export const screenshotsDir = join(root, 'e2e', 'screenshots');
export const demoPassword = 'e2e-demo-password';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** Start dist/server/main.js with demo data on a fresh PGlite directory. */
export async function startServer(port: number, env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opencmp-e2e-'));
  const server = await spawnServer(
    { DATABASE_URL: '', OPENCMP_DATA_DIR: dataDir, OPENCMP_DEMO_PASSWORD: demoPassword, ...env },
    port,
  );
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launch Debian's Chromium headless with the flags this machine needs. */
export const launchBrowser = launchChromium;

/** Save a full-page screenshot under e2e/screenshots/. */
export async function shoot(page: Page, name: string) {
  mkdirSync(screenshotsDir, { recursive: true });
  // let Mantine's enter transitions (menus, modals, drawers) finish before the picture
  await page.waitForTimeout(400);
  await page.screenshot({
    path: join(screenshotsDir, `${name}.png`),
    fullPage: true,
    animations: 'disabled',
  });
}

/** How far (px) the element's nearest horizontally scrolling ancestor overflows; 0 or less: it all shows. */
export function horizontalOverflow(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    let scroller = el.parentElement;
    while (
      scroller &&
      !['auto', 'scroll'].includes(
        scroller.ownerDocument.defaultView?.getComputedStyle(scroller).overflowX ?? '',
      )
    )
      scroller = scroller.parentElement;
    return scroller ? scroller.scrollWidth - scroller.clientWidth : Number.NaN;
  });
}

/** Sign in through the login form. */
export async function signIn(page: Page, url: string, email: string, password = demoPassword) {
  await page.goto(`${url}/login`);
  await page.getByLabel(/e-mail/i).fill(email);
  await page.getByLabel(/^password/i).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
}

/** Save the signed-in user's portal language (as the user menu does) and reload the page in it. */
export async function chooseLanguage(page: Page, language: 'en' | 'de') {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'opencmp_csrf')?.value ?? '';
  const answer = await page.evaluate(
    async ({ token, language }) => {
      const res = await fetch('/api/v1/me', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ language }),
      });
      return `${res.status} ${await res.text()}`;
    },
    { token: csrf, language },
  );
  if (!answer.startsWith('200 ')) throw new Error(`saving the language failed: ${answer}`);
  await page.reload();
}

import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIdentifiers } from '../server/demo/sims.js';
import { launchBrowser, type RunningServer, shoot, signIn, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;

/** A port the system has just handed out, so that parallel runs never collide. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

beforeAll(async () => {
  server = await startServer(await freePort());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const first = demoIdentifiers(1).iccid;
const fifth = demoIdentifiers(5).iccid;

describe('the Organisation tab', () => {
  it('when the owner creates a sub-organisation and transfers a range, then its SIM count shows the moved SIMs', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await page.getByTestId('nav-organisation').click();
    await page.getByTestId('page-organisation').waitFor();
    await page.getByTestId('suborg-row').first().waitFor();
    await shoot(page, '40-organisation-list');

    await page.getByTestId('suborg-create').click();
    await page.getByTestId('suborg-company').waitFor();
    await page.getByTestId('suborg-submit').click();
    expect(await page.getByText('Use 2 to 12 letters, digits, spaces or dashes').count()).toBe(1);
    await page.getByTestId('suborg-company').fill('Demo Industries Service GmbH');
    await page.getByTestId('suborg-street').fill('Hafenstraße 5');
    await page.getByTestId('suborg-postal-code').fill('20457');
    await page.getByTestId('suborg-city').fill('Hamburg');
    await page.getByTestId('suborg-owner-first-name').fill('Sven');
    await page.getByTestId('suborg-owner-last-name').fill('Service');
    await page.getByTestId('suborg-owner-email').fill('sven@service.example');
    await shoot(page, '41-organisation-create');
    await page.getByTestId('suborg-submit').click();
    await page.getByText(/the invitation is sent to sven@service\.example/i).waitFor();
    const row = page.locator('[data-testid="suborg-row"][data-name="Demo Industries Service GmbH"]');
    await row.waitFor();
    expect(await row.getByTestId('suborg-sims').textContent()).toBe('0');

    await page.getByTestId('transfer-open').click();
    await page.getByTestId('transfer-modal').waitFor();
    await page.getByTestId('transfer-target').click();
    await page.getByRole('option', { name: 'Demo Industries Service GmbH' }).click();
    await page.getByText('Ranges', { exact: true }).click();
    await page.getByTestId('transfer-range-start').fill(first);
    await page.getByTestId('transfer-range-end').fill('123');
    await page.getByTestId('transfer-preview-button').click();
    await page.getByTestId('transfer-failed').waitFor();
    // the server's reason, said by the portal (contracts/error-text.ts)
    expect(await page.getByTestId('transfer-line-error').textContent()).toBe(
      'An ICCID has 19 digits, or 20 with the Luhn check digit; this one has 3.',
    );
    await shoot(page, '42-organisation-transfer-line-error');
    await page.getByTestId('transfer-range-end').fill(fifth);
    await page.getByTestId('transfer-preview-button').click();
    await page.getByTestId('transfer-preview').waitFor();
    expect(await page.getByTestId('transfer-preview').textContent()).toMatch(
      /5 SIM\(s\) in 1 line\(s\) move from Demo Industries GmbH to Demo Industries Service GmbH/,
    );
    await shoot(page, '43-organisation-transfer-preview');
    await page.getByTestId('transfer-confirm').click();
    await page.getByText(/5 SIM\(s\) moved from Demo Industries GmbH/).waitFor();
    await page.getByTestId('transfer-modal').waitFor({ state: 'hidden' });
    await row.getByTestId('suborg-sims').filter({ hasText: '5' }).waitFor();

    await row.getByTestId('suborg-actions').click();
    expect(await page.getByTestId('suborg-delete').isDisabled()).toBe(true);
    expect(await page.getByTestId('suborg-delete-reason').textContent()).toMatch(/still holds 5 SIM/);
    await shoot(page, '44-organisation-delete-blocked');
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('when the owner uses a phone, then the list and the transfer dialog fit the screen', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await page.goto(`${server.url}/organisation`);
    await page.getByTestId('suborg-row').first().waitFor();
    await shoot(page, '45-organisation-phone');
    await page.getByTestId('transfer-open').click();
    await page.getByTestId('transfer-modal').waitFor();
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await shoot(page, '46-organisation-transfer-phone');
    await page.close();
  });
});

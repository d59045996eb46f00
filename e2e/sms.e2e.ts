import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, shoot, signIn, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  // the demo database starts the built-in SMSC simulator (SIMULATOR defaults to on with demo data)
  server = await startServer(await freePort(), { SIMULATOR: 'on' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// demo SIM number 11: "E-bike Hamburg #11", activated
const iccid = '8949020123000000011';

describe('SMS tab', () => {
  it('when the owner types an SMS, then parts and encoding count live; when sent, then it turns delivered', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await page.goto(`${server.url}/sims/${iccid}?tab=sms`);
    await page.getByTestId('sim-sms').waitFor();
    await page.getByTestId('sms-volume-left').waitFor();
    const leftBefore = await page.getByTestId('sms-volume-left').textContent();
    // the SMS the demo's history counts are messages here: commands the demo user sent, delivered
    await page
      .locator('[data-testid="sms-row"][data-direction="MT"][data-status="delivered"]', {
        hasText: 'Ursula User',
      })
      .first()
      .waitFor();
    // each message names its sender and recipient: the demo's commands came from the default sender
    expect(
      await page
        .locator('[data-testid="sms-row"][data-direction="MT"]', { hasText: 'Ursula User' })
        .first()
        .getByTestId('sms-route')
        .textContent(),
    ).toMatch(/^4900→ \d+$/);
    await shoot(page, '39-sms-history');

    const counter = page.getByTestId('sms-counter');
    await page.getByTestId('sms-text').fill('x'.repeat(161));
    expect(await counter.getAttribute('data-segments')).toBe('2');
    expect(await counter.getAttribute('data-encoding')).toBe('gsm7');
    await page.getByTestId('sms-text').fill('Привет from the browser test');
    expect(await counter.getAttribute('data-encoding')).toBe('ucs2');
    expect(await counter.textContent()).toContain('UCS-2');
    await shoot(page, '40-sms-form-ucs2');

    // a sender the network cannot carry is refused in the form, before anything is sent
    const sender = page.getByTestId('sms-sender');
    expect(await sender.getAttribute('placeholder')).toBe('4900');
    await sender.fill('Zähler GmbH');
    await sender.blur();
    await page.getByText('A number of 1 to 15 digits, or up to 11 letters').waitFor();
    await shoot(page, '40a-sms-sender-invalid');
    await sender.fill('Acme Pumps');

    const text = 'Hello from the browser test: reboot {now} €';
    await page.getByTestId('sms-text').fill(text);
    expect(await counter.getAttribute('data-encoding')).toBe('gsm7');
    expect(await counter.getAttribute('data-segments')).toBe('1');
    await page.getByTestId('sms-send').click();
    const row = page.locator('[data-testid="sms-row"][data-direction="MT"]', { hasText: text });
    await row.waitFor();
    expect(await row.getByTestId('sms-route').textContent()).toMatch(/^Acme Pumps→ \d+$/);
    await shoot(page, '41-sms-pending');
    await page
      .locator('[data-testid="sms-row"][data-direction="MT"][data-status="delivered"]', { hasText: text })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sms-volume-left').textContent()).not.toBe(leftBefore);
    await shoot(page, '42-sms-delivered');

    // removing one from the history is asked first; Cancel keeps it, confirming removes it
    // (a second message: the first stays for the read-only test below)
    const second = 'A second one, to be removed';
    await page.getByTestId('sms-text').fill(second);
    await page.getByTestId('sms-send').click();
    const delivered = page.locator('[data-testid="sms-row"][data-direction="MT"][data-status="delivered"]', {
      hasText: second,
    });
    await delivered.waitFor({ timeout: 30_000 });
    await delivered.getByTestId('sms-delete').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Remove this SMS from the list for good?').waitFor();
    await shoot(page, '42a-sms-remove-confirm');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await delivered.count()).toBe(1);
    await delivered.getByTestId('sms-delete').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove from the list' }).click();
    await delivered.waitFor({ state: 'detached' });
    await context.close();
  });

  it('when a read-only user opens the SMS tab, then the list shows but no send form', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, 'readonly@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await page.goto(`${server.url}/sims/${iccid}?tab=sms`);
    await page.getByTestId('sim-sms').waitFor();
    await page.getByTestId('sms-row').first().waitFor();
    expect(await page.getByTestId('sms-form').count()).toBe(0);
    await context.close();
  });
});

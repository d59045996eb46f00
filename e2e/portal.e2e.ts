import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabs } from '../contracts/permissions.js';
import { launchBrowser, type RunningServer, shoot, signIn, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer(3931);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const ownerTabs = [
  'dashboard',
  'sims',
  'configuration',
  'account',
  'orders',
  'users',
  'organisation',
  'support',
];

describe('the portal shell', () => {
  it('when the demo owner signs in, then every tab opens, German works, and sign-out returns to the login page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${server.url}/login`);
    await page.getByTestId('page-login').waitFor();
    await shoot(page, '01-login');
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    expect(await page.getByTestId('org-name').textContent()).toContain('Demo Industries GmbH');
    expect(await page.getByTestId('account-number').textContent()).toContain('8100012345');
    expect(await page.getByTestId('nav-operator').count()).toBe(0);

    for (const id of ownerTabs) {
      await page.getByTestId(`nav-${id}`).click();
      await page.getByTestId(`page-${id}`).waitFor();
      expect(new URL(page.url()).pathname).toBe(tabs.find((t) => t.id === id)?.path);
      await shoot(page, `02-owner-${id}`);
    }

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Deutsch' }).click();
    await page.getByTestId('nav-sims').getByText('Meine SIMs').waitFor();
    expect(await page.getByTestId('nav-configuration').textContent()).toContain('Konfiguration');
    await shoot(page, '03-owner-german');

    // the choice is saved to the profile: a fresh page load keeps German
    await page.reload();
    await page.getByTestId('nav-sims').getByText('Meine SIMs').waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('page-login').waitFor();
    await page.goto(`${server.url}/dashboard`);
    await page.getByTestId('page-login').waitFor();
    await shoot(page, '04-signed-out');
    await page.close();
  });

  it('when a read-only user signs in on a phone, then only the tabs of that role are offered', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(page, server.url, 'readonly@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await shoot(page, '05-readonly-phone');
    await page
      .getByRole('button', { name: /navigation|menu/i })
      .first()
      .click();
    for (const id of ['dashboard', 'sims', 'account', 'orders', 'support']) {
      expect(await page.getByTestId(`nav-${id}`).count(), id).toBe(1);
    }
    for (const id of ['configuration', 'users', 'organisation', 'operator']) {
      expect(await page.getByTestId(`nav-${id}`).count(), id).toBe(0);
    }
    await shoot(page, '06-readonly-phone-menu');
    await page.goto(`${server.url}/users`);
    await page.getByTestId('not-allowed').waitFor();
    await page.close();
  });
});

describe('password forgotten, through the mail outbox', () => {
  it('when a user asks for a reset link, then the operator sees the mail and the link sets a new password', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: /forgot password/i }).click();
    // the page is loaded lazily: until it shows, the login form (with its own e-mail field) is still there
    await page.getByTestId('page-forgot-password').waitFor();
    await page.getByLabel(/e-mail/i).fill('user@demo.example');
    await page.getByRole('button', { name: /send link/i }).click();
    await page.getByTestId('forgot-sent').waitFor();
    await shoot(page, '07-forgot-sent');

    const operator = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(operator, server.url, 'operator@provider.example');
    await operator.getByTestId('page-operator').waitFor();
    await operator.getByTestId('mail-outbox').waitFor();
    const row = operator.getByTestId('mail-row').filter({ hasText: 'user@demo.example' }).first();
    await row.click();
    const modal = operator.getByTestId('mail-modal');
    await modal.waitFor();
    await shoot(operator, '08-operator-outbox-mail');
    const text = (await modal.textContent()) ?? '';
    const link = text.match(/https?:\/\/\S+?reset-password\?token=[\w-]+/)?.[0];
    expect(link).toBeTruthy();
    await operator.close();

    await page.goto(link ?? '');
    await page.getByLabel(/^new password/i).fill('a-new-password-42');
    await page.getByLabel(/^repeat/i).fill('a-new-password-42');
    await page.getByRole('button', { name: /save password/i }).click();
    await page.getByTestId('page-login').waitFor();
    await signIn(page, server.url, 'user@demo.example', 'a-new-password-42');
    await page.getByTestId('page-dashboard').waitFor();

    await page.goto(link ?? '');
    await page.getByLabel(/^new password/i).fill('another-password-42');
    await page.getByLabel(/^repeat/i).fill('another-password-42');
    await page.getByRole('button', { name: /save password/i }).click();
    await page.getByTestId('invalid-link').waitFor();
    await shoot(page, '09-reset-link-reused');
    await page.close();
  });
});

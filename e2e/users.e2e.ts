import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOf, tabs } from '../contracts/permissions.js';
import { chooseLanguage, launchBrowser, type RunningServer, shoot, signIn, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer(3932);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const invitee = 'theresa.tester@demo.example';
const password = 'invited-password-42';

describe('inviting a user', () => {
  it('when the owner invites a 3rd party user, then the mailed link sets the password and the user sees exactly their tabs', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await page.getByTestId('nav-users').click();
    await page.getByTestId('page-users').waitFor();
    await page.getByTestId('user-row').first().waitFor();
    // the owner's own row and every Owner row offer no actions
    const ownerRow = page.locator('[data-testid="user-row"][data-email="owner@demo.example"]');
    expect(await ownerRow.getByTestId('user-actions').count()).toBe(0);
    await shoot(page, '20-users-list');

    await page.getByTestId('invite-user').click();
    await page.getByTestId('user-first-name').waitFor();
    await page.getByTestId('user-first-name').fill('Theresa');
    await page.getByTestId('user-last-name').fill('Tester');
    await page.getByTestId('user-email').fill(invitee);
    await page.getByTestId('user-role-select').click();
    const options = await page.getByRole('option').allTextContents();
    expect(options).toEqual(['Admin', 'User', 'Read only', '3rd party']);
    await page.getByRole('option', { name: '3rd party' }).click();
    await shoot(page, '21-users-invite');
    await page.getByTestId('user-submit').click();
    const row = page.locator(`[data-testid="user-row"][data-email="${invitee}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('invited');
    expect(await row.getByTestId('user-role').textContent()).toBe('3rd party');
    await shoot(page, '22-users-invited');

    const operator = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(operator, server.url, 'operator@provider.example');
    await operator.getByTestId('page-operator').waitFor();
    await operator.getByTestId('mail-outbox').waitFor();
    await operator.getByTestId('mail-row').filter({ hasText: invitee }).first().click();
    const mail = operator.getByTestId('mail-modal');
    await mail.waitFor();
    await shoot(operator, '23-users-invitation-mail');
    const text = (await mail.textContent()) ?? '';
    const link = text.match(/https?:\/\/\S+?set-password\?token=[\w-]+/)?.[0];
    expect(link).toBeTruthy();
    await operator.close();

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const newcomer = await context.newPage();
    await newcomer.goto(link ?? '');
    await newcomer.getByTestId('page-set-password').waitFor();
    await newcomer.getByLabel(/^new password/i).fill(password);
    await newcomer.getByLabel(/^repeat/i).fill(password);
    await newcomer.getByRole('button', { name: /save password/i }).click();
    await newcomer.getByTestId('page-login').waitFor();
    await signIn(newcomer, server.url, invitee, password);
    await newcomer.getByTestId('page-dashboard').waitFor();
    const held = new Set(permissionsOf('thirdparty'));
    for (const tab of tabs) {
      const expected = held.has(tab.permission) ? 1 : 0;
      expect(await newcomer.getByTestId(`nav-${tab.id}`).count(), tab.id).toBe(expected);
    }
    await shoot(newcomer, '24-users-new-user-signed-in');
    await context.close();

    // back at the owner's list: the user is active now and can be deactivated
    await page.reload();
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('active');
    await row.getByTestId('user-actions').click();
    expect(await page.getByTestId('user-resend').count()).toBe(0);
    await page.getByTestId('user-deactivate').click();
    await page.getByTestId('confirm-action').waitFor();
    await shoot(page, '25-users-deactivate-confirm');
    await page.getByTestId('confirm-action').click();
    await page
      .locator(`[data-testid="user-row"][data-email="${invitee}"][data-status="deactivated"]`)
      .waitFor();
    await shoot(page, '26-users-deactivated');
    await page.close();
  });

  it('when an admin who reads German invites an e-mail already in use, then the field says so in German', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, server.url, 'admin@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await chooseLanguage(page, 'de');
    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-row').first().waitFor();
    const before = await page.getByTestId('user-row').count();
    await page.getByTestId('invite-user').click();
    await page.getByTestId('user-first-name').fill('Doppelt');
    await page.getByTestId('user-last-name').fill('Vergeben');
    // the demo's User already signs in with this address: only the server can know
    await page.getByTestId('user-email').fill('user@demo.example');
    await page.getByTestId('user-submit').click();
    const field = page.getByTestId('user-email');
    await expect.poll(() => field.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const errorText = await page
      .locator(`[id="${describedBy.split(' ').find((id) => id.includes('error'))}"]`)
      .textContent();
    expect(errorText).toBe('Wird bereits verwendet.');
    await page.getByText('Einige Werte werden bereits verwendet: siehe die markierten Felder.').waitFor();
    await shoot(page, '27-users-invite-email-in-use-de');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('user-row').count()).toBe(before);
    await page.close();
  });
});

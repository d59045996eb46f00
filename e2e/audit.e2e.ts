import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, shoot, signIn, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer(3947);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const iccid = '8949020123000000012';

describe('audit log', () => {
  it('when the owner changes a SIM label, then Account → Audit log shows it with before and after, and so does the operator console', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await page.goto(`${server.url}/sims/${iccid}`);
    await page.getByTestId('page-sim-detail').waitFor();
    await page.getByTestId('label-edit').click();
    await page.getByTestId('label-input').fill('Audited label');
    await page.getByTestId('label-save').click();
    await page.getByText('Audited label').first().waitFor();

    await page.getByTestId('nav-account').click();
    await page.getByTestId('page-account').waitFor();
    await page.getByTestId('account-tab-audit').click();
    await page.getByTestId('audit-log').waitFor();
    await page.getByTestId('audit-filter-action').fill('sim.update');
    const row = page.locator('[data-testid="audit-row"][data-action="sim.update"]').first();
    await row.waitFor();
    expect(await row.textContent()).toContain(`sim:${iccid}`);
    expect(await row.textContent()).toContain('Olivia Owner');
    await row.getByTestId('audit-expand').click();
    const changes = page.getByTestId('audit-changes').first();
    await changes.waitFor();
    const text = (await changes.textContent()) ?? '';
    expect(text).toContain('label');
    expect(text).toContain('Audited label');
    await shoot(page, '30-audit-log');
    await page.close();

    const operator = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(operator, server.url, 'operator@provider.example');
    await operator.getByTestId('page-operator').waitFor();
    await operator.goto(`${server.url}/operator?area=customers`);
    await operator.getByTestId('customer-row').filter({ hasText: '8100012345' }).first().click();
    const drawer = operator.getByTestId('customer-audit');
    await drawer.waitFor();
    await drawer.locator('[data-testid="audit-row"][data-action="sim.update"]').first().waitFor();
    await shoot(operator, '31-audit-operator-customer');
    await operator.close();
  });
});

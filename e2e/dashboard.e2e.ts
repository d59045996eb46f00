import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../contracts/usage.js';
import {
  chooseLanguage,
  horizontalOverflow,
  launchBrowser,
  type RunningServer,
  shoot,
  signIn,
  startServer,
} from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer(3934);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Dashboard', () => {
  it('when the owner opens it, then the tiles show the API figures, View opens My SIMs filtered to that group, and a top-up there moves a SIM out of it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('dashboard-loaded').waitFor();
    const api = (await page.evaluate(async () => (await fetch('/api/v1/dashboard')).json())) as Dashboard;
    expect(api.sims.total).toBeGreaterThan(200);
    const shown = async (id: string) =>
      Number(((await page.getByTestId(id).textContent()) ?? '').replace(/\D/g, ''));
    expect(await shown('count-status-activated')).toBe(api.sims.activated);
    expect(await shown('count-status-deactivated')).toBe(api.sims.deactivated);
    for (const g of ['sufficient', 'low', 'none'] as const) {
      expect(await shown(`count-data-${g}`)).toBe(api.dataVolume[g]);
      expect(await shown(`count-sms-${g}`)).toBe(api.smsVolume[g]);
    }
    expect(await page.getByTestId('as-of').first().textContent()).toMatch(/as of \d/);
    // six months of demo usage: the data chart has bars
    await page.getByTestId('dashboard-data-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await shoot(page, '30-dashboard-months');
    await page.getByTestId('usage-granularity').getByText('Last 8 weeks').click();
    await page.getByTestId('tile-usage').getByText('W', { exact: false }).first().waitFor();
    await shoot(page, '31-dashboard-weeks');

    expect(api.dataVolume.low).toBeGreaterThan(0);
    await page.getByTestId('view-data-low').click();
    await page.getByTestId('sims-table').waitFor();
    expect(new URL(page.url()).searchParams.get('dataVolume')).toBe('low');
    await page.getByTestId('sims-total').getByText(`of ${api.dataVolume.low} SIMs`).waitFor();
    await shoot(page, '32-dashboard-view-low-data');

    // a SIM with little data left: a top-up from its detail moves it out of the low group at once
    const row = page.getByTestId('sim-row').first();
    const iccid = (await row.getAttribute('data-iccid')) ?? '';
    await row.click();
    await page.getByTestId('page-sim-detail').waitFor();
    await page.getByTestId('sim-top-up').click();
    await shoot(page, '34-sim-top-up-confirm');
    await page.getByTestId('sim-charge-confirm').click();
    await page.getByText(/^Topped up:/).waitFor();
    await shoot(page, '35-sim-topped-up');
    const after = (await page.evaluate(async (id) => (await fetch(`/api/v1/sims/${id}`)).json(), iccid)) as {
      dataVolume: string;
    };
    expect(after.dataVolume).toBe('sufficient');
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-loaded').waitFor();
    await page
      .getByTestId('count-data-low')
      .getByText(String(api.dataVolume.low - 1))
      .waitFor();
    await page.close();
  });

  it('when the owner sets a monthly data limit below this month’s usage, then it is saved and shown as reached', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('nav-configuration').click();
    await page.getByTestId('limits-section').getByTestId('limit-dataLimitMb').waitFor();
    await page.getByTestId('limit-dataLimitMb').fill('1');
    await page.getByTestId('limit-smsMoLimit').fill('100000');
    await page.getByTestId('limits-save').click();
    await page.getByText('Limits and defaults saved').waitFor();
    const saved = (await page.evaluate(async () =>
      (await fetch('/api/v1/configuration/settings')).json(),
    )) as {
      dataLimitMb: number;
      smsMoLimit: number;
      reached: { data: boolean; smsMo: boolean };
    };
    expect(saved).toMatchObject({
      dataLimitMb: 1,
      smsMoLimit: 100000,
      reached: { data: true, smsMo: false },
    });
    await shoot(page, '36-configuration-limits');
    // the Dashboard says that data is blocked for every SIM, until when, and where to change it
    await page.getByTestId('nav-dashboard').click();
    const alert = page.getByTestId('limits-reached');
    await alert.getByText('Data: new data sessions are refused for every SIM').waitFor();
    expect(await alert.getByText(/SMS from devices/).count()).toBe(0);
    const now = new Date();
    const lifts = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
    );
    await alert.getByText(`This holds until ${lifts} (UTC)`).waitFor();
    await shoot(page, '36a-dashboard-limit-reached');
    await alert.getByTestId('limits-configure').click();
    await page.getByTestId('limits-section').waitFor();
    await page.close();
  });

  it('when an admin who reads German opens Configuration, then the limits show in German number format', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    await signIn(page, server.url, 'admin@demo.example');
    await page.getByTestId('dashboard-loaded').waitFor();
    await chooseLanguage(page, 'de');
    await page.getByTestId('nav-configuration').click();
    // the limit the owner saved above, grouped the German way (NumberInput refused a '.' group with a '.' decimal)
    await expect
      .poll(() => page.getByTestId('limit-smsMoLimit').inputValue(), { timeout: 15_000 })
      .toBe('100.000');
    expect(await page.getByTestId('page-error').count()).toBe(0);
    await shoot(page, '36b-configuration-limits-de');
    // events read German too, from their type and details (demo SIM 11 is low on data)
    await page.goto(`${server.url}/sims/8949020123000000011?tab=events`);
    await page
      .locator('[data-testid="event-row"][data-type="18"]')
      .first()
      .getByText('Weniger als 20 % des Datenvolumens übrig')
      .waitFor();
    expect(await page.getByText('Less than 20 % of the data volume left').count()).toBe(0);
    await shoot(page, '36d-sim-events-de');
    // and My SIMs' German headings still fit a 1366 px screen
    await page.getByTestId('nav-sims').click();
    await page.getByTestId('sim-row').first().waitFor();
    expect(await horizontalOverflow(page.getByTestId('sims-table'))).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('when a User creates an API client, then it is told and listed as holding the rights of a User', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    await signIn(page, server.url, 'user@demo.example');
    await page.getByTestId('dashboard-loaded').waitFor();
    await page.getByTestId('nav-configuration').click();
    await page
      .getByTestId('api-access')
      .getByRole('button', { name: /create api client/i })
      .click();
    await page.getByTestId('api-client-acts-as-note').getByText('rights of your role (User)').waitFor();
    await page.getByTestId('api-client-name').fill('ursula-script');
    await page.getByTestId('api-client-submit').click();
    await page.getByTestId('api-client-created').waitFor();
    await page.getByTestId('api-client-done').click();
    const row = page.getByRole('row', { name: /8100012345_ursula-script/ });
    await row.getByTestId('api-client-acts-as').getByText('Rights of: User').waitFor();
    await shoot(page, '36c-api-client-acts-as-user');
    await page.close();
  });

  it('when a read-only user opens it on a phone, then the tiles stack and still show the figures', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(page, server.url, 'readonly@demo.example');
    await page.getByTestId('dashboard-loaded').waitFor();
    await page.getByTestId('tile-orders').waitFor();
    await shoot(page, '33-dashboard-phone');
    await page.close();
  });
});

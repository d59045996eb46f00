import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
  server = await startServer(3933);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A new browser context signed in as `email`, on My SIMs. */
async function openMySims(email: string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.url, email);
  await page.getByTestId('page-dashboard').waitFor();
  await page.getByTestId('nav-sims').click();
  return { context, page };
}

// demo SIM number 11: "E-bike Hamburg #11", activated
const iccid = '8949020123000000011';

describe('My SIMs', () => {
  it('when the owner searches by partial ICCID, edits the label, deactivates and activates, and exports, then each step shows', async () => {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('page-dashboard').waitFor();
    await page.getByTestId('nav-sims').click();
    await page.getByTestId('page-sims').waitFor();
    await page.getByTestId('sim-row').first().waitFor();
    // the default columns fit a 1366 px laptop screen: nothing scrolls off to the right
    const overflow = await horizontalOverflow(page.getByTestId('sims-table'));
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(page, '10-sims-list');

    await page.getByTestId('sims-search').fill('000000011');
    await page.waitForURL(/q=000000011/);
    await page.locator(`[data-testid="sim-row"][data-iccid="${iccid}"]`).waitFor();
    // the list refreshes itself (the simulator keeps SIMs' sessions moving): wait for the settled answer
    await expect.poll(() => page.getByTestId('sim-row').count(), { timeout: 15_000 }).toBe(1);
    await shoot(page, '11-sims-search');

    // the filter lives in the URL: a reload keeps it
    await page.reload();
    await page.locator(`[data-testid="sim-row"][data-iccid="${iccid}"]`).waitFor();

    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await download;
    const csv = await (await file.createReadStream()).toArray();
    const text = Buffer.concat(csv).toString('utf8');
    expect(text).toContain('PUK1');
    expect(text).toContain(iccid);
    expect(text.trim().split('\n')).toHaveLength(2);

    await page.locator(`[data-testid="sim-row"][data-iccid="${iccid}"]`).click();
    await page.getByTestId('page-sim-detail').waitFor();
    expect(await page.getByTestId('page-sim-detail').textContent()).toContain(iccid);
    await shoot(page, '12-sim-detail');

    await page.getByTestId('label-edit').click();
    await page.getByTestId('label-input').fill('Browser test label');
    await page.getByTestId('label-save').click();
    await page.getByText('Browser test label').first().waitFor();

    await page.getByTestId('sim-deactivate').click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /deactivate/i })
      .click();
    await page.getByTestId('sim-activate').waitFor();
    await shoot(page, '13-sim-deactivated');
    await page.getByTestId('sim-activate').click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /activate/i })
      .click();
    await page.getByTestId('sim-deactivate').waitFor();

    // the changes are events naming the user
    await page.getByRole('tab', { name: /events/i }).click();
    await page.getByText('SIM deactivated').first().waitFor();
    await page
      .getByText(/Label changed/)
      .first()
      .waitFor();
    await shoot(page, '14-sim-events');

    await page.getByRole('tab', { name: /usage/i }).click();
    await page.waitForTimeout(500);
    await shoot(page, '15-sim-usage');
    // by hour for a short period: the demo's recent days have hourly rows
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.getByTestId('usage-granularity').getByText('By hour').click();
    await page.getByText(/^Data per hour \((KB|MB|GB), UTC\)$/).waitFor();
    // the chart draws in the unit its largest bar needs, so its axis never repeats a value
    const chart = page.getByTestId('usage-data-chart');
    const unit = await chart.getAttribute('data-unit');
    expect(await page.getByText(`Data per hour (${unit}, UTC)`).count()).toBe(1);
    const tick = chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
    await tick.first().waitFor();
    const ticks = await tick.allTextContents();
    expect(ticks.length).toBeGreaterThan(2);
    expect(new Set(ticks).size).toBe(ticks.length);
    await shoot(page, '15b-sim-usage-hourly');
    // a longer period falls back to days
    await page.getByRole('button', { name: 'Last 30 days' }).click();
    await page.getByText(/^Data per day \((KB|MB|GB)\)$/).waitFor();
    await context.close();
  });

  it('when the owner tops up two selected SIMs in bulk, then the confirmation names the package and the count, and the job finishes', async () => {
    const { context, page } = await openMySims('owner@demo.example');
    await page.getByTestId('sims-search').fill('00000001');
    await page.waitForURL(/q=00000001/);
    const row = (n: string) => page.locator(`[data-testid="sim-row"][data-iccid="89490201230000000${n}"]`);
    await row('12').waitFor();
    await row('12').getByTestId('sim-select').click();
    await row('13').getByTestId('sim-select').click();
    await page.getByTestId('bulk-menu').click();
    await page.getByTestId('bulk-topUp').click();
    const text = page.getByTestId('bulk-top-up-package');
    await expect.poll(() => text.textContent()).toContain('+500 MB');
    expect(await text.textContent()).toContain('+250 SMS');
    expect(await text.textContent()).toContain('2 SIMs');
    await shoot(page, '16-sims-bulk-top-up');
    await page.getByTestId('bulk-confirm-run').click();
    await page.locator('[data-testid="job-progress"][data-status="done"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('job-ok').textContent()).toContain('2');
    await shoot(page, '17-sims-bulk-top-up-done');
    await context.close();
  });

  it('when a User opens the bulk menu, then Top up is not offered', async () => {
    const { context, page } = await openMySims('user@demo.example');
    await page.getByTestId('sim-select').first().click();
    await page.getByTestId('bulk-menu').click();
    await page.getByTestId('bulk-activate').waitFor();
    expect(await page.getByTestId('bulk-topUp').count()).toBe(0);
    await context.close();
  });

  it('when a user unticks every column, then the ICCID stays, linking each row to its SIM', async () => {
    const { context, page } = await openMySims('readonly@demo.example');
    await page.getByTestId('sim-row').first().waitFor();
    await page.getByTestId('column-chooser').click();
    const iccidBox = page.locator('input[data-column="iccid"]');
    expect(await iccidBox.isDisabled()).toBe(true);
    const ticked = page.locator('input[data-column]:checked:not([disabled])');
    while ((await ticked.count()) > 0) await ticked.first().click({ force: true });
    expect(await page.locator('input[data-column]:checked').count()).toBe(1);
    await page.keyboard.press('Escape');
    const row = page.getByTestId('sim-row').first();
    const link = row.getByRole('link');
    expect(await link.textContent()).toMatch(/^\d{19}$/);
    await link.click();
    await page.getByTestId('page-sim-detail').waitFor();
    await context.close();
  });
  it('when a search matches more than 1,000 SIMs, then the page says "more than" at once and the exact count follows', async () => {
    // 1,100 more SIMs for the demo customer, through the operator's stock import and assignment
    const operator = await (await browser.newContext()).newPage();
    await signIn(operator, server.url, 'operator@provider.example');
    await operator.getByTestId('page-operator').waitFor();
    const csrf = (await operator.context().cookies()).find((c) => c.name === 'opencmp_csrf')?.value ?? '';
    const id = (n: number) => String(n).padStart(6, '0');
    const lines = ['iccid,imsi,msisdn,pin1,puk1,pin2,puk2,form_factor'];
    for (let n = 1; n <= 1_100; n++)
      lines.push(`8949099000000${id(n)},262990990${id(n)},4917099${id(n)},1234,12345678,4321,87654321,4FF`);
    const answers = await operator.evaluate(
      async ({ token, csv }) => {
        const post = async (path: string, body: string, type: string) => {
          const res = await fetch(path, {
            method: 'POST',
            headers: { 'content-type': type, 'x-csrf-token': token },
            body,
          });
          return `${res.status} ${await res.text()}`;
        };
        const imported = await post('/api/v1/operator/stock/import', csv, 'text/csv');
        const customers = (await (await fetch('/api/v1/operator/customers?q=8100012345')).json()) as {
          items: { id: string }[];
        };
        const orgId = customers.items[0]?.id;
        const assign = { orgId, iccidFrom: '8949099000000000001', iccidTo: '8949099000000001100' };
        return [
          imported,
          await post('/api/v1/operator/stock/assign', JSON.stringify(assign), 'application/json'),
        ];
      },
      { token: csrf, csv: lines.join('\n') },
    );
    expect(answers[0]).toMatch(/^201 /);
    expect(answers[1]).toMatch(/^200 .*"assigned":1100/);
    await operator.context().close();

    const { context, page } = await openMySims('owner@demo.example');
    // the count is held back until the page has been seen without it (then answered by the server)
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/sims/count?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('sims-search').fill('8949099');
    await page.waitForURL(/q=8949099/);
    const total = page.getByTestId('sims-total');
    await total.getByText('1–50 of more than 1,000 SIMs').waitFor();
    expect(await page.getByTestId('sim-row').count()).toBe(50);
    await page
      .getByTestId('select-all-matching')
      .getByText('Select all 1,000+ that match the filter')
      .waitFor();
    await shoot(page, '18-sims-search-more-than');
    release();
    await total.getByText('1–50 of 1,100 SIMs').waitFor();
    await page
      .getByTestId('select-all-matching')
      .getByText('Select all 1,100 that match the filter')
      .waitFor();
    // the last page is reachable, and holds the rest
    await page.getByRole('button', { name: '22' }).click();
    await page.locator('[data-testid="sim-row"][data-iccid="8949099000000001100"]').waitFor();
    await total.getByText('1,051–1,100 of 1,100 SIMs').waitFor();
    expect(await page.getByTestId('sim-row').count()).toBe(50);
    await shoot(page, '19-sims-search-counted');
    await context.close();
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningServer, shoot, signIn, startServer } from './browser.js';

// The demo with the network simulator on: its packet gateway speaks RADIUS over 127.0.0.1 to the AAA
// of the same server, interims every 2 s. Demo SIM number 2 is activated and among the simulated ones.
const iccid = '8949020123000000002';

let server: RunningServer;
let browser: Browser;
let startedAt: number;

beforeAll(async () => {
  startedAt = Date.now();
  server = await startServer(3935, {
    SIMULATOR: '1',
    SIMULATOR_DEVICES: '40',
    SIMULATOR_INTERIM_SECONDS: '2',
    SIMULATOR_DAE_PORT: '0',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Detail {
  session: string;
  dataUsed: number;
  resetPending: boolean;
  network: {
    lastSeenAt: string | null;
    cell: string | null;
    operatorName: string | null;
    bearer: string | null;
  };
}

async function detail(page: Page): Promise<Detail> {
  const res = await page.request.get(`${server.url}/api/v1/sims/${iccid}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Detail;
}

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('network simulator in the portal', () => {
  it('when the simulator runs, then SIMs are online in My SIMs with fresh network data and growing usage; Reset connection shows reset pending, ends the session, and it comes back', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, 'owner@demo.example');
    await page.getByTestId('page-dashboard').waitFor();

    // the simulated device of SIM 2 attached after the server started, and moves data
    const seen = await until(async () => {
      const d = await detail(page);
      const fresh = d.network.lastSeenAt && Date.parse(d.network.lastSeenAt) >= startedAt - 1000;
      return d.session === 'online' && fresh && d.network.cell ? d : undefined;
    }, 'SIM 2 online through the simulator');
    const grown = await until(async () => {
      const d = await detail(page);
      return d.dataUsed > seen.dataUsed ? d : undefined;
    }, 'usage to grow');
    expect(grown.dataUsed).toBeGreaterThan(seen.dataUsed);

    // My SIMs, filtered to online SIMs: the simulated SIM is among them
    await page.goto(`${server.url}/sims?session=online&q=${iccid.slice(-9)}`);
    const row = page.locator(`[data-testid="sim-row"][data-iccid="${iccid}"]`);
    await row.waitFor();
    await row.locator('[data-session="online"]').waitFor();
    await page.goto(`${server.url}/sims?session=online`);
    await page.getByTestId('sim-row').first().waitFor();
    expect(await page.getByTestId('sim-row').count()).toBeGreaterThanOrEqual(10);
    await shoot(page, '40-sims-online');

    await page.goto(`${server.url}/sims/${iccid}`);
    await page.getByTestId('page-sim-detail').waitFor();
    await page.locator('[data-testid="page-sim-detail"] [data-session="online"]').first().waitFor();
    // the visited country's flag is an image that loaded (emoji flags show as boxes or letters)
    const flag = page.getByTestId('sim-network').getByTestId('country-flag');
    await flag.waitFor();
    await until(
      () =>
        flag.evaluate((img) => {
          const image = img as unknown as { complete: boolean; naturalWidth: number };
          return image.complete && image.naturalWidth > 0;
        }),
      'the country flag to load',
      10_000,
    );
    expect(await flag.getAttribute('src')).toMatch(/\.svg$/);
    await shoot(page, '41-sim-online');

    // reset the connection from the SIM detail: asked, then "reset pending" until the Stop arrives
    await page.getByTestId('sim-reset').click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /reset connection/i })
      .click();
    await page.getByTestId('sim-reset-pending').waitFor();
    await shoot(page, '42-sim-reset-pending');

    // the gateway ACKs the Disconnect-Request, its Stop ends the session, the device re-attaches
    const sessionEvents = async () => {
      const res = await page.request.get(`${server.url}/api/v1/sims/${iccid}/events?type=3,5&pageSize=100`);
      const body = (await res.json()) as { items: { occurredAt: string; description: string }[] };
      return body.items.filter((e) => Date.parse(e.occurredAt) >= startedAt - 1000);
    };
    const ended = await until(async () => {
      const events = await sessionEvents();
      const stop = events.find((e) => /Data session ended \(Admin-Reset\)/.test(e.description));
      const d = await detail(page);
      return stop && d.session === 'online' && !d.resetPending ? stop : undefined;
    }, 'the Stop and the session to come back');
    const restarted = (await sessionEvents()).find(
      (e) =>
        /Data session started/.test(e.description) &&
        Date.parse(e.occurredAt) >= Date.parse(ended.occurredAt),
    );
    expect(restarted).toBeDefined();

    // the open page follows the network without a reload: online again, and the events tab (open on
    // its first page since before the reset) gains the Stop
    await page.locator('[data-testid="page-sim-detail"] [data-session="online"]').first().waitFor();
    expect(await page.getByTestId('sim-reset-pending').count()).toBe(0);
    await page.getByTestId('tab-events').click();
    const events = page.getByTestId('sim-events');
    await events
      .getByText(/Data session ended \(Admin-Reset\)/)
      .first()
      .waitFor({ timeout: 15_000 });
    await shoot(page, '43-sim-session-back');

    // an activated SIM without a data session: Reset connection is there but says there is nothing to end
    const offline = await page.request.get(
      `${server.url}/api/v1/sims?status=activated&session=offline&pageSize=1`,
    );
    const [quiet] = ((await offline.json()) as { items: { iccid: string }[] }).items;
    expect(quiet).toBeDefined();
    await page.goto(`${server.url}/sims/${quiet?.iccid}`);
    await page.getByTestId('page-sim-detail').waitFor();
    const reset = page.getByTestId('sim-reset');
    expect(await reset.getAttribute('aria-disabled')).toBe('true');
    await reset.hover();
    await page.getByText('No open data session: there is nothing to reset.').waitFor();
    await reset.click({ force: true });
    await page.waitForTimeout(500); // time for a confirmation to open, were one to
    expect(await page.getByRole('dialog').count()).toBe(0);
    await context.close();
  });

  it('when the simulator runs, then the operator console shows the AAA counting its requests and timing its answers', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, 'operator@provider.example');
    await page.getByTestId('page-operator').waitFor();
    await page.goto(`${server.url}/operator?area=network`);
    await page.getByTestId('network-counters').waitFor();
    // the simulated gateway's Interims every 2 s are answered and timed: figures, not "no answers"
    const accounting = page.getByTestId('network-response-accounting');
    await until(
      async () => /p99 [\d.,]+ ms/.test((await accounting.textContent()) ?? ''),
      'accounting response times in the console',
      30_000,
    );
    const text = (await accounting.textContent()) ?? '';
    const [, p50, p99, count] = text.match(/median ([\d.,]+) ms · p99 ([\d.,]+) ms · ([\d,]+) answers/) ?? [];
    expect(Number(p50?.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(Number(p99?.replace(/,/g, ''))).toBeGreaterThanOrEqual(Number(p50?.replace(/,/g, '')));
    expect(Number(count?.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(
      Number((await page.getByTestId('network-accounting').textContent())?.replace(/,/g, '')),
    ).toBeGreaterThan(0);
    await shoot(page, '44-operator-network');
    await context.close();
  });
});

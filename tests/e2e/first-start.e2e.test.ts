/**
 * A first start, as a new user has it: a fresh profile, a fake Binance with a synthetic market and
 * its month of history behind it, a lightweight-charts page and the popup. The estimate's zones
 * and the chart's zone labels must be there as soon as the heatmap is, and stay (the first live
 * open-interest reading once wiped the backfilled book for ~10 s); the 7-day view must be filled
 * from the venue's history.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { FakeBinanceServer } from '../harness/fake-binance';
import { FixtureServer } from '../harness/fixture-server';
import { startSyntheticMarket, syntheticBinanceDialect } from '../harness/synthetic-binance';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;

let binance: FakeBinanceServer;
let fixtures: FixtureServer;
let browser: ExtensionBrowser;
let stopMarket: (() => void) | undefined;
let chart: Page;
let popup: Page;
/** When the popup was opened (the settings written just before: a first start). */
let openedAt = 0;

/** Share of the heatmap canvas painted in a colour (not the plot's dark base), within [from, to) of its width. */
function paintedShare(page: Page, from = 0, to = 1): Promise<number> {
  return page.locator('[data-testid=heatmap] canvas').evaluate(
    (c: HTMLCanvasElement, [a, b]) => {
      const x0 = Math.floor(c.width * a);
      const d = c.getContext('2d')!.getImageData(x0, 0, Math.max(1, Math.floor(c.width * b) - x0), c.height).data;
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && Math.abs(d[i] - d[i + 2]) > 40) coloured++;
      return coloured / (d.length / 4);
    },
    [from, to],
  );
}

const estimatedZones = async () =>
  (await popup.locator('[data-testid=zones-table] tbody tr').allInnerTexts()).filter((r) => r.startsWith('Estimated')).length;
const zoneLabels = () => chart.locator('liqlens-overlay [data-testid=zone-label]').count();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [binance, fixtures] = await Promise.all([FakeBinanceServer.start(syntheticBinanceDialect), FixtureServer.start()]);
  stopMarket = startSyntheticMarket(binance);
  browser = await launchWithExtension({ viewport: { width: 1280, height: 720 } });
  await browser.setSettings(loopbackSettings({ binance: { ws: binance.url, rest: binance.restUrl, symbols: ['BTCUSDT', 'ETHUSDT'] } }));
  chart = await browser.context.newPage();
  await chart.goto(fixtures.url('/chart.html?price=97000&symbol=BTCUSDT'));
  popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 580, height: 900 });
  openedAt = Date.now();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
});

afterAll(async () => {
  stopMarket?.();
  await browser?.close();
  await Promise.all([binance?.close(), fixtures?.close()]);
});

describe('first start', () => {
  it('lists estimated zones and labels them on the chart as soon as the heatmap is drawn, and keeps them', async () => {
    await expect.poll(() => paintedShare(popup).catch(() => 0), { timeout: 30_000, interval: 100 }).toBeGreaterThan(0.05);
    const drawnAfter = Date.now() - openedAt;
    await popup.getByRole('tab', { name: 'Zones', exact: true }).click();
    // "As soon as": within the popup's own first refresh and the chart's first snapshot.
    await expect.poll(estimatedZones, { timeout: 2_000, interval: 100 }).toBeGreaterThan(0);
    await expect.poll(zoneLabels, { timeout: 2_000, interval: 100 }).toBeGreaterThan(0);
    console.log(
      `first start: heatmap drawn ${(drawnAfter / 1000).toFixed(1)} s after the popup opened; zones and chart labels within 2 s of it`,
    );
    await chart.screenshot({ path: `${ARTIFACTS}first-start-chart.png` });
    await popup.screenshot({ path: `${ARTIFACTS}first-start-popup.png`, fullPage: true });
    // And no gap while the live feed takes over from the history (it once lasted ~10 s).
    for (let i = 0; i < 10; i++) {
      await popup.waitForTimeout(2_000);
      expect(await estimatedZones(), `estimated zones ${2 * (i + 1)} s later`).toBeGreaterThan(0);
      expect(await zoneLabels(), `chart labels ${2 * (i + 1)} s later`).toBeGreaterThan(0);
    }
  });

  it("fills the 7-day view from the venue's history, edge to edge, without a 'shorter history' note", async () => {
    await popup.getByRole('button', { name: '7d', exact: true }).click();
    await expect.poll(() => popup.getByTestId('view-target').innerText()).toMatch(/· 7d/);
    // The oldest days of the week are painted too (left of the plot, past the price axis) (it was navy: one day was all the history there was).
    await expect.poll(() => paintedShare(popup, 0.2, 0.3), { timeout: 10_000 }).toBeGreaterThan(0.05);
    expect(await popup.getByTestId('history-coverage').count()).toBe(0);
    await popup.screenshot({ path: `${ARTIFACTS}first-start-7d.png`, fullPage: true });
  });
});

/**
 * `npm run store:screenshots [-- ja zh-CN ...]`: the store listings' screenshots, made from the current
 * build and the demo market (a fake Binance fed by the synthetic market, on loopback; no network).
 * Both stores take 1280 × 800: the Chrome Web Store asks for exactly that (or 640 × 400) as JPEG or
 * PNG without alpha, AMO shows 1280 × 800 best. Written as JPEG to store/screenshots/<language>/,
 * English first, then each language given (Chromium started in it). docs/store-listing.md says which
 * goes where. Fails when a picture would show an empty chart or popup.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../tests/harness/browser';
import { FakeBinanceServer } from '../tests/harness/fake-binance';
import { FixtureServer } from '../tests/harness/fixture-server';
import { openDemoChart } from '../tests/harness/demo-chart';
import { DEMO_SYMBOLS, startSyntheticMarket, syntheticBinanceDialect } from '../tests/harness/synthetic-binance';

const SIZE = { width: 1280, height: 800 };
const OUT = new URL('../store/screenshots/', import.meta.url).pathname;
const languages = ['en', ...process.argv.slice(2).filter((a) => /^[a-z]{2}(-[A-Z]{2})?$/.test(a))];

const fail = (why: string): never => {
  console.error(`store:screenshots: ${why}`);
  process.exit(1);
};

const binance = await FakeBinanceServer.start(syntheticBinanceDialect);
const fixtures = await FixtureServer.start();
const stopMarket = startSyntheticMarket(binance);

/** A popup page in the middle of a 1280 × 800 picture, as wide as it lays itself out in a tab (776 px plots). */
async function framedPopup(browser: ExtensionBrowser, view: string): Promise<Page> {
  const popup = await browser.context.newPage();
  await popup.setViewportSize(SIZE);
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?view=${view}`);
  await popup.addStyleTag({
    content:
      'html { background: #0b0e14; } body { width: 800px; margin: 24px auto; border-radius: 10px; box-shadow: 0 12px 48px rgba(0,0,0,.55); overflow: hidden; }',
  });
  return popup;
}

async function shoot(page: Page, dir: string, name: string): Promise<string> {
  await page.screenshot({ path: `${dir}${name}.jpg`, type: 'jpeg', quality: 92 });
  return `${name}.jpg`;
}

try {
  for (const language of languages) {
    const browser = await launchWithExtension({ viewport: SIZE, ...(language === 'en' ? {} : { language }) });
    const dir = `${OUT}${language}/`;
    mkdirSync(dir, { recursive: true });
    const wrote: string[] = [];
    try {
      const connected = binance.waitForClient(20_000);
      // The demo streams Binance alone: the real-positions layer (Hyperliquid) is off, so the panel does
      // not say why it draws nothing.
      const settings = loopbackSettings({
        binance: { ws: binance.url, rest: binance.restUrl, symbols: DEMO_SYMBOLS.map((s) => s.symbol) },
      });
      await browser.setSettings({ ...settings, overlay: { ...settings.overlay, layers: { positions: false } } });
      await connected;

      // 1. The chart with zones, heatmap and a few liquidations, one zone's card open.
      const chart = await openDemoChart(browser.context, binance, fixtures).catch((err: Error) => fail(err.message));
      const label = chart.locator('liqlens-overlay [data-testid=zone-label]').first();
      await label.waitFor({ timeout: 20_000 }).catch(() => fail('no zone label on the chart'));
      await label.hover();
      await chart.locator('liqlens-overlay [data-testid=zone-card]').waitFor();
      wrote.push(await shoot(chart, dir, '1-chart'));

      // 2. The handle's panel: layers, USD scale, legend.
      await chart.mouse.move(10, 10);
      await chart.locator('liqlens-overlay .controls .handle').click();
      await chart.locator('liqlens-overlay .controls .panel').waitFor();
      wrote.push(await shoot(chart, dir, '2-chart-panel'));
      await chart.close();

      // 3–4. The popup: the heatmap with its zones, and every coin's liquidations.
      const zones = await framedPopup(browser, 'zones');
      await zones
        .locator('[data-testid=zones-table] tbody tr')
        .first()
        .waitFor({ timeout: 20_000 })
        .catch(() => fail('the popup listed no zone'));
      await zones.waitForTimeout(1_000);
      wrote.push(await shoot(zones, dir, '3-popup-heatmap'));
      await zones.close();
      const market = await framedPopup(browser, 'market');
      await market.waitForTimeout(1_500);
      wrote.push(await shoot(market, dir, '4-popup-market'));
      await market.close();

      // 5. Options.
      const options = await browser.context.newPage();
      await options.setViewportSize(SIZE);
      await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
      await options.locator('#sec-overlay').waitFor();
      wrote.push(await shoot(options, dir, '5-options'));
      await options.close();
    } finally {
      await browser.close();
    }
    console.log(`store:screenshots: ${language}: ${wrote.join(', ')} in store/screenshots/${language}/`);
  }
} finally {
  stopMarket();
  await Promise.all([binance.close(), fixtures.close()]);
}

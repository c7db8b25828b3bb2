/**
 * `npm run store:screenshots [-- ja zh-CN ...]`: the store listings' screenshots, made from the current
 * build and the demo market (a fake Binance fed by the synthetic market, on loopback; no network).
 * Both stores take 1280 × 800: the Chrome Web Store asks for exactly that (or 640 × 400) as JPEG or
 * PNG without alpha, AMO shows 1280 × 800 best. Written as JPEG to store/screenshots/<language>/,
 * English first, then each language given (Chromium started in it). Also the Chrome Web Store's small
 * promo tile (440 × 280, required for a listing): the name and the manifest's tagline in that
 * language over the popup's heatmap. docs/store-listing.md says which goes where. Fails
 * when a picture would show an empty chart or popup.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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

/** The manifest's name in `language`'s catalogue (`LiqLens — tagline`), English where there is none. */
function extName(language: string): string {
  const file = new URL(`../public/_locales/${language.replace('-', '_')}/messages.json`, import.meta.url);
  const catalogue = existsSync(file) ? file : new URL('../public/_locales/en/messages.json', import.meta.url);
  return (JSON.parse(readFileSync(catalogue, 'utf8')) as { extName: { message: string } }).extName.message;
}

/**
 * The small promo tile: the name and tagline, large, over the popup's heatmap (uPlot's plot area,
 * without the axes, darkened under the words so they stay readable at the store's thumbnail size).
 */
async function promoTile(browser: ExtensionBrowser, heatmap: Buffer, language: string, dir: string): Promise<string> {
  const [name, tagline = ''] = extName(language).split(' — ');
  const tile = await browser.context.newPage();
  await tile.setViewportSize({ width: 440, height: 280 });
  await tile.setContent(
    `<!doctype html><html lang="${language}"><body style="margin:0;width:440px;height:280px;overflow:hidden;font-family:sans-serif;` +
      `background:#0b0e14 url(data:image/png;base64,${heatmap.toString('base64')}) center / cover no-repeat">` +
      '<div style="position:absolute;inset:0;background:linear-gradient(90deg,rgba(11,14,20,.94) 0%,rgba(11,14,20,.8) 55%,rgba(11,14,20,.25) 100%)"></div>' +
      '<div style="position:absolute;left:28px;top:0;bottom:0;width:300px;display:flex;flex-direction:column;justify-content:center;gap:12px">' +
      '<div id="name" style="color:#f0b90b;font-size:44px;font-weight:700;letter-spacing:-.5px"></div>' +
      '<div id="tagline" style="color:#e8ecf3;font-size:21px;line-height:1.3;font-weight:600;text-wrap:balance"></div></div></body></html>',
  );
  // Words as text, never markup (the catalogue is ours, but the habit is the rule).
  await tile.evaluate(
    ([n, t]) => {
      document.getElementById('name')!.textContent = n;
      document.getElementById('tagline')!.textContent = t;
    },
    [name, tagline],
  );
  await tile.screenshot({ path: `${dir}promo-440x280.png` });
  await tile.close();
  return 'promo-440x280.png';
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
      wrote.push(await promoTile(browser, await zones.locator('[data-testid=heatmap] .u-over').screenshot(), language, dir));
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

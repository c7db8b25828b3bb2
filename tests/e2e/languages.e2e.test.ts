/**
 * LiqLens in the trader's language: Chromium started in Japanese, Simplified Chinese and Russian shows
 * the chart's handle, panel and legend from that language's catalogue, with the page's `lang` set, and
 * writes numbers the locale's way; what the worker words (a venue's note in Feeds) and the heatmap's
 * tooltip are in it too; the pseudo-locale (every message accented and twice as long) breaks neither
 * the 360 px popup nor the handle's panel. Screenshots of each in tests/e2e/artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EXTENSION_DIR, launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { FakeBinanceServer } from '../harness/fake-binance';
import { FixtureServer } from '../harness/fixture-server';
import { pseudoLocaleBuild } from '../harness/pseudo-locale';
import { POPUP_TABS } from '../../lib/ui/popup-tabs';
import { DEMO_SYMBOLS, startSyntheticMarket, syntheticBinanceDialect } from '../harness/synthetic-binance';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const OVERLAY = 'liqlens-overlay [data-testid=chart-overlay]';

let binance: FakeBinanceServer;
let fixtures: FixtureServer;
let stopMarket: () => void;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [binance, fixtures] = await Promise.all([FakeBinanceServer.start(syntheticBinanceDialect), FixtureServer.start()]);
  stopMarket = startSyntheticMarket(binance);
});

afterAll(async () => {
  stopMarket?.();
  await Promise.all([binance?.close(), fixtures?.close()]);
});

/** The browser with the fake market streaming, a chart page with the overlay and its panel open. */
async function chartWithPanel(browser: ExtensionBrowser): Promise<Page> {
  const connected = binance.waitForClient(20_000);
  await browser.setSettings(
    loopbackSettings({ binance: { ws: binance.url, rest: binance.restUrl, symbols: DEMO_SYMBOLS.map((s) => s.symbol) } }),
  );
  await connected;
  const page = await browser.context.newPage();
  await page.goto(fixtures.url(`/chart.html?price=${DEMO_SYMBOLS[0].price}&symbol=${DEMO_SYMBOLS[0].symbol}`));
  await page.locator(OVERLAY).waitFor({ timeout: 20_000 });
  await page.locator('liqlens-overlay .controls .handle').click();
  await page.locator('liqlens-overlay .controls .panel').waitFor();
  return page;
}

/** A locale's message catalogue, as the build ships it. */
const catalogue = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../public/_locales/${file}/messages.json`, import.meta.url), 'utf8')) as Record<
    string,
    { message: string }
  >;

const LANGUAGES = [
  // A layer's name, the legend's first line, and a number as the locale writes it.
  { language: 'ja', file: 'ja', layer: '推定清算ゾーン', legend: '時間ごとの推定清算価格帯' },
  { language: 'zh-CN', file: 'zh_CN', layer: '预估爆仓区', legend: '随时间变化的预估爆仓价位' },
  { language: 'ru', file: 'ru', layer: 'Расчётные зоны', legend: 'Расчётные уровни ликвидаций во времени' },
] as const;

describe.each(LANGUAGES)('a browser in $language', ({ language, file, layer, legend }) => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension({ language });
  });
  afterAll(() => browser?.close());

  it('reads the chart’s handle, panel and legend in that language, and the pages say their language', async () => {
    const page = await chartWithPanel(browser);
    const panel = page.locator('liqlens-overlay .controls .panel');
    expect(await panel.innerText()).toContain(layer);
    expect(await page.locator('liqlens-overlay [data-testid=overlay-legend]').innerText()).toContain(legend);
    // English words that have a translation must not be left on the chart.
    expect(await panel.innerText()).not.toMatch(/Estimated zones|Realized liquidations|Opacity/);
    expect(await page.locator('liqlens-overlay .controls .handle').getAttribute('title')).not.toMatch(/overlay settings/);
    await page.screenshot({ path: `${ARTIFACTS}language-${file}-overlay.png` });
    await page.close();

    const popup = await browser.openPopup();
    await popup.locator('body').waitFor();
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe(language);
    await popup.waitForTimeout(1_000);
    await popup.screenshot({ path: `${ARTIFACTS}language-${file}-popup.png`, fullPage: true });
    // The heatmap's crosshair tooltip is built in code, not markup: in that language too.
    const words = catalogue(file);
    const overHeatmap = popup.locator('[data-testid=heatmap] .u-over');
    await overHeatmap.waitFor({ timeout: 20_000 });
    const box = (await overHeatmap.boundingBox())!;
    const tip = async () => {
      await popup.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.3);
      return (
        (
          await popup
            .locator('[data-testid=heatmap-tip]')
            .innerText()
            .catch(() => '')
        ).split('\n')[1] ?? ''
      );
    };
    const estimated = words.heatmapTipEstimated.message.split(' ')[0];
    await expect.poll(tip, { timeout: 20_000 }).toMatch(new RegExp(`^(${estimated}|${words.heatmapTipNoEstimate.message})`));
    await popup.screenshot({ path: `${ARTIFACTS}language-${file}-popup-tooltip.png` });
    // What the worker words (a venue's note in Feeds) is in that language too, not only the pages' own text.
    await popup.locator('#tab-feeds').click();
    const note = popup.locator('[data-testid=feed-completeness]').first();
    await expect.poll(() => note.innerText(), { timeout: 5_000 }).toContain(catalogue(file).venueLiqBinance.message);
    await popup.screenshot({ path: `${ARTIFACTS}language-${file}-popup-feeds.png`, fullPage: true });
    await popup.close();

    const options = await browser.context.newPage();
    await options.setViewportSize({ width: 1280, height: 800 });
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.locator('#sec-overlay').waitFor();
    expect(await options.locator('#sec-overlay').innerText()).toContain(layer);
    await options.screenshot({ path: `${ARTIFACTS}language-${file}-options.png` });
    await options.close();
  });
});

describe('the pseudo-locale (every message accented and twice as long)', () => {
  let browser: ExtensionBrowser;
  let build: ReturnType<typeof pseudoLocaleBuild>;
  beforeAll(async () => {
    build = pseudoLocaleBuild(EXTENSION_DIR);
    browser = await launchWithExtension({ extensionDir: build.dir });
  });
  afterAll(async () => {
    await browser?.close();
    build?.remove();
  });

  it('keeps the handle’s panel on the chart and every tab of the 360 px popup without sideways scrolling', async () => {
    const page = await chartWithPanel(browser);
    const panel = page.locator('liqlens-overlay .controls .panel');
    expect(await panel.innerText()).toContain('[Éšţíḿáţéð žőñéš Éšţíḿáţéð žőñéš]');
    const box = (await panel.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    // Long words wrap inside the panel instead of running out of it.
    expect(await panel.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}language-pseudo-overlay.png` });
    await page.close();

    const popup = await browser.openPopup();
    await popup.setViewportSize({ width: 360, height: 800 });
    await popup.waitForTimeout(1_000);
    // Every tab, by its id (its label is pseudo-text here).
    for (const [id] of POPUP_TABS) {
      await popup.locator(`#tab-${id}`).click();
      await popup.waitForTimeout(150);
      // What sticks out, named, so a failure says where to look.
      const wide = await popup.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('body *')]
          .filter((el) => el.getBoundingClientRect().right > 361)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)} px`)
          .slice(0, 5),
      );
      expect(await popup.evaluate(() => document.documentElement.scrollWidth), `${id}: ${wide.join('; ')}`).toBeLessThanOrEqual(360);
      await popup.screenshot({ path: `${ARTIFACTS}language-pseudo-popup-360-${id}.png`, fullPage: true });
    }
    await popup.close();
  });
});

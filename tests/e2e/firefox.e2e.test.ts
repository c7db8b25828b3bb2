/**
 * The built Firefox extension (.output/firefox-mv2) in real headless Firefox ESR, driven over
 * WebDriver BiDi (tests/harness/firefox.ts), against the same loopback fake Binance and fixture pages
 * as the Chromium runs: the background connects, a forced liquidation appears in the popup and on
 * the chart, and the overlay draws on every kind of fixture page (lightweight-charts, the Charting
 * Library widget in an iframe, the hostile page, the two-click calibrated plain page) at the chart's
 * own prices. Figures go to the `firefox` section of tests/e2e/artifacts/overlay-report.json.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { loopbackSettings } from '../harness/browser';
import { FakeBinanceServer } from '../harness/fake-binance';
import { FIREFOX_EXTENSION_DIR, launchFirefoxWithExtension, type FirefoxExtensionBrowser } from '../harness/firefox';
import { FixtureServer } from '../harness/fixture-server';
import { updateReport } from '../harness/overlay-report';
import { syntheticBinanceDialect } from '../harness/synthetic-binance';
import { popupTabs } from '../../lib/ui/popup-tabs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const PRICES = [96_150.5, 96_620, 97_010, 97_480.5, 97_890];

let binance: FakeBinanceServer;
let fixtures: FixtureServer;
let firefox: FirefoxExtensionBrowser;
const startedAt = Date.now();
let version = '';
/** Worst alignment error per page and situation, for the report. */
const errors: Record<string, Record<string, number>> = {};

interface Mark {
  price: number;
  y: number;
}

type ChartFixture = {
  chart: { chartElement(): HTMLElement; priceScale(id: string): { applyOptions(o: unknown): void } };
  series: { priceToCoordinate(p: number): number | null };
};

/** The overlay's marks (its canvas lists them in data-marks), read through its open shadow root. */
async function marks(page: Page): Promise<Mark[]> {
  return page.evaluate(() => {
    const canvas = document.querySelector('liqlens-overlay')?.shadowRoot?.querySelector('[data-testid=chart-overlay]');
    return JSON.parse(canvas?.getAttribute('data-marks') ?? '[]') as Mark[];
  });
}

/** Each mark next to where the page's own chart draws that price (viewport y). */
async function pageAlignment(page: Page) {
  const list = await marks(page);
  return page.evaluate((ms: Mark[]) => {
    const { chart, series } = (window as unknown as { fixtureChart: ChartFixture }).fixtureChart;
    const top = chart.chartElement().getBoundingClientRect().top;
    return ms.map((m) => ({ price: m.price, ours: m.y, chart: top + (series.priceToCoordinate(m.price) ?? NaN) }));
  }, list);
}

/** Same for the chart inside the Charting Library fixture's iframe, in top-level viewport px. */
async function frameAlignment(page: Page) {
  const list = await marks(page);
  return page.evaluate((ms: Mark[]) => {
    const { chart, series, frame } = (window as unknown as { fixtureFrame(): ChartFixture & { frame: HTMLIFrameElement } }).fixtureFrame();
    const fb = frame.getBoundingClientRect();
    const top = fb.top + frame.clientTop + chart.chartElement().getBoundingClientRect().top;
    return ms.map((m) => ({ price: m.price, ours: m.y, chart: top + (series.priceToCoordinate(m.price) ?? NaN) }));
  }, list);
}

/** The overlay's canvas over the chart, in its open shadow root. */
async function waitForOverlay(page: Page) {
  await page.waitForFunction(() => !!document.querySelector('liqlens-overlay')?.shadowRoot?.querySelector('[data-testid=chart-overlay]'), {
    timeout: 10_000,
  });
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function fireKnownLiquidations() {
  PRICES.forEach((price, i) => binance.forceOrder({ symbol: 'BTCUSDT', side: i % 2 ? 'BUY' : 'SELL', price, qty: 0.5 + i }));
}

async function waitForKnownMarks(page: Page) {
  await until(
    () => marks(page),
    (ms) => PRICES.every((p) => ms.some((m) => m.price === p)),
    'a mark at every known price',
  );
}

/** A fixture page, once its chart is `ready`, with the known liquidations drawn on it. */
async function openWithMarks(path: string, ready: () => boolean): Promise<Page> {
  const page = await firefox.openPage(fixtures.url(path));
  await page.waitForFunction(ready);
  fireKnownLiquidations();
  await waitForOverlay(page);
  await waitForKnownMarks(page);
  return page;
}

async function expectAligned(
  page: Page,
  how: (p: Page) => Promise<{ ours: number; chart: number }[]>,
  section: string,
  label: string,
  /** Marks that must be on screen: all five, unless a smaller window leaves some outside the range. */
  min = PRICES.length,
) {
  await new Promise((r) => setTimeout(r, 200)); // the bridge reports on the next frame, the overlay draws on the one after
  const rows = await how(page);
  expect(rows.length, `${label}: marks drawn`).toBeGreaterThanOrEqual(min);
  const worst = Math.max(...rows.map((r) => Math.abs(r.ours - r.chart)));
  expect(worst, `${label}: max alignment error (px)`).toBeLessThanOrEqual(0.05);
  (errors[section] ??= {})[label] = worst;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [binance, fixtures] = await Promise.all([FakeBinanceServer.start(syntheticBinanceDialect), FixtureServer.start()]);
  firefox = await launchFirefoxWithExtension();
  const connected = binance.waitForClient();
  await firefox.setSettings(loopbackSettings({ binance: { ws: binance.url, rest: binance.restUrl, symbols: ['BTCUSDT'] } }));
  await connected;
  binance.markPrice('BTCUSDT', 97_000);
  version = await firefox.browser.version();
  console.log(`firefox e2e: ${version}`);
});

afterAll(async () => {
  const pages = Object.fromEntries(
    Object.entries(errors).map(([page, errs]) => [page, { maxAlignErrorPx: Math.max(...Object.values(errs)), alignErrorsPx: errs }]),
  );
  if (Object.keys(pages).length) {
    updateReport('overlay-report.json', (report) => {
      report.firefox = {
        browser: version,
        pages,
        maxAlignErrorPx: Math.max(...Object.values(pages).map((p) => p.maxAlignErrorPx)),
        runSeconds: Math.round((Date.now() - startedAt) / 1000),
        writtenAt: new Date().toISOString(),
      };
    });
  }
  await firefox?.close();
  await Promise.all([binance?.close(), fixtures?.close()]);
});

describe('Firefox: the built manifest', () => {
  it('asks for the Firefox version that has what the build uses', () => {
    const manifest = JSON.parse(readFileSync(`${FIREFOX_EXTENSION_DIR}manifest.json`, 'utf8')) as {
      content_scripts: { world?: string }[];
      browser_specific_settings: { gecko: { strict_min_version: string; data_collection_permissions?: unknown } };
    };
    const min = Number.parseFloat(manifest.browser_specific_settings.gecko.strict_min_version);
    // world: MAIN content scripts arrived in Firefox 128, data_collection_permissions in 140.
    if (manifest.content_scripts.some((c) => c.world === 'MAIN')) expect(min).toBeGreaterThanOrEqual(128);
    if (manifest.browser_specific_settings.gecko.data_collection_permissions) expect(min).toBeGreaterThanOrEqual(140);
  });
});

describe('Firefox: the background and the popup', () => {
  it('connects to the venue and shows a forced liquidation as a popup row, with its side and USD', async () => {
    const popup = await firefox.openExtensionPage('popup.html?view=realized');
    binance.forceOrder({ symbol: 'BTCUSDT', side: 'SELL', price: 96_777, qty: 2 });
    const row = await until(
      () => popup.evaluate(() => [...document.querySelectorAll('[data-testid=liq-row]')].map((r) => (r as HTMLElement).innerText)),
      (rows) => rows.some((r) => r.includes('96,777')),
      'the liquidation row in the popup',
    );
    expect(row.find((r) => r.includes('96,777'))).toMatch(/Long liq\.[\s\S]*\$193\.6K/);
    // The totals above the rows count it too, and no failure is left from before the test's settings.
    await until(
      () => popup.evaluate(() => (document.querySelector('[data-testid=realized-totals]') as HTMLElement | null)?.innerText ?? ''),
      (t) => /Longs \$193\.6K/.test(t),
      'the realized totals',
      5_000,
    );
    expect(await popup.evaluate(() => document.body.innerText)).not.toMatch(/History could not be loaded/);
    await popup.screenshot({ path: `${ARTIFACTS}firefox-popup.png`, fullPage: true });
    await popup.close();
  });
});

describe('Firefox: the popup and options layout', () => {
  /** The theme setting as a trader's change lands in storage (every page watches it). */
  const setTheme = async (theme: 'dark' | 'light') => {
    const stored = await firefox.storedSettings();
    await firefox.setSettings({ ...stored, appearance: { ...(stored.appearance as object), theme } });
  };
  const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('reflows every popup tab at 360, 560 and 800 px and Options at 800 and 1280 px, dark and light (screenshots)', async () => {
    const popup = await firefox.openExtensionPage('popup.html');
    const options = await firefox.openExtensionPage('options.html', { width: 1280, height: 800 });
    for (const theme of ['dark', 'light'] as const) {
      await setTheme(theme);
      await until(
        () => popup.evaluate(() => document.documentElement.dataset.theme),
        (t) => t === theme,
        `the popup's ${theme} theme`,
      );
      // The page measured is the tab in front: a background tab's layout (and its resize observers) waits.
      await popup.bringToFront();
      for (const width of [360, 560, 800]) {
        await popup.setViewport({ width, height: 900 });
        // The new viewport reaches the page's layout a moment later under BiDi.
        await until(
          () => popup.evaluate(() => innerWidth),
          (w) => w === width,
          `the popup at ${width} px`,
          5_000,
        );
        for (const [id, label] of popupTabs()) {
          await popup.evaluate((name) => {
            [...document.querySelectorAll<HTMLElement>('[role=tab]')].find((t) => t.textContent?.trim() === name)?.click();
          }, label);
          await until(
            () => popup.evaluate((name) => document.querySelector('[role=tab][aria-selected=true]')?.textContent?.trim() === name, label),
            (shown) => shown,
            `the ${label} tab`,
            5_000,
          );
          // Nothing wider than the window on any tab: no sideways scrolling (Firefox's own controls
          // included), once the heatmap has followed the new width (a resize observer, a frame later).
          await until(
            () => scrollWidth(popup),
            (w) => w <= width,
            `${label} at ${width} px (${theme}) without sideways scrolling`,
            3_000,
          );
          await popup.screenshot({ path: `${ARTIFACTS}firefox-popup-${theme}-${width}-${id}.png`, fullPage: true });
        }
        // From the popup's own width up, the tab bar is one row (Firefox's wider system font included).
        const tabRows = await popup.evaluate(
          () => new Set([...document.querySelectorAll('[role=tab]')].map((t) => Math.round(t.getBoundingClientRect().top))).size,
        );
        if (width >= 560) expect(tabRows, `tab rows at ${width} px`).toBe(1);
      }
      await until(
        () => options.evaluate(() => document.documentElement.dataset.theme),
        (t) => t === theme,
        `options' ${theme} theme`,
      );
      await options.bringToFront();
      for (const width of [800, 1280]) {
        await options.setViewport({ width, height: 800 });
        await until(
          () => options.evaluate(() => innerWidth),
          (w) => w === width,
          `options at ${width} px`,
          5_000,
        );
        await until(
          () => scrollWidth(options),
          (w) => w <= width,
          `options at ${width} px (${theme}) without sideways scrolling`,
          3_000,
        );
        await options.screenshot({ path: `${ARTIFACTS}firefox-options-${theme}-${width}.png`, fullPage: true });
      }
    }
    await setTheme('dark');
    await Promise.all([popup.close(), options.close()]);
  });
});

describe('Firefox: the overlay on chart pages', () => {
  it('draws on a lightweight-charts page at the chart’s own prices, on linear and log scales', async () => {
    const page = await openWithMarks('/chart.html?price=97000&symbol=BTCUSDT', () => 'fixtureChart' in window);
    const section = 'lightweight-charts page (chart.html)';
    await expectAligned(page, pageAlignment, section, 'linear');
    await page.screenshot({ path: `${ARTIFACTS}firefox-overlay-chart.png` });
    await page.evaluate(() =>
      (window as unknown as { fixtureChart: ChartFixture }).fixtureChart.chart.priceScale('right').applyOptions({ mode: 1 }),
    );
    await expectAligned(page, pageAlignment, section, 'log');
    await page.setViewport({ width: 900, height: 560 });
    await expectAligned(page, pageAlignment, section, 'resize', 1);
    await page.close();
  });

  it('draws on the Charting Library widget in an iframe, found by its API shape', async () => {
    const page = await openWithMarks(
      '/tv.html?price=97000&symbol=BINANCE:BTCUSDT.P',
      () => (window as unknown as { fixtureReady?: boolean }).fixtureReady === true,
    );
    await expectAligned(page, frameAlignment, 'Charting Library widget in an iframe (tv.html)', 'linear');
    await page.screenshot({ path: `${ARTIFACTS}firefox-overlay-tv.png` });
    await page.close();
  });

  it('on a hostile page, follows the real chart only: its own hello, fake reports and a flood change nothing', async () => {
    const page = await openWithMarks('/hostile.html?price=97000&symbol=BTCUSDT', () => 'fixtureChart' in window);
    const section = 'hostile page with a real chart (hostile.html)';
    await expectAligned(page, pageAlignment, section, 'hostile page');
    expect(await page.evaluate(() => (window as unknown as { hostile: { stolenPorts: number } }).hostile.stolenPorts)).toBeGreaterThan(0);
    const [box, chartBox] = await Promise.all([
      page.evaluate(() => {
        const r = document
          .querySelector('liqlens-overlay')!
          .shadowRoot!.querySelector('[data-testid=chart-overlay]')!
          .getBoundingClientRect();
        return { x: r.left, y: r.top };
      }),
      page.evaluate(() => {
        const r = (window as unknown as { fixtureChart: ChartFixture }).fixtureChart.chart.chartElement().getBoundingClientRect();
        return { x: r.left, y: r.top };
      }),
    ]);
    expect(Math.abs(box.x - chartBox.x)).toBeLessThanOrEqual(1); // not the fake pane at (5, 5)
    expect(Math.abs(box.y - chartBox.y)).toBeLessThanOrEqual(1);
    await page.evaluate(() => (window as unknown as { hostileFlood(n: number): void }).hostileFlood(20_000));
    await expectAligned(page, pageAlignment, section, 'after a flood of 20 000 spoofed reports');
    // The page gets no extension API.
    expect(await page.evaluate(() => typeof (window as unknown as { browser?: { runtime?: unknown } }).browser?.runtime)).toBe('undefined');
    await page.close();
  });

  it('on a page without a readable chart, is calibrated with two clicks and draws on that scale', async () => {
    const page = await firefox.openPage(fixtures.url('/plain.html?symbol=BTCUSDT'));
    await page.locator('liqlens-overlay >>> [data-testid=ladder]').setTimeout(10_000).wait();
    await page.locator('liqlens-overlay >>> .ladder .calibrate').click();
    await page.locator('liqlens-overlay >>> [data-testid=calibrator]').wait();
    await page.mouse.click(900, 200);
    await page.locator('liqlens-overlay >>> .price-input input').fill('98,000');
    await page.keyboard.press('Enter');
    await page.mouse.click(900, 400);
    await page.locator('liqlens-overlay >>> .price-input input').fill('96000');
    await page.keyboard.press('Enter');
    await waitForOverlay(page);
    fireKnownLiquidations();
    await waitForKnownMarks(page);
    // 98 000 at y 200 and 96 000 at y 400: each price sits at 200 + (98 000 − p) / 10.
    const list = await marks(page);
    const section = 'plain page, two-click calibration (plain.html)';
    for (const p of PRICES) {
      const m = list.find((x) => x.price === p);
      expect(m, `mark at ${p}`).toBeDefined();
      const error = Math.abs(m!.y - (200 + (98_000 - p) / 10));
      expect(error).toBeLessThanOrEqual(0.05);
      (errors[section] ??= {}).calibrated = Math.max(errors[section]?.calibrated ?? 0, error);
    }
    const overlay = (await firefox.storedSettings()).overlay as { calibrations: Record<string, { price1: number; price2: number }> };
    expect(Object.values(overlay.calibrations)).toEqual([expect.objectContaining({ price1: 98_000, price2: 96_000 })]);
    await page.screenshot({ path: `${ARTIFACTS}firefox-overlay-calibrated.png` });
    await page.close();
  });
});

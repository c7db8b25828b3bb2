/**
 * The overlay on every kind of fixture page, in real headless Chromium with the built extension:
 * - a page with a TradingView Charting Library widget (its documented API shape, backed by a real
 *   lightweight-charts chart in a same-origin iframe), found by API shape or by the library's own hook;
 * - a hostile page that attacks the bridge while showing a real chart;
 * - a plain page, where the docked ladder is calibrated with two clicks;
 * plus symbol follow, the heatmap behind the candles, the controls handle, zone hover details and
 * the popup's per-site switch. Screenshots of each page go to tests/e2e/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EXTENSION_DIR, launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { FakeBinanceServer } from '../harness/fake-binance';
import { FixtureServer } from '../harness/fixture-server';
import { DEMO_SYMBOLS, startSyntheticMarket, syntheticBinanceDialect } from '../harness/synthetic-binance';
import { measurePanZoom, mergeOverlayReport, waitForHeatmap } from '../harness/overlay-report';
import { unnamedControls } from '../harness/a11y';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const PRICES = [96_150.5, 96_620, 97_010, 97_480.5, 97_890];
const OVERLAY = 'liqlens-overlay [data-testid=chart-overlay]';
const HOSTILE = 'hostile page with a real chart (hostile.html)';
const CALIBRATED = 'plain page, two-click calibration (plain.html)';
/** Draw times during the timed pan and zoom, per page. */
const timings: Record<string, Record<string, number>> = {};

let binance: FakeBinanceServer;
let fixtures: FixtureServer;
let browser: ExtensionBrowser;
let stopMarket: () => void;

interface Mark {
  price: number;
  y: number;
}

type FrameFixture = {
  chart: {
    chartElement(): HTMLElement;
    timeScale(): Record<string, (...a: unknown[]) => unknown>;
    priceScale(id: string): { applyOptions(o: unknown): void };
  };
  series: { priceToCoordinate(p: number): number | null; coordinateToPrice(y: number): number | null };
  frame: HTMLIFrameElement;
};

async function marks(page: Page): Promise<Mark[]> {
  const overlay = page.locator(OVERLAY);
  if (!(await overlay.count())) return [];
  return JSON.parse((await overlay.getAttribute('data-marks')) ?? '[]');
}

/** Each mark's y next to where the chart in the iframe draws that price, in top-level viewport px. */
async function frameAlignment(page: Page) {
  const list = await marks(page);
  return page.evaluate((ms) => {
    const { chart, series, frame } = (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame();
    const fb = frame.getBoundingClientRect();
    const top = fb.top + frame.clientTop + chart.chartElement().getBoundingClientRect().top;
    return ms.map((m) => ({ price: m.price, ours: m.y, chart: top + (series.priceToCoordinate(m.price) ?? NaN) }));
  }, list);
}

/** Same for a chart on the page itself (lightweight-charts fixture and the hostile page). */
async function pageAlignment(page: Page) {
  const list = await marks(page);
  return page.evaluate((ms) => {
    const { chart, series } = (window as unknown as { fixtureChart: Omit<FrameFixture, 'frame'> }).fixtureChart;
    const top = chart.chartElement().getBoundingClientRect().top;
    return ms.map((m) => ({ price: m.price, ours: m.y, chart: top + (series.priceToCoordinate(m.price) ?? NaN) }));
  }, list);
}

/** Worst alignment error per page and situation, for tests/e2e/artifacts/overlay-report.json. */
const errors: Record<string, Record<string, number>> = {};

async function expectAligned(
  page: Page,
  how: (p: Page) => Promise<{ ours: number; chart: number }[]>,
  label: string,
  min = 1,
  section = 'Charting Library widget in an iframe (tv.html)',
) {
  // A change the library announces is drawn within a frame or two; one it does not (the Charting
  // Library has no event for a scale-mode or inversion change made through its API) within the
  // bridge's 250 ms timer. So: aligned within half a second, or the assertion below says by how much.
  let rows = await how(page);
  const worstOf = (rs: { ours: number; chart: number }[]) => Math.max(...rs.map((r) => Math.abs(r.ours - r.chart)));
  for (let waited = 0; waited < 500 && !(rows.length >= min && worstOf(rows) <= 0.05); waited += 50) {
    await page.waitForTimeout(50);
    rows = await how(page);
  }
  expect(rows.length, `${label}: marks drawn`).toBeGreaterThanOrEqual(min);
  const worst = worstOf(rows);
  expect(worst, `${label}: max alignment error (px)`).toBeLessThanOrEqual(1);
  (errors[section] ??= {})[label] = worst;
  return worst;
}

/** Until a mark is drawn at every one of the known prices (the synthetic market adds its own). */
async function waitForKnownMarks(page: Page) {
  for (let i = 0; i < 100; i++) {
    const drawn = new Set((await marks(page)).map((m) => m.price));
    if (PRICES.every((p) => drawn.has(p))) return;
    await page.waitForTimeout(100);
  }
}

function fireKnownLiquidations() {
  PRICES.forEach((price, i) => binance.forceOrder({ symbol: 'BTCUSDT', side: i % 2 ? 'BUY' : 'SELL', price, qty: 0.5 + i }));
}

async function openControls(page: Page) {
  const handle = page.locator('liqlens-overlay .controls .handle');
  if ((await handle.getAttribute('aria-expanded')) !== 'true') await handle.click();
}

async function storedOverlay(): Promise<Record<string, unknown>> {
  const sw = await browser.serviceWorker();
  return sw.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome;
    return ((await c.storage.local.get('settings')).settings as { overlay: Record<string, unknown> }).overlay;
  });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [binance, fixtures] = await Promise.all([FakeBinanceServer.start(syntheticBinanceDialect), FixtureServer.start()]);
  stopMarket = startSyntheticMarket(binance);
  browser = await launchWithExtension();
  const connected = binance.waitForClient();
  await browser.setSettings(
    loopbackSettings({ binance: { ws: binance.url, rest: binance.restUrl, symbols: DEMO_SYMBOLS.map((s) => s.symbol) } }),
  );
  await connected;
});

afterAll(async () => {
  for (const [page, errs] of Object.entries(errors)) {
    mergeOverlayReport(page, { maxAlignErrorPx: Math.max(...Object.values(errs)), alignErrorsPx: errs, ...timings[page] });
  }
  stopMarket?.();
  await browser?.close();
  await Promise.all([binance?.close(), fixtures?.close()]);
});

describe('a Charting Library widget in a same-origin iframe', () => {
  let page: Page;

  beforeAll(async () => {
    page = await browser.context.newPage();
    // The widget sits on window under a random name: only discovery by API shape finds it.
    await page.goto(fixtures.url('/tv.html?price=97000&symbol=BINANCE:BTCUSDT.P'));
    await page.waitForFunction(() => (window as unknown as { fixtureReady?: boolean }).fixtureReady === true);
    fireKnownLiquidations();
    await page.locator(OVERLAY).waitFor({ timeout: 10_000 });
    await waitForKnownMarks(page);
  });
  afterAll(() => page.close());

  it('finds the chart by its API shape and draws on its pane, through the iframe, at the chart’s own prices', async () => {
    await expectAligned(page, frameAlignment, 'charting library, linear', PRICES.length);
    const [canvas, pane] = await Promise.all([
      page.locator(OVERLAY).boundingBox(),
      page.evaluate(() => {
        const { chart, frame } = (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame();
        const fb = frame.getBoundingClientRect();
        const cb = chart.chartElement().querySelector('canvas')!.getBoundingClientRect();
        return { x: fb.left + frame.clientLeft + cb.left, y: fb.top + frame.clientTop + cb.top, width: cb.width, height: cb.height };
      }),
    ]);
    expect(Math.abs(canvas!.x - pane.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(canvas!.y - pane.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(canvas!.height - pane.height)).toBeLessThanOrEqual(1);
  });

  it('maps the library’s range as it does: `to` at the top pixel row, `from` at the bottom one (H − 1), within 0.05 px', async () => {
    const worst = await expectAligned(page, frameAlignment, 'H − 1 convention', PRICES.length, 'Charting Library: H − 1 mapping');
    expect(worst).toBeLessThanOrEqual(0.05);
  });

  it('stays exact on an inverted scale, and on percentage and indexed-to-100 scales', async () => {
    const scale = (options: Record<string, unknown>) =>
      page.evaluate((o) => {
        (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame().chart.priceScale('right').applyOptions(o);
      }, options);
    await scale({ invertScale: true });
    // Lowest price at the top now: every mark must still sit on its price.
    await expect.poll(async () => (await frameAlignment(page)).length).toBeGreaterThanOrEqual(PRICES.length);
    const inverted = await expectAligned(page, frameAlignment, 'inverted', PRICES.length, 'Charting Library: inverted scale');
    expect(inverted).toBeLessThanOrEqual(0.05);
    const byPrice = [...(await marks(page))].sort((a, b) => a.price - b.price);
    expect(byPrice[0].y).toBeLessThan(byPrice[byPrice.length - 1].y);
    await scale({ invertScale: false, mode: 2 });
    const percentage = await expectAligned(page, frameAlignment, 'percentage', PRICES.length, 'Charting Library: percentage scale');
    expect(percentage).toBeLessThanOrEqual(0.05);
    // After a time zoom the percentage base moves; the marks follow the prices the library reports.
    await page.evaluate(() => {
      (window as unknown as { fixtureFrame(): FrameFixture })
        .fixtureFrame()
        .chart.timeScale()
        .setVisibleLogicalRange({ from: 150, to: 239 });
    });
    const zoomed = await expectAligned(page, frameAlignment, 'percentage, zoomed', PRICES.length, 'Charting Library: percentage scale');
    expect(zoomed).toBeLessThanOrEqual(0.05);
    await scale({ mode: 3 });
    const indexed = await expectAligned(page, frameAlignment, 'indexed to 100', PRICES.length, 'Charting Library: indexed-to-100 scale');
    expect(indexed).toBeLessThanOrEqual(0.05);
    await scale({ mode: 0 });
    await page.evaluate(() => (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame().chart.timeScale().fitContent());
  });

  it('hides when the chart is hidden (an exchange’s Depth tab) and comes back with it', async () => {
    await page.evaluate(() => (window as unknown as { fixtureHideChart(h: boolean): void }).fixtureHideChart(true));
    // Nothing of LiqLens over the empty page: no canvas, no labels, no docked ladder.
    await expect.poll(() => page.locator('liqlens-overlay [data-testid=chart-overlay]').count()).toBe(0);
    expect(await page.locator('liqlens-overlay [data-testid=zone-label]').count()).toBe(0);
    expect(await page.locator('liqlens-overlay [data-testid=ladder]').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}overlay-chart-hidden.png` });
    await page.evaluate(() => (window as unknown as { fixtureHideChart(h: boolean): void }).fixtureHideChart(false));
    await page.locator(OVERLAY).waitFor({ timeout: 5_000 });
    const back = await expectAligned(page, frameAlignment, 'shown again', PRICES.length, 'Charting Library: hidden and shown again');
    expect(back).toBeLessThanOrEqual(0.05);
  });

  it('stays aligned after zoom, pan, a log scale and a resize', async () => {
    await page.evaluate(() => {
      (window as unknown as { fixtureFrame(): FrameFixture })
        .fixtureFrame()
        .chart.timeScale()
        .setVisibleLogicalRange({ from: 120, to: 239 });
    });
    await expectAligned(page, frameAlignment, 'zoom');
    await page.evaluate(() => {
      (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame().chart.timeScale().scrollToPosition(-30, false);
    });
    await expectAligned(page, frameAlignment, 'pan');
    await page.evaluate(() => {
      (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame().chart.priceScale('right').applyOptions({ mode: 1 });
    });
    await expectAligned(page, frameAlignment, 'log');
    await page.setViewportSize({ width: 1000, height: 600 });
    await expectAligned(page, frameAlignment, 'resize');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.evaluate(() => {
      const f = (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame();
      f.chart.priceScale('right').applyOptions({ mode: 0 });
      f.chart.timeScale().fitContent();
    });
  });

  it('redraws through 5 s of scripted pan and zoom through the iframe and stays aligned (draw times go to the report)', async () => {
    await waitForHeatmap(page);
    const figures = await measurePanZoom(page, OVERLAY, (i) =>
      page.evaluate((i) => {
        const width = 60 + (i % 40) * 3;
        (window as unknown as { fixtureFrame(): FrameFixture })
          .fixtureFrame()
          .chart.timeScale()
          .setVisibleLogicalRange({ from: 239 - width - (i % 30), to: 239 - (i % 30) });
      }, i),
    );
    timings['Charting Library widget in an iframe (tv.html)'] = { ...figures };
    await expectAligned(page, frameAlignment, 'after 5 s of pan and zoom');
    // Draw times and long frames are figures in overlay-report.json, not assertions.
    expect(figures.draws).toBeGreaterThan(20);
    await page.evaluate(() => (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame().chart.timeScale().fitContent());
  });

  it('paints the time × price heatmap behind the candles, and the handle turns layers off and on', async () => {
    // Backfilled history (the fake Binance serves a day of klines and open interest) gives the heatmap columns.
    await page.waitForFunction(
      (sel) =>
        Number(
          document.querySelector('liqlens-overlay')?.shadowRoot?.querySelector(sel.split(' ')[1])?.getAttribute('data-heatmap-columns'),
        ) > 0,
      OVERLAY,
      { timeout: 20_000 },
    );
    const painted = () =>
      page.locator(OVERLAY).evaluate((c: HTMLCanvasElement) => {
        // Left half of the pane: past minutes, where only the heatmap (and bands) can be.
        const data = c.getContext('2d')!.getImageData(0, 0, Math.floor(c.width / 2), c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n / (data.length / 4);
      });
    // The first columns arrive before the backfill has filled them all: wait for the painted heatmap,
    // not only for its first column (measured at once, a busy run once saw 3.9 % painted).
    // The figure is the reading that passed: measured again, a refresh landing meanwhile with a higher
    // top colour (backfill still adding USD) could leave fewer cells above transparent.
    let withHeatmap = 0;
    await expect.poll(async () => (withHeatmap = await painted()), { timeout: 20_000 }).toBeGreaterThan(0.05);
    await page.screenshot({ path: `${ARTIFACTS}overlay-charting-library.png` });
    await openControls(page);
    // The handle says what each mark means.
    await expect
      .poll(() => page.locator('liqlens-overlay [data-testid=overlay-legend]').innerText())
      .toMatch(/Estimated liquidation levels[\s\S]*Estimated zone[\s\S]*longs \/ shorts liquidated \(area: USD\)[\s\S]*Swept/);
    await page.locator('liqlens-overlay .controls label', { hasText: 'Heatmap' }).locator('input').uncheck();
    await page.waitForFunction(
      (sel) =>
        document.querySelector('liqlens-overlay')?.shadowRoot?.querySelector(sel.split(' ')[1])?.getAttribute('data-heatmap-columns') ===
        '0',
      OVERLAY,
    );
    await page.waitForTimeout(100);
    const without = await painted();
    expect(withHeatmap).toBeGreaterThan(0.05);
    expect(without).toBeLessThan(withHeatmap);
    expect((await storedOverlay()).layers).toMatchObject({ heatmap: false });

    await page.locator('liqlens-overlay .controls label', { hasText: 'Realized' }).locator('input').uncheck();
    await page.waitForTimeout(200);
    expect(await marks(page)).toHaveLength(0);
    await page.locator('liqlens-overlay .controls label', { hasText: 'Realized' }).locator('input').check();
    await page.locator('liqlens-overlay .controls label', { hasText: 'Heatmap' }).locator('input').check();
    fireKnownLiquidations();
    await waitForKnownMarks(page);
    expect((await marks(page)).length).toBeGreaterThanOrEqual(PRICES.length);
    await page.locator('liqlens-overlay .controls input[aria-label=Opacity]').fill('0.5');
    await expect.poll(async () => (await storedOverlay()).opacity).toBe(0.5);
  });

  it('shows a zone’s USD, long/short split, leverage mix, venues and distance on hover', async () => {
    const label = page.locator('liqlens-overlay [data-testid=zone-label]').first();
    await label.waitFor({ timeout: 20_000 });
    await label.hover();
    const card = page.locator('liqlens-overlay [data-testid=zone-card]');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toMatch(/Estimated \$[\d.]+[KMB]?/);
    expect(text).toMatch(/Longs \$.* · Shorts \$/);
    expect(text).toMatch(/Leverage: .*×/);
    expect(text).toMatch(/Venues: Binance USD-M/);
    expect(text).toMatch(/% from price/);
    await page.screenshot({ path: `${ARTIFACTS}overlay-zone-hover.png` });
  });

  it('points at a zone off screen with an arrow, and a click scrolls the chart there (setVisiblePriceRange)', async () => {
    // Zoomed in around the price (the page's own call): the zones fall beyond both edges.
    const visible = () =>
      page.evaluate(() => {
        const { chart, series } = (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame();
        const h = (chart as unknown as { paneSize(i: number): { height: number } }).paneSize(0).height;
        return { from: series.coordinateToPrice(h - 1)!, to: series.coordinateToPrice(0)! };
      });
    const setRange = (range: { from: number; to: number } | null) =>
      page.evaluate((r) => {
        const { chart } = (window as unknown as { fixtureFrame(): FrameFixture }).fixtureFrame();
        const scale = chart.priceScale('right') as unknown as { setVisibleRange(r: object): void; setAutoScale(on: boolean): void };
        if (r) scale.setVisibleRange(r);
        else scale.setAutoScale(true);
      }, range);
    const before = await visible();
    const mid = (before.from + before.to) / 2;
    await setRange({ from: mid - 60, to: mid + 60 });
    const zoomed = await visible();
    const arrow = page.locator('liqlens-overlay [data-testid=zone-label][data-clickable][data-edge=above]');
    await arrow.waitFor({ timeout: 10_000 });
    const label = (await arrow.getAttribute('aria-label'))!;
    expect(label).toMatch(/above the visible prices: show it/);
    const zonePrice = Number(/ at ([\d,.]+),/.exec(label)![1].replace(/,/g, ''));
    expect(zonePrice).toBeGreaterThan(zoomed.to);
    await page.screenshot({ path: `${ARTIFACTS}overlay-zone-arrow.png` });
    await arrow.click();
    // The chart now shows the zone, and its lower edge stays where the trader had it (within a pixel).
    await expect.poll(async () => (await visible()).to, { timeout: 5_000 }).toBeGreaterThan(zonePrice);
    const shown = await visible();
    const pricePerPx = (shown.to - shown.from) / (await page.locator(OVERLAY).boundingBox())!.height;
    expect(Math.abs(shown.from - zoomed.from)).toBeLessThanOrEqual(pricePerPx);
    // Its label is now at its own price, not at the edge (a larger zone further up may take the edge).
    await expect
      .poll(() =>
        page.evaluate(
          (price) =>
            [...(document.querySelector('liqlens-overlay')?.shadowRoot?.querySelectorAll('[data-testid=zone-label]') ?? [])]
              .filter((l) => l.getAttribute('aria-label')?.includes(` at ${price}`))
              .map((l) => l.getAttribute('data-edge') ?? 'on screen'),
          label.match(/ at ([\d,.]+),/)![1],
        ),
      )
      .toEqual(['on screen']);
    await page.screenshot({ path: `${ARTIFACTS}overlay-zone-arrow-shown.png` });
    await setRange(null);
  });

  it('names every control it puts on the page for a screen reader: handle, panel, zone labels', async () => {
    await openControls(page);
    await page.locator('liqlens-overlay [data-testid=zone-label]').first().waitFor();
    expect(await unnamedControls(page, 'liqlens-overlay')).toEqual([]);
  });

  it('follows the chart’s symbol: another coin on the chart, that coin’s levels', async () => {
    await openControls(page);
    await expect.poll(() => page.locator('liqlens-overlay [data-testid=overlay-following]').innerText()).toContain('BTC');
    await page.evaluate(() => {
      const w = window as unknown as Record<string, { activeChart(): { setSymbol(s: string): void } }>;
      const key = Object.keys(w).find((k) => k.startsWith('__chartWidget_'))!;
      w[key].activeChart().setSymbol('BINANCE:ETHUSDT.P');
    });
    await expect.poll(() => page.locator('liqlens-overlay [data-testid=overlay-following]').innerText()).toContain('ETH');
    // The chart still shows BTC prices; ETH levels (~3 400) are off its scale: no BTC mark remains.
    await page.waitForTimeout(300);
    expect((await marks(page)).filter((m) => m.price > 50_000)).toHaveLength(0);
    await page.evaluate(() => {
      const w = window as unknown as Record<string, { activeChart(): { setSymbol(s: string): void } }>;
      w[Object.keys(w).find((k) => k.startsWith('__chartWidget_'))!].activeChart().setSymbol('BINANCE:DOGEUSDT.P');
    });
    // DOGE is streamed by no setting: it is followed for this page, and nothing of BTC's remains.
    await expect.poll(() => page.locator('liqlens-overlay [data-testid=overlay-following]').innerText()).toContain('DOGE');
    expect(await marks(page)).toHaveLength(0);
  });

  it('also finds the widget where the library keeps it inside its iframe (tradingViewApi)', async () => {
    const p = await browser.context.newPage();
    await p.goto(fixtures.url('/tv.html?price=97000&expose=frame'));
    await p.locator(OVERLAY).waitFor({ timeout: 10_000 });
    await waitForKnownMarks(p);
    await expectAligned(p, frameAlignment, 'frame hook', PRICES.length);
    await p.close();
  });
});

describe('a single-page app', () => {
  it('follows a symbol change in the URL without a reload (wxt:locationchange)', async () => {
    const p = await browser.context.newPage();
    await p.goto(fixtures.url('/chart.html?symbol=BTCUSDT'));
    await p.locator(OVERLAY).waitFor({ timeout: 10_000 });
    await openControls(p);
    const following = p.locator('liqlens-overlay [data-testid=overlay-following]');
    await expect.poll(() => following.innerText()).toContain('BTC');
    // The page's router moves to another market: same document, new URL.
    await p.evaluate(() => history.pushState({}, '', '/chart.html?symbol=ETHUSDT'));
    await expect.poll(() => following.innerText(), { timeout: 10_000 }).toContain('ETH');
    await p.evaluate(() => history.pushState({}, '', '/chart.html?symbol=DOGEUSDT'));
    await expect.poll(() => following.innerText(), { timeout: 10_000 }).toContain('DOGE');
    // Back to a followed coin: one overlay, still mounted once.
    await p.evaluate(() => history.back());
    await expect.poll(() => following.innerText(), { timeout: 10_000 }).toContain('ETH');
    expect(await p.locator('liqlens-overlay').count()).toBe(1);
    await p.close();
  });
});

describe('the overlay handle', () => {
  /** A lightweight-charts page with the handle drawn, and where it starts. */
  const chartWithHandle = async () => {
    const p = await browser.context.newPage();
    await p.goto(fixtures.url('/chart.html?price=97000&symbol=BTCUSDT'));
    const handle = p.locator('liqlens-overlay .controls .handle');
    await handle.waitFor({ timeout: 15_000 });
    return { p, handle, before: (await handle.boundingBox())! };
  };

  it('is dragged off whatever it covers, stays there on the next page of the site, and a double-click puts it back', async () => {
    const { p, handle, before } = await chartWithHandle();
    const chartBox = await p.evaluate(() => {
      const r = (window as unknown as { fixtureChart: Omit<FrameFixture, 'frame'> }).fixtureChart.chart
        .chartElement()
        .getBoundingClientRect();
      return { x: r.left, width: r.width };
    });
    // Starts at the middle of the pane's top edge (off TradingView's legend at the top-left).
    expect(Math.abs(before.x + before.width / 2 - (chartBox.x + chartBox.width / 2))).toBeLessThan(60);
    await p.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
    await p.mouse.down();
    await p.mouse.move(before.x + before.width / 2 + 150, before.y + before.height / 2 + 80, { steps: 8 });
    await p.mouse.up();
    const after = (await handle.boundingBox())!;
    expect(after.x - before.x).toBeCloseTo(150, -1);
    expect(after.y - before.y).toBeCloseTo(80, -1);
    expect(await handle.getAttribute('aria-expanded')).toBe('false'); // a drag opens nothing
    const host = new URL(fixtures.url('/')).host;
    await expect.poll(async () => Object.keys(((await storedOverlay()).handlePositions as object) ?? {})).toEqual([host]);
    // The next page of the site starts there.
    await p.reload();
    await handle.waitFor({ timeout: 15_000 });
    await expect.poll(async () => Math.round((await handle.boundingBox())!.y)).toBe(Math.round(after.y));
    // A double-click: back to the top edge, and nothing kept for the site.
    await handle.dblclick();
    await expect.poll(async () => Math.round((await handle.boundingBox())!.y)).toBe(Math.round(before.y));
    await expect.poll(async () => (await storedOverlay()).handlePositions).toEqual({});
    await p.close();
  });

  it('moves by arrow keys that never reach the page’s shortcuts, and Home puts it back', async () => {
    const { p, handle, before } = await chartWithHandle();
    // What the page's own shortcuts see (TradingView pans and steps bars on arrow keys).
    await p.evaluate(() => {
      const w = window as unknown as { arrowsSeen: number };
      w.arrowsSeen = 0;
      document.addEventListener('keydown', (e) => void (e.key.startsWith('Arrow') && w.arrowsSeen++));
    });
    await handle.focus();
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Shift+ArrowRight');
    // 16 px down, 64 px right (Shift: four steps), within the pixel the kept shares round to.
    await expect.poll(async () => Math.abs((await handle.boundingBox())!.y - before.y - 16)).toBeLessThanOrEqual(1);
    expect(Math.abs((await handle.boundingBox())!.x - before.x - 64)).toBeLessThanOrEqual(1);
    expect(await p.evaluate(() => (window as unknown as { arrowsSeen: number }).arrowsSeen)).toBe(0);
    await expect.poll(async () => Object.keys(((await storedOverlay()).handlePositions as object) ?? {}).length).toBe(1);
    await p.keyboard.press('Home');
    await expect.poll(async () => Math.round((await handle.boundingBox())!.y)).toBe(Math.round(before.y));
    await expect.poll(async () => (await storedOverlay()).handlePositions).toEqual({});
    await p.close();
  });
});

describe('a page that names no symbol', () => {
  it('draws the one streamed coin trading at its chart’s price, says so in the handle, and offers the others', async () => {
    // (First: the next test remembers a choice for this host, which would then win over the match.)
    const p = await browser.context.newPage();
    await p.goto(fixtures.url('/chart.html?price=97000')); // BTC streams near 97 000, ETH near 3 400
    await p.waitForFunction(() => 'fixtureChart' in window);
    fireKnownLiquidations();
    const handle = p.locator('liqlens-overlay .controls .handle');
    await expect.poll(() => handle.innerText(), { timeout: 15_000 }).toContain('BTC, matched by price');
    await waitForKnownMarks(p);
    expect((await marks(p)).map((m) => m.price)).toEqual(expect.arrayContaining(PRICES)); // no click needed
    expect(await handle.getAttribute('aria-expanded')).toBe('false'); // nothing to do: the chart stays clear
    await openControls(p);
    const following = p.locator('liqlens-overlay [data-testid=overlay-following]');
    expect(await following.innerText()).toMatch(/BTC .*matched by price/);
    // What a heatmap colour is worth: the ramp with USD under it.
    await expect
      .poll(() => p.locator('liqlens-overlay [data-testid=overlay-usd-ramp]').innerText(), { timeout: 10_000 })
      .toMatch(/^\$0\s+\$[\d.]+[KMB]?\s+\$[\d.]+[KMB]?\s+estimated USD per 0\.1 % cell/);
    await p.screenshot({ path: `${ARTIFACTS}overlay-matched-by-price.png` });
    // One click to change it (and that choice is remembered like any other).
    expect(await p.locator('liqlens-overlay [data-testid=coin-choices] button').allInnerTexts()).toEqual(
      expect.arrayContaining(['BTC', 'ETH']),
    );
    await p.close();
  });

  it('asks when no streamed coin trades at its price, and remembers the choice for the site', async () => {
    const p = await browser.context.newPage();
    await p.goto(fixtures.url('/chart.html?price=50000'));
    const handle = p.locator('liqlens-overlay .controls .handle');
    await expect.poll(() => handle.innerText(), { timeout: 15_000 }).toContain('choose a coin');
    const following = p.locator('liqlens-overlay [data-testid=overlay-following]');
    expect(await following.innerText()).toContain('This page names no symbol');
    const canvas = p.locator('liqlens-overlay [data-testid=chart-overlay]');
    expect(JSON.parse((await canvas.getAttribute('data-marks')) ?? '[]')).toEqual([]);
    await p.screenshot({ path: `${ARTIFACTS}overlay-no-symbol.png` });
    await p.locator('liqlens-overlay [data-testid=coin-choices] button', { hasText: 'BTC' }).click();
    await expect.poll(() => following.innerText()).toMatch(/BTC .*chosen for this site/);
    await expect
      .poll(async () => (await storedOverlay()).pageInstruments)
      .toEqual({ [new URL(fixtures.url('/')).host]: expect.stringMatching(/^binance:BTCUSDT$/) });
    // Another page of the same site starts on the chosen coin.
    await p.reload();
    await expect.poll(() => p.locator('liqlens-overlay .controls .handle').innerText(), { timeout: 15_000 }).not.toContain('choose a coin');
    await p.close();
  });
});

describe('a hostile page', () => {
  it('cannot take over the bridge: the overlay follows the page’s real chart only', async () => {
    const page = await browser.context.newPage();
    await page.goto(fixtures.url('/hostile.html?price=97000&symbol=BTCUSDT'));
    await page.waitForFunction(() => 'fixtureChart' in window);
    fireKnownLiquidations();
    await page.locator(OVERLAY).waitFor({ timeout: 10_000 });
    await waitForKnownMarks(page);
    await expectAligned(page, pageAlignment, 'hostile page', PRICES.length, HOSTILE);
    // It did get hold of ports (its own and LiqLens's) and pushed fake reports through them.
    expect(await page.evaluate(() => (window as unknown as { hostile: { stolenPorts: number } }).hostile.stolenPorts)).toBeGreaterThan(0);
    const box = await page.locator(OVERLAY).boundingBox();
    const chartBox = await page.evaluate(() => {
      const r = (window as unknown as { fixtureChart: Omit<FrameFixture, 'frame'> }).fixtureChart.chart
        .chartElement()
        .getBoundingClientRect();
      return { x: r.left, y: r.top };
    });
    expect(Math.abs(box!.x - chartBox.x)).toBeLessThanOrEqual(1); // not the fake pane at (5, 5)
    expect(Math.abs(box!.y - chartBox.y)).toBeLessThanOrEqual(1);
    await openControls(page);
    expect(await page.locator('liqlens-overlay [data-testid=overlay-following]').innerText()).not.toMatch(/EVIL|SCAM/);
    // A flood of well-formed spoofs changes nothing either.
    await page.evaluate(() => (window as unknown as { hostileFlood(n: number): void }).hostileFlood(20_000));
    await expectAligned(page, pageAlignment, 'after a flood of 20 000 spoofed reports', PRICES.length, HOSTILE);
    // Nor can it talk to the extension: no runtime messaging is exposed to web pages.
    expect(
      await page.evaluate(
        () => typeof (window as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage,
      ),
    ).toBe('undefined');
    await page.screenshot({ path: `${ARTIFACTS}overlay-hostile.png` });
    await page.close();
  });
});

describe('a page without a readable chart', () => {
  let page: Page;
  afterAll(() => page?.close());

  it('is calibrated with two clicks on its price axis, saved per site, and draws bands on that scale', async () => {
    page = await browser.context.newPage();
    await page.goto(fixtures.url('/plain.html?symbol=BTCUSDT'));
    await page.locator('liqlens-overlay [data-testid=ladder]').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${ARTIFACTS}overlay-ladder.png` });
    await page.locator('liqlens-overlay .ladder .calibrate').click();
    await page.locator('liqlens-overlay [data-testid=calibrator]').waitFor();
    await page.mouse.click(900, 200);
    await page.locator('liqlens-overlay .price-input input').fill('98,000');
    await page.keyboard.press('Enter');
    await page.mouse.click(900, 400);
    await page.locator('liqlens-overlay .price-input input').fill('96000');
    await page.keyboard.press('Enter');
    await page.locator(OVERLAY).waitFor();
    fireKnownLiquidations();
    await waitForKnownMarks(page);
    // 98 000 at y 200 and 96 000 at y 400: each price sits at 200 + (98 000 − p) / 10.
    const list = await marks(page);
    for (const p of PRICES) {
      const m = list.find((x) => x.price === p);
      expect(m, `mark at ${p}`).toBeDefined();
      const error = Math.abs(m!.y - (200 + (98_000 - p) / 10));
      expect(error).toBeLessThanOrEqual(1);
      (errors[CALIBRATED] ??= {}).calibrated = Math.max(errors[CALIBRATED].calibrated ?? 0, error);
    }
    const calibrations = (await storedOverlay()).calibrations as Record<string, { price1: number; price2: number }>;
    expect(Object.values(calibrations)).toEqual([expect.objectContaining({ price1: 98_000, price2: 96_000 })]);
    await page.screenshot({ path: `${ARTIFACTS}overlay-calibrated.png` });
    await page.reload();
    await page.locator(OVERLAY).waitFor({ timeout: 10_000 });
    expect(await page.locator('liqlens-overlay [data-testid=ladder]').count()).toBe(0);
  });

  it('is switched off and on for this site from the popup', async () => {
    const sw = await browser.serviceWorker();
    // The popup opened as a tab is told which page it is about (?tab=); find the plain page's tab.
    const tabId = await sw.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome;
      for (const tab of await c.tabs.query({})) {
        const reply = (await c.tabs.sendMessage(tab.id!, { id: 1, type: 'pageInfo', timestamp: Date.now() }).catch(() => null)) as {
          res?: { mode: string };
        } | null;
        if (reply?.res?.mode === 'calibrated') return tab.id!;
      }
      return -1;
    });
    expect(tabId).toBeGreaterThan(0);
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 480, height: 640 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}&view=page`);
    await expect.poll(() => popup.locator('[data-testid=page-mode]').innerText()).toContain('calibrated');
    expect(await popup.locator('[data-testid=page-site]').innerText()).toContain('Local chart pages');
    await popup.screenshot({ path: `${ARTIFACTS}popup-this-page.png` });
    await popup.locator('#overlay-here').uncheck();
    await expect.poll(() => page.locator(OVERLAY).count()).toBe(0);
    await popup.locator('#overlay-here').check();
    await page.locator(OVERLAY).waitFor({ timeout: 5_000 });
    await popup.close();
  });
});

describe('the built manifest', () => {
  it('declares the overlay toggle command and asks for custom sites only at run time', async () => {
    const manifest = JSON.parse(await readFile(`${EXTENSION_DIR}manifest.json`, 'utf8'));
    expect(manifest.commands['toggle-overlay'].suggested_key.default).toBe('Alt+Shift+L');
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
    expect(manifest.host_permissions.every((h: string) => !h.includes('*/*') || /^https:\/\/[a-z.]+\/\*$/.test(h))).toBe(true);
    // The overlay's styles are inlined: no file a page could probe for.
    expect(manifest.web_accessible_resources ?? []).toEqual([]);
    // No page may message the extension; extension pages run only its own packaged scripts.
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.content_security_policy.extension_pages).toBe(
      "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it('ships no eval, no Function constructor and no remote script in any built file', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(EXTENSION_DIR, { recursive: true })).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const code = await readFile(`${EXTENSION_DIR}${f}`, 'utf8');
      expect(code, f).not.toMatch(/[^\w.]eval\(|new Function\(|importScripts\(\s*['"]https?:/);
      expect(code, f).not.toMatch(/<script[^>]+src=["']https?:/);
    }
  });
});

/**
 * Real positions in the built extension: a fake Hyperliquid (WebSocket trades naming their wallets,
 * activeAssetCtx with open interest) and a loopback POST /info holding those wallets' positions. The
 * worker discovers the wallets, reads them within its budget, and the positions appear on a chart
 * page at their liquidation prices (the positions layer) and in the popup with the coverage line.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { dialects } from '../harness/dialects';
import { FakeHyperliquidInfo } from '../harness/fake-hyperliquid-info';
import { FakeVenueServer } from '../harness/fake-venue';
import { FixtureServer } from '../harness/fixture-server';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;

/** Where the fixture chart draws `price` (viewport y): the reference every mark is held to. */
function chartYOf(page: Page, price: number): Promise<number> {
  return page.evaluate((p) => {
    const { chart, series } = (
      window as unknown as {
        fixtureChart: { chart: { chartElement(): HTMLElement }; series: { priceToCoordinate(p: number): number | null } };
      }
    ).fixtureChart;
    return chart.chartElement().getBoundingClientRect().top + (series.priceToCoordinate(p) ?? NaN);
  }, price);
}
const wallet = (i: number) => `0x${(0xa11ce000 + i).toString(16).padStart(40, '0')}`;
/** Liquidation prices near 97 000, inside the fixture chart's visible range. */
const LEVELS = [96_550, 96_700, 96_850, 97_150, 97_300, 97_450];

let hyperliquid: FakeVenueServer;
let info: FakeHyperliquidInfo;
let fixtures: FixtureServer;
let browser: ExtensionBrowser;
let stopMarket: ReturnType<typeof setInterval>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [hyperliquid, info, fixtures] = await Promise.all([
    FakeVenueServer.start(dialects.hyperliquid),
    FakeHyperliquidInfo.start(),
    FixtureServer.start(),
  ]);
  LEVELS.forEach((liq, i) =>
    info.world.set(wallet(i), [
      {
        coin: 'BTC',
        szi: liq < 97_000 ? 1 + i : -(1 + i),
        entryPx: 97_000,
        leverage: 25 + i,
        margin: i % 2 ? 'isolated' : 'cross',
        liquidationPx: liq,
      },
    ]),
  );
  browser = await launchWithExtension();
  const connected = hyperliquid.waitForClient();
  await browser.setSettings(loopbackSettings({ hyperliquid: { ws: hyperliquid.url, rest: info.url, symbols: ['BTC'] } }));
  await connected;
  // The market: open interest that grows (so the estimate has levels to measure), and trades that
  // name both wallets.
  let tid = 1;
  let oi = 1_000;
  stopMarket = setInterval(() => {
    oi += 2;
    const ctx = {
      markPx: '97000',
      oraclePx: '97000',
      midPx: '97000',
      prevDayPx: '97000',
      dayNtlVlm: '1',
      funding: '0.0000125',
      openInterest: String(oi),
    };
    hyperliquid.publish({ topic: 'activeAssetCtx:BTC', frame: JSON.stringify({ channel: 'activeAssetCtx', data: { coin: 'BTC', ctx } }) });
    const t = Date.now();
    hyperliquid.publish({
      topic: 'trades:BTC',
      frame: JSON.stringify({
        channel: 'trades',
        data: [0, 2, 4].map((i) => ({
          coin: 'BTC',
          side: i === 2 ? 'A' : 'B',
          px: String(96_950 + ((tid * 37) % 100)),
          sz: '0.5',
          hash: '0x0',
          time: t,
          tid: tid++,
          users: [wallet(i), wallet(i + 1)],
        })),
      }),
    });
  }, 250);
});

afterAll(async () => {
  clearInterval(stopMarket);
  await browser?.close();
  await Promise.all([hyperliquid?.close(), info?.close(), fixtures?.close()]);
});

describe('real positions', () => {
  it('are read from the discovered wallets within the budget', async () => {
    await expect
      .poll(() => new Set(info.log.filter((r) => r.type === 'clearinghouseState').map((r) => r.user)).size, { timeout: 20_000 })
      .toBe(6);
    expect(info.highestWeightPerMinute()).toBeLessThanOrEqual(300);
    expect(info.log.filter((r) => r.status === 429)).toEqual([]);
  });

  it('appear in the popup with the coverage line and the largest positions near price', async () => {
    const popup = await browser.openPopup('positions');
    const coverage = popup.locator('[data-testid=positions-coverage]').first();
    await expect
      .poll(() => coverage.innerText(), { timeout: 15_000 })
      .toMatch(/^Hyperliquid BTC · 6 wallets · [\d.]+ % of open interest · read ≤ \d+ (sec|min|hr) ago$/);
    await expect.poll(() => popup.locator('[data-testid=position-row]').count()).toBe(6);
    const prices = await popup
      .locator('[data-testid=position-row]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-liquidation'))));
    expect(prices.sort()).toEqual([...LEVELS].sort());
    // The map of real positions by liquidation price, and their zones, tagged as positions.
    await popup.locator('[data-testid=positions-map] rect').first().waitFor();
    expect(await popup.locator('[data-testid=positions] [data-testid=zones-table] .tag.positions').count()).toBeGreaterThan(0);
    await popup.screenshot({ path: `${ARTIFACTS}popup-positions.png`, fullPage: true });
    // Positions mode: the heatmap, zones and map show the real positions instead of the estimate.
    await popup.getByRole('button', { name: 'Positions (Hyperliquid)' }).click();
    await expect
      .poll(() => popup.locator('[data-testid=view-target]').innerText())
      .toMatch(/^Positions · Hyperliquid BTC \(real, sampled\)/);
    await popup.getByRole('tab', { name: 'Zones', exact: true }).click();
    await expect.poll(() => popup.locator('[data-testid=zones-table] .tag.positions').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => popup.locator('[data-testid=panel-zones]').innerText()).not.toMatch(/Est\./);
    await popup.screenshot({ path: `${ARTIFACTS}popup-positions-mode.png` });
    await popup.close();
  });

  it('are drawn on the chart at their liquidation prices, on their own layer', async () => {
    const page = await browser.context.newPage();
    await page.goto(fixtures.url('/chart.html?price=97000&symbol=BTC'));
    const canvas = page.locator('liqlens-overlay [data-testid=chart-overlay]');
    await canvas.waitFor({ timeout: 15_000 });
    const drawn = async () => JSON.parse((await canvas.getAttribute('data-positions')) ?? '[]') as { price: number; y: number }[];
    await expect.poll(async () => (await drawn()).length, { timeout: 15_000 }).toBe(6);
    // Each at its level (the grid cell's price, within 0.1 %), at the y the chart's own scale gives that price.
    const marks = await drawn();
    for (const level of LEVELS) {
      const m = marks.find((x) => Math.abs(x.price / level - 1) < 0.001);
      expect(m, `a mark at ${level}`).toBeDefined();
      const chartY = await chartYOf(page, m!.price);
      expect(Math.abs(m!.y - chartY)).toBeLessThanOrEqual(0.05);
    }
    await page.screenshot({ path: `${ARTIFACTS}overlay-positions.png` });
    // The handle turns the layer off.
    await page.locator('liqlens-overlay .controls .handle').click();
    await page.locator('liqlens-overlay .controls label', { hasText: 'Real positions' }).locator('input').uncheck();
    await expect.poll(async () => (await drawn()).length).toBe(0);
    await page.close();
  });

  it('measure the estimate against them in Options → Model, and offer the measured mix', async () => {
    const options = await browser.context.newPage();
    await options.setViewportSize({ width: 900, height: 1000 });
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const calibration = options.locator('[data-testid=model-calibration]');
    await expect
      .poll(() => calibration.innerText(), { timeout: 30_000 })
      .toMatch(/Hyperliquid BTC: measured against 6 real positions \(6 wallets\): r = [−-]?\d\.\d\d default, [−-]?\d\.\d\d fitted/);
    await calibration.scrollIntoViewIfNeeded();
    await options.locator('[data-testid=model-settings]').screenshot({ path: `${ARTIFACTS}options-calibration.png` });
    await options.getByTestId('use-measured-mix').click();
    // These six positions are 25x–30x: the measured mix puts nearly all of it on the model's 25x tier.
    await expect.poll(() => options.locator('[data-testid=model-settings]').innerText()).toMatch(/25\D+9\d(\.\d)? ?%/);
    await options.close();
  });

  it('read my own account from its Hyperliquid address: my line on the chart at the exchange’s price, and in the popup', async () => {
    // An account nobody's trades name: only the address in settings reads it.
    const ME = `0x${'5e1f'.repeat(10)}`;
    info.world.set(ME, [{ coin: 'BTC', szi: 0.8, entryPx: 97_100, leverage: 12, margin: 'cross', liquidationPx: 96_620.5 }]);
    await browser.setSettings({
      ...loopbackSettings({ hyperliquid: { ws: hyperliquid.url, rest: info.url, symbols: ['BTC'] } }),
      myPositions: { typed: [], hyperliquidAddress: ME, alertWithinPct: 0 },
    });
    await expect
      .poll(() => info.log.filter((r) => r.type === 'clearinghouseState' && r.user === ME).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const page = await browser.context.newPage();
    await page.goto(fixtures.url('/chart.html?price=97000&symbol=BTC'));
    const canvas = page.locator('liqlens-overlay [data-testid=chart-overlay]');
    await canvas.waitFor({ timeout: 15_000 });
    const mine = async () => JSON.parse((await canvas.getAttribute('data-my')) ?? '[]') as { price: number; y: number }[];
    await expect.poll(async () => (await mine()).length, { timeout: 15_000 }).toBe(1);
    const [line] = await mine();
    expect(line.price).toBe(96_620.5); // the exchange's own figure, as read
    const chartY = await chartYOf(page, line.price);
    expect(Math.abs(line.y - chartY)).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `${ARTIFACTS}overlay-my-hyperliquid.png` });
    await page.close();
    const popup = await browser.openPopup('zones');
    await expect
      .poll(() => popup.locator('[data-testid=my-positions]').innerText(), { timeout: 10_000 })
      .toMatch(/My long 0\.8 BTC @ 97,100(\.0)? \(12×\) on Hyperliquid: liq\. 96,620\.5 \(your venue’s figure\)/);
    await popup.close();
  });
});

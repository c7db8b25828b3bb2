/**
 * Whatever coin the trader opens: a chart page on DOGE, which the settings stream on no venue, gets
 * DOGE subscribed on every enabled venue that lists it (on the sockets already open), its day of
 * history and its realized liquidations, without the user doing anything; when the page moves on,
 * DOGE is unsubscribed again, and BTC's sockets never reconnect.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { dialects } from '../harness/dialects';
import { FakeVenueServer } from '../harness/fake-venue';
import { FixtureServer } from '../harness/fixture-server';
import { waitForHeatmap } from '../harness/overlay-report';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const OVERLAY = 'liqlens-overlay [data-testid=chart-overlay]';

let binance: FakeVenueServer;
let okx: FakeVenueServer;
let fixtures: FixtureServer;
let browser: ExtensionBrowser;
let page: Page;
let ticker: ReturnType<typeof setInterval>;

const until = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });
const topics = (server: FakeVenueServer) => [...server.clients].flatMap((c) => [...c.topics]);
/** For beforeAll, where expect.poll is not allowed. */
async function waitFor(what: string, ok: () => boolean, timeout = 15_000): Promise<void> {
  for (const end = Date.now() + timeout; !ok();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [binance, okx, fixtures] = await Promise.all([
    FakeVenueServer.start(dialects.binance),
    FakeVenueServer.start(dialects.okx),
    FixtureServer.start(),
  ]);
  // A live market: Binance's mark prices tick every second (20 s of silence is a dead socket to LiqLens).
  ticker = setInterval(() => {
    for (const symbol of ['BTCUSDT', 'DOGEUSDT']) binance.mark(symbol, 97_000);
    for (const symbol of ['BTC-USDT-SWAP', 'DOGE-USDT-SWAP']) okx.mark(symbol, 97_000);
  }, 1_000);
  browser = await launchWithExtension();
  await browser.setSettings({
    ...loopbackSettings({
      binance: { ws: binance.url, rest: binance.restUrl, symbols: ['BTCUSDT'] },
      okx: { ws: okx.url, rest: okx.restUrl, symbols: ['BTC-USDT-SWAP'] },
    }),
    // No grace period: the coin goes as soon as no page shows it (the default keeps it five minutes).
    follow: { enabled: true, graceMinutes: 0 },
  });
  // Both venues streaming BTC, and their instrument lists (which name DOGE) loaded.
  await waitFor('both venues streaming BTC', () => binance.mark('BTCUSDT', 97_000) > 0 && okx.mark('BTC-USDT-SWAP', 97_000) > 0);
  await waitFor(
    'both instrument lists',
    () =>
      binance.restLog.some((p) => p.startsWith('/fapi/v1/exchangeInfo')) &&
      okx.restLog.some((p) => p.startsWith('/api/v5/public/instruments')),
  );
});

afterAll(async () => {
  clearInterval(ticker);
  await browser?.close();
  await Promise.all([binance?.close(), okx?.close(), fixtures?.close()]);
});

describe('a chart page on a coin the settings do not stream', () => {
  it('is followed on every venue that lists it, on the open sockets, with its history and realized liquidations', async () => {
    page = await browser.context.newPage();
    await page.goto(fixtures.url('/chart.html?price=97000&symbol=DOGEUSDT'));
    await page.waitForFunction(() => 'fixtureChart' in window);
    await until(() => topics(binance).includes('dogeusdt@aggTrade') && topics(okx).includes('trades:DOGE-USDT-SWAP')).toBe(true);
    expect(binance.history).toHaveLength(1);
    expect(okx.history).toHaveLength(1);
    // Its last day, from the venues' REST (the fake's candles sit around 97 000, as the chart does).
    await until(() => binance.restLog.some((p) => p.includes('/fapi/v1/klines') && p.includes('DOGEUSDT'))).toBe(true);
    await page.locator(OVERLAY).waitFor({ timeout: 15_000 });
    await waitForHeatmap(page);
    const handle = page.locator('liqlens-overlay .controls .handle');
    await handle.click();
    await until(() => page.locator('liqlens-overlay [data-testid=overlay-following]').textContent()).toContain(
      'DOGE · all venues · followed for this page',
    );
    // A DOGE liquidation on each venue reaches the chart.
    await until(() => binance.liquidation({ symbol: 'DOGEUSDT', liquidatedSide: 'long', price: 97_210, qty: 3 })).toBeGreaterThan(0);
    await until(() => okx.liquidation({ symbol: 'DOGE-USDT-SWAP', liquidatedSide: 'short', price: 96_830, qty: 50 })).toBeGreaterThan(0);
    const drawn = async () => JSON.parse((await page.locator(OVERLAY).getAttribute('data-marks')) ?? '[]') as { price: number }[];
    await until(async () => (await drawn()).map((m) => m.price).sort()).toEqual([96_830, 97_210]);
    await page.screenshot({ path: `${ARTIFACTS}overlay-followed-coin.png` });
  });

  it('says so in the popup, and stops when the page moves on: unsubscribed, and BTC never reconnected', async () => {
    const popup = await browser.openPopup('feeds');
    await popup.locator('#symbol-search').fill('DOGE');
    await popup.locator('#symbol-results button').first().click();
    await until(() => popup.locator('[data-testid=follow-note]').textContent()).toMatch(
      /DOGE is followed while you look at it \(Binance USD-M, OKX\)/,
    );
    await popup.screenshot({ path: `${ARTIFACTS}popup-followed-coin.png` });
    // Back to BTC in the popup, as a trader browsing coins would.
    await popup.locator('#symbol-search').fill('BTC');
    await popup.locator('#symbol-results button').first().click();
    await until(() => popup.locator('[data-testid=follow-note]').count()).toBe(0);
    await popup.close();
    // The page's own symbol changes (a single-page app's navigation): DOGE is shown nowhere any more.
    await page.evaluate(() => history.pushState({}, '', location.pathname + '?price=97000&symbol=BTCUSDT'));
    await until(() => topics(binance).includes('dogeusdt@aggTrade') || topics(okx).includes('trades:DOGE-USDT-SWAP'), 20_000).toBe(false);
    expect(topics(binance)).toContain('btcusdt@aggTrade');
    expect(topics(okx)).toContain('trades:BTC-USDT-SWAP');
    expect(binance.history).toHaveLength(1);
    expect(okx.history).toHaveLength(1);
    await page.close();
  });

  it('is kept with one click on Pin: it becomes a setting, on the same sockets', async () => {
    const chart = await browser.context.newPage();
    await chart.goto(fixtures.url('/chart.html?price=97000&symbol=DOGEUSDT'));
    await until(() => topics(binance).includes('dogeusdt@aggTrade') && topics(okx).includes('trades:DOGE-USDT-SWAP')).toBe(true);
    const popup = await browser.openPopup('zones');
    await popup.locator('#symbol-search').fill('DOGE');
    await popup.locator('#symbol-results button').first().click();
    await popup.locator('[data-testid=pin-coin]').click();
    const stored = async () =>
      (await browser.serviceWorker()).evaluate(async () => {
        const c = (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome;
        const v = ((await c.storage.local.get('settings')).settings as { venues: Record<string, { symbols: string[] }> }).venues;
        return [v.binance.symbols, v.okx.symbols];
      });
    await until(stored).toEqual([
      ['BTCUSDT', 'DOGEUSDT'],
      ['BTC-USDT-SWAP', 'DOGE-USDT-SWAP'],
    ]);
    await until(() => popup.locator('[data-testid=follow-note]').count()).toBe(0);
    await popup.close();
    await chart.close();
    // Pinned: DOGE stays when no page shows it, and nothing reconnected.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(topics(binance)).toContain('dogeusdt@aggTrade');
    expect(topics(okx)).toContain('trades:DOGE-USDT-SWAP');
    expect(binance.history).toHaveLength(1);
    expect(okx.history).toHaveLength(1);
  });
});

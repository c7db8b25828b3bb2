/**
 * All ten venues at once through the built extension, each on its own loopback fake server
 * (WebSocket and REST): realized liquidations from nine, Hyperliquid's honest "no liquidation feed",
 * a venue that refuses shown as down without disturbing the others, and a raw-frame recording saved
 * from the options page.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VenueId } from '../../lib/exchanges/types';
import { parseRecordingLine } from '../../lib/net/recording';
import { launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { dialects } from '../harness/dialects';
import { FakeVenueServer, type LiquidationInput } from '../harness/fake-venue';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const SYMBOLS: Record<VenueId, string> = {
  binance: 'BTCUSDT',
  bybit: 'BTCUSDT',
  okx: 'BTC-USDT-SWAP',
  bitmex: 'XBTUSD',
  deribit: 'BTC-PERPETUAL',
  hyperliquid: 'BTC',
  bitget: 'BTCUSDT',
  gate: 'BTC_USDT',
  dydx: 'BTC-USD',
  kraken: 'PF_XBTUSD',
};
const LIQUIDATIONS: Partial<Record<VenueId, LiquidationInput>> = {
  binance: { symbol: 'BTCUSDT', liquidatedSide: 'long', price: 96_100, qty: 1 },
  bybit: { symbol: 'BTCUSDT', liquidatedSide: 'short', price: 97_200, qty: 2 },
  okx: { symbol: 'BTC-USDT-SWAP', liquidatedSide: 'long', price: 96_300, qty: 300 },
  bitmex: { symbol: 'XBTUSD', liquidatedSide: 'short', price: 97_400, qty: 250_000, id: 'e2e-1' },
  deribit: { symbol: 'BTC-PERPETUAL', liquidatedSide: 'long', price: 96_500, qty: 120_000, id: 'e2e-2' },
  bitget: { symbol: 'BTCUSDT', liquidatedSide: 'short', price: 97_600, qty: 0.5 },
  gate: { symbol: 'BTC_USDT', liquidatedSide: 'long', price: 96_700, qty: 8_000 },
  dydx: { symbol: 'BTC-USD', liquidatedSide: 'short', price: 97_800, qty: 0.3, id: 'e2e-3' },
  kraken: { symbol: 'PF_XBTUSD', liquidatedSide: 'long', price: 96_950, qty: 0.4, id: 'e2e-4' },
};

const servers = {} as Record<VenueId, FakeVenueServer>;
let browser: ExtensionBrowser;

const settings = (override: Partial<Record<VenueId, string>> = {}) => ({
  // The raw-frame recorder is off by default; the recording test below needs it.
  recording: { enabled: true },
  ...loopbackSettings(
    Object.fromEntries(
      (Object.keys(SYMBOLS) as VenueId[]).map((v) => [
        v,
        { ws: override[v] ?? servers[v].url, rest: servers[v].restUrl, symbols: [SYMBOLS[v]] },
      ]),
    ),
  ),
});

beforeAll(async () => {
  for (const v of Object.keys(SYMBOLS) as VenueId[]) servers[v] = await FakeVenueServer.start(dialects[v]);
  browser = await launchWithExtension();
  await browser.setSettings(settings());
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

/** Publish until the subscribed client got it (subscriptions land a moment after connecting). */
async function deliver(send: () => number): Promise<void> {
  await expect.poll(send, { timeout: 10_000, interval: 100 }).toBeGreaterThan(0);
}

describe('ten venues in the built extension', () => {
  it('shows every venue connected and the realized liquidations of the nine that publish them', async () => {
    for (const v of Object.keys(SYMBOLS) as VenueId[]) await deliver(() => servers[v].mark(SYMBOLS[v], 97_000));
    for (const [v, liq] of Object.entries(LIQUIDATIONS) as [VenueId, LiquidationInput][]) await deliver(() => servers[v].liquidation(liq));

    const popup = await browser.openPopup('feeds');
    for (const v of Object.keys(SYMBOLS)) {
      await expect
        .poll(() => popup.locator(`[data-testid=feed-row][data-venue=${v}]`).getAttribute('data-state'), { timeout: 10_000 })
        .toBe('connected');
    }
    expect(await popup.locator('[data-testid=feed-row][data-venue=hyperliquid]').textContent()).toContain('No public liquidation feed');
    await popup.screenshot({ path: `${ARTIFACTS}popup-ten-venues.png`, fullPage: true });
    await popup.getByRole('tab', { name: 'Realized', exact: true }).click();
    await expect.poll(() => popup.locator('[data-testid=liq-row]').count(), { timeout: 5_000 }).toBe(Object.keys(LIQUIDATIONS).length);
    // Each row: its instrument (the cell names its venue; all rows are BTC) and its text.
    const rows = await popup
      .locator('[data-testid=liq-row]')
      .evaluateAll((list) => list.map((r) => `${r.getAttribute('data-instrument')} ${r.textContent}`));
    for (const [v, liq] of Object.entries(LIQUIDATIONS)) {
      const row = rows.find((r) => r.startsWith(`${v}:${liq.symbol} `));
      expect(row, `${v} liquidation row`).toBeDefined();
      expect(row).toContain(liq.liquidatedSide === 'long' ? 'Long liq.' : 'Short liq.');
    }
    // OKX 300 contracts × 0.01 BTC at 96 300 = $288.9K; BitMEX 250 000 USD contracts = $250.0K.
    expect(rows.find((r) => r.startsWith('okx:'))).toContain('$288.9K');
    expect(rows.find((r) => r.startsWith('bitmex:'))).toContain('$250.0K');
    // Gate 8 000 contracts × 0.0001 BTC at 96 700 = $77.4K; Bitget's amount is the quote: 0.5 BTC at 97 600 = $48.8K.
    expect(rows.find((r) => r.startsWith('gate:'))).toContain('$77.4K');
    expect(rows.find((r) => r.startsWith('bitget:'))).toContain('$48.8K');
    await popup.close();
  });

  it('shows a refusing venue as down while the others keep streaming', async () => {
    await browser.setSettings(settings({ bitmex: `${servers.bitmex.url}/blocked` }));
    const popup = await browser.openPopup('feeds');
    const bitmexRow = popup.locator('[data-testid=feed-row][data-venue=bitmex]');
    await expect.poll(() => bitmexRow.getAttribute('data-state'), { timeout: 10_000 }).toBe('down');
    expect(await bitmexRow.textContent()).toMatch(/connection error|closed/);
    await deliver(() => servers.bybit.liquidation({ symbol: 'BTCUSDT', liquidatedSide: 'long', price: 96_900, qty: 1 }));
    expect(await popup.locator('[data-testid=feed-row][data-venue=bybit]').getAttribute('data-state')).toBe('connected');
    await popup.getByRole('tab', { name: 'Realized', exact: true }).click();
    await popup.locator('[data-testid=liq-row][data-price="96900"]').waitFor({ timeout: 5_000 });
    await popup.close();
    await browser.setSettings(settings());
  });

  it('saves the last minutes of raw frames from the options page, in the recording format', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.locator('[data-testid=feed-row][data-venue=okx]').waitFor({ timeout: 5_000 });
    const [download] = await Promise.all([options.waitForEvent('download'), options.locator('[data-testid=save-recording]').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const records = text.trim().split('\n').map(parseRecordingLine);
    expect(records.every((r) => !('error' in r))).toBe(true);
    const venues = new Set(records.map((r) => ('venue' in r ? r.venue : '')));
    for (const v of Object.keys(SYMBOLS)) expect(venues.has(v), `${v} frames in the recording`).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^liqlens-.*\.rec\.jsonl$/);
    await expect.poll(() => options.locator('[data-testid=recording-status]').textContent()).toMatch(/Saved \d+ frames/);
    await options.screenshot({ path: `${ARTIFACTS}options.png`, fullPage: true });
    await options.close();
  });
});

describe('display choice', () => {
  it('switches zones between per-coin (all venues added) and per-instrument from the options page', async () => {
    const sw = await browser.serviceWorker();
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const box = options.locator('#aggregate');
    await box.waitFor();
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    // No button to press: the change saves itself, and the bar says so.
    await expect.poll(() => options.locator('[data-testid=options-status]').innerText()).toMatch(/✓ Saved at \d\d:\d\d:\d\d/);
    await expect
      .poll(() =>
        sw.evaluate(
          async () =>
            (
              (await (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome.storage.local.get('settings'))
                .settings as { display: { aggregateVenues: boolean } }
            ).display.aggregateVenues,
        ),
      )
      .toBe(false);
    await options.close();
  });
});

describe('a symbol the venue does not list', () => {
  it('is said in Feeds and next to the symbols in Options, not accepted silently', async () => {
    const s = settings();
    (s.venues as Record<string, { symbols: string[] }>).binance.symbols = ['BTCUSDT', 'BTCUSDTX'];
    await browser.setSettings(s);
    const popup = await browser.openPopup('feeds');
    const warning = popup.locator('[data-testid=feed-row][data-venue=binance] [data-testid=feed-unlisted]');
    await expect.poll(() => warning.textContent(), { timeout: 15_000 }).toContain('Not listed on Binance USD-M: BTCUSDTX');
    await popup.close();
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await expect.poll(() => options.locator('[data-testid=unlisted-binance]').textContent(), { timeout: 10_000 }).toContain('BTCUSDTX');
    await options.close();
    await browser.setSettings(settings());
  });
});

/**
 * A real recording replayed by the fake Binance server into the built extension: 94 k frames of
 * trades, book tickers, depth and one REST snapshot, at 100× speed. The extension must parse them
 * without one error and end on the recording's last traded price.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { FakeBinanceServer } from '../harness/fake-binance';
import { FixtureServer } from '../harness/fixture-server';
import { readRecording, SHARED_DATA_DIR, sharedOrSkipNotice } from '../harness/recording';

const RECORDING = `${SHARED_DATA_DIR}binance-usdm-btcusdt-2024-08-08.rec.jsonl.gz`;
const hasData = sharedOrSkipNotice('e2e replay of the recorded Binance file');

let binance: FakeBinanceServer;
let fixtures: FixtureServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  if (!hasData) return;
  [binance, fixtures] = await Promise.all([FakeBinanceServer.start(), FixtureServer.start()]);
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([binance?.close(), fixtures?.close()]);
});

describe.skipIf(!hasData)('recorded Binance frames through the extension', () => {
  it('parses all of them with no error and shows the last traded price', async () => {
    let lastTradePrice = 0;
    let frames = 0;
    for await (const rec of readRecording(RECORDING)) {
      frames += 1;
      const data = JSON.parse(rec.frame).data;
      if (data?.e === 'trade') lastTradePrice = Number(data.p);
    }

    const connected = binance.waitForClient();
    await browser.setSettings(loopbackSettings({ binance: { ws: binance.url, symbols: ['BTCUSDT'] } }));
    await connected;
    const chart = await browser.context.newPage();
    await chart.goto(fixtures.url('/plain.html'));

    expect(await binance.replay(RECORDING, { speed: 100 })).toBe(frames);

    const popup = await browser.openPopup('feeds');
    const row = popup.locator('[data-testid=feed-row][data-venue=binance]');
    await row.waitFor();
    // Every frame arrived and was accounted for: none lost, none an error.
    // (The worker drains a burst of 27 k frames/s more slowly than it arrives; real feeds are far slower.)
    await expect.poll(() => row.getAttribute('data-frames'), { timeout: 30_000 }).toBe(String(frames));
    expect(await row.getAttribute('data-errors')).toBe('0');
    const price = chart.locator('liqlens-overlay [data-testid=ladder-price]');
    await expect
      .poll(() => price.textContent(), { timeout: 10_000 })
      .toBe(lastTradePrice.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));

    await chart.screenshot({ path: new URL('./artifacts/replay-chart.png', import.meta.url).pathname });
  });
});

/**
 * `npm run demo [-- --headless] [-- --seconds N]`
 * LiqLens with no exchange: builds nothing itself (npm run demo builds first), starts a loopback
 * fake Binance fed by a synthetic market, opens Chromium with the extension on the fixture chart
 * page and the popup. Headed when a display exists; headless saves screenshots and exits.
 */
import { mkdirSync } from 'node:fs';
import { launchWithExtension, loopbackSettings } from '../tests/harness/browser';
import { FakeBinanceServer } from '../tests/harness/fake-binance';
import { FixtureServer } from '../tests/harness/fixture-server';
import { DEMO_SYMBOLS, startSyntheticMarket, syntheticBinanceDialect } from '../tests/harness/synthetic-binance';

const args = process.argv.slice(2);
const headless = args.includes('--headless') || !process.env.DISPLAY;
const secondsArg = args.indexOf('--seconds');
const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : headless ? 8 : Infinity;
const OUT = new URL('../.output/demo/', import.meta.url).pathname;

const binance = await FakeBinanceServer.start(syntheticBinanceDialect);
const fixtures = await FixtureServer.start();
const stopMarket = startSyntheticMarket(binance);
const browser = await launchWithExtension({ headless, viewport: { width: 1280, height: 720 } });
await browser.setSettings(
  loopbackSettings({ binance: { ws: binance.url, rest: binance.restUrl, symbols: DEMO_SYMBOLS.map((s) => s.symbol) } }),
);
const chart = await browser.context.newPage();
await chart.goto(fixtures.url(`/chart.html?price=${DEMO_SYMBOLS[0].price}&symbol=${DEMO_SYMBOLS[0].symbol}`));
const popup = await browser.openPopup();
await chart.bringToFront();

const shutdown = async () => {
  stopMarket();
  await browser.close();
  await Promise.all([binance.close(), fixtures.close()]);
};

console.log(`LiqLens demo: fake Binance at ${binance.url}, chart at ${fixtures.url('/chart.html')}`);
if (Number.isFinite(seconds)) {
  await new Promise((r) => setTimeout(r, seconds * 1000));
  mkdirSync(OUT, { recursive: true });
  await chart.screenshot({ path: `${OUT}demo-chart.png` });
  await popup.screenshot({ path: `${OUT}demo-popup.png`, fullPage: true });
  // Marks drawn on the chart's own price scale (or, without a readable chart, bands on the ladder).
  const overlay = chart.locator('liqlens-overlay [data-testid=chart-overlay]');
  const bands = (await overlay.count())
    ? JSON.parse((await overlay.getAttribute('data-marks')) ?? '[]').length
    : await chart.locator('liqlens-overlay [data-testid=liq-band]').count();
  console.log(`demo: ${bands} liquidation marks on the chart; screenshots in ${OUT}`);
  await shutdown();
  if (bands === 0) {
    console.error('demo: no mark appeared — the extension did not receive the synthetic feed');
    process.exit(1);
  }
} else {
  console.log('Press Ctrl-C to stop.');
  process.on('SIGINT', () => void shutdown().then(() => process.exit(0)));
}

/**
 * `npm run screenshots`: the README's pictures (docs/img/), made from the current build, so they
 * never show a popup or an overlay LiqLens no longer has. Loopback only: a fake Binance fed by the
 * synthetic market (a day of backfilled history), the Charting Library fixture in an iframe, the
 * popup. Prints what it wrote; fails when the chart shows no mark or the popup no map.
 */
import { mkdirSync } from 'node:fs';
import { launchWithExtension, loopbackSettings } from '../tests/harness/browser';
import { FakeBinanceServer } from '../tests/harness/fake-binance';
import { FixtureServer } from '../tests/harness/fixture-server';
import { DEMO_OVERLAY as OVERLAY, openDemoChart } from '../tests/harness/demo-chart';
import { DEMO_SYMBOLS, startSyntheticMarket, syntheticBinanceDialect } from '../tests/harness/synthetic-binance';

const OUT = new URL('../docs/img/', import.meta.url).pathname;

const binance = await FakeBinanceServer.start(syntheticBinanceDialect);
const fixtures = await FixtureServer.start();
const stopMarket = startSyntheticMarket(binance);
const browser = await launchWithExtension({ headless: true, viewport: { width: 1280, height: 720 } });
const fail = (why: string): never => {
  console.error(`screenshots: ${why}`);
  process.exit(1);
};
try {
  const connected = binance.waitForClient(20_000);
  await browser.setSettings(
    loopbackSettings({ binance: { ws: binance.url, rest: binance.restUrl, symbols: DEMO_SYMBOLS.map((s) => s.symbol) } }),
  );
  await connected;
  mkdirSync(OUT, { recursive: true });

  // The chart: a Charting Library widget in an exchange page's iframe, with a few liquidations.
  const chart = await openDemoChart(browser.context, binance, fixtures).catch((err: Error) => fail(err.message));
  await chart.waitForTimeout(1_500);
  const marks = JSON.parse((await chart.locator(OVERLAY).getAttribute('data-marks')) ?? '[]').length;
  if (!marks) fail('no realized mark on the chart');
  await chart.screenshot({ path: `${OUT}overlay.png` });
  const label = chart.locator('liqlens-overlay [data-testid=zone-label]').first();
  await label.waitFor({ timeout: 20_000 }).catch(() => fail('no zone label on the chart'));
  await label.hover();
  await chart.locator('liqlens-overlay [data-testid=zone-card]').waitFor();
  await chart.screenshot({ path: `${OUT}overlay-hover.png` });

  // The popup on the liquidation map.
  const popup = await browser.openPopup('map');
  await popup
    .locator('[data-testid=liq-map]')
    .waitFor({ timeout: 20_000 })
    .catch(() => fail('the popup showed no liquidation map'));
  await popup.waitForTimeout(1_000);
  await popup.screenshot({ path: `${OUT}popup.png`, fullPage: true });
  console.log(`screenshots: ${marks} marks on the chart; wrote overlay.png, overlay-hover.png, popup.png to docs/img/`);
} finally {
  stopMarket();
  await browser.close();
  await Promise.all([binance.close(), fixtures.close()]);
}

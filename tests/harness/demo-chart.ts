/**
 * The demo's chart for pictures (README and store screenshots): the Charting Library fixture in an
 * exchange page's iframe on the synthetic market's first coin, a few liquidations around its price,
 * and the overlay drawn with its heatmap. Rejects with what is missing.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { FakeBinanceServer } from './fake-binance';
import type { FixtureServer } from './fixture-server';
import { waitForHeatmap } from './overlay-report';
import { DEMO_SYMBOLS } from './synthetic-binance';

export const DEMO_OVERLAY = 'liqlens-overlay [data-testid=chart-overlay]';

export async function openDemoChart(context: BrowserContext, binance: FakeBinanceServer, fixtures: FixtureServer): Promise<Page> {
  const { symbol, price } = DEMO_SYMBOLS[0];
  const chart = await context.newPage();
  await chart.goto(fixtures.url(`/tv.html?price=${price}&symbol=BINANCE:${symbol}.P`));
  await chart.waitForFunction(() => (window as unknown as { fixtureReady?: boolean }).fixtureReady === true);
  [-0.006, -0.003, 0.002, 0.004, -0.001].forEach((off, i) =>
    binance.forceOrder({ symbol, side: off < 0 ? 'SELL' : 'BUY', price: price * (1 + off), qty: 0.4 + i }),
  );
  await chart.locator(DEMO_OVERLAY).waitFor({ timeout: 20_000 });
  // The heatmap is drawn once the backfilled history has columns.
  await waitForHeatmap(chart, 30_000).catch(() => {
    throw new Error('the chart never got a heatmap');
  });
  return chart;
}

/**
 * Every venue unreachable (both point at a closed local port: refused at once, as a blocked region or
 * a dead network looks from a browser): every surface says so, in the same words, instead of waiting
 * forever or showing zeros as if they were data.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { FixtureServer } from '../harness/fixture-server';
import { nothingReachable } from '../../lib/ui/health';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
// Port 9 (discard) is closed on CI machines: every connection is refused at once.
const CLOSED = { ws: 'ws://127.0.0.1:9', rest: 'http://127.0.0.1:9' };

let fixtures: FixtureServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  fixtures = await FixtureServer.start();
  browser = await launchWithExtension();
  await browser.setSettings(
    loopbackSettings({
      binance: { ...CLOSED, symbols: ['BTCUSDT'] },
      okx: { ...CLOSED, symbols: ['BTC-USDT-SWAP'] },
    }),
  );
});

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
});

describe('when no exchange is reachable', () => {
  it('the popup says so in a banner, and Feeds counts the errors its rows show', async () => {
    const popup = await browser.openPopup('feeds');
    const banner = popup.locator('[data-testid=overall-health]');
    await expect.poll(() => banner.getAttribute('data-state'), { timeout: 20_000 }).toBe('down');
    expect(await banner.innerText()).toContain(nothingReachable());
    expect(await banner.getAttribute('role')).toBe('alert');
    for (const venue of ['binance', 'okx']) {
      const row = popup.locator(`[data-testid=feed-row][data-venue=${venue}]`);
      expect(await row.getAttribute('data-state')).toBe('down');
      expect(await row.innerText()).toMatch(/connection error|closed/);
      expect(Number(await row.getAttribute('data-errors'))).toBeGreaterThan(0);
    }
    // No axis of 1–2 and "$0 per cell" as if that were data.
    expect(await popup.locator('[data-testid=heatmap-empty]').innerText()).toContain('no exchange is reachable');
    await popup.screenshot({ path: `${ARTIFACTS}popup-offline.png`, fullPage: true });
    await popup.close();
  });

  it('the chart handle turns red and says it; the docked ladder says it instead of waiting', async () => {
    const chart = await browser.context.newPage();
    await chart.goto(fixtures.url('/chart.html?price=97000&symbol=BTCUSDT'));
    const handle = chart.locator('liqlens-overlay .controls .handle');
    await expect.poll(() => handle.getAttribute('data-health'), { timeout: 20_000 }).toBe('down');
    expect(await handle.innerText()).toContain('no exchange reachable');
    await handle.click();
    expect(await chart.locator('liqlens-overlay [data-testid=overlay-health]').innerText()).toContain(nothingReachable());
    await chart.screenshot({ path: `${ARTIFACTS}overlay-offline.png` });
    await chart.close();
    const plain = await browser.context.newPage();
    await plain.goto(fixtures.url('/plain.html?symbol=BTCUSDT'));
    await expect
      .poll(() => plain.locator('liqlens-overlay [data-testid=ladder-waiting]').innerText(), { timeout: 20_000 })
      .toContain(nothingReachable());
    await plain.close();
  });
});

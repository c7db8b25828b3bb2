/**
 * Local pages get no script of ours until the trader turns them on: no element, no chart bridge, no
 * answer to the extension's own page query. Turned on (host granted as the trader's "Allow" would:
 * tests/harness/chromium-grants.ts) in Options, the worker registers both content scripts, Options
 * says open tabs need a reload, and the next load of the page draws on its chart; turned off again,
 * the registration goes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BRIDGE_HELLO, BRIDGE_REQUEST_EVENT } from '../../lib/sites/bridge';
import { launchWithExtension, loopbackSettings, type ExtensionBrowser } from '../harness/browser';
import { FakeBinanceServer } from '../harness/fake-binance';
import { FixtureServer } from '../harness/fixture-server';

let browser: ExtensionBrowser;
let binance: FakeBinanceServer;
let fixtures: FixtureServer;

beforeAll(async () => {
  [binance, fixtures] = await Promise.all([FakeBinanceServer.start(), FixtureServer.start()]);
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([binance?.close(), fixtures?.close()]);
});

const settings = (localSite: boolean) =>
  loopbackSettings({ binance: { ws: binance.url, rest: binance.restUrl, symbols: ['BTCUSDT'] } }, { localSite });

/** The page scripts LiqLens has registered at run time (the worker's own view of them). */
const registered = async () => {
  const sw = await browser.serviceWorker();
  return sw.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome;
    return (await c.scripting.getRegisteredContentScripts()).flatMap((s) => s.matches ?? []);
  });
};

/** What the extension hears from the tab: its overlay's page report, or null when nothing answers. */
const pageInfo = async (url: string) => {
  const sw = await browser.serviceWorker();
  return sw.evaluate(async (u) => {
    const c = (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome;
    const [tab] = await c.tabs.query({ url: u });
    if (!tab?.id) return 'no tab';
    const reply = (await c.tabs.sendMessage(tab.id, { id: 1, type: 'pageInfo', timestamp: Date.now() }).catch(() => null)) as {
      res?: { mode: string };
    } | null;
    return reply?.res?.mode ?? null;
  }, url);
};

/** Ask for the chart bridge the way the overlay does; true when a bridge answers in the page's world. */
const bridgeAnswers = (page: Page) =>
  page.evaluate(
    ([request, hello]) =>
      new Promise<boolean>((resolve) => {
        const onMessage = (e: MessageEvent) => {
          if ((e.data as { tag?: unknown } | null)?.tag === hello) resolve(true);
        };
        window.addEventListener('message', onMessage);
        window.dispatchEvent(new Event(request));
        setTimeout(() => resolve(false), 1_000);
      }),
    [BRIDGE_REQUEST_EVENT, BRIDGE_HELLO] as const,
  );

describe('local chart pages', () => {
  it('get nothing of LiqLens while off, and the overlay on the chart once turned on', async () => {
    const connected = binance.waitForClient();
    await browser.setSettings(settings(false));
    await connected;
    await expect.poll(registered, { timeout: 10_000 }).toEqual([]);
    expect(binance.markPrice('BTCUSDT', 97_000)).toBeGreaterThan(0);

    const url = fixtures.url('/chart.html?price=97000&symbol=BTCUSDT');
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => 'fixtureChart' in window);
    // Long enough for a declared script to have mounted (it does within a second on this page).
    await page.waitForTimeout(2_000);
    expect(await page.locator('liqlens-overlay').count()).toBe(0);
    expect(await bridgeAnswers(page)).toBe(false);
    expect(await pageInfo(url)).toBeNull();

    // Turned on where a trader does it: Options asks for the hosts on the click (granted already here,
    // so the browser answers at once), and says the open tabs need a reload.
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html#sec-overlay`);
    await options.getByLabel('Local chart pages (localhost)').check();
    await expect
      .poll(() => options.getByTestId('sites-status').innerText())
      .toMatch(/Added Local chart pages \(localhost\)\. Reload its open tabs/);
    await expect.poll(registered, { timeout: 10_000 }).toEqual(expect.arrayContaining(['http://localhost/*', 'http://127.0.0.1/*']));
    await options.close();
    expect(await page.locator('liqlens-overlay').count(), 'the open tab before its reload').toBe(0);
    await page.reload();
    await page.locator('liqlens-overlay [data-testid=chart-overlay]').waitFor({ timeout: 10_000 });
    // The overlay took the bridge's one channel and reads the page's own chart through it.
    await expect.poll(() => pageInfo(url), { timeout: 10_000 }).toBe('chart');
    expect(await bridgeAnswers(page)).toBe(false);

    // Off again: the registration goes (the open page keeps what it loaded until it reloads).
    await browser.setSettings(settings(false));
    await expect.poll(registered, { timeout: 10_000 }).toEqual([]);
    await page.reload();
    await page.waitForFunction(() => 'fixtureChart' in window);
    await page.waitForTimeout(2_000);
    expect(await page.locator('liqlens-overlay').count()).toBe(0);
    expect(await bridgeAnswers(page)).toBe(false);
    await page.close();
  });
});

/**
 * Launches Debian's Firefox ESR headless with the built Firefox extension (.output/firefox-mv2),
 * driven over WebDriver BiDi by puppeteer-core (which never downloads a browser). What it takes:
 * - `installExtension` loads the unpacked build as a temporary add-on;
 * - a fixed extension UUID (the `extensions.webextensions.uuids` pref) gives stable moz-extension://
 *   URLs, and `--remote-allow-system-access` lets the driver open those pages;
 * - `goto` on an extension page may never see its load event under BiDi: pages are opened without
 *   waiting for it, and callers wait for content instead;
 * - the background is an event page (MV2 `background.scripts`) that BiDi does not expose: settings
 *   are written and read from an extension page, with the same `browser.storage` the worker sees;
 * - nothing but loopback is reachable: every other host goes to a proxy on 127.0.0.1:9, which
 *   refuses at once (the Chromium harness does the same with a host resolver rule);
 * - local chart pages (the fixtures) are granted as the trader grants them: a click in an extension
 *   page asks `permissions.request`, and the prompt is answered yes by Firefox's own test pref.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { SETTINGS_VERSION } from '../../lib/settings';
import { LOCAL_PAGE_HOSTS } from './chromium-grants';
import { runTimeSitesProbe, waitForRunTimeSites } from './run-time-sites';

export const FIREFOX_EXTENSION_DIR = new URL('../../.output/firefox-mv2/', import.meta.url).pathname;
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The manifest's gecko id (wxt.config.ts) and the UUID its pages get here. */
const EXTENSION_ID = 'liqlens@liqlens.dev';
export const FIREFOX_EXTENSION_UUID = '6c1f2d7e-4b1a-4a53-9d3e-0f1e2a3b4c5d';

const PREFS: Record<string, unknown> = {
  'extensions.webextensions.uuids': JSON.stringify({ [EXTENSION_ID]: FIREFOX_EXTENSION_UUID }),
  // Loopback only: everything else is sent to a proxy that is not there.
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.socks': '127.0.0.1',
  'network.proxy.socks_port': 9,
  'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
  'network.proxy.allow_hijacking_localhost': false,
  // permissions.request (still only on a click) is granted without the doorhanger nobody can answer headless.
  'extensions.webextOptionalPermissionPrompts': false,
};

export interface FirefoxExtensionBrowser {
  browser: Browser;
  /** moz-extension://…/`path`. */
  extensionUrl(path: string): string;
  /** An extension page, once its document has a body with content (its load event may never come). */
  openExtensionPage(path: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** A web page (fixture) at `url`, loaded. */
  openPage(url: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Write the settings item as the Chromium harness does, and wait as it does for the run-time sites. */
  setSettings(settings: unknown): Promise<void>;
  /** The stored settings, read back. */
  storedSettings(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(): Promise<FirefoxExtensionBrowser> {
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${FIREFOX_EXTENSION_DIR}. Run \`npm run build:firefox\` first (npm test does it for you).`);
  }
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}. Install it with \`apt-get install -y firefox-esr\` (or set FIREFOX_PATH).`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: PREFS,
    defaultViewport: { width: 1280, height: 720 },
  });
  try {
    const installed = await browser.installExtension(FIREFOX_EXTENSION_DIR);
    if (installed !== EXTENSION_ID) throw new Error(`installed ${installed}, expected ${EXTENSION_ID}`);
  } catch (err) {
    await browser.close();
    throw err;
  }
  const extensionUrl = (path: string) => `moz-extension://${FIREFOX_EXTENSION_UUID}/${path}`;

  const openExtensionPage = async (path: string, viewport = { width: 580, height: 760 }) => {
    const page = await browser.newPage();
    await page.setViewport(viewport);
    // Not awaited: under BiDi an extension page's navigation may never report its load event.
    page.goto(extensionUrl(path)).catch(() => {});
    // Asked while the page is still navigating, Firefox's remote protocol can fail the evaluation itself
    // ("right-hand side of 'in' should be an object, got null", seen in CI, three times within 255 ms):
    // ask again, a little later, until the same 20 s the wait itself allows.
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await page.waitForFunction(() => (document.body?.textContent?.trim().length ?? 0) > 0, {
          timeout: Math.max(1, deadline - Date.now()),
        });
        return page;
      } catch (err) {
        if (Date.now() >= deadline || !/Protocol error/.test(String((err as Error).cause ?? err))) throw err;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  };

  /** One extension page kept open to reach `browser.storage`. */
  let control: Page | null = null;
  const controlPage = async () => (control ??= await openExtensionPage('options.html', { width: 900, height: 700 }));

  // Local chart pages granted by a real click that asks for them, as Options does when they are turned on.
  {
    const page = await controlPage();
    await page.evaluate((origins) => {
      const ext = (globalThis as unknown as { browser: typeof import('wxt/browser').browser }).browser;
      const button = document.createElement('button');
      button.id = 'harness-grant';
      button.textContent = 'grant';
      button.onclick = () => void ext.permissions.request({ origins }).then((granted) => (button.dataset.granted = String(granted)));
      document.body.prepend(button);
    }, LOCAL_PAGE_HOSTS as string[]);
    await page.click('#harness-grant');
    const granted = await page.waitForFunction(() => document.getElementById('harness-grant')?.dataset.granted, { timeout: 10_000 });
    if ((await granted.jsonValue()) !== 'true') throw new Error(`Firefox did not grant ${LOCAL_PAGE_HOSTS.join(', ')}`);
    await page.evaluate(() => document.getElementById('harness-grant')?.remove());
  }

  return {
    browser,
    extensionUrl,
    openExtensionPage,
    async openPage(url, viewport = { width: 1280, height: 720 }) {
      const page = await browser.newPage();
      await page.setViewport(viewport);
      await page.goto(url);
      return page;
    },
    async setSettings(settings) {
      const page = await controlPage();
      // The function runs in the extension page: `browser` there is the WebExtension API.
      await page.evaluate(
        async (s, v) => {
          const ext = (globalThis as unknown as { browser: typeof import('wxt/browser').browser }).browser;
          await ext.storage.local.set({ settings: s, settings$: { v } });
        },
        settings as Record<string, unknown>,
        SETTINGS_VERSION,
      );
      await waitForRunTimeSites(settings, (patterns) => page.evaluate(runTimeSitesProbe, patterns));
    },
    async storedSettings() {
      const page = await controlPage();
      return page.evaluate(async () => {
        const ext = (globalThis as unknown as { browser: typeof import('wxt/browser').browser }).browser;
        return (await ext.storage.local.get('settings')).settings as Record<string, unknown>;
      });
    },
    async close() {
      await browser.close();
    },
  };
}

/**
 * Launches Debian's Chromium with the built extension loaded (playwright-core never downloads a
 * browser) and gives tests the service worker, the extension id and a way to write settings. Local
 * chart pages (the fixtures, the demo) are granted as a trader's "Allow" would (chromium-grants.ts):
 * the first start of a fresh profile loads the extension, the second has the grant.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { SETTINGS_VERSION } from '../../lib/settings';
import { grantHostsInProfile, hostsGranted, LOCAL_PAGE_HOSTS } from './chromium-grants';
import { runTimeSitesProbe, waitForRunTimeSites } from './run-time-sites';
import { listVenueInfo } from '../../lib/exchanges/catalog';
import type { VenueId } from '../../lib/exchanges/types';

export const EXTENSION_DIR = new URL('../../.output/chrome-mv3/', import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export { QUIET_FLAGS };

/** Flags that keep Chromium off the network it cannot reach here, as root, without a GPU. */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Nothing resolves but loopback: the extension's default (real) venues fail fast on first start,
  // before a test's settings point it at the fake servers. Tests never reach the internet.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker(): Promise<Worker>;
  /**
   * Merge-free write of the settings item (the background sanitizes and fills defaults). Resolves
   * once the worker has registered the content scripts of the run-time sites these settings turn on
   * (local pages): a chart page opened before that would load without the overlay, as a trader's
   * already open tab does until it is reloaded.
   */
  setSettings(settings: unknown): Promise<void>;
  /** The popup as a tab; `view` opens one of its tabs (realized, feeds, alerts, page, zones, map, imbalance). */
  openPopup(view?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchWithExtension(
  options: {
    headless?: boolean;
    viewport?: { width: number; height: number };
    deviceScaleFactor?: number;
    /** Reuse this profile (a browser restart) and keep it on close; default: a fresh one, removed on close. */
    userDataDir?: string;
    /** More Chromium flags (the soak adds --remote-debugging-port=0 to read the worker's heap). */
    extraArgs?: string[];
    /** Optional hosts granted before the browser is handed over (default: local pages; [] for none). */
    grantHosts?: readonly string[];
    /**
     * The browser's UI language, e.g. `ja` or `zh-CN` (default: English): what `browser.i18n` picks a
     * catalogue by. Linux Chromium reads it from LANGUAGE; its locale packs come from chromium-l10n.
     */
    language?: string;
    /** Another build of the extension (the pseudo-locale test loads a copy with its own catalogue). */
    extensionDir?: string;
  } = {},
): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}. Run \`npm run build\` first (npm test does it for you).`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  }
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'liqlens-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: options.headless ?? true,
      viewport: options.viewport ?? { width: 1280, height: 720 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      // Playwright passes --disable-extensions by default; it must not, or nothing loads.
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [
        ...QUIET_FLAGS,
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        ...(options.language ? [`--lang=${options.language}`] : []),
        ...(options.extraArgs ?? []),
      ],
      ...(options.language
        ? { locale: options.language, env: { ...process.env, LANGUAGE: options.language.replace('-', '_'), LC_ALL: '' } }
        : {}),
    });
  const workerOf = async (context: BrowserContext): Promise<Worker> => {
    const live = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    return live ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  };
  let context = await launch();
  const hosts = options.grantHosts ?? LOCAL_PAGE_HOSTS;
  if (hosts.length) {
    const id = new URL((await workerOf(context)).url()).host;
    if (!hostsGranted(userDataDir, id, hosts)) {
      await context.close();
      grantHostsInProfile(userDataDir, id, hosts);
      context = await launch();
    }
  }
  const serviceWorker = () => workerOf(context);
  const extensionId = new URL((await serviceWorker()).url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    async setSettings(settings) {
      const sw = await serviceWorker();
      // `settings$` is @wxt-dev/storage's metadata key: the schema version (SETTINGS_VERSION in lib/settings/schema.ts).
      // `chrome` is the extension's global inside the worker, not in this Node process.
      // The function runs in the worker: everything it uses comes in through its argument.
      await sw.evaluate(
        async ([s, v]) =>
          (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome.storage.local.set({
            settings: s,
            settings$: { v },
          }),
        [settings, SETTINGS_VERSION] as const,
      );
      await waitForRunTimeSites(settings, (patterns) => sw.evaluate(runTimeSitesProbe, patterns));
    },
    async openPopup(view?: string) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 580, height: 760 });
      await page.goto(`chrome-extension://${extensionId}/popup.html${view ? `?view=${view}` : ''}`);
      return page;
    },
    async close() {
      await context.close();
      if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const ALL_VENUES = listVenueInfo().map((v) => v.id);

/**
 * Settings for tests and the demo: the given venues point at loopback fake servers, every other
 * venue is OFF (tests never reach the internet), and the overlay runs on localhost pages.
 */
export function loopbackSettings(
  venues: Partial<Record<VenueId, { ws: string; rest?: string; symbols: string[] }>>,
  overlay: { enabled?: boolean; opacity?: number; localSite?: boolean } = {},
) {
  return {
    venues: Object.fromEntries(
      ALL_VENUES.map((id) => {
        const v = venues[id];
        return [id, v ? { enabled: true, symbols: v.symbols, endpoints: { ws: v.ws, rest: v.rest ?? '' } } : { enabled: false }];
      }),
    ),
    overlay: { enabled: overlay.enabled ?? true, opacity: overlay.opacity ?? 0.9, sites: { local: overlay.localSite ?? true } },
  };
}

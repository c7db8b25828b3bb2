// @vitest-environment happy-dom
/**
 * The background as the browser runs it (WXT's fake browser): the entrypoint's wiring routes every
 * message to the core, and the core is the one settings writer. The regression this guards: the
 * Options page, open while the popup and the keyboard command change settings, used to undo both on
 * its next edit (its draft never re-read storage and autosave wrote the whole object).
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import english from '../../../public/_locales/en/messages.json';
import { PageSiteToggle } from '../../../components/PageSiteToggle';
import background from '../../../entrypoints/background/index';
import { App as Options } from '../../../entrypoints/options/App';
import { changeSettings, removeAllListeners, sendMessage } from '../../../lib/contract/protocol';
import { defaultSettings } from '../../../lib/settings';
import { loadSettings, settingsItem } from '../../../lib/settings/storage';
import { onlyVenues } from '../../harness/memory-ports';

const until = (fn: () => boolean | undefined, timeout = 3_000) => expect.poll(fn, { timeout, interval: 10 }).toBe(true);

/** The fake browser has no commands API: a minimal event the test can fire. */
const commandListeners: ((command: string) => void)[] = [];

beforeEach(async () => {
  fakeBrowser.reset();
  commandListeners.length = 0;
  Object.assign(fakeBrowser.commands, { onCommand: { addListener: (l: (c: string) => void) => commandListeners.push(l) } });
  // Host grants come and go in a real browser; here nothing changes them.
  Object.assign(fakeBrowser.permissions, { onAdded: { addListener: () => {} }, onRemoved: { addListener: () => {} } });
  // The browser's i18n with an English UI (the fake browser has none).
  Object.assign(fakeBrowser.i18n, {
    getUILanguage: () => 'en-US',
    getMessage: (key: string) => (english as Record<string, { message: string }>)[key]?.message ?? '',
  });
  await settingsItem.setValue(onlyVenues({})); // no venue: no socket in this test
  background.main();
  // Started once it answers with the stored settings applied.
  await expect.poll(async () => (await sendMessage('getStatus')).length, { timeout: 3_000 }).toBe(0);
});
afterEach(() => {
  removeAllListeners();
  render(null, document.body);
});

describe('background wiring', () => {
  it('answers the UIs through the core', async () => {
    const snapshot = await sendMessage('getSnapshot');
    expect(snapshot.market).toEqual({ instruments: {}, liquidations: [], zones: {} });
    expect(await sendMessage('getHeatmap', { nonsense: true } as never)).toEqual({ error: expect.stringMatching(/refused/) });
    expect(await sendMessage('changeSettings', { overlay: { opacity: 2 } })).toEqual({ error: expect.stringMatching(/not saved/) });
  });

  it('Options open while the popup and the keyboard command change settings: its next edit undoes nothing', async () => {
    const root = document.createElement('div');
    document.body.append(root);
    await act(() => render(<Options />, root));
    await until(() => root.querySelector('#overlay-opacity') !== null);

    // The popup's "This page" switch turns LiqLens off on TradingView.
    const settings = await loadSettings();
    const page = { siteId: 'tradingview', label: 'TradingView', host: 'www.tradingview.com', mode: 'chart' as const };
    const popup = document.createElement('div');
    document.body.append(popup);
    await act(() => render(<PageSiteToggle settings={settings} page={page} save={async (p) => void (await changeSettings(p))} />, popup));
    const here = popup.querySelector<HTMLInputElement>('#overlay-here')!;
    here.checked = false;
    await act(() => void here.dispatchEvent(new Event('change')));
    await until(() => defaultSettings().overlay.sites.tradingview && settingsSnapshot().sites?.tradingview === false);

    // Alt+Shift+L: the overlay off everywhere.
    for (const l of commandListeners) l('toggle-overlay');
    await until(() => settingsSnapshot().enabled === false);

    // Options follows both at once…
    await until(() => root.querySelector<HTMLInputElement>('#overlay-enabled')?.checked === false);
    expect(root.querySelector<HTMLInputElement>('#site-tradingview')!.checked).toBe(false);

    // …and an edit there changes only what was edited.
    const opacity = root.querySelector<HTMLInputElement>('#overlay-opacity')!;
    opacity.value = '0.35';
    await act(() => void opacity.dispatchEvent(new Event('input')));
    await until(() => settingsSnapshot().opacity === 0.35);
    expect(settingsSnapshot()).toMatchObject({ enabled: false, opacity: 0.35, sites: expect.objectContaining({ tradingview: false }) });
  });
});

let latest: Awaited<ReturnType<typeof loadSettings>>['overlay'] | undefined;
/** The stored overlay settings, refreshed in the background for polling assertions. */
function settingsSnapshot(): Partial<NonNullable<typeof latest>> {
  void loadSettings().then((s) => (latest = s.overlay));
  return latest ?? {};
}

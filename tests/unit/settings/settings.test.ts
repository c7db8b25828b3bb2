import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_PARAMS } from '../../../lib/model/params';
import {
  applySettingsPatch,
  defaultSettings,
  mergeSettingsPatch,
  rebaseDraft,
  sanitizeSettings,
  settingsDiff,
  SETTINGS_VERSION,
  venueFeedConfigs,
} from '../../../lib/settings';
import { loadSettings, settingsItem } from '../../../lib/settings/storage';

beforeEach(() => fakeBrowser.reset());

describe('settings', () => {
  it('defaults stream every venue on its real public endpoints and keep localhost pages off', () => {
    const s = defaultSettings();
    const configs = venueFeedConfigs(s);
    expect(configs.map((c) => c.venue)).toEqual([
      'binance',
      'bybit',
      'okx',
      'bitmex',
      'deribit',
      'hyperliquid',
      'bitget',
      'gate',
      'dydx',
      'kraken',
    ]);
    expect(configs[0]).toEqual({
      venue: 'binance',
      symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
      endpoints: { ws: 'wss://fstream.binance.com', rest: 'https://fapi.binance.com' },
    });
    for (const c of configs) {
      expect(c.endpoints.ws).toMatch(/^wss:\/\//);
      expect(c.endpoints.rest).toMatch(/^https:\/\//);
      expect(c.symbols.length).toBeGreaterThan(0);
    }
    expect(s.overlay.sites.local).toBe(false);
    expect(s.overlay.sites.tradingview).toBe(true);
  });

  it('an endpoint override replaces only the URL it names', () => {
    const s = defaultSettings();
    s.venues.binance!.endpoints.ws = 'ws://127.0.0.1:9443';
    expect(venueFeedConfigs(s)[0].endpoints).toEqual({ ws: 'ws://127.0.0.1:9443', rest: 'https://fapi.binance.com' });
  });

  it('a disabled venue or one without symbols runs no feed', () => {
    const s = defaultSettings();
    s.venues.binance!.symbols = [];
    s.venues.bybit!.enabled = false;
    expect(venueFeedConfigs(s).map((c) => c.venue)).toEqual([
      'okx',
      'bitmex',
      'deribit',
      'hyperliquid',
      'bitget',
      'gate',
      'dydx',
      'kraken',
    ]);
  });

  it('keeps every valid value from damaged input and reports the rest', () => {
    const { settings, problems } = sanitizeSettings({
      venues: {
        binance: {
          enabled: false,
          symbols: ['BTCUSDT', '<script>', 42],
          endpoints: { ws: 'http://wrong-scheme', rest: 'https://proxy.example/api' },
        },
        ftx: { enabled: true },
      },
      overlay: { opacity: 7, sites: { local: true, evil: true, tradingview: 'yes' } },
      __proto__: { polluted: true },
    });
    expect(settings.venues.binance).toEqual({
      enabled: false,
      symbols: ['BTCUSDT'],
      endpoints: { ws: '', rest: 'https://proxy.example/api' },
    });
    expect(settings.overlay.opacity).toBe(0.8);
    expect(settings.overlay.sites.local).toBe(true);
    expect(settings.overlay.sites.tradingview).toBe(true);
    expect('evil' in settings.overlay.sites).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ftx/),
        expect.stringMatching(/invalid symbols/),
        expect.stringMatching(/WebSocket endpoint.*ws:\/\/ or wss:\/\//),
      ]),
    );
  });

  it('is stored as one versioned item and read back sanitized', async () => {
    const s = defaultSettings();
    s.overlay.sites.local = true;
    await settingsItem.setValue(s);
    const stored = await fakeBrowser.storage.local.get(['settings', 'settings$']);
    expect(stored.settings).toEqual(s);
    expect(stored.settings$).toEqual({ v: SETTINGS_VERSION });
    expect(await loadSettings()).toEqual(s);
  });

  it('falls back to defaults when nothing or garbage is stored', async () => {
    expect(await loadSettings()).toEqual(defaultSettings());
    await fakeBrowser.storage.local.set({ settings: 'garbage', settings$: { v: 1 } });
    expect(await loadSettings()).toEqual(defaultSettings());
  });

  it('migrates version 1 settings: every value kept, model defaults added', async () => {
    const v1 = {
      venues: { binance: { enabled: false, symbols: ['ETHUSDT'], endpoints: { ws: 'wss://relay.example', rest: '' } } },
      overlay: { enabled: true, opacity: 0.5, sites: { local: true } },
    };
    await fakeBrowser.storage.local.set({ settings: v1, settings$: { v: 1 } });
    // WXT runs migrations when the extension starts; run them as it does.
    await settingsItem.migrate();
    const stored = (await fakeBrowser.storage.local.get('settings')).settings as { model: unknown };
    expect(stored.model).toEqual(DEFAULT_PARAMS); // migrated in storage, not only patched on read
    const s = await loadSettings();
    expect(s.venues.binance).toEqual(v1.venues.binance);
    expect(s.overlay).toMatchObject({ opacity: 0.5, sites: expect.objectContaining({ local: true }) });
    expect(s.model).toEqual(DEFAULT_PARAMS);
    expect(s.display).toEqual({ aggregateVenues: true });
    expect(s.overlay.layers).toEqual({ estimated: true, realized: true, heatmap: true, positions: true });
    expect((await fakeBrowser.storage.local.get('settings$')).settings$).toEqual({ v: SETTINGS_VERSION });
  });

  it('migrates version 2 settings: overlay layers, threshold, custom sites and calibrations added, the rest kept', async () => {
    const v2 = {
      venues: { bybit: { enabled: true, symbols: ['BTCUSDT'], endpoints: { ws: '', rest: '' } } },
      overlay: { enabled: false, opacity: 0.4, sites: { binance: false } },
      model: { ...DEFAULT_PARAMS, decayHalfLifeHours: 24 },
      display: { aggregateVenues: false },
    };
    await fakeBrowser.storage.local.set({ settings: v2, settings$: { v: 2 } });
    await settingsItem.migrate();
    const stored = (await fakeBrowser.storage.local.get('settings')).settings as { overlay: Record<string, unknown> };
    expect(stored.overlay).toMatchObject({ enabled: false, opacity: 0.4, threshold: 0.1, customSites: [], calibrations: {} });
    const s = await loadSettings();
    expect(s.model.decayHalfLifeHours).toBe(24);
    expect(s.display.aggregateVenues).toBe(false);
    expect(s.overlay.sites.binance).toBe(false);
    expect((await fakeBrowser.storage.local.get('settings$')).settings$).toEqual({ v: SETTINGS_VERSION });
    expect(s.alerts.rules.every((r) => !r.enabled)).toBe(true); // alerts arrive off: nothing pops up unasked
  });

  it('migrates version 3 settings: appearance and alerts added (alerts off), everything else kept', async () => {
    const v3 = {
      ...defaultSettings(),
      overlay: { ...defaultSettings().overlay, threshold: 0.35, customSites: ['https://charts.example.com/*'] },
    } as Record<string, unknown>;
    delete v3.appearance;
    delete v3.alerts;
    await fakeBrowser.storage.local.set({ settings: v3, settings$: { v: 3 } });
    await settingsItem.migrate();
    const s = await loadSettings();
    expect(s.overlay.threshold).toBe(0.35);
    expect(s.overlay.customSites).toEqual(['https://charts.example.com/*']);
    expect(s.appearance).toEqual({ gradient: 'classic', theme: 'system', heatmapScale: { mapping: 'sqrt', top: 1 } });
    expect(s.alerts.rules.length).toBeGreaterThan(0);
    expect(s.alerts.rules.every((r) => !r.enabled)).toBe(true);
    expect((await fakeBrowser.storage.local.get('settings$')).settings$).toEqual({ v: SETTINGS_VERSION });
  });

  it('migrates version 4 settings: the positions layer and the Hyperliquid reader arrive, everything else kept', async () => {
    const v4 = structuredClone(defaultSettings()) as unknown as Record<string, unknown> & {
      overlay: { layers: Record<string, boolean>; opacity: number };
    };
    delete v4.positions;
    delete v4.overlay.layers.positions;
    v4.overlay.opacity = 0.45;
    await fakeBrowser.storage.local.set({ settings: v4, settings$: { v: 4 } });
    await settingsItem.migrate();
    const stored = (await fakeBrowser.storage.local.get('settings')).settings as typeof v4;
    expect(stored.positions).toEqual({ enabled: true, budgetShare: 0.25 });
    expect(stored.overlay.layers).toEqual({ estimated: true, realized: true, heatmap: true, positions: true });
    expect((await loadSettings()).overlay.opacity).toBe(0.45);
    expect(sanitizeSettings({ positions: { budgetShare: 0.9 } }).problems).toEqual(['the Hyperliquid budget share must be 5–50 %']);
  });

  it('migrates version 5 settings: following the page’s coin arrives on, with five minutes of grace', async () => {
    const v5 = structuredClone(defaultSettings()) as unknown as Record<string, unknown>;
    delete v5.follow;
    await fakeBrowser.storage.local.set({ settings: v5, settings$: { v: 5 } });
    await settingsItem.migrate();
    expect(((await fakeBrowser.storage.local.get('settings')).settings as { follow: unknown }).follow).toEqual({
      enabled: true,
      graceMinutes: 5,
    });
    expect(sanitizeSettings({ follow: { graceMinutes: 90 } }).problems).toEqual(['the grace period must be 0–60 whole minutes']);
    expect(sanitizeSettings({ follow: { enabled: false, graceMinutes: 0 } }).settings.follow).toEqual({ enabled: false, graceMinutes: 0 });
  });

  it('migrates version 6 settings: the heatmap colour scale arrives as it drew before (auto, √), gradient and theme kept', async () => {
    const v6 = structuredClone(defaultSettings()) as unknown as { appearance: Record<string, unknown> };
    v6.appearance = { gradient: 'viridis', theme: 'light' };
    await fakeBrowser.storage.local.set({ settings: v6, settings$: { v: 6 } });
    await settingsItem.migrate();
    expect(((await fakeBrowser.storage.local.get('settings')).settings as typeof v6).appearance).toEqual({
      gradient: 'viridis',
      theme: 'light',
      heatmapScale: { mapping: 'sqrt', top: 1 },
    });
    expect(sanitizeSettings({ appearance: { heatmapScale: { mapping: 'cubic', top: 0.001 } } }).problems).toEqual([
      'the heatmap mapping must be linear, sqrt or log',
      "the heatmap's top colour must be 2–100 % of the strongest level",
    ]);
    expect(sanitizeSettings({ appearance: { heatmapScale: { mapping: 'log', top: 0.25 } } }).settings.appearance.heatmapScale).toEqual({
      mapping: 'log',
      top: 0.25,
    });
  });

  it('migrates version 7 settings: no dragged handle yet; a dragged place per site is kept only inside the pane', async () => {
    const v7 = structuredClone(defaultSettings()) as unknown as { overlay: Record<string, unknown> };
    delete v7.overlay.handlePositions;
    v7.overlay.pageInstruments = { 'charts.example.com': 'binance:BTCUSDT' };
    await fakeBrowser.storage.local.set({ settings: v7, settings$: { v: 7 } });
    await settingsItem.migrate();
    const overlay = ((await fakeBrowser.storage.local.get('settings')).settings as typeof v7).overlay;
    expect(overlay.handlePositions).toEqual({});
    expect(overlay.pageInstruments).toEqual({ 'charts.example.com': 'binance:BTCUSDT' });
    const { settings, problems } = sanitizeSettings({
      overlay: { handlePositions: { 'www.tradingview.com': { x: 0.8, y: 0.05 }, 'x.com': { x: 1.5, y: 0 }, 'evil host': { x: 0, y: 0 } } },
    });
    expect(settings.overlay.handlePositions).toEqual({ 'www.tradingview.com': { x: 0.8, y: 0.05 } });
    expect(problems).toHaveLength(2);
  });

  it('migrates version 8 settings: no position of mine yet; typed ones are kept only when a trader could mean them', async () => {
    const v8 = structuredClone(defaultSettings()) as unknown as Record<string, unknown>;
    delete v8.myPositions;
    await fakeBrowser.storage.local.set({ settings: v8, settings$: { v: 8 } });
    await settingsItem.migrate();
    const stored = (await fakeBrowser.storage.local.get('settings')).settings as ReturnType<typeof defaultSettings>;
    expect(stored.myPositions).toEqual({ typed: [], hyperliquidAddress: '', alertWithinPct: 2 });
    const good = { id: 'a', venue: 'binance', coin: 'BTC', side: 'long', entry: 97_000, size: 0.5, leverage: 50 };
    const { settings, problems } = sanitizeSettings({
      myPositions: {
        hyperliquidAddress: '0xABCDEF0123456789abcdef0123456789ABCDEF01',
        alertWithinPct: 1.5,
        typed: [good, { ...good, id: 'b', leverage: undefined }, { ...good, id: 'c', venue: 'nowhere' }, { ...good, id: 'd', entry: -1 }],
      },
    });
    expect(settings.myPositions.typed).toEqual([good]);
    expect(settings.myPositions.alertWithinPct).toBe(1.5);
    expect(settings.myPositions.hyperliquidAddress).toBe('0xabcdef0123456789abcdef0123456789abcdef01');
    expect(sanitizeSettings({ myPositions: { hyperliquidAddress: '0x123' } }).problems).toEqual([
      'a Hyperliquid address is 0x and 40 hex digits',
    ]);
    expect(problems.join('\n')).toMatch(/give its leverage, its margin or the liquidation price/);
    expect(problems).toHaveLength(3);
    expect(sanitizeSettings({ myPositions: { alertWithinPct: 80 } }).problems).toEqual(['the position alert distance must be 0–50 %']);
  });

  it('keeps valid custom sites and calibrations, and says why it drops bad ones', () => {
    const calibration = { y1: 100, price1: 98_000, y2: 500, price2: 96_000, axisX: 1200, mode: 'linear' };
    const { settings, problems } = sanitizeSettings({
      overlay: {
        customSites: ['https://charts.example.com/*', '<all_urls>', 'https://*/*', 42],
        calibrations: { 'charts.example.com': calibration, 'evil host': calibration, 'x.com': { ...calibration, y2: 50 } },
        threshold: 0.3,
        layers: { heatmap: false },
      },
    });
    expect(settings.overlay.customSites).toEqual(['https://charts.example.com/*']);
    expect(settings.overlay.calibrations).toEqual({ 'charts.example.com': calibration });
    expect(settings.overlay.threshold).toBe(0.3);
    expect(settings.overlay.layers).toEqual({ estimated: true, realized: true, heatmap: false, positions: true });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/charts\.example\.com\/\*/);
  });

  it('rejects model parameters whose leverage weights do not sum to 100 %, keeping the defaults', () => {
    const { settings, problems } = sanitizeSettings({ model: { ...DEFAULT_PARAMS, leverage: [{ leverage: 10, weight: 0.6 }] } });
    expect(settings.model).toEqual(DEFAULT_PARAMS);
    expect(problems[0]).toMatch(/sum to 100 %/);
    const ok = sanitizeSettings({
      model: { ...DEFAULT_PARAMS, gridStep: 0.0005, decayHalfLifeHours: 12 },
      display: { aggregateVenues: false },
    });
    expect(ok.problems).toEqual([]);
    expect(ok.settings.model.gridStep).toBe(0.0005);
    expect(ok.settings.display.aggregateVenues).toBe(false);
  });
});

describe('settings patches', () => {
  it('a diff is the smallest patch, and merging it back gives the edited settings', () => {
    const base = defaultSettings();
    const edited = structuredClone(base);
    edited.overlay.opacity = 0.3;
    edited.venues.binance!.symbols = ['BTCUSDT'];
    edited.overlay.calibrations = {};
    base.overlay.calibrations = { 'x.example.com': { y1: 1, price1: 2, y2: 3, price2: 4, axisX: 5, mode: 'log' } };
    const patch = settingsDiff(base, edited);
    expect(patch).toEqual({
      overlay: { opacity: 0.3, calibrations: { 'x.example.com': null } },
      venues: { binance: { symbols: ['BTCUSDT'] } },
    });
    expect(mergeSettingsPatch(base, patch!)).toEqual(edited);
    expect(settingsDiff(base, structuredClone(base))).toBeUndefined();
  });

  it('a patch with an invalid value is refused whole; null puts a field back to its default', () => {
    const base = defaultSettings();
    base.overlay.opacity = 0.5;
    expect(applySettingsPatch(base, { overlay: { opacity: 0.2, threshold: 5 } })).toHaveProperty('error');
    expect(applySettingsPatch(base, { overlay: { opacity: null } })).toEqual({ settings: defaultSettings() });
    expect(applySettingsPatch(base, [1, 2])).toHaveProperty('error');
  });

  it('a draft rebased on settings changed elsewhere keeps its own edits and marks the fields both changed', () => {
    const base = defaultSettings();
    const draft = structuredClone(base);
    draft.overlay.opacity = 0.4; // edited here, not saved yet
    draft.venues.okx!.symbols = ['ETH-USDT-SWAP'];
    const stored = structuredClone(base);
    stored.overlay.enabled = false; // the keyboard command
    stored.overlay.sites.tradingview = false; // the popup's site switch
    stored.venues.okx!.symbols = ['SOL-USDT-SWAP']; // the popup followed another coin
    const { draft: rebased, conflicts } = rebaseDraft(base, draft, stored);
    expect(rebased.overlay).toMatchObject({ enabled: false, opacity: 0.4, sites: expect.objectContaining({ tradingview: false }) });
    expect(rebased.venues.okx!.symbols).toEqual(['ETH-USDT-SWAP']);
    expect(conflicts).toEqual(['venues.okx.symbols']);
  });

  it('keeps a half-typed value in the draft (the editor shows it as an error; it is not saved)', () => {
    const base = defaultSettings();
    const draft = structuredClone(base);
    draft.venues.binance!.endpoints.ws = 'proxy.exa'; // no scheme yet: invalid
    const stored = structuredClone(base);
    stored.overlay.opacity = 0.6;
    const { draft: rebased } = rebaseDraft(base, draft, stored);
    expect(rebased.venues.binance!.endpoints.ws).toBe('proxy.exa');
    expect(rebased.overlay.opacity).toBe(0.6);
  });

  it('an edit that was saved meanwhile is no conflict', () => {
    const base = defaultSettings();
    const draft = structuredClone(base);
    draft.overlay.opacity = 0.4;
    const stored = structuredClone(draft);
    expect(rebaseDraft(base, draft, stored)).toEqual({ draft: stored, conflicts: [] });
  });
});

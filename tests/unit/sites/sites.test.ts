// @vitest-environment happy-dom
/** Site adapters' pure parts: symbol follow, calibration, heatmap requests and wire format, discovery, the private bridge channel. */
import { describe, expect, it } from 'vitest';
import { covers, heatmapRequestFor } from '../../../components/use-heatmap';
import { decodeEstimated, encodeHeatmap, heatmapRequestError } from '../../../lib/contract/heatmap-wire';
import type { HeatmapGrid } from '../../../lib/contract/market';
import { BRIDGE_TAG, listenForBridge, parseBridgeMessage, type ChartReport } from '../../../lib/sites/bridge';
import { lightweightChartsAdapter } from '../../../lib/sites/lightweight-charts';
import { chartingLibraryAdapter } from '../../../lib/sites/charting-library';
import { calibratedReport, priceToY } from '../../../lib/sites/ladder';
import { startPageBridge } from '../../../lib/sites/page-bridge';
import { FakeClock, nextTurn } from '../../harness/fake-clock';
import { matchByPrice, parseChartSymbol, pickInstrument, symbolFromUrl } from '../../../lib/sites/symbols';
import { overlayMatches, siteForUrl } from '../../../lib/sites';

describe('symbol follow', () => {
  it.each([
    ['BINANCE:BTCUSDT.P', 'binance', 'BTC'],
    ['BYBIT:ETHUSDT.P', 'bybit', 'ETH'],
    ['BITMEX:XBTUSD', 'bitmex', 'BTC'],
    ['OKX:SOLUSDT.P', 'okx', 'SOL'],
    ['BTC-USDT-SWAP', undefined, 'BTC'],
    ['DERIBIT:BTC-PERPETUAL', 'deribit', 'BTC'],
    ['BINANCE:1000PEPEUSDT.P', 'binance', 'PEPE'],
    ['XBTUSDTM25', undefined, 'BTC'],
  ])('%s → %s %s', (symbol, venue, coin) => {
    expect(parseChartSymbol(symbol)).toMatchObject({ venue, coin });
  });

  it('rejects what is not a symbol', () => {
    expect(parseChartSymbol('<img src=x>')).toBeUndefined();
    expect(parseChartSymbol('')).toBeUndefined();
    expect(parseChartSymbol('A'.repeat(100))).toBeUndefined();
  });

  it.each([
    ['https://www.binance.com/en/futures/BTCUSDT', 'binance', 'BTC'],
    ['https://www.bybit.com/trade/usdt/ETHUSDT', 'bybit', 'ETH'],
    ['https://www.okx.com/trade-swap/sol-usdt-swap', 'okx', 'SOL'],
    ['https://www.bitmex.com/app/trade/XBTUSD', 'bitmex', 'BTC'],
    ['https://www.deribit.com/futures/ETH-PERPETUAL', 'deribit', 'ETH'],
    ['https://app.hyperliquid.xyz/trade/HYPE', 'hyperliquid', 'HYPE'],
    ['https://www.tradingview.com/chart/abc/?symbol=BYBIT%3ABTCUSDT.P', 'bybit', 'BTC'],
    // The trading pages of the four venues added in #26, as each venue links them.
    ['https://www.bitget.com/futures/usdt/BTCUSDT', 'bitget', 'BTC'],
    ['https://www.bitget.com/en/futures/usdt/ETHUSDT', 'bitget', 'ETH'],
    ['https://www.gate.com/futures/USDT/BTC_USDT', 'gate', 'BTC'],
    ['https://www.gate.io/futures/usdt/SOL_USDT', 'gate', 'SOL'],
    ['https://futures.kraken.com/trade/futures/PF_XBTUSD', 'kraken', 'BTC'],
    ['https://futures.kraken.com/trade/futures/FI_ETHUSD_260327', 'kraken', 'ETH'],
    ['https://dydx.trade/trade/BTC-USD', 'dydx', 'BTC'],
    ['https://dydx.trade/trade/ETH-USD?tab=positions', 'dydx', 'ETH'],
  ])('reads the symbol from %s', (url, venue, coin) => {
    expect(symbolFromUrl(url)).toMatchObject({ venue, coin });
  });

  it('picks the page’s own venue first, then a USDT perpetual, and nothing for a coin not followed', () => {
    const instruments = ['okx:BTC-USD-SWAP', 'okx:BTC-USDT-SWAP', 'binance:BTCUSDT', 'bybit:BTCUSDT', 'binance:ETHUSDT'];
    expect(pickInstrument(parseChartSymbol('BYBIT:BTCUSDT.P'), instruments)).toBe('bybit:BTCUSDT');
    expect(pickInstrument(parseChartSymbol('OKX:BTCUSDT.P'), instruments)).toBe('okx:BTC-USDT-SWAP');
    expect(pickInstrument(parseChartSymbol('ETHUSD'), instruments)).toBe('binance:ETHUSDT');
    expect(pickInstrument(parseChartSymbol('BINANCE:DOGEUSDT.P'), instruments)).toBeUndefined();
  });

  it('runs on the trading pages of every venue streamed, and not on their other pages', () => {
    for (const [url, id] of [
      ['https://www.bitget.com/futures/usdt/BTCUSDT', 'bitget'],
      ['https://www.gate.com/zh/futures/USDT/BTC_USDT', 'gate'],
      ['https://futures.kraken.com/trade/futures/PF_XBTUSD', 'kraken'],
      ['https://dydx.trade/trade/BTC-USD', 'dydx'],
    ])
      expect(siteForUrl(url)?.id, url).toBe(id);
    // The manifest's patterns decide which paths get the script: no trading path, no pattern.
    const matched = (url: string) =>
      overlayMatches.some((m) => new RegExp(`^${m.replace(/[.?]/g, '\\$&').replace(/\*/g, '.*')}$`).test(url));
    expect(matched('https://www.bitget.com/futures/usdt/BTCUSDT')).toBe(true);
    expect(matched('https://www.bitget.com/spot/BTCUSDT')).toBe(false);
    expect(matched('https://www.gate.com/trade/BTC_USDT')).toBe(false);
    expect(matched('https://dydx.trade/portfolio')).toBe(false);
    expect(matched('https://futures.kraken.com/trade/futures/PF_XBTUSD')).toBe(true);
  });

  it('knows custom sites only while they are listed', () => {
    expect(siteForUrl('https://charts.example.com/btc')).toBeUndefined();
    expect(siteForUrl('https://charts.example.com/btc', ['https://charts.example.com/*'])?.id).toBe('custom');
    expect(siteForUrl('https://www.binance.com/en/futures/BTCUSDT', ['https://charts.example.com/*'])?.id).toBe('binance');
  });
});

describe('a page that names no symbol, matched by its chart’s last price', () => {
  const prices = new Map([
    ['BTC', 28_140],
    ['ETH', 1_900],
    ['SOL', 21.4],
  ]);

  it('is the one coin trading within 1 % of the chart’s price', () => {
    expect(matchByPrice(28_140, prices)).toBe('BTC');
    expect(matchByPrice(28_140 * 1.0099, prices)).toBe('BTC');
    expect(matchByPrice(1_889, prices)).toBe('ETH');
  });

  it('is none when nothing trades there, when two coins do, or without a price', () => {
    expect(matchByPrice(28_140 * 1.011, prices)).toBeUndefined(); // just beyond 1 %
    expect(matchByPrice(5_000, prices)).toBeUndefined();
    expect(matchByPrice(21.4, new Map([...prices, ['LTC', 21.5]]))).toBeUndefined(); // ambiguous: ask
    expect(matchByPrice(undefined, prices)).toBeUndefined();
    expect(matchByPrice(28_140, new Map())).toBeUndefined();
  });
});

describe('two-click calibration', () => {
  it.each(['linear', 'log'] as const)('puts each clicked price back at its clicked y (%s)', (mode) => {
    const c = { y1: 150, price1: 98_000, y2: 450, price2: 95_000, axisX: 1100, mode };
    const r = calibratedReport(c, 700);
    const scale = { from: r.priceFrom, to: r.priceTo, height: r.pane.height, mode: r.mode };
    expect(priceToY(scale, 98_000)).toBeCloseTo(150, 6);
    expect(priceToY(scale, 95_000)).toBeCloseTo(450, 6);
    expect(r.pane).toEqual({ x: 0, y: 0, width: 1100, height: 700 });
  });
});

function grid(): HeatmapGrid {
  const columns = 4;
  const rows = 3;
  const g: HeatmapGrid = {
    from: 0,
    to: 240_000,
    columns,
    rows,
    low: 90_000,
    high: 100_000,
    estimated: new Float32Array(columns * rows),
    realizedLong: new Float32Array(columns * rows),
    realizedShort: new Float32Array(columns * rows),
    price: new Float64Array(columns).fill(NaN),
  };
  g.estimated[0] = 1_000_000;
  g.estimated[5] = 250_000;
  g.realizedShort[7] = 42_000;
  g.price[1] = 95_000;
  return g;
}

describe('heatmap on the wire', () => {
  it('keeps intensities within a byte’s precision, realized cells sparse, sweeps in range only', () => {
    const sweeps = [
      { time: 60_000, price: 95_000, side: 'long' as const, usd: 5_000 },
      { time: 60_000, price: 50_000, side: 'long' as const, usd: 9_000 }, // below the grid
      { time: 999_999, price: 95_000, side: 'short' as const, usd: 9_000 }, // after it
    ];
    const wire = JSON.parse(JSON.stringify(encodeHeatmap(grid(), sweeps)));
    const t = decodeEstimated(wire);
    expect(wire.maxUsd).toBe(1_000_000);
    expect(t[0]).toBeCloseTo(1, 5);
    expect(t[5]).toBeCloseTo(0.25, 2);
    expect(t[1]).toBe(0);
    expect(wire.realized).toEqual([[2, 1, 0, 42_000]]);
    expect(wire.price).toEqual([null, 95_000, null, null]);
    expect(wire.sweeps).toEqual([[60_000, 95_000, true, 5_000]]);
  });

  it.each([
    [{ target: 'coin:BTC', from: 2, to: 1, columns: 10, rows: 10, low: 1, high: 2 }, /time range/],
    [{ target: 'coin:BTC', from: 0, to: 1, columns: 1e6, rows: 10, low: 1, high: 2 }, /columns/],
    [{ target: 'coin:BTC', from: 0, to: 1, columns: 10, rows: 10, low: -1, high: 2 }, /price range/],
    [{ target: '<x>', from: 0, to: 1, columns: 10, rows: 10, low: 1, high: 2 }, /target/],
    [null, /object/],
  ])('refuses a bad request %#', (request, why) => {
    expect(heatmapRequestError(request)).toMatch(why);
  });

  const report: ChartReport = {
    priceFrom: 96_000,
    priceTo: 98_000,
    pane: { x: 0, y: 0, width: 1000, height: 600 },
    mode: 'linear',
    timeFrom: Date.UTC(2026, 10, 23, 10),
    timeTo: Date.UTC(2026, 10, 23, 14),
  };
  const now = Date.UTC(2026, 10, 23, 14);

  it('asks for the visible range with margins, no finer than a minute or the model’s grid', () => {
    const r = heatmapRequestFor('coin:BTC', report, now, 0.001)!;
    expect(heatmapRequestError(r)).toBeUndefined();
    expect(r.from).toBe(Date.UTC(2026, 10, 23, 8));
    expect(r.to).toBe(now + 60_000); // never far into the future
    expect(r.low).toBeLessThan(report.priceFrom);
    expect(r.high).toBeGreaterThan(report.priceTo);
    expect(r.columns).toBeLessThanOrEqual((r.to - r.from) / 60_000);
    expect(r.rows).toBeLessThanOrEqual(Math.log(r.high / r.low) / Math.log(1.001));
  });

  it('reuses a cached grid while the view stays inside it, and asks again when it leaves', () => {
    const cached = heatmapRequestFor('coin:BTC', report, now)!;
    const panned = { ...report, timeFrom: report.timeFrom! - 3_600_000, timeTo: report.timeTo! - 3_600_000 };
    expect(covers(cached, heatmapRequestFor('coin:BTC', panned, now)!, panned, now)).toBe(true);
    const far = { ...report, timeFrom: report.timeFrom! - 86_400_000, timeTo: report.timeTo! - 86_400_000 };
    expect(covers(cached, heatmapRequestFor('coin:BTC', far, now)!, far, now)).toBe(false);
    expect(covers(cached, heatmapRequestFor('coin:ETH', report, now)!, report, now)).toBe(false);
    // Zoomed in: the cached cells are already the finest there are (a minute, a grid step).
    const zoomedIn = { ...report, priceFrom: 96_900, priceTo: 97_100, timeFrom: report.timeTo! - 600_000 };
    expect(covers(cached, heatmapRequestFor('coin:BTC', zoomedIn, now)!, zoomedIn, now)).toBe(true);
    const lower = { ...report, priceFrom: 90_000, priceTo: 92_000 };
    expect(covers(cached, heatmapRequestFor('coin:BTC', lower, now)!, lower, now)).toBe(false);
  });
});

describe('Charting Library discovery by API shape', () => {
  const priceScale = { getVisiblePriceRange: () => ({ from: 1, to: 2 }), getMode: () => 0 };
  const widget = { activeChart: () => ({ getPanes: () => [{ getHeight: () => 100, getMainSourcePriceScale: () => priceScale }] }) };

  it('finds a widget under any global name, and only something with the whole shape', () => {
    const w = window as unknown as Record<string, unknown>;
    const adapter = chartingLibraryAdapter();
    w.__lookalike = { activeChart: () => ({ getPanes: () => [] }) };
    w.__throws = {
      activeChart: () => {
        throw new Error('not ready');
      },
    };
    expect(adapter.find(window, 1)).toBeNull();
    w.__someBundleName = widget;
    expect(adapter.find(window, 2)).toBeNull(); // full scans run every few passes only
    expect(adapter.find(window, 1)?.kind).toBe('charting-library');
    delete w.__someBundleName;
    w.tvWidget = widget; // a known hook is found on every pass
    expect(adapter.find(window, 2)?.kind).toBe('charting-library');
    delete w.tvWidget;
  });
});

describe('lightweight-charts: the changes it announces', () => {
  it('tells the bridge about new data, chart options and price-scale options, so its timer only looks for layout moves', () => {
    const rangeHandlers: (() => void)[] = [];
    const series = { coordinateToPrice: (y: number) => 100 - y, update: () => {}, setData: () => {} };
    const chart = {
      chartElement: () => ({ isConnected: true }) as unknown as HTMLElement,
      applyOptions: () => {},
      priceScale: () => ({ applyOptions: () => {}, options: () => ({ mode: 0 }) }),
      timeScale: () => ({
        getVisibleRange: () => null,
        subscribeVisibleLogicalRangeChange: (h: () => void) => rangeHandlers.push(h),
        unsubscribeVisibleLogicalRangeChange: () => {},
      }),
      addCandlestickSeries: () => series,
    };
    const win = {} as Record<string, unknown>;
    const adapter = lightweightChartsAdapter();
    adapter.install!(win as unknown as Window);
    win.LightweightCharts = { createChart: () => chart }; // the page loads the library after us
    const created = (win.LightweightCharts as { createChart(): typeof chart }).createChart();
    const main = (created as unknown as { addCandlestickSeries(): typeof series }).addCandlestickSeries();
    const source = adapter.find(win as unknown as Window, 1)!;
    expect(source.pollMs).toBe(1_000);
    let changes = 0;
    source.watch!(
      () => changes++,
      () => {},
    );
    main.update();
    main.setData();
    created.applyOptions();
    (created.priceScale as (id: string) => { applyOptions(o: unknown): void })('right').applyOptions({ mode: 1 });
    rangeHandlers.forEach((h) => h());
    expect(changes).toBe(5);
  });
});

describe('the private bridge channel', () => {
  const report: ChartReport = { priceFrom: 96_000, priceTo: 98_000, pane: { x: 0, y: 41, width: 800, height: 500 }, mode: 'linear' };

  /**
   * A window as far as the bridge uses one: postMessage with transferred ports (dispatched later, as
   * a task), synchronous DOM events, listeners per type, timers. `hellos` counts hellos posted.
   */
  /**
   * `ms` of the page's time passes (its timers and frames on the fake clock), with the real event
   * loop turning between them so posted messages and MessagePort deliveries arrive.
   */
  async function passes(clock: FakeClock, ms: number): Promise<void> {
    const turns = async () => {
      for (let i = 0; i < 20; i++) await nextTurn();
    };
    await turns();
    await clock.advance(ms, turns);
    await turns();
  }

  /** A named wait for MessagePort deliveries (real I/O): turns of the event loop until `arrived`, bounded. */
  async function delivered(arrived: () => boolean): Promise<void> {
    for (let i = 0; i < 10_000 && !arrived(); i++) await nextTurn();
  }

  function fakeWindow(clock: FakeClock) {
    const listeners = new Map<string, Set<(e: MessageEvent) => void>>();
    const of = (type: string) => listeners.get(type) ?? listeners.set(type, new Set()).get(type)!;
    let running = true;
    const win = {
      MessageChannel,
      Event,
      hellos: 0,
      postMessage(data: unknown, _origin: string, transfer: MessagePort[] = []) {
        if ((data as { tag?: string }).tag === 'liqlens:bridge-hello:v1') win.hellos++;
        setTimeout(() => [...of('message')].forEach((l) => l({ source: win, data, ports: transfer } as unknown as MessageEvent)), 0);
      },
      dispatchEvent: (e: Event) => {
        [...of(e.type)].forEach((l) => l(e as MessageEvent));
        return true;
      },
      addEventListener: (type: string, l: (e: MessageEvent) => void) => of(type).add(l),
      removeEventListener: (type: string, l: (e: MessageEvent) => void) => of(type).delete(l),
      document: { hidden: false, addEventListener: () => {} },
      requestAnimationFrame: (cb: () => void) => (running ? clock.setTimeout(cb, 16) : 0),
      setTimeout: (cb: () => void, ms: number) => (running ? clock.setTimeout(cb, ms) : 0),
      stop: () => (running = false),
    };
    return win;
  }

  it('delivers the bridge’s reports and ignores reports and hellos the page posts', async () => {
    const clock = new FakeClock();
    const win = fakeWindow(clock);
    const w = win as unknown as Window & typeof globalThis;
    const got: (ChartReport | null)[] = [];
    const listener = listenForBridge(w, (r) => got.push(r));
    // The page grabs every port it sees and pushes a fake report through it.
    const stolen: MessagePort[] = [];
    win.addEventListener('message', (e) => stolen.push(...e.ports));
    const bridge = startPageBridge(w, [{ id: 'fake', find: () => ({ kind: 'fake', read: () => report }) }]);
    // Then its own hello with its own port, and a well-formed report on the window.
    const evil = new MessageChannel();
    win.postMessage({ tag: 'liqlens:bridge-hello:v1' }, '*', [evil.port2]);
    evil.port1.postMessage({ tag: BRIDGE_TAG, report: { ...report, priceFrom: 1, priceTo: 2 } });
    win.postMessage({ tag: BRIDGE_TAG, report: { ...report, priceFrom: 1, priceTo: 2 } }, '*');
    await passes(clock, 30);
    for (const port of stolen) port.postMessage({ tag: BRIDGE_TAG, report: { ...report, priceFrom: 1, priceTo: 2 } });
    bridge.reportNow();
    await passes(clock, 60);
    win.stop();
    expect(stolen.length).toBe(2); // the page saw both ports…
    expect(got.length).toBeGreaterThan(0); // …and yet only the bridge's reports arrived
    expect(got.every((r) => r?.priceFrom === 96_000)).toBe(true);
    expect(listener.stats.extraHellos).toBe(1);
    expect(win.hellos).toBe(2); // the page's and one of ours
    listener.stop();
    evil.port1.close();
  });

  it('connects when the bridge starts first and its messages are dispatched before the overlay listens (Firefox’s order)', async () => {
    const clock = new FakeClock();
    const win = fakeWindow(clock);
    const w = win as unknown as Window & typeof globalThis;
    const bridge = startPageBridge(w, [{ id: 'fake', find: () => ({ kind: 'fake', read: () => report }) }]);
    await passes(clock, 30); // a hello posted now would reach nobody
    const got: (ChartReport | null)[] = [];
    const listener = listenForBridge(w, (r) => got.push(r));
    bridge.reportNow();
    await passes(clock, 60);
    await delivered(() => got.length > 0);
    win.stop();
    expect(got.some((r) => r?.priceFrom === 96_000)).toBe(true);
    // One hello only; a request the page dispatches later gets none.
    win.dispatchEvent(new Event('liqlens:bridge-request:v1'));
    expect(win.hellos).toBe(1);
    expect(listener.stats.extraHellos).toBe(0);
    listener.stop();
  });

  it('reads the chart when it may have moved, not on every frame: library events and user input, else a slow poll', async () => {
    const clock = new FakeClock();
    const win = fakeWindow(clock);
    const w = win as unknown as Window & typeof globalThis;
    let reads = 0;
    let changed: () => void = () => {};
    startPageBridge(w, [
      {
        id: 'fake',
        find: () => ({
          kind: 'fake',
          read: () => {
            reads++;
            return report;
          },
          watch: (onChange) => {
            changed = onChange;
            return () => {};
          },
        }),
      },
    ]);
    await passes(clock, 520);
    // Still chart: the first read and a poll every 250 ms (per frame would be ~32 reads).
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(reads).toBeLessThanOrEqual(4);
    const still = reads;
    changed(); // the library says the range moved: read in the next frame, once however often it says so
    changed();
    changed();
    await passes(clock, 30);
    expect(reads).toBe(still + 1);
    // The user drags: a read every frame while it lasts.
    const dragging = reads;
    win.dispatchEvent(new Event('pointerdown'));
    await passes(clock, 200);
    expect(reads - dragging).toBeGreaterThanOrEqual(8);
    win.stop();
  });

  it('reads a report cloned in another realm (a Firefox Xray of a page object), and no class instance', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext(
      '({ tag: "liqlens:bridge:v1", report: { priceFrom: 96000, priceTo: 98000, pane: { x: 0, y: 41, width: 800, height: 500 }, mode: "linear" } })',
    );
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    expect(parseBridgeMessage(foreign)).toMatchObject({ priceFrom: 96_000, priceTo: 98_000 });
    class Report {
      tag = BRIDGE_TAG;
      report = report;
    }
    expect(parseBridgeMessage(new Report())).toBeNull();
    expect(parseBridgeMessage({ tag: BRIDGE_TAG, report: Object.assign(new Date(0), report) })).toBeNull();
    // A getter on the report is never run.
    let ran = false;
    const sneaky = {
      ...report,
      get priceFrom() {
        ran = true;
        return 96_000;
      },
    };
    expect(parseBridgeMessage({ tag: BRIDGE_TAG, report: sneaky })).toBeNull();
    expect(ran).toBe(false);
  });
});

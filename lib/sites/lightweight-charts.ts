/**
 * Site adapter for pages built on TradingView's lightweight-charts (Hyperliquid and many others, and
 * the test fixtures). At document_start it wraps the library's global `createChart` as the page loads
 * it and keeps the charts and their first series; the bridge (page-bridge.ts) then reads the visible
 * price range, pane rectangle, scale mode and time range from that series, the chart's own numbers.
 */
import type { ChartReport, ShowPrices } from './bridge';
import type { ChartSource, PageAdapter } from './page-bridge';

interface LwcSeries {
  coordinateToPrice(y: number): number | null;
  [method: string]: unknown;
}
type Handler = (...args: unknown[]) => void;
interface LwcTimeScale {
  getVisibleRange(): { from: unknown; to: unknown } | null;
  timeToCoordinate?(time: unknown): number | null;
  subscribeVisibleLogicalRangeChange?(h: Handler): void;
  unsubscribeVisibleLogicalRangeChange?(h: Handler): void;
  subscribeSizeChange?(h: Handler): void;
  unsubscribeSizeChange?(h: Handler): void;
}
interface LwcChart {
  chartElement(): HTMLElement;
  paneSize?(paneIndex?: number): { width: number; height: number };
  /** `setVisibleRange` since 5.0.7 (it turns the scale's autoscale off, as a drag of the axis does). */
  priceScale(id: string): {
    options(): { mode?: number; scaleMargins?: { top?: number; bottom?: number } };
    setVisibleRange?(range: { from: number; to: number }): void;
  };
  timeScale(): LwcTimeScale;
  [method: string]: unknown;
}
type LwcLibrary = { createChart: (...args: unknown[]) => LwcChart } & Record<string, unknown>;

const WRAPPED = Symbol.for('liqlens.wrapped');

/** Series methods that change its data, and so possibly the autoscaled price range. */
const DATA_METHODS = ['setData', 'update'] as const;
/**
 * With the library's own events and these hooks (data, options, price-scale options) every change of
 * the price scale is announced: the bridge's timer only looks for layout moves, once a second.
 */
const ANNOUNCED_POLL_MS = 1_000;

export function lightweightChartsAdapter(): PageAdapter {
  const charts: { chart: LwcChart; series: LwcSeries | null; onData: Set<() => void> }[] = [];

  const track = (chart: LwcChart) => {
    const entry = { chart, series: null as LwcSeries | null, onData: new Set<() => void>() };
    notifyAfter(chart, 'applyOptions', entry.onData);
    // Price-scale options (mode, invert, margins) change the mapping without any library event.
    const priceScale = chart.priceScale;
    if (typeof priceScale === 'function') {
      const wrapped = new WeakSet<object>();
      chart.priceScale = function (this: unknown, id: string) {
        const api = priceScale.call(this, id) as ReturnType<LwcChart['priceScale']> & Record<string, unknown>;
        if (api && typeof api === 'object' && !wrapped.has(api)) {
          wrapped.add(api);
          notifyAfter(api, 'applyOptions', entry.onData);
        }
        return api;
      };
    }
    charts.push(entry);
    // The first series added is the chart's main one (candles). v5: addSeries; v4: add*Series.
    // Class methods are not enumerable: list own property names of the instance and its prototype.
    const names = new Set([...Object.getOwnPropertyNames(Object.getPrototypeOf(chart) ?? {}), ...Object.getOwnPropertyNames(chart)]);
    for (const name of names) {
      if (!/^add.*Series$/.test(name)) continue;
      const original = chart[name] as (...args: unknown[]) => LwcSeries;
      if (typeof original !== 'function') continue;
      chart[name] = function (this: unknown, ...args: unknown[]) {
        const series = original.apply(this, args);
        if (!entry.series) {
          entry.series = series;
          watchData(series, entry.onData);
        }
        return series;
      };
    }
  };

  const wrap = (lib: unknown): unknown => {
    if (!lib || typeof lib !== 'object' || (lib as Record<symbol, unknown>)[WRAPPED]) return lib;
    const l = lib as LwcLibrary;
    if (typeof l.createChart !== 'function') return lib;
    const createChart = l.createChart;
    // The library object may be frozen: hand the page a copy with a wrapped createChart.
    const copy: Record<string | symbol, unknown> = { ...l };
    copy.createChart = (...args: unknown[]) => {
      const chart = createChart(...args);
      try {
        track(chart);
      } catch {
        // A chart we cannot follow is left alone; the docked ladder stays.
      }
      return chart;
    };
    copy[WRAPPED] = true;
    return copy;
  };

  return {
    id: 'lightweight-charts',
    install(win) {
      const w = win as unknown as Record<string, unknown>;
      let library = w.LightweightCharts;
      if (library) w.LightweightCharts = wrap(library);
      else {
        Object.defineProperty(win, 'LightweightCharts', {
          configurable: true,
          get: () => library,
          set: (v) => {
            library = wrap(v);
          },
        });
      }
    },
    find(): ChartSource | null {
      const main = charts.find((c) => c.series && c.chart.chartElement().isConnected);
      if (!main?.series) return null;
      const { chart, series, onData } = main as { chart: LwcChart; series: LwcSeries; onData: Set<() => void> };
      const scale = chart.priceScale('right');
      return {
        kind: 'lightweight-charts',
        read: () => readChart(chart, series),
        ...(typeof scale.setVisibleRange === 'function' ? { showPrices: (range: ShowPrices) => showPrices(scale, range) } : {}),
        pollMs: ANNOUNCED_POLL_MS,
        // The library's own events: pan and zoom, a resize, new bars (the price scale autoscales).
        watch(changed) {
          const ts = chart.timeScale();
          ts.subscribeVisibleLogicalRangeChange?.(changed);
          ts.subscribeSizeChange?.(changed);
          onData.add(changed);
          return () => {
            ts.unsubscribeVisibleLogicalRangeChange?.(changed);
            ts.unsubscribeSizeChange?.(changed);
            onData.delete(changed);
          };
        },
      };
    },
  };
}

/**
 * Show `range` between the pane's top and bottom rows. The library's visible range is the one inside
 * the scale's margins (20 % top, 10 % bottom by default), so the range asked is narrowed by them
 * first (in log terms on a log scale); otherwise both edges would move out by a margin.
 */
function showPrices(scale: ReturnType<LwcChart['priceScale']>, range: ShowPrices): void {
  const { mode, scaleMargins } = scale.options();
  const log = mode === 1;
  const f = log ? Math.log : (v: number) => v;
  const back = log ? Math.exp : (v: number) => v;
  const lo = f(range.from);
  const hi = f(range.to);
  const top = scaleMargins?.top ?? 0;
  const bottom = scaleMargins?.bottom ?? 0;
  if (!(top + bottom < 1)) return;
  scale.setVisibleRange!({ from: back(lo + (hi - lo) * bottom), to: back(hi - (hi - lo) * top) });
}

/** Wrap the series' data setters on the instance: each call also tells `listeners`. */
function watchData(series: LwcSeries, listeners: Set<() => void>): void {
  for (const method of DATA_METHODS) notifyAfter(series, method, listeners);
}

/** Replace `object[method]` on the instance with one that calls the original, then tells `listeners`. */
function notifyAfter(object: Record<string, unknown>, method: string, listeners: Set<() => void>): void {
  const original = object[method];
  if (typeof original !== 'function') return;
  object[method] = function (this: unknown, ...args: unknown[]) {
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    listeners.forEach((l) => l());
    return result;
  };
}

function readChart(chart: LwcChart, series: LwcSeries): ChartReport | null {
  const el = chart.chartElement();
  if (!el.isConnected) return null;
  const box = el.getBoundingClientRect();
  const size = chart.paneSize?.(0) ?? { width: box.width, height: box.height };
  if (!(size.height > 0 && size.width > 0)) return null;
  const priceTo = series.coordinateToPrice(0);
  const priceFrom = series.coordinateToPrice(size.height);
  if (typeof priceTo !== 'number' || typeof priceFrom !== 'number') return null;
  const mode = chart.priceScale('right').options().mode === 1 ? 'log' : 'linear';
  const r: ChartReport = { priceFrom, priceTo, pane: { x: box.left, y: box.top, width: size.width, height: size.height }, mode };
  const edges = timeEdges(chart.timeScale(), size.width);
  if (edges) [r.timeFrom, r.timeTo] = edges;
  const last = lastPrice(series);
  if (last !== undefined) r.lastPrice = last;
  return r;
}

/** Search to the left when no bar sits at the index asked for (the library's `MismatchDirection.NearestLeft`). */
const NEAREST_LEFT = -1;

/**
 * The newest bar's close (candles, bars) or value (lines, areas): `dataByIndex` (4.1+) asked for an
 * index past the end, searching left, gives the last item. Older versions have no such call.
 */
function lastPrice(series: LwcSeries): number | undefined {
  const byIndex = series.dataByIndex;
  if (typeof byIndex !== 'function') return undefined;
  const bar = byIndex.call(series, Number.MAX_SAFE_INTEGER, NEAREST_LEFT) as { close?: unknown; value?: unknown } | null;
  const price = bar?.close ?? bar?.value;
  return typeof price === 'number' && Number.isFinite(price) && price > 0 ? price : undefined;
}

/**
 * Times (epoch ms) at the pane's left and right edge. The visible range names the first and last
 * visible bars; their x positions extend it linearly to the edges (bars are evenly spaced).
 */
function timeEdges(ts: LwcTimeScale, width: number): [number, number] | null {
  const range = ts.getVisibleRange();
  if (!range || typeof range.from !== 'number' || typeof range.to !== 'number' || !(range.to > range.from)) return null;
  const xFrom = ts.timeToCoordinate?.(range.from);
  const xTo = ts.timeToCoordinate?.(range.to);
  if (typeof xFrom !== 'number' || typeof xTo !== 'number' || !(xTo > xFrom)) return [range.from * 1000, range.to * 1000];
  const msPerPx = ((range.to - range.from) * 1000) / (xTo - xFrom);
  return [range.from * 1000 - xFrom * msPerPx, range.from * 1000 + (width - xFrom) * msPerPx];
}

/* Meant for: pages that load lightweight-charts as a global script (the e2e fixture
   tests/e2e/fixtures/chart.html, many self-hosted dashboards). https://app.hyperliquid.xyz/trade bundles
   the library as a module, out of reach of this hook: there the docked ladder's two-click
   calibration applies. */

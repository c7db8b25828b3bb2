/**
 * Site adapter for pages built on TradingView's lightweight-charts (Hyperliquid and many others, and
 * the test fixtures). Runs in the page's MAIN world at document_start: it wraps the library's
 * `createChart` as the page loads it, keeps the charts and their first series, and reports each
 * animation frame, only when something changed, the plain numbers the overlay needs (visible price
 * range, pane rectangle, scale mode, time range) over postMessage (lib/sites/bridge.ts). It reads
 * from the page; it gives the page nothing.
 */
import { BRIDGE_TAG, type ChartReport } from './bridge';

interface LwcSeries {
  coordinateToPrice(y: number): number | null;
}
interface LwcChart {
  chartElement(): HTMLElement;
  paneSize?(paneIndex?: number): { width: number; height: number };
  priceScale(id: string): { options(): { mode?: number } };
  timeScale(): { getVisibleRange(): { from: unknown; to: unknown } | null };
  addSeries?: (...args: unknown[]) => LwcSeries;
  [method: string]: unknown;
}
type LwcLibrary = { createChart: (...args: unknown[]) => LwcChart } & Record<string, unknown>;

const WRAPPED = Symbol.for('liqlens.wrapped');
/** An unchanged report is repeated this often, for overlays that start after the chart. */
const RESEND_MS = 1_000;

/** Install the hook; returns a function that reports once (for tests). */
export function installLightweightChartsHook(win: Window & typeof globalThis): () => void {
  const charts: { chart: LwcChart; series: LwcSeries | null }[] = [];

  const track = (chart: LwcChart) => {
    const entry = { chart, series: null as LwcSeries | null };
    charts.push(entry);
    // The frame loop starts with the first chart: a page without one costs nothing.
    if (charts.length === 1) win.requestAnimationFrame(frame);
    // The first series added is the chart's main one (candles). v5: addSeries; v4: add*Series.
    // Class methods are not enumerable: list own property names of the instance and its prototype.
    const names = new Set([...Object.getOwnPropertyNames(Object.getPrototypeOf(chart) ?? {}), ...Object.getOwnPropertyNames(chart)]);
    for (const name of names) {
      if (!/^add.*Series$/.test(name)) continue;
      const original = chart[name] as (...args: unknown[]) => LwcSeries;
      if (typeof original !== 'function') continue;
      chart[name] = function (this: unknown, ...args: unknown[]) {
        const series = original.apply(this, args);
        entry.series ??= series;
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

  let library = (win as unknown as Record<string, unknown>).LightweightCharts;
  if (library) (win as unknown as Record<string, unknown>).LightweightCharts = wrap(library);
  else {
    Object.defineProperty(win, 'LightweightCharts', {
      configurable: true,
      get: () => library,
      set: (v) => {
        library = wrap(v);
      },
    });
  }

  let last = '';
  let lastSentAt = 0;
  function report() {
    const main = charts.find((c) => c.series);
    if (!main?.series) return;
    const r = readChart(main.chart, main.series);
    if (!r) return;
    const key = JSON.stringify(r);
    const now = Date.now();
    // Send on change; repeat once a second for an overlay that started after the first report.
    if (key === last && now - lastSentAt < RESEND_MS) return;
    last = key;
    lastSentAt = now;
    win.postMessage({ tag: BRIDGE_TAG, report: r }, '*');
  }
  function frame() {
    report();
    win.requestAnimationFrame(frame);
  }
  return report;
}

function readChart(chart: LwcChart, series: LwcSeries): ChartReport | null {
  const el = chart.chartElement();
  const box = el.getBoundingClientRect();
  const size = chart.paneSize?.(0) ?? { width: box.width, height: box.height };
  if (!(size.height > 0 && size.width > 0)) return null;
  const priceTo = series.coordinateToPrice(0);
  const priceFrom = series.coordinateToPrice(size.height);
  if (typeof priceTo !== 'number' || typeof priceFrom !== 'number') return null;
  const mode = chart.priceScale('right').options().mode === 1 ? 'log' : 'linear';
  const r: ChartReport = { priceFrom, priceTo, pane: { x: box.left, y: box.top, width: size.width, height: size.height }, mode };
  const range = chart.timeScale().getVisibleRange();
  if (range && typeof range.from === 'number' && typeof range.to === 'number') {
    r.timeFrom = range.from * 1000;
    r.timeTo = range.to * 1000;
  }
  return r;
}

/* Test URLs: the e2e fixture tests/e2e/fixtures/chart.html; https://app.hyperliquid.xyz/trade (chart
   library bundled, not global: to be covered by the bundled-library hook). */

/**
 * Site adapter for TradingView charts: tradingview.com itself and exchange pages built on TradingView's
 * Charting Library (Binance Futures, Bybit, OKX, BitMEX, Deribit), where the chart usually lives in a
 * same-origin iframe. Discovery is by API shape: any object with `activeChart()` whose chart has
 * `getPanes()` and a price scale with `getVisiblePriceRange()` / `getMode()` (the library's documented
 * widget API), looked up first under the known names below, then by scanning the globals of the page
 * and of its same-origin frames.
 *
 * The API gives prices and the pane height but no pane position, so the pane is located in the DOM:
 * the widest canvas, in the page or a same-origin frame, whose height is the pane's height (the price
 * axis canvas has that height too, but is narrow). Its rectangle is mapped through the frames it sits
 * in to the top-level viewport.
 */
import type { ChartReport, ShowPrices } from './bridge';
import { listenForInput, type ChartSource, type PageAdapter } from './page-bridge';

interface TvPriceScale {
  /** The library's convention: `to` is the price at y = 0, `from` the price at y = H − 1 (so from > to when inverted). */
  getVisiblePriceRange(): { from: number; to: number } | null;
  /** 0 normal, 1 logarithmic, 2 percentage, 3 indexed to 100. */
  getMode(): number;
  /** Since 1.15. */
  isInverted?(): boolean;
  /** Since 1.15: the range shown (`from` < `to`); the scale's autoscale goes off, as a drag of the axis does. */
  setVisiblePriceRange?(range: { from: number; to: number }): void;
}
interface TvPane {
  getHeight(): number;
  getMainSourcePriceScale(): TvPriceScale | null;
}
/** The library's ISubscription. */
interface TvSubscription {
  subscribe(obj: unknown, handler: () => void): void;
  unsubscribe(obj: unknown, handler: () => void): void;
}
interface TvChart {
  getPanes(): TvPane[];
  getVisibleRange?(): { from: number; to: number };
  symbol?(): string;
  onVisibleRangeChanged?(): TvSubscription;
  onSymbolChanged?(): TvSubscription;
  onDataLoaded?(): TvSubscription;
}
interface TvWidget {
  activeChart(): TvChart;
}

/**
 * Where sites are known to keep the widget. Easy to extend: a name here is only a shortcut; the
 * API-shape scan below finds the widget under any name. `frame`: a same-origin iframe's global.
 */
export const KNOWN_HOOKS: { where: 'top' | 'frame'; name: string }[] = [
  { where: 'top', name: 'tvWidget' }, // Charting Library examples and many integrations
  { where: 'top', name: 'widget' },
  { where: 'top', name: 'TradingViewApi' }, // tradingview.com
  { where: 'frame', name: 'tradingViewApi' }, // inside the Charting Library's own iframe
];

/** A full scan of globals every this many discovery passes (they run every 0.5 s). */
const SCAN_EVERY = 4;
const MAX_FRAME_DEPTH = 3;

export function chartingLibraryAdapter(): PageAdapter {
  return {
    id: 'charting-library',
    find(win, pass) {
      const windows = sameOriginWindows(win);
      for (const hook of KNOWN_HOOKS) {
        for (const w of hook.where === 'top' ? [win] : windows.slice(1)) {
          const widget = asWidget(get(w, hook.name));
          if (widget) return source(win, widget);
        }
      }
      if (pass % SCAN_EVERY !== 1) return null;
      for (const w of windows) {
        for (const name of ownKeys(w)) {
          const widget = asWidget(get(w, name));
          if (widget) return source(win, widget);
        }
      }
      return null;
    },
  };
}

function source(top: Window, widget: TvWidget): ChartSource {
  const locator = paneLocator(top);
  const mainScale = () => widget.activeChart().getPanes()[0]?.getMainSourcePriceScale();
  return {
    kind: 'charting-library',
    // Offered only where the library has the call (the zone arrows are clickable then).
    ...(typeof mainScale()?.setVisiblePriceRange === 'function'
      ? { showPrices: (range: ShowPrices) => mainScale()?.setVisiblePriceRange?.(range) }
      : {}),
    // The documented subscriptions (visible range, symbol, data loaded), and user input inside the
    // library's same-origin frames, where a price-axis drag or a scale-mode click has no event.
    watch(changed, interacting) {
      const chart = widget.activeChart();
      const subscriptions = [chart.onVisibleRangeChanged?.(), chart.onSymbolChanged?.(), chart.onDataLoaded?.()].filter(
        (s): s is TvSubscription => !!s && typeof s.subscribe === 'function',
      );
      for (const sub of subscriptions) sub.subscribe(null, changed);
      // The bridge listens for input in the top window only; the library's frames are ours to watch.
      const stopInput = sameOriginWindows(top)
        .slice(1)
        .map((w) => listenForInput(w, interacting));
      return () => {
        for (const sub of subscriptions) sub.unsubscribe(null, changed);
        stopInput.forEach((stop) => stop());
      };
    },
    read(): ChartReport | null {
      const chart = widget.activeChart();
      const pane = chart.getPanes()[0];
      const scale = pane?.getMainSourcePriceScale();
      const range = scale?.getVisiblePriceRange();
      const modeCode = scale?.getMode();
      // Percentage (2) and indexed-to-100 (3) scales label percent and index values, but the library
      // still places prices linearly and reports the visible range in prices: drawn as linear.
      if (!range || !(modeCode === 0 || modeCode === 1 || modeCode === 2 || modeCode === 3)) return null;
      const height = pane.getHeight();
      const rect = locator(height);
      if (!rect || !(height > 1) || range.from === range.to) return null;
      const inverted = scale?.isInverted?.() ?? range.from > range.to;
      const r: ChartReport = {
        priceFrom: Math.min(range.from, range.to),
        priceTo: Math.max(range.from, range.to),
        pane: rect,
        mode: modeCode === 1 ? 'log' : 'linear',
        // `to` at y = 0 and `from` at y = H − 1: the edge prices are H − 1 px apart.
        span: height - 1,
        ...(inverted ? { inverted: true } : {}),
      };
      const time = chart.getVisibleRange?.();
      if (time && time.to > time.from) {
        r.timeFrom = time.from * 1000;
        r.timeTo = time.to * 1000;
      }
      const symbol = chart.symbol?.();
      if (typeof symbol === 'string') r.symbol = symbol;
      return r;
    },
  };
}

/** Finds (and remembers) the pane canvas of a given height; returns its top-viewport rectangle. */
function paneLocator(top: Window): (height: number) => ChartReport['pane'] | null {
  let cached: HTMLCanvasElement | null = null;
  const matches = (c: HTMLCanvasElement, height: number) => c.isConnected && Math.abs(c.getBoundingClientRect().height - height) <= 1;
  return (height) => {
    if (!(height > 0)) return null;
    if (!cached || !matches(cached, height)) {
      cached = null;
      let widest = 0;
      for (const w of sameOriginWindows(top)) {
        for (const c of Array.from(w.document.querySelectorAll('canvas'))) {
          // A canvas under display:none (an exchange's Depth tab) has no box: it is not the chart.
          if (!c.getClientRects().length) continue;
          const width = c.getBoundingClientRect().width;
          if (width > widest && matches(c, height)) {
            widest = width;
            cached = c;
          }
        }
      }
    }
    if (!cached) return null;
    const box = cached.getBoundingClientRect();
    let x = box.left;
    let y = box.top;
    // Up through the frames this canvas sits in, to the top-level viewport.
    for (let w: Window | null = cached.ownerDocument.defaultView; w && w !== top; w = w.parent) {
      const frame = w.frameElement as HTMLElement | null;
      // A hidden frame (display:none) keeps its last layout inside: the chart is not on screen.
      if (!frame || !frame.getClientRects().length) return null;
      const fb = frame.getBoundingClientRect();
      x += fb.left + frame.clientLeft;
      y += fb.top + frame.clientTop;
    }
    return { x, y, width: box.width, height: box.height };
  };
}

function asWidget(v: unknown): TvWidget | null {
  if (!v || (typeof v !== 'object' && typeof v !== 'function')) return null;
  try {
    const w = v as Partial<TvWidget>;
    if (typeof w.activeChart !== 'function') return null;
    const chart = w.activeChart();
    if (!chart || typeof chart.getPanes !== 'function') return null;
    const scale = chart.getPanes()[0]?.getMainSourcePriceScale?.();
    return scale && typeof scale.getVisiblePriceRange === 'function' && typeof scale.getMode === 'function' ? (w as TvWidget) : null;
  } catch {
    // Not ready yet (the library throws before onChartReady), or not a widget.
    return null;
  }
}

/** The page's window and its same-origin frames (cross-origin frames throw on access and are skipped). */
function sameOriginWindows(top: Window): Window[] {
  const out: Window[] = [];
  const visit = (w: Window, depth: number) => {
    try {
      void w.document.body;
    } catch {
      return;
    }
    out.push(w);
    if (depth >= MAX_FRAME_DEPTH) return;
    for (let i = 0; i < w.frames.length; i++) visit(w.frames[i], depth + 1);
  };
  visit(top, 0);
  return out;
}

function get(o: Window, name: string): unknown {
  try {
    return (o as unknown as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

function ownKeys(w: Window): string[] {
  try {
    return Object.keys(w);
  } catch {
    return [];
  }
}

/* Meant for: https://www.tradingview.com/chart/*, https://www.binance.com/en/futures/BTCUSDT,
   https://www.bybit.com/trade/usdt/BTCUSDT, https://www.okx.com/trade-swap/btc-usdt-swap,
   https://www.bitmex.com/app/trade/XBTUSD, https://www.deribit.com/futures/BTC-PERPETUAL, and the e2e
   fixture tests/e2e/fixtures/tv.html. */

/**
 * Price ↔ pixel for a vertical price scale, and the docked ladder's own scale. The same mapping
 * serves chart adapters: TradingView's Charting Library gives only the visible range and pane
 * height, so y = H·(1 − (p − from)/(to − from)), with ln p on a log scale.
 */
import type { Calibration } from '../settings';
import type { ChartReport } from './bridge';

export interface PriceScale {
  /** The lowest price on the scale (at the bottom, or at the top when inverted). */
  from: number;
  /** The highest price. */
  to: number;
  /** Pane height in CSS px. */
  height: number;
  mode: 'linear' | 'log';
  /** Pixels between the two edge prices (default `height`; TradingView's library: height − 1). */
  span?: number;
  /** Lowest price at the top. */
  inverted?: boolean;
}

export function priceToY(scale: PriceScale, price: number): number {
  const f = scale.mode === 'log' ? Math.log : (x: number) => x;
  const lo = f(scale.from);
  const hi = f(scale.to);
  const t = (f(price) - lo) / (hi - lo);
  const span = scale.span ?? scale.height;
  return span * (scale.inverted ? t : 1 - t);
}

/** The scale of a chart report. */
export function reportScale(report: ChartReport): PriceScale {
  return {
    from: report.priceFrom,
    to: report.priceTo,
    height: report.pane.height,
    mode: report.mode,
    ...(report.span !== undefined ? { span: report.span } : {}),
    ...(report.inverted ? { inverted: true } : {}),
  };
}

export function yToPrice(scale: PriceScale, y: number): number {
  const u = y / (scale.span ?? scale.height);
  const t = scale.inverted ? u : 1 - u;
  if (scale.mode === 'log') return Math.exp(Math.log(scale.from) + t * (Math.log(scale.to) - Math.log(scale.from)));
  return scale.from + t * (scale.to - scale.from);
}

/**
 * The ladder's visible range: centred on the current price, wide enough for every liquidation
 * price within `maxDistance` (fraction) of it, and never narrower than `minHalfSpan`.
 */
export function ladderRange(
  center: number,
  prices: readonly number[],
  minHalfSpan = 0.01,
  maxDistance = 0.15,
): { from: number; to: number } {
  let half = minHalfSpan;
  for (const p of prices) {
    const d = Math.abs(p - center) / center;
    if (d <= maxDistance) half = Math.max(half, d * 1.15);
  }
  return { from: center * (1 - half), to: center * (1 + half) };
}

/** Round tick values (1, 2, 2.5, 5 × 10^k) covering [from, to], at most about `maxTicks` of them. */
export function niceTicks(from: number, to: number, maxTicks = 8): number[] {
  const span = to - from;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const raw = span / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(from / step) * step; v <= to + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * The chart a two-click calibration implies for the current viewport: the pane is everything left of
 * the page's price axis, full height, on the scale through the two clicked prices.
 */
export function calibratedReport(c: Calibration, viewportHeight: number): ChartReport {
  const f = c.mode === 'log' ? Math.log : (v: number) => v;
  const inv = c.mode === 'log' ? Math.exp : (v: number) => v;
  const slope = (f(c.price2) - f(c.price1)) / (c.y2 - c.y1);
  const at = (y: number) => inv(f(c.price1) + (y - c.y1) * slope);
  return {
    priceTo: at(0),
    priceFrom: Math.max(Number.MIN_VALUE, at(viewportHeight)),
    pane: { x: 0, y: 0, width: Math.max(1, c.axisX), height: Math.max(1, viewportHeight) },
    mode: c.mode,
  };
}

/**
 * What the popup's quick view shows for one target over one time range: the heatmap (wire format),
 * zones, the liquidation map and the long − short imbalance, computed in the worker on request. The
 * heatmap's price range follows the price over the range (plus a margin), so a 30-day view is not
 * squeezed into today's ±5 %.
 */
import { encodeHeatmap } from '../contract/heatmap-wire';
import type { Zone } from '../contract/market';
import { VIEW_RANGES, type MarketViewReply, type ViewRange, type ViewRequest } from '../contract/view';
import type { LevelEngine } from './level-engine';

/** Margin around the price path, as a share of the price, per range. */
const PRICE_MARGIN: Record<ViewRange, number> = { '12h': 0.03, '24h': 0.04, '3d': 0.06, '7d': 0.08, '30d': 0.12 };

/**
 * The price axis of a view: the price's path over the range (first pass, wide), with the range's
 * margin around it. Shared by the estimated and the positions views, so switching keeps the axis.
 */
export function viewBounds(
  levels: LevelEngine,
  target: string,
  range: ViewRange,
  from: number,
  to: number,
  price: number,
  columns: number,
): { low: number; high: number } {
  const probe = levels.heatmap(target, from, to, Math.min(columns, 240), 1, price / 3, price * 3);
  let low = price;
  let high = price;
  for (const p of probe.price) {
    if (!Number.isFinite(p)) continue;
    low = Math.min(low, p);
    high = Math.max(high, p);
  }
  const margin = PRICE_MARGIN[range];
  return { low: low * (1 - margin), high: high * (1 + margin) };
}

export function buildMarketView(levels: LevelEngine, request: ViewRequest, now: number): MarketViewReply {
  const { target, range, columns, rows, withinFraction } = request;
  const to = Math.ceil(now / 60_000) * 60_000;
  const from = to - VIEW_RANGES[range] * 3_600_000;
  // Before the first live price (a browser just restarted, feeds still connecting), the history's
  // last price places the view: the stored heatmap shows at once.
  const price = levels.price(target) ?? lastHistoryPrice(levels, target, from, to);
  const realized = realizedTotals(levels, target, from);
  const empty = { zones: [] as Zone[], map: null, imbalance: { longUsd: 0, shortUsd: 0, net: 0 }, realized };
  if (price === null) {
    return { target, price, heatmap: encodeHeatmap(levels.heatmap(target, from, to, columns, rows, 1, 2)), ...empty };
  }
  const { low, high } = viewBounds(levels, target, range, from, to, price, columns);
  // No finer than the model's price grid: finer rows would only stripe the levels with gaps.
  const gridRows = Math.max(1, Math.floor(Math.log(high / low) / Math.log(1 + levels.params.gridStep)));
  const grid = levels.heatmap(target, from, to, columns, Math.min(rows, gridRows), low, high);
  return {
    target,
    price,
    heatmap: encodeHeatmap(grid, levels.sweeps(target)),
    zones: levels.zones(target, now, { withinFraction, realizedWindowMs: VIEW_RANGES[range] * 3_600_000 }),
    map: levels.liquidationMap(target, withinFraction),
    imbalance: levels.imbalance(target, withinFraction),
    realized,
  };
}

function realizedTotals(levels: LevelEngine, target: string, from: number): MarketViewReply['realized'] {
  let longUsd = 0;
  let shortUsd = 0;
  const venues = new Set<string>();
  for (const c of levels.realizedCells(target, from)) {
    longUsd += c.long;
    shortUsd += c.short;
    c.venues.forEach((v) => venues.add(v));
  }
  const kept = levels.historyStart(target);
  return { longUsd, shortUsd, since: kept !== undefined ? Math.max(from, kept) : from, venues: [...venues].sort() };
}

function lastHistoryPrice(levels: LevelEngine, target: string, from: number, to: number): number | null {
  const prices = levels.heatmap(target, from, to, 240, 1, 1e-9, 1e12).price;
  for (let i = prices.length - 1; i >= 0; i--) if (Number.isFinite(prices[i])) return prices[i];
  return null;
}

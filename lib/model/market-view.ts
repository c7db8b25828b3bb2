/**
 * What the popup's quick view shows for one target over one time range: the heatmap (wire format),
 * zones, the liquidation map and the long − short imbalance, computed in the worker on request. The
 * heatmap's price range follows the price over the range (plus a margin), so a 30-day view is not
 * squeezed into today's ±5 %.
 */
import { encodeHeatmap, type WireHeatmap } from '../contract/heatmap-wire';
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

/** What a quick view is built from: the estimate's levels, or the true book of real positions. */
export interface ViewSource {
  /** The price the view is centred on, or null before there is any. */
  price: number | null;
  /** The price axis over the range (the estimate's in both modes, so switching keeps it). */
  bounds(price: number): { low: number; high: number };
  /** The heatmap over the range, encoded for the wire. */
  heatmap(columns: number, rows: number, low: number, high: number): WireHeatmap;
  /** Zones, the liquidation map and the imbalance around the price, and what this kind adds. */
  details(price: number, withinFraction: number): Pick<MarketViewReply, 'zones' | 'map' | 'imbalance'> & Partial<MarketViewReply>;
  /** Added to every reply of this kind, priced or not (the estimate's realized totals). */
  always?: Partial<MarketViewReply>;
}

const NO_IMBALANCE = { longUsd: 0, shortUsd: 0, net: 0 };

/**
 * The one view builder: the range's time span, the price axis, heatmap rows no finer than the price
 * grid, and the source's details. `sourceFor` gets the span [from, to) the view covers.
 */
export function buildView(
  request: ViewRequest,
  now: number,
  gridStep: number,
  sourceFor: (from: number, to: number) => ViewSource,
  /** Where the kept history starts: a range reaching further back starts there instead. */
  historyStart?: number,
): MarketViewReply {
  const { target, range, columns, rows, withinFraction } = request;
  const to = Math.ceil(now / 60_000) * 60_000;
  const rangeFrom = to - VIEW_RANGES[range] * 3_600_000;
  // Less than 2 % of the range missing is not worth a narrower axis (or a note).
  const short = historyStart !== undefined && historyStart - rangeFrom > 0.02 * (to - rangeFrom) && historyStart < to - 3_600_000;
  const from = short ? Math.floor(historyStart / 60_000) * 60_000 : rangeFrom;
  const source = sourceFor(from, to);
  const since = short ? { historySince: from } : {};
  const { price } = source;
  if (price === null) {
    return {
      target,
      price,
      heatmap: source.heatmap(columns, rows, 1, 2),
      zones: [],
      map: null,
      imbalance: NO_IMBALANCE,
      ...since,
      ...source.always,
    };
  }
  const { low, high } = source.bounds(price);
  // No finer than the model's price grid: finer rows would only stripe the levels with gaps.
  const gridRows = Math.max(1, Math.floor(Math.log(high / low) / Math.log(1 + gridStep)));
  return {
    target,
    price,
    cellStep: gridStep,
    heatmap: source.heatmap(columns, Math.min(rows, gridRows), low, high),
    ...source.details(price, withinFraction),
    ...since,
    ...source.always,
  };
}

/** The quick view of the estimate: its heatmap with sweeps, estimated and realized zones, the map, realized totals. */
export function buildMarketView(levels: LevelEngine, request: ViewRequest, now: number): MarketViewReply {
  const { target, range } = request;
  const windowMs = VIEW_RANGES[range] * 3_600_000;
  return buildView(
    request,
    now,
    levels.params.gridStep,
    (from, to) => ({
      // Before the first live price (a browser just restarted, feeds still connecting), the history's
      // last price places the view: the stored heatmap shows at once.
      price: levels.price(target) ?? lastHistoryPrice(levels, target, from, to),
      bounds: (price) => viewBounds(levels, target, range, from, to, price, request.columns),
      heatmap: (columns, rows, low, high) =>
        encodeHeatmap(levels.heatmap(target, from, to, columns, rows, low, high), levels.sweeps(target)),
      details: (price, withinFraction) => ({
        zones: levels.zones(target, now, { withinFraction, realizedWindowMs: windowMs }),
        map: levels.liquidationMap(target, withinFraction),
        imbalance: levels.imbalance(target, withinFraction),
      }),
      always: { realized: realizedTotals(levels, target, from, now) },
    }),
    levels.historyStart(target),
  );
}

function realizedTotals(levels: LevelEngine, target: string, from: number, now: number): MarketViewReply['realized'] {
  let longUsd = 0;
  let shortUsd = 0;
  const venues = new Set<string>();
  for (const c of levels.realizedCells(target, from)) {
    longUsd += c.long;
    shortUsd += c.short;
    c.venues.forEach((v) => venues.add(v));
  }
  // Counted since listening began (or the range's start, when that is later): a view of 24 h after a
  // minute of listening says "since 10:02", not "last 24h" (the backfilled hours hold no liquidation).
  const listening = levels.listeningSince(target);
  return { longUsd, shortUsd, since: listening !== undefined ? Math.max(from, listening) : now, venues: [...venues].sort() };
}

function lastHistoryPrice(levels: LevelEngine, target: string, from: number, to: number): number | null {
  const prices = levels.heatmap(target, from, to, 240, 1, 1e-9, 1e12).price;
  for (let i = prices.length - 1; i >= 0; i--) if (Number.isFinite(prices[i])) return prices[i];
  return null;
}

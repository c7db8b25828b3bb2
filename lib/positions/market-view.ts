/**
 * The popup's quick view in positions mode: the same MarketViewReply shape as the estimate's
 * (lib/model/market-view.ts), built from real positions. Its time × price heatmap comes from a
 * minute-by-minute record of the true book (what was known each minute, ±20 % of the price, the
 * last 24 h), its zones and liquidation map from the current true book, with each position's USD on
 * the model's nearest leverage tier, so both modes read the same way.
 */
import { emptyHeatmap, findZones, liquidationMapOf, type PriceGrid } from '../model';
import { encodeHeatmap } from '../contract/heatmap-wire';
import type { HeatmapGrid } from '../contract/market';
import { VIEW_RANGES, type MarketViewReply, type ViewRequest } from '../contract/view';
import { nearestTier } from './calibration';
import type { TrueBook } from './true-book';

const MINUTE_MS = 60_000;
const KEEP_MINUTES = 24 * 60;

interface Column {
  t: number;
  price: number;
  /** [cell, USD] of every level within ±20 % of the price that minute. */
  cells: [number, number][];
}

/** What the true book showed each minute, per coin (bounded: a day). */
export class PositionsHistory {
  private columns = new Map<string, Column[]>();

  /** Record this minute's book for a coin (once per minute; a later call in the same minute replaces it). */
  sample(coin: string, book: TrueBook, grid: PriceGrid, price: number, now: number): void {
    const column = columnOf(coin, book, grid, price, now);
    let list = this.columns.get(coin);
    if (!list) this.columns.set(coin, (list = []));
    if (list.length && list[list.length - 1].t === column.t) list[list.length - 1] = column;
    else list.push(column);
    if (list.length > KEEP_MINUTES) list.splice(0, list.length - KEEP_MINUTES);
  }

  /** The minute this coin's first kept column was recorded, if any. */
  firstAt(coin: string): number | undefined {
    return this.columns.get(coin)?.[0]?.t;
  }

  /** The time × price grid for drawing, like LevelEngine.heatmap (positions USD in `estimated`). */
  heatmap(
    coin: string,
    grid: PriceGrid,
    from: number,
    to: number,
    columns: number,
    rows: number,
    low: number,
    high: number,
    /** The book as it is now: drawn over its minute, so a reading shows before the next sample. */
    live?: Column,
  ): HeatmapGrid {
    const out = emptyHeatmap(from, to, columns, rows, low, high);
    const lnLow = Math.log(low);
    const lnSpan = Math.log(high) - lnLow;
    const colMs = (to - from) / columns;
    const recorded = this.columns.get(coin) ?? [];
    const shown = live && recorded.at(-1)?.t === live.t ? [...recorded.slice(0, -1), live] : live ? [...recorded, live] : recorded;
    for (const c of shown) {
      if (c.t < from || c.t >= to) continue;
      const col = Math.floor((c.t - from) / colMs);
      out.price[col] = c.price;
      for (const [cell, usd] of c.cells) {
        const row = Math.floor(((Math.log(grid.priceOf(cell)) - lnLow) / lnSpan) * rows);
        if (row < 0 || row >= rows) continue;
        const i = col * rows + row;
        if (usd > out.estimated[i]) out.estimated[i] = usd;
      }
    }
    return out;
  }
}

/** One minute's column: every level of the coin's true book within ±20 % of the price. */
function columnOf(coin: string, book: TrueBook, grid: PriceGrid, price: number, now: number): Column {
  const cells = book
    .cells(coin, grid)
    .filter((c) => Math.abs(c.price / price - 1) <= 0.2)
    .map((c) => [c.cell, c.long + c.short] as [number, number]);
  return { t: Math.floor(now / MINUTE_MS) * MINUTE_MS, price, cells };
}

export function positionsMarketView(
  request: ViewRequest,
  coin: string,
  book: TrueBook,
  history: PositionsHistory,
  grid: PriceGrid,
  leverages: readonly number[],
  price: number | null,
  now: number,
  /** The price axis for the view's range (the estimated view's, so switching modes keeps it); else ±20 %. */
  boundsFor?: (from: number, to: number, price: number) => { low: number; high: number },
): MarketViewReply {
  const to = Math.ceil(now / MINUTE_MS) * MINUTE_MS;
  const from = to - VIEW_RANGES[request.range] * 3_600_000;
  const empty = { zones: [], map: null, imbalance: { longUsd: 0, shortUsd: 0, net: 0 } };
  if (price === null)
    return {
      target: request.target,
      price,
      heatmap: encodeHeatmap(history.heatmap(coin, grid, from, to, request.columns, 1, 1, 2)),
      ...empty,
    };
  const { low, high } = boundsFor?.(from, to, price) ?? { low: price * 0.8, high: price * 1.2 };
  const gridRows = Math.max(1, Math.floor(Math.log(high / low) / Math.log(1 + grid.step)));
  const rows = Math.min(request.rows, gridRows);
  const live = columnOf(coin, book, grid, price, now);
  const heatmap = encodeHeatmap(history.heatmap(coin, grid, from, to, request.columns, rows, low, high, live));

  // The current book, with each position's USD on the model's nearest tier (as the estimate has it).
  const byCell = new Map<number, { cell: number; price: number; long: number; short: number; tiers: number[]; venues: string[] }>();
  for (const p of book.positions(coin)) {
    if (p.liquidationPx === null || Math.abs(p.liquidationPx / price - 1) > request.withinFraction) continue;
    const cell = grid.cellOf(p.liquidationPx);
    let c = byCell.get(cell);
    if (!c)
      byCell.set(
        cell,
        (c = { cell, price: grid.priceOf(cell), long: 0, short: 0, tiers: leverages.map(() => 0), venues: ['hyperliquid'] }),
      );
    c[p.side] += p.positionValue;
    c.tiers[nearestTier(p.leverage, leverages)] += p.positionValue;
  }
  const cells = [...byCell.values()].sort((a, b) => a.cell - b.cell);
  const zones = findZones('positions', cells, price, grid, now, [...leverages], { withinFraction: request.withinFraction });
  const map = liquidationMapOf(price, cells, leverages);
  const longUsd = cells.reduce((s, c) => s + c.long, 0);
  const shortUsd = cells.reduce((s, c) => s + c.short, 0);
  const positionsSince = history.firstAt(coin) ?? live.t;
  return { target: request.target, price, heatmap, zones, map, imbalance: { longUsd, shortUsd, net: longUsd - shortUsd }, positionsSince };
}

/**
 * The popup's quick view in positions mode: the same MarketViewReply shape as the estimate's
 * (lib/model/market-view.ts), built from real positions. Its time × price heatmap comes from a
 * minute-by-minute record of the true book (what was known each minute, ±20 % of the price, the
 * last 24 h), its zones and liquidation map from the current true book, with each position's USD on
 * the model's nearest leverage tier, so both modes read the same way.
 */
import { buildView, findZones, HeatmapBinner, liquidationMapOf, type CellLevel, type PriceGrid } from '../model';
import { encodeHeatmap } from '../contract/heatmap-wire';
import type { HeatmapGrid, HeatmapSpan } from '../contract/market';
import type { MarketViewReply, ViewRequest } from '../contract/view';
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

  /** The time × price grid for drawing (positions USD in `estimated`), binned as the estimate's is. */
  heatmap(
    coin: string,
    grid: PriceGrid,
    span: HeatmapSpan,
    /** The book as it is now: drawn over its minute, so a reading shows before the next sample. */
    live?: Column,
  ): HeatmapGrid {
    const bins = new HeatmapBinner(grid, span);
    const recorded = this.columns.get(coin) ?? [];
    const shown = live && recorded.at(-1)?.t === live.t ? [...recorded.slice(0, -1), live] : live ? [...recorded, live] : recorded;
    for (const c of shown) {
      const col = bins.column(c.t, c.price);
      if (col >= 0) for (const [cell, usd] of c.cells) bins.level(col, cell, usd);
    }
    return bins.grid;
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

/**
 * The quick view in positions mode, built by the model's one view builder: the heatmap from the
 * minute record (the current book over its minute), zones, map and imbalance from the current book.
 */
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
  return buildView(request, now, grid.step, (from, to) => {
    const live = price === null ? undefined : columnOf(coin, book, grid, price, now);
    return {
      price,
      bounds: (at) => boundsFor?.(from, to, at) ?? { low: at * 0.8, high: at * 1.2 },
      heatmap: (columns, rows, low, high) => encodeHeatmap(history.heatmap(coin, grid, { from, to, columns, rows, low, high }, live)),
      details: (at, withinFraction) => {
        const cells = bookCells(book, coin, grid, leverages, at, withinFraction);
        const longUsd = cells.reduce((s, c) => s + c.long, 0);
        const shortUsd = cells.reduce((s, c) => s + c.short, 0);
        return {
          zones: findZones('positions', cells, at, grid, now, [...leverages], { withinFraction }),
          map: liquidationMapOf(at, cells, leverages),
          imbalance: { longUsd, shortUsd, net: longUsd - shortUsd },
          positionsSince: history.firstAt(coin) ?? live!.t,
        };
      },
    };
  });
}

/** The current book within ±`withinFraction` of the price, each position's USD on the model's nearest leverage tier. */
function bookCells(
  book: TrueBook,
  coin: string,
  grid: PriceGrid,
  leverages: readonly number[],
  price: number,
  withinFraction: number,
): CellLevel[] {
  const byCell = new Map<number, CellLevel & { tiers: number[] }>();
  for (const p of book.positions(coin)) {
    if (p.liquidationPx === null || Math.abs(p.liquidationPx / price - 1) > withinFraction) continue;
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
  return [...byCell.values()].sort((a, b) => a.cell - b.cell);
}

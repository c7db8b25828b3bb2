/**
 * The one routine that bins columns of grid cells into a time × price heatmap for drawing: the
 * estimate's minute history and the true book's minute record both go through it, so both modes put
 * a cell in the same row and a minute in the same column.
 *
 * Columns are `columns` equal time buckets over [from, to); rows are log-spaced over [low, high]. A
 * bucket holding several minutes keeps the strongest estimate per row (a book is a state, not a
 * flow) and adds realized USD up (liquidations are events).
 */
import type { HeatmapGrid, HeatmapSpan } from '../contract/market';
import type { PriceGrid } from './grid';

/** A heatmap grid with nothing in it yet (no price in any column). */
export function emptyHeatmap(span: HeatmapSpan): HeatmapGrid {
  const { from, to, columns, rows, low, high } = span;
  const cells = columns * rows;
  return {
    from,
    to,
    columns,
    rows,
    low,
    high,
    estimated: new Float32Array(cells),
    realizedLong: new Float32Array(cells),
    realizedShort: new Float32Array(cells),
    price: new Float64Array(columns).fill(NaN),
  };
}

export class HeatmapBinner {
  readonly grid: HeatmapGrid;
  private readonly lnLow: number;
  private readonly lnSpan: number;
  private readonly colMs: number;

  constructor(
    private readonly cells: PriceGrid,
    span: HeatmapSpan,
  ) {
    this.grid = emptyHeatmap(span);
    this.lnLow = Math.log(span.low);
    this.lnSpan = Math.log(span.high) - this.lnLow;
    this.colMs = (span.to - span.from) / span.columns;
  }

  /** The bucket a minute starting at `time` falls in (its price noted), or -1 outside [from, to). */
  column(time: number, price: number): number {
    const g = this.grid;
    if (time < g.from || time >= g.to) return -1;
    const col = Math.floor((time - g.from) / this.colMs);
    if (col < 0 || col >= g.columns) return -1;
    g.price[col] = price;
    return col;
  }

  /** The row a grid cell's middle price falls in, or -1 outside [low, high]. */
  row(cell: number): number {
    const row = Math.floor((((cell + 0.5) * this.cells.lnStep - this.lnLow) / this.lnSpan) * this.grid.rows);
    return row >= 0 && row < this.grid.rows ? row : -1;
  }

  /** Estimated (or real-positions) USD at a cell in a bucket: the strongest minute wins. */
  level(col: number, cell: number, usd: number): void {
    const row = this.row(cell);
    if (row < 0) return;
    const i = col * this.grid.rows + row;
    if (usd > this.grid.estimated[i]) this.grid.estimated[i] = usd;
  }

  /** Another source's grid on the same span (another venue of the coin): estimated and realized USD add up. */
  add(other: HeatmapGrid): void {
    const g = this.grid;
    for (let i = 0; i < g.estimated.length; i++) {
      g.estimated[i] += other.estimated[i];
      g.realizedLong[i] += other.realizedLong[i];
      g.realizedShort[i] += other.realizedShort[i];
    }
    for (let c = 0; c < g.columns; c++) if (Number.isNaN(g.price[c])) g.price[c] = other.price[c];
  }

  /** Realized USD at a cell in a bucket (positive: longs liquidated; negative: shorts), added up. */
  realized(col: number, cell: number, signedUsd: number): void {
    const row = this.row(cell);
    if (row < 0) return;
    const i = col * this.grid.rows + row;
    if (signedUsd > 0) this.grid.realizedLong[i] += signedUsd;
    else this.grid.realizedShort[i] -= signedUsd;
  }
}

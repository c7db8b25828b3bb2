/**
 * Estimated liquidation levels of one instrument: USD that would be force-closed per grid cell, long
 * and short apart, split by leverage tier, in a dense window of cells that follows the price.
 *
 * Dense typed arrays (not maps) because the hot operations are range scans: a price move sweeps every
 * long level at or above the step's low and every short level at or below its high.
 */
import type { PriceGrid } from './grid';
import type { Sweep } from '../contract/market';

export interface LevelBookSnapshot {
  origin: number;
  tiers: number;
  /** Sparse: [cell, ...long per tier, ...short per tier, bornWeighted] per non-empty cell. */
  cells: number[][];
}

/** Cells in the window: at a 0.1 % step, 4096 cells span ×60 in price. */
const WINDOW = 4096;

export class LevelBook {
  readonly tiers: number;
  /** Cell index of window slot 0; set by the first price. */
  private origin = 0;
  private placed = false;
  private long: Float64Array;
  private short: Float64Array;
  /** Σ usd × birth time per cell, for the age of a zone. */
  private born: Float64Array;
  /** Highest slot holding long USD and lowest holding short USD (scan bounds for sweeps). */
  private hiLong = -1;
  private loShort = WINDOW;
  /**
   * Stored values are USD / k: decay and pro-rata closing multiply k instead of every cell, so a
   * step costs O(1) whatever the book's size. Renormalized before k under- or overflows.
   */
  private k = 1;
  private rawLong = 0;
  private rawShort = 0;

  constructor(
    readonly grid: PriceGrid,
    tiers: number,
  ) {
    this.tiers = tiers;
    this.long = new Float64Array(WINDOW * tiers);
    this.short = new Float64Array(WINDOW * tiers);
    this.born = new Float64Array(WINDOW);
  }

  /** Make sure `price` sits well inside the window; re-centres (dropping far edges) when it drifts. */
  follow(price: number): void {
    const cell = this.grid.cellOf(price);
    if (!this.placed) {
      this.origin = cell - WINDOW / 2;
      this.placed = true;
      return;
    }
    const slot = cell - this.origin;
    if (slot > WINDOW / 8 && slot < (WINDOW * 7) / 8) return;
    this.shift(cell - WINDOW / 2 - this.origin);
  }

  private shift(by: number): void {
    const move = (a: Float64Array, width: number) => {
      const copy = new Float64Array(a.length);
      for (let s = 0; s < WINDOW; s++) {
        const from = s + by;
        if (from >= 0 && from < WINDOW) copy.set(a.subarray(from * width, (from + 1) * width), s * width);
      }
      return copy;
    };
    this.long = move(this.long, this.tiers);
    this.short = move(this.short, this.tiers);
    this.born = move(this.born, 1);
    this.origin += by;
    this.hiLong = Math.min(WINDOW - 1, this.hiLong - by);
    this.loShort = Math.max(0, this.loShort - by);
    this.recount(); // levels beyond the new edges are gone
  }

  /** Add USD that would be liquidated at `price`, born at `time`. Outside the window it is dropped. */
  add(side: 'long' | 'short', price: number, tier: number, usd: number, time: number): void {
    if (!(usd > 0) || !(price > 0)) return;
    const slot = this.grid.cellOf(price) - this.origin;
    if (slot < 0 || slot >= WINDOW) return;
    const raw = usd / this.k;
    if (side === 'long') {
      this.long[slot * this.tiers + tier] += raw;
      this.rawLong += raw;
      if (slot > this.hiLong) this.hiLong = slot;
    } else {
      this.short[slot * this.tiers + tier] += raw;
      this.rawShort += raw;
      if (slot < this.loShort) this.loShort = slot;
    }
    this.born[slot] += raw * time;
  }

  /**
   * Price traded between `low` and `high`: longs at or above the low and shorts at or below the high
   * are liquidated. Returns one sweep per consumed cell and side.
   */
  sweep(low: number, high: number, time: number, out: Sweep[] = []): Sweep[] {
    if (!this.placed) return out;
    // A cell's levels sit at its middle: a cell is crossed when the low reaches that middle.
    const lowCell = this.grid.cellOf(low);
    const lowSlot = Math.max(0, lowCell + (this.grid.priceOf(lowCell) < low ? 1 : 0) - this.origin);
    for (let s = lowSlot; s <= this.hiLong; s++) {
      const raw = this.clearSide(this.long, s);
      this.rawLong -= raw;
      if (raw > 0) out.push({ time, price: this.grid.priceOf(s + this.origin), side: 'long', usd: raw * this.k });
    }
    if (lowSlot <= this.hiLong) this.hiLong = lowSlot - 1;
    const highCell = this.grid.cellOf(high);
    const highSlot = Math.min(WINDOW - 1, highCell - (this.grid.priceOf(highCell) > high ? 1 : 0) - this.origin);
    for (let s = this.loShort; s <= highSlot; s++) {
      const raw = this.clearSide(this.short, s);
      this.rawShort -= raw;
      if (raw > 0) out.push({ time, price: this.grid.priceOf(s + this.origin), side: 'short', usd: raw * this.k });
    }
    if (highSlot >= this.loShort) this.loShort = highSlot + 1;
    return out;
  }

  private clearSide(a: Float64Array, slot: number): number {
    let usd = 0;
    const base = slot * this.tiers;
    for (let t = 0; t < this.tiers; t++) {
      usd += a[base + t];
      a[base + t] = 0;
    }
    if (usd > 0) {
      const remaining = this.cellUsd(slot);
      // Keep the birth weight of what is left on the other side.
      this.born[slot] = remaining > 0 ? (this.born[slot] * remaining) / (remaining + usd) : 0;
    }
    return usd;
  }

  private cellUsd(slot: number): number {
    let usd = 0;
    const base = slot * this.tiers;
    for (let t = 0; t < this.tiers; t++) usd += this.long[base + t] + this.short[base + t];
    return usd;
  }

  /**
   * Remove every level of the tiers flagged in `drop` (an instrument's maximum leverage turned out
   * lower than the tiers the levels were placed with: no position can exist there).
   */
  dropTiers(drop: readonly boolean[]): void {
    if (!drop.some(Boolean)) return;
    for (let s = 0; s < WINDOW; s++) {
      const before = this.cellUsd(s);
      if (before <= 0) continue;
      for (let t = 0; t < this.tiers; t++) {
        if (!drop[t]) continue;
        this.long[s * this.tiers + t] = 0;
        this.short[s * this.tiers + t] = 0;
      }
      const after = this.cellUsd(s);
      this.born[s] = after > 0 ? (this.born[s] * after) / before : 0;
    }
    this.recount();
  }

  /** Multiply every level by `factor` (decay, or positions closed by hand). O(1). */
  scale(factor: number): void {
    if (factor === 1) return;
    if (!(factor > 0)) {
      this.clear();
      return;
    }
    this.k *= factor;
    if (this.k < 1e-200 || this.k > 1e200) this.renormalize();
  }

  private renormalize(): void {
    for (const a of [this.long, this.short, this.born]) for (let i = 0; i < a.length; i++) a[i] *= this.k;
    this.rawLong *= this.k;
    this.rawShort *= this.k;
    this.k = 1;
  }

  private clear(): void {
    this.long.fill(0);
    this.short.fill(0);
    this.born.fill(0);
    this.rawLong = this.rawShort = 0;
    this.k = 1;
    this.hiLong = -1;
    this.loShort = WINDOW;
  }

  totals(): { long: number; short: number } {
    // Running sums; tiny negative drift from float subtraction is clamped.
    return { long: Math.max(0, this.rawLong * this.k), short: Math.max(0, this.rawShort * this.k) };
  }

  /**
   * Visit every non-empty cell: its index, long and short USD per tier (views, do not keep), and the
   * USD-weighted birth time.
   */
  forEachCell(fn: (cell: number, long: Float64Array, short: Float64Array, bornAt: number) => void): void {
    if (!this.placed) return;
    this.renormalize(); // callers get USD, not scaled values
    for (let s = 0; s < WINDOW; s++) {
      const total = this.cellUsd(s);
      if (total <= 0) continue;
      const base = s * this.tiers;
      fn(s + this.origin, this.long.subarray(base, base + this.tiers), this.short.subarray(base, base + this.tiers), this.born[s] / total);
    }
  }

  /** Total USD (long + short) for `rows` cells starting at `firstCell`, into `out`. */
  column(firstCell: number, rows: number, out: Float64Array): Float64Array {
    out.fill(0);
    for (let r = 0; r < rows; r++) {
      const s = firstCell + r - this.origin;
      if (s >= 0 && s < WINDOW) out[r] = this.cellUsd(s) * this.k;
    }
    return out;
  }

  private recount(): void {
    this.rawLong = this.long.reduce((a, b) => a + b, 0);
    this.rawShort = this.short.reduce((a, b) => a + b, 0);
  }

  toSnapshot(): LevelBookSnapshot {
    const cells: number[][] = [];
    this.forEachCell((cell, long, short, bornAt) => cells.push([cell, ...long, ...short, bornAt]));
    return { origin: this.origin, tiers: this.tiers, cells };
  }

  static fromSnapshot(grid: PriceGrid, snap: LevelBookSnapshot): LevelBook {
    // (Snapshots hold USD: forEachCell renormalized before writing them.)
    const book = new LevelBook(grid, snap.tiers);
    book.origin = snap.origin;
    book.placed = true;
    for (const c of snap.cells) {
      const slot = c[0] - book.origin;
      if (slot < 0 || slot >= WINDOW) continue;
      let total = 0;
      for (let t = 0; t < snap.tiers; t++) {
        book.long[slot * snap.tiers + t] = c[1 + t];
        book.short[slot * snap.tiers + t] = c[1 + snap.tiers + t];
        total += c[1 + t] + c[1 + snap.tiers + t];
        if (c[1 + t] > 0) book.hiLong = Math.max(book.hiLong, slot);
        if (c[1 + snap.tiers + t] > 0) book.loShort = Math.min(book.loShort, slot);
      }
      book.born[slot] = c[1 + 2 * snap.tiers] * total;
    }
    book.recount();
    return book;
  }
}

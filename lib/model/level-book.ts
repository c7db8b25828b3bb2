/**
 * Estimated liquidation levels of one instrument: USD that would be force-closed per grid cell, long
 * and short apart, one column per way of placing exposure (distance-prior.ts: every column holds all
 * of it; a prior's weights say how much counts), in a dense window of cells that follows the price.
 *
 * Dense typed arrays (not maps) because the hot operations are range scans: a price move sweeps every
 * long level at or above the step's low and every short level at or below its high.
 */
import type { PriceGrid } from './grid';
import type { Sweep } from '../contract/market';
import type { ColumnWeights } from './distance-prior';
import { PackedReader, PackedWriter } from './packed';

export interface LevelBookSnapshot {
  origin: number;
  tiers: number;
  /**
   * The non-empty cells (packed.ts): per cell its slot from `origin` (u16), how many columns hold
   * USD (u8) and its USD-weighted birth time in seconds (u32), then per such column its index (u8;
   * column t: longs of column t, tiers + t: its shorts) and USD (f32: 7 digits).
   */
  packed: string;
  format: 3;
}

/** Bytes per packed cell before its columns, and per column (at most 2 × 19 columns: a u8 index). */
const CELL_BYTES = 7;
const COLUMN_BYTES = 5;

const NOTHING = new Float64Array(0);

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
  /** Raw USD per column and side (running sums, for weighted totals without a scan). */
  private rawLong: Float64Array;
  private rawShort: Float64Array;
  /** Increases whenever a level changes (added, swept, scaled, shifted): readers cache on it. */
  version = 0;

  constructor(
    readonly grid: PriceGrid,
    tiers: number,
  ) {
    this.tiers = tiers;
    // Allocated with the first price (`place`): an instrument seen only in an all-market liquidation
    // stream never has one, and dozens of them would each hold a megabyte of nothing.
    this.long = this.short = this.born = NOTHING;
    this.rawLong = new Float64Array(tiers);
    this.rawShort = new Float64Array(tiers);
  }

  /** Make sure `price` sits well inside the window; re-centres (dropping far edges) when it drifts. */
  follow(price: number): void {
    const cell = this.grid.cellOf(price);
    if (!this.placed) return this.place(cell - WINDOW / 2);
    const slot = cell - this.origin;
    if (slot > WINDOW / 8 && slot < (WINDOW * 7) / 8) return;
    this.shift(cell - WINDOW / 2 - this.origin);
  }

  /** The window's first cell, and its memory. */
  private place(origin: number): void {
    this.origin = origin;
    this.placed = true;
    this.long = new Float64Array(WINDOW * this.tiers);
    this.short = new Float64Array(WINDOW * this.tiers);
    this.born = new Float64Array(WINDOW);
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
    this.version += 1;
    this.hiLong = Math.min(WINDOW - 1, this.hiLong - by);
    this.loShort = Math.max(0, this.loShort - by);
    this.recount(); // levels beyond the new edges are gone
  }

  /** Add USD that would be liquidated at `price`, born at `time`. Outside the window it is dropped. */
  add(side: 'long' | 'short', price: number, tier: number, usd: number, time: number): void {
    if (!(usd > 0) || !(price > 0) || !this.placed) return;
    const slot = this.grid.cellOf(price) - this.origin;
    if (slot < 0 || slot >= WINDOW) return;
    const raw = usd / this.k;
    this.version += 1;
    if (side === 'long') {
      this.long[slot * this.tiers + tier] += raw;
      this.rawLong[tier] += raw;
      if (slot > this.hiLong) this.hiLong = slot;
    } else {
      this.short[slot * this.tiers + tier] += raw;
      this.rawShort[tier] += raw;
      if (slot < this.loShort) this.loShort = slot;
    }
    this.born[slot] += raw * Math.max(1, time); // > 0: a filled slot is told by its birth weight (forEachCell)
  }

  /**
   * Price traded between `low` and `high`: longs at or above the low and shorts at or below the high
   * are liquidated. Returns one sweep per consumed cell and side, its USD read with `weights`.
   */
  sweep(low: number, high: number, time: number, weights: ColumnWeights, out: Sweep[] = []): Sweep[] {
    if (!this.placed) return out;
    this.version += 1;
    // A cell's levels sit at its middle: a cell is crossed when the low reaches that middle.
    const lowCell = this.grid.cellOf(low);
    const lowSlot = Math.max(0, lowCell + (this.grid.priceOf(lowCell) < low ? 1 : 0) - this.origin);
    for (let s = lowSlot; s <= this.hiLong; s++) {
      const raw = this.clearSide(this.long, this.rawLong, weights.long, s);
      if (raw > 0) out.push({ time, price: this.grid.priceOf(s + this.origin), side: 'long', usd: raw * this.k });
    }
    if (lowSlot <= this.hiLong) this.hiLong = lowSlot - 1;
    const highCell = this.grid.cellOf(high);
    const highSlot = Math.min(WINDOW - 1, highCell - (this.grid.priceOf(highCell) > high ? 1 : 0) - this.origin);
    for (let s = this.loShort; s <= highSlot; s++) {
      const raw = this.clearSide(this.short, this.rawShort, weights.short, s);
      if (raw > 0) out.push({ time, price: this.grid.priceOf(s + this.origin), side: 'short', usd: raw * this.k });
    }
    if (highSlot >= this.loShort) this.loShort = highSlot + 1;
    return out;
  }

  /** Empty one side of a slot; returns its raw USD read with `weights`. */
  private clearSide(a: Float64Array, raws: Float64Array, weights: Float64Array, slot: number): number {
    let usd = 0;
    let weighted = 0;
    const base = slot * this.tiers;
    for (let t = 0; t < this.tiers; t++) {
      const v = a[base + t];
      if (v === 0) continue;
      usd += v;
      weighted += v * weights[t];
      raws[t] -= v;
      a[base + t] = 0;
    }
    if (usd > 0) {
      const remaining = this.cellUsd(slot);
      // Keep the birth weight of what is left on the other side.
      this.born[slot] = remaining > 0 ? (this.born[slot] * remaining) / (remaining + usd) : 0;
    }
    return weighted;
  }

  private cellUsd(slot: number): number {
    let usd = 0;
    const base = slot * this.tiers;
    for (let t = 0; t < this.tiers; t++) usd += this.long[base + t] + this.short[base + t];
    return usd;
  }

  /** Multiply every level by `factor` (decay, or positions closed by hand). O(1). */
  scale(factor: number): void {
    if (factor === 1) return;
    this.version += 1;
    if (!(factor > 0)) {
      this.clear();
      return;
    }
    this.k *= factor;
    if (this.k < 1e-200 || this.k > 1e200) this.renormalize();
  }

  private renormalize(): void {
    for (const a of [this.long, this.short, this.born, this.rawLong, this.rawShort]) for (let i = 0; i < a.length; i++) a[i] *= this.k;
    this.k = 1;
  }

  private clear(): void {
    this.long.fill(0);
    this.short.fill(0);
    this.born.fill(0);
    this.rawLong.fill(0);
    this.rawShort.fill(0);
    this.k = 1;
    this.hiLong = -1;
    this.loShort = WINDOW;
  }

  /** Total USD per side read with `weights`. */
  totals(weights: ColumnWeights): { long: number; short: number } {
    let long = 0;
    let short = 0;
    for (let t = 0; t < this.tiers; t++) {
      long += this.rawLong[t] * weights.long[t];
      short += this.rawShort[t] * weights.short[t];
    }
    // Running sums; tiny negative drift from float subtraction is clamped.
    return { long: Math.max(0, long * this.k), short: Math.max(0, short * this.k) };
  }

  /**
   * Visit every non-empty cell: its index, its long and short values per column (views, do not keep),
   * the USD-weighted birth time, and `scale`: values × scale are USD. (Not renormalized first: a
   * snapshot asks for zones every step, and rescaling a 16-column book each time cost more than
   * the zones.) Most slots are empty; the birth weight says which are not with one read.
   */
  forEachCell(fn: (cell: number, long: Float64Array, short: Float64Array, at: number, bornAt: number, scale: number) => void): void {
    if (!this.placed) return;
    for (let s = 0; s < WINDOW; s++) {
      if (this.born[s] === 0) continue;
      const total = this.cellUsd(s);
      if (total <= 0) continue;
      // The whole arrays and where this cell's columns start (not a view per cell: a save or a
      // snapshot visits every filled cell, and each view was an object to collect).
      fn(s + this.origin, this.long, this.short, s * this.tiers, this.born[s] / total, this.k);
    }
  }
  /** Total USD (long + short, read with `weights`) for `rows` cells starting at `firstCell`, into `out`. */
  column(firstCell: number, rows: number, weights: ColumnWeights, out: Float64Array): Float64Array {
    out.fill(0);
    if (!this.placed) return out;
    for (let r = 0; r < rows; r++) {
      const s = firstCell + r - this.origin;
      if (s >= 0 && s < WINDOW) out[r] = (this.sideUsd(this.long, weights.long, s) + this.sideUsd(this.short, weights.short, s)) * this.k;
    }
    return out;
  }

  /**
   * One side's USD (read with `weights`) for the cells `firstCell` … `firstCell + out.length − 1`,
   * into `out` (the live score's look-back frames).
   */
  sideCells(side: 'long' | 'short', firstCell: number, weights: Float64Array, out: Float32Array): Float32Array {
    const a = side === 'long' ? this.long : this.short;
    if (!this.placed) return out.fill(0);
    for (let r = 0; r < out.length; r++) {
      const s = firstCell + r - this.origin;
      out[r] = s >= 0 && s < WINDOW ? this.sideUsd(a, weights, s) * this.k : 0;
    }
    return out;
  }

  private sideUsd(a: Float64Array, weights: Float64Array, slot: number): number {
    let usd = 0;
    const base = slot * this.tiers;
    for (let t = 0; t < this.tiers; t++) usd += a[base + t] * weights[t];
    return usd;
  }

  private recount(): void {
    this.rawLong.fill(0);
    this.rawShort.fill(0);
    for (let i = 0; i < this.long.length; i++) {
      this.rawLong[i % this.tiers] += this.long[i];
      this.rawShort[i % this.tiers] += this.short[i];
    }
  }

  toSnapshot(): LevelBookSnapshot {
    const out = new PackedWriter();
    this.forEachCell((cell, long, short, at, bornAt, scale) => {
      out.u16(cell - this.origin);
      const countAt = out.offset;
      out.u8(0);
      out.u32(Math.round(bornAt / 1000));
      let count = 0;
      for (let c = 0; c < 2 * this.tiers; c++) {
        const raw = c < this.tiers ? long[at + c] : short[at + c - this.tiers];
        if (raw === 0) continue;
        out.u8(c);
        out.f32(raw * scale);
        count += 1;
      }
      out.setU8(countAt, count);
    });
    return { origin: this.origin, tiers: this.tiers, packed: out.toBase64(), format: 3 };
  }

  /** A book from its snapshot; what does not fit (a damaged or older snapshot) is left out. */
  static fromSnapshot(grid: PriceGrid, snap: LevelBookSnapshot): LevelBook {
    // (Snapshots hold USD: toSnapshot scaled the values.)
    const book = new LevelBook(grid, snap.tiers);
    book.place(snap.origin);
    const tiers = snap.tiers;
    const read = new PackedReader(snap.format === 3 ? snap.packed : undefined);
    while (read.has(CELL_BYTES)) {
      const slot = read.u16();
      const count = read.u8();
      const bornAt = read.u32() * 1000;
      if (!read.has(count * COLUMN_BYTES)) break;
      let total = 0;
      for (let i = 0; i < count; i++) {
        const column = read.u8();
        const usd = read.f32();
        if (!(usd > 0) || usd === Infinity || column >= 2 * tiers || slot >= WINDOW) continue;
        if (column < tiers) {
          book.long[slot * tiers + column] = usd;
          book.hiLong = Math.max(book.hiLong, slot);
        } else {
          book.short[slot * tiers + column - tiers] = usd;
          book.loShort = Math.min(book.loShort, slot);
        }
        total += usd;
      }
      if (total > 0) book.born[slot] = Math.max(1, bornAt) * total;
    }
    book.recount();
    return book;
  }
}

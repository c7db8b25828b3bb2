/**
 * Heatmap history of one instrument: one column per minute of the estimated level book and of the
 * realized liquidations, in typed-array rings with a hard capacity (a memory bound by construction)
 * that are allocated as history arrives (doubling from an hour), and a 30-minute tier for ranges
 * beyond a week.
 *
 * A column stores ROWS cells centred on that minute's price. Estimated USD is kept as a byte on a log
 * scale (ten decades, about 10 % per step: the heatmap quantizes colour far more coarsely); realized
 * USD is sparse. A minute without data has no column: the time axis shows the gap, never interpolates.
 */

export const ROWS = 256;
/** Log scale of the byte: value v > 0 stands for 10^(LOG_MIN + (v − 1) / PER_DECADE) USD. */
const LOG_MIN = 0;
const PER_DECADE = 25;

export function encodeUsd(usd: number): number {
  if (!(usd >= 1)) return 0;
  return Math.min(255, 1 + Math.round((Math.log10(usd) - LOG_MIN) * PER_DECADE));
}

export function decodeUsd(v: number): number {
  return v === 0 ? 0 : 10 ** (LOG_MIN + (v - 1) / PER_DECADE);
}

export interface HistoryColumn {
  /** Start of the minute (or 30-minute bucket), epoch ms. */
  time: number;
  /** Grid cell of row 0. */
  firstCell: number;
  /** Price at the end of the period (for the price line). */
  price: number;
  /** Estimated USD per row (decoded). */
  estimated: Float64Array;
  realizedLong: Float32Array;
  realizedShort: Float32Array;
}

/** Realized cells kept per column at most (the largest); more is noise at heatmap resolution. */
const MAX_REALIZED_PER_COLUMN = 64;
/** Realized entries in the shared pool, per column of capacity on average. */
const REALIZED_PER_COLUMN = 6;

/**
 * A column made while LiqLens listened live (not from a venue's history): its `realCount` carries this
 * bit beside the count (at most MAX_REALIZED_PER_COLUMN = 64 entries: 7 bits). Realized liquidations
 * exist only in such columns, so the first of them is where realized coverage starts.
 */
const LIVE = 0x80;
const COUNT = 0x7f;

/** Columns allocated at first: an hour of minutes. The arrays double as columns arrive, up to capacity. */
const INITIAL_COLUMNS = 64;

/**
 * A fixed-capacity ring of columns. Estimated USD is dense (a byte per row); realized USD is sparse
 * (row + signed float32: + long, − short) in a shared ring pool, since most minutes liquidate few cells.
 * When the pool wraps, the oldest columns lose their realized detail first. Storage grows with the
 * columns written (copying while it grows, which is before the ring ever wraps) and never past
 * `capacity`.
 */
export class ColumnRing {
  readonly capacity: number;
  readonly periodMs: number;
  /** Columns the arrays hold now (≤ capacity); slots are taken modulo this. */
  private allocated: number;
  private est: Uint8Array;
  private times: Float64Array;
  private first: Int32Array;
  private prices: Float64Array;
  /** Global index of each column's first realized entry, and how many it has. */
  private realStart: Float64Array;
  private realCount: Uint8Array;
  private poolRow: Uint8Array;
  private poolUsd: Float32Array;
  private poolWritten = 0;
  /** Number of columns written (may exceed capacity; the oldest are overwritten). */
  private written = 0;

  constructor(capacity: number, periodMs: number) {
    this.capacity = capacity;
    this.periodMs = periodMs;
    this.allocated = Math.min(capacity, INITIAL_COLUMNS);
    const n = this.allocated;
    this.est = new Uint8Array(n * ROWS);
    this.times = new Float64Array(n);
    this.first = new Int32Array(n);
    this.prices = new Float64Array(n);
    this.realStart = new Float64Array(n);
    this.realCount = new Uint8Array(n);
    this.poolRow = new Uint8Array(n * REALIZED_PER_COLUMN);
    this.poolUsd = new Float32Array(n * REALIZED_PER_COLUMN);
  }

  /** Bytes of a ring of `capacity` columns once full: the bound. */
  static maxBytes(capacity: number): number {
    return capacity * (ROWS + 8 + 4 + 8 + 8 + 1 + REALIZED_PER_COLUMN * 5);
  }

  /** Double the storage (up to capacity). Only called while nothing has wrapped: slot i is column i. */
  private grow(): void {
    const n = Math.min(this.capacity, this.allocated * 2);
    const copy = <T extends Uint8Array | Int32Array | Float32Array | Float64Array>(a: T, make: (len: number) => T, len: number): T => {
      const out = make(len);
      out.set(a.subarray(0, Math.min(a.length, len)) as never);
      return out;
    };
    this.est = copy(this.est, (l) => new Uint8Array(l), n * ROWS);
    this.times = copy(this.times, (l) => new Float64Array(l), n);
    this.first = copy(this.first, (l) => new Int32Array(l), n);
    this.prices = copy(this.prices, (l) => new Float64Array(l), n);
    this.realStart = copy(this.realStart, (l) => new Float64Array(l), n);
    this.realCount = copy(this.realCount, (l) => new Uint8Array(l), n);
    // The pool may have wrapped already (a liquidation-heavy hour): each kept entry moves to its
    // place in the larger pool, by the same global index.
    const oldPool = this.poolRow.length;
    const rows = new Uint8Array(n * REALIZED_PER_COLUMN);
    const usd = new Float32Array(n * REALIZED_PER_COLUMN);
    for (let g = Math.max(0, this.poolWritten - oldPool); g < this.poolWritten; g++) {
      rows[g % rows.length] = this.poolRow[g % oldPool];
      usd[g % rows.length] = this.poolUsd[g % oldPool];
    }
    this.poolRow = rows;
    this.poolUsd = usd;
    this.allocated = n;
  }

  get length(): number {
    return Math.min(this.written, this.capacity);
  }

  get bytes(): number {
    return [this.est, this.times, this.first, this.prices, this.realStart, this.realCount, this.poolRow, this.poolUsd].reduce(
      (n, a) => n + a.byteLength,
      0,
    );
  }

  lastTime(): number | undefined {
    return this.written ? this.times[(this.written - 1) % this.allocated] : undefined;
  }

  firstTime(): number | undefined {
    return this.written ? this.times[this.slotOf(0)] : undefined;
  }

  /**
   * The first column made while listening live: realized liquidations are counted from there on
   * (earlier columns came from the venues' history, which has none). Undefined before any.
   */
  firstLiveTime(): number | undefined {
    for (let i = 0; i < this.length; i++) {
      const slot = this.slotOf(i);
      if (this.realCount[slot] & LIVE) return this.times[slot];
    }
    return undefined;
  }

  /**
   * Append a column; `estimated` and realized arrays are ROWS long, in USD. `live`: made from the live
   * feeds (not a venue's history).
   */
  push(
    time: number,
    firstCell: number,
    price: number,
    estimated: ArrayLike<number>,
    realizedLong: ArrayLike<number>,
    realizedShort: ArrayLike<number>,
    live = false,
  ): void {
    if (this.written === this.allocated && this.allocated < this.capacity) this.grow();
    const slot = this.written % this.allocated;
    const base = slot * ROWS;
    const realized: [number, number][] = [];
    for (let r = 0; r < ROWS; r++) {
      this.est[base + r] = encodeUsd(estimated[r]);
      if (realizedLong[r] > 0) realized.push([r, realizedLong[r]]);
      if (realizedShort[r] > 0) realized.push([r, -realizedShort[r]]);
    }
    if (realized.length > MAX_REALIZED_PER_COLUMN)
      realized.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).length = MAX_REALIZED_PER_COLUMN;
    const pool = this.poolRow.length;
    this.realStart[slot] = this.poolWritten;
    this.realCount[slot] = realized.length | (live ? LIVE : 0);
    for (const [row, usd] of realized) {
      const i = this.poolWritten % pool;
      this.poolRow[i] = row;
      this.poolUsd[i] = usd;
      this.poolWritten += 1;
    }
    this.times[slot] = time;
    this.first[slot] = firstCell;
    this.prices[slot] = price;
    this.written += 1;
  }

  private slotOf(i: number): number {
    return (this.written - this.length + i) % this.allocated;
  }

  /** Realized entries of a slot still in the pool (older ones were overwritten). */
  private realizedOf(slot: number, fn: (row: number, signedUsd: number) => void): void {
    const pool = this.poolRow.length;
    const start = this.realStart[slot];
    if (this.poolWritten - start > pool) return;
    const count = this.realCount[slot] & COUNT;
    for (let k = 0; k < count; k++) {
      const i = (start + k) % pool;
      fn(this.poolRow[i], this.poolUsd[i]);
    }
  }

  /** Column i, 0 = oldest kept, decoded to USD. */
  get(i: number): HistoryColumn {
    const slot = this.slotOf(i);
    const base = slot * ROWS;
    const estimated = new Float64Array(ROWS);
    for (let r = 0; r < ROWS; r++) estimated[r] = decodeUsd(this.est[base + r]);
    const realizedLong = new Float32Array(ROWS);
    const realizedShort = new Float32Array(ROWS);
    this.realizedOf(slot, (row, usd) => (usd > 0 ? (realizedLong[row] += usd) : (realizedShort[row] -= usd)));
    return { time: this.times[slot], firstCell: this.first[slot], price: this.prices[slot], estimated, realizedLong, realizedShort };
  }

  /**
   * Visit columns from `from` (epoch ms) on without allocating: `est` is a view valid during the call;
   * `realized` replays the column's realized entries (signed USD: + long, − short).
   */
  forEach(
    from: number,
    fn: (
      time: number,
      firstCell: number,
      price: number,
      est: Uint8Array,
      realized: (visit: (row: number, signedUsd: number) => void) => void,
    ) => void,
  ): void {
    for (let i = 0; i < this.length; i++) {
      const slot = this.slotOf(i);
      if (this.times[slot] < from) continue;
      const base = slot * ROWS;
      fn(this.times[slot], this.first[slot], this.prices[slot], this.est.subarray(base, base + ROWS), (visit) =>
        this.realizedOf(slot, visit),
      );
    }
  }

  /**
   * Serializable copy (columns oldest first) for persistence and worker restarts; `from` (epoch ms)
   * leaves out older columns (a periodic save copies only what it writes).
   */
  toSnapshot(from = -Infinity): RingSnapshot {
    const columns: RingSnapshot['columns'] = [];
    for (let i = 0; i < this.length; i++) {
      const slot = this.slotOf(i);
      if (this.times[slot] < from) continue;
      const realized: number[] = [];
      this.realizedOf(slot, (row, usd) => realized.push(row, usd));
      columns.push({
        t: this.times[slot],
        c: this.first[slot],
        p: this.prices[slot],
        e: this.est.slice(slot * ROWS, (slot + 1) * ROWS),
        r: realized,
        ...(this.realCount[slot] & LIVE ? { l: 1 as const } : {}),
      });
    }
    return { capacity: this.capacity, periodMs: this.periodMs, columns };
  }

  static fromSnapshot(s: RingSnapshot): ColumnRing {
    const ring = new ColumnRing(s.capacity, s.periodMs);
    const zero = new Float64Array(ROWS);
    for (const col of s.columns.slice(-s.capacity)) {
      const rl = new Float64Array(ROWS);
      const rs = new Float64Array(ROWS);
      for (let k = 0; k + 1 < col.r.length; k += 2) {
        if (col.r[k + 1] > 0) rl[col.r[k]] += col.r[k + 1];
        else rs[col.r[k]] -= col.r[k + 1];
      }
      // Columns saved before the live flag existed: those with realized entries were live for sure.
      ring.push(col.t, col.c, col.p, zero, rl, rs, col.l === 1 || col.r.length > 0);
      ring.est.set(col.e.subarray(0, ROWS), ((ring.written - 1) % ring.allocated) * ROWS);
    }
    return ring;
  }
}

export interface RingSnapshot {
  capacity: number;
  periodMs: number;
  /** Oldest first: time, first cell, price, encoded estimate bytes, realized [row, signed USD, …], live (1: from the live feeds). */
  columns: { t: number; c: number; p: number; e: Uint8Array; r: number[]; l?: 1 }[];
}

export const MINUTE_MS = 60_000;
/** 7 days of minute columns, then 30 days of 30-minute columns. */
export const MINUTE_CAPACITY = 7 * 24 * 60;
export const COARSE_PERIOD_MS = 30 * MINUTE_MS;
export const COARSE_CAPACITY = 30 * 48;

/** Both tiers of one instrument; the coarse tier is filled from the minute tier as periods close. */
export class InstrumentHistory {
  minutes: ColumnRing;
  coarse: ColumnRing;
  private pending: {
    time: number;
    firstCell: number;
    price: number;
    est: Float64Array;
    rl: Float64Array;
    rs: Float64Array;
    live: boolean;
  } | null = null;

  constructor(minuteCapacity = MINUTE_CAPACITY, coarseCapacity = COARSE_CAPACITY) {
    this.minutes = new ColumnRing(minuteCapacity, MINUTE_MS);
    this.coarse = new ColumnRing(coarseCapacity, COARSE_PERIOD_MS);
  }

  get bytes(): number {
    return this.minutes.bytes + this.coarse.bytes;
  }

  /** What both rings take once full. */
  get maxBytes(): number {
    return ColumnRing.maxBytes(this.minutes.capacity) + ColumnRing.maxBytes(this.coarse.capacity);
  }

  toSnapshot(): { minutes: RingSnapshot; coarse: RingSnapshot } {
    return { minutes: this.minutes.toSnapshot(), coarse: this.coarse.toSnapshot() };
  }

  static fromSnapshot(s: { minutes: RingSnapshot; coarse: RingSnapshot }): InstrumentHistory {
    const h = new InstrumentHistory(s.minutes.capacity, s.coarse.capacity);
    h.minutes = ColumnRing.fromSnapshot(s.minutes);
    h.coarse = ColumnRing.fromSnapshot(s.coarse);
    return h;
  }

  push(
    time: number,
    firstCell: number,
    price: number,
    estimated: ArrayLike<number>,
    realizedLong: ArrayLike<number>,
    realizedShort: ArrayLike<number>,
    live = false,
  ): void {
    this.minutes.push(time, firstCell, price, estimated, realizedLong, realizedShort, live);
    // Coarse columns: the last minute's book (a snapshot in time) and the sum of realized USD.
    const bucket = Math.floor(time / COARSE_PERIOD_MS) * COARSE_PERIOD_MS;
    if (this.pending && this.pending.time !== bucket) this.flushCoarse();
    if (!this.pending)
      this.pending = {
        time: bucket,
        firstCell,
        price,
        est: new Float64Array(ROWS),
        rl: new Float64Array(ROWS),
        rs: new Float64Array(ROWS),
        live: false,
      };
    const p = this.pending;
    p.live ||= live;
    const shift = firstCell - p.firstCell;
    for (let r = 0; r < ROWS; r++) {
      const row = r + shift;
      if (row < 0 || row >= ROWS) continue;
      p.rl[row] += realizedLong[r];
      p.rs[row] += realizedShort[r];
    }
    p.est.fill(0);
    for (let r = 0; r < ROWS; r++) {
      const row = r + shift;
      if (row >= 0 && row < ROWS) p.est[row] = estimated[r];
    }
    p.price = price;
  }

  private flushCoarse(): void {
    const p = this.pending!;
    this.coarse.push(p.time, p.firstCell, p.price, p.est, p.rl, p.rs, p.live);
    this.pending = null;
  }
}

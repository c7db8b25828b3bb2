/**
 * The estimated-level model of one instrument (docs/model.md): every Δt step it sweeps the levels
 * price traded through, turns a rise in open interest into new long and short exposure at their
 * liquidation prices (taker split × distance prior × exact formula), removes closed positions when
 * open interest falls, and decays what is left. Realized liquidations are kept apart, by cell and
 * minute. Every minute the book and the realized cells become one history column.
 *
 * The book holds every prior's placement at once (distance-prior.ts) and is read with the active
 * prior's weights; a naive book beside it (no taker flow) and a frame of each every step are what
 * the live score compares (model-score.ts).
 *
 * Time comes from the events (exchange time), so replays and live feeds give the same result.
 */
import type { MarginTier, MarketEvent } from '../exchanges/types';
import { PriceGrid } from './grid';
import { InstrumentHistory, MINUTE_MS, ROWS } from './history';
import { LevelBook, type LevelBookSnapshot } from './level-book';
import { PackedReader, PackedWriter } from './packed';
import type { Sweep } from '../contract/market';
import { DEFAULT_TIERS, inverseLiquidationPrice, liquidationPrice, tierFor } from './liquidation-price';
import type { ModelParams } from './params';
import {
  binDistances,
  DISTANCE_BINS,
  learnedWeights,
  presetWeights,
  type ColumnWeights,
  type DistanceDistribution,
  type PriorName,
} from './distance-prior';
import { SCORE_WITHIN, ScoreFrames, topQuarterCut, type FrameSide, type ScoreFrame } from './model-score';

/** The naive book has one column, already weighted by the preset. */
const UNIT: ColumnWeights = { long: new Float64Array([1]), short: new Float64Array([1]) };

/** Sweeps kept per instrument for drawing (the newest). */
const MAX_SWEEPS = 500;
/** A packed sweep: time f64, cell i32, side u8, USD f32. */
const SWEEP_BYTES = 17;
/** Flow is dropped after this many steps without an open-interest reading. */
const STEPS_WITHOUT_OI = 60;
/** After a silence longer than this, steps are not replayed one by one: decay is applied at once. */
const MAX_CATCH_UP_STEPS = 720;

export interface InstrumentModelSnapshot {
  book: LevelBookSnapshot;
  naive?: LevelBookSnapshot;
  stepStart: number | null;
  minuteStart: number | null;
  oiBase: number | null;
  oiAtStep: number | null;
  lastPrice: number | null;
  markPrice: number | null;
  /** Packed (packed.ts): per sweep its time (f64), cell (i32), side (u8: 1 is long) and USD (f32). */
  sweeps: string;
}

/** What an instrument's venue allows: its maintenance tiers and its maximum leverage. */
export interface InstrumentLimits {
  tiers?: MarginTier[];
  /** No level is placed at a leverage above this (the venue's cap for the instrument). */
  maxLeverage?: number;
}

export interface ModelOptions extends InstrumentLimits {
  /** Coin-margined contracts use the inverse liquidation formula. */
  inverse?: boolean;
  history?: InstrumentHistory;
  /** The distance distribution learned for the instrument's coin, if any. */
  learned?: DistanceDistribution | null;
  /** Which prior the book is read with (params.prior unless given). */
  prior?: PriorName;
}

export class InstrumentModel {
  readonly grid: PriceGrid;
  book: LevelBook;
  /** The naive baseline's book: new exposure at the step's price, half long, half short (the score's yardstick). */
  naive: LevelBook;
  /** What the estimate looked like step by step, for scoring liquidations 60 s later. */
  readonly frames = new ScoreFrames();
  /** Replaced when history is restored from IndexedDB. */
  history: InstrumentHistory;
  readonly sweeps: Sweep[] = [];
  private params: ModelParams;
  private tiers: MarginTier[];
  private maxLeverage: number;
  private inverse: boolean;
  private prior: PriorName;
  private presetW: ColumnWeights;
  private learned: DistanceDistribution | null = null;
  private learnedW: ColumnWeights | null = null;

  // Current step: the price range to sweep.
  private stepStart: number | null = null;
  private high = -Infinity;
  private low = Infinity;
  // Flow since the last open-interest reading: what the next ΔOI is split and grossed up with.
  /** Taker USD by price cell since the last reading: [taker buy, taker sell]. */
  private flow = new Map<number, [number, number]>();
  private flowUsd = 0;
  private flowFirstPrice: number | null = null;
  private realizedBase = 0;
  private stepsWithoutOi = 0;
  /** An open-interest reading arrived in this step (changed or not). */
  private oiReadSinceStep = false;
  // Last known.
  lastPrice: number | null = null;
  markPrice: number | null = null;
  private oiBase: number | null = null;
  /** The last open-interest reading came from the venue's history endpoint (backfill), not its live one. */
  private oiFromHistory = false;
  private oiAtStep: number | null = null;
  // Current minute's realized liquidations by cell: [long USD, short USD].
  private minuteStart: number | null = null;
  /** Whether any event arrived in the current minute: a minute without data gets no column (a gap). */
  private minuteHadData = false;
  /** Whether a live event (not a venue's history) arrived in the current minute: its column is marked live. */
  private minuteHadLive = false;
  private realized = new Map<number, [number, number]>();
  private columnBuf = new Float64Array(ROWS);

  constructor(params: ModelParams, options: ModelOptions = {}) {
    this.params = params;
    this.grid = new PriceGrid(params.gridStep);
    this.book = new LevelBook(this.grid, params.leverage.length + DISTANCE_BINS);
    this.naive = new LevelBook(this.grid, 1);
    this.tiers = options.tiers ?? DEFAULT_TIERS;
    this.maxLeverage = options.maxLeverage ?? 125;
    this.inverse = options.inverse ?? false;
    this.history = options.history ?? new InstrumentHistory();
    this.prior = options.prior ?? params.prior ?? 'default';
    this.presetW = presetWeights(params.leverage, this.maxLeverage);
    this.setLearned(options.learned ?? null);
  }

  /** The weights the book is read with: the chosen prior's, the preset's until a learned one exists. */
  get weights(): ColumnWeights {
    return (this.prior === 'learned' && this.learnedW) || this.presetW;
  }

  /** The preset's weights (leverage tiers within the instrument's cap), whatever the chosen prior. */
  get presetWeights(): ColumnWeights {
    return this.presetW;
  }

  /** Which prior the book is read with now (the learned one falls back to the preset without a distribution). */
  get activePrior(): PriorName {
    return this.prior === 'learned' && this.learnedW ? 'learned' : 'default';
  }

  /** The distance distribution learned from real positions (null: none yet). Re-weights, never rebuilds. */
  setLearned(d: DistanceDistribution | null): void {
    this.learned = d;
    this.learnedW = d ? learnedWeights(d, this.params.leverage.length, this.maxLeverage, this.mmr()) : null;
    this.frameStale = true;
  }

  setPrior(prior: PriorName): void {
    this.prior = prior;
  }

  private mmr(): number {
    return tierFor(this.tiers, this.params.typicalPositionUsd).mmr;
  }

  /** The current (still open) minute's realized USD per cell: long, short. Not in the history yet. */
  forEachOpenRealized(fn: (cell: number, long: number, short: number) => void): void {
    for (const [cell, [l, s]] of this.realized) fn(cell, l, s);
  }

  /**
   * Since when realized liquidations of this instrument are counted: the first live minute kept (the
   * venues' history carries none), or the open minute if it is the first. Undefined before any live event.
   */
  listeningSince(): number | undefined {
    return this.history.minutes.firstLiveTime() ?? (this.minuteHadLive ? (this.minuteStart ?? undefined) : undefined);
  }

  /**
   * The venue's limits for this instrument, once known. A lower maximum leverage also takes out the
   * levels already placed beyond it (placed with a guess before the venue's list arrived): the
   * weights of columns no position can reach become none.
   */
  setLimits(limits: InstrumentLimits): void {
    if (limits.tiers?.length) this.tiers = limits.tiers;
    const max = limits.maxLeverage;
    if (max !== undefined && max > 0) this.maxLeverage = max;
    this.presetW = presetWeights(this.params.leverage, this.maxLeverage);
    this.setLearned(this.learned);
  }

  /**
   * Live data follows backfilled history: the next open-interest reading is a new baseline, not a
   * change. A venue's history ends minutes before now and may count open interest a little apart
   * from its live endpoint; taking the difference as positions closed by hand once wiped the
   * whole backfilled book in the first live step (#24), and as positions opened it would draw a
   * wall at today's price.
   */
  rebaseOpenInterest(): void {
    if (!this.oiFromHistory) return; // the last reading was live: the next one is comparable
    this.oiFromHistory = false;
    this.oiAtStep = null;
    this.oiBase = null;
    this.oiReadSinceStep = false;
    this.realizedBase = 0;
  }

  /** The current price: last trade, else mark. */
  get price(): number | null {
    return this.lastPrice ?? this.markPrice;
  }

  /** One event; `history`: it came from the venue's REST history (backfill), not its live feed. */
  ingest(e: MarketEvent, history = false): void {
    this.advance(e.exchangeTime);
    this.minuteHadData = true;
    if (!history) this.minuteHadLive = true;
    switch (e.kind) {
      case 'trade': {
        const cell = this.grid.cellOf(e.price);
        let f = this.flow.get(cell);
        if (!f) {
          f = [0, 0];
          this.flow.set(cell, f);
        }
        f[e.takerSide === 'buy' ? 0 : 1] += e.notionalUsd;
        this.flowUsd += e.notionalUsd;
        this.seePrice(e.price);
        this.lastPrice = e.price;
        break;
      }
      case 'markPrice':
        this.markPrice = e.markPrice;
        this.seePrice(e.markPrice);
        break;
      case 'openInterest':
        this.oiFromHistory = history;
        this.oiBase = e.baseQty;
        this.oiReadSinceStep = true;
        if (this.oiAtStep === null) this.oiAtStep = e.baseQty; // the first reading is a baseline, not new exposure
        break;
      case 'liquidation': {
        this.realizedBase += e.baseQty;
        const cell = this.grid.cellOf(e.price);
        const entry = this.realized.get(cell) ?? [0, 0];
        entry[e.liquidatedSide === 'long' ? 0 : 1] += e.notionalUsd;
        this.realized.set(cell, entry);
        break;
      }
    }
  }

  private seePrice(p: number): void {
    if (p > this.high) this.high = p;
    if (p < this.low) this.low = p;
    this.flowFirstPrice ??= p;
  }

  /** Close every step (and minute) that ended at or before `time`. Call on a timer when feeds are quiet. */
  advance(time: number): void {
    const stepMs = this.params.stepMs;
    if (this.stepStart === null) {
      this.stepStart = Math.floor(time / stepMs) * stepMs;
      this.minuteStart = Math.floor(time / MINUTE_MS) * MINUTE_MS;
      return;
    }
    let steps = Math.floor((time - this.stepStart) / stepMs);
    if (steps <= 0) return;
    if (steps > MAX_CATCH_UP_STEPS) {
      // A long silence (worker asleep, venue down): one step for the data we have, decay for the rest.
      // The minutes in between get no column: the heatmap shows the gap.
      this.closeStep(this.stepStart + stepMs);
      this.closeMinute(this.stepStart + stepMs);
      this.decay((steps - 1) * stepMs);
      this.stepStart = Math.floor(time / stepMs) * stepMs;
      this.minuteStart = Math.floor(time / MINUTE_MS) * MINUTE_MS;
      return;
    }
    while (steps > 0) {
      if (this.quiet() && !this.minuteHadData) {
        // Nothing arrived since the last step (backfilled candles are minutes apart, a quiet market
        // seconds): those steps only decay, so they are taken at once. Same book, a fraction of the work.
        const end = (this.stepStart as number) + steps * stepMs;
        this.decay(steps * stepMs);
        this.stepsWithoutOi += steps;
        this.stepStart = end;
        this.minuteStart = Math.floor(end / MINUTE_MS) * MINUTE_MS;
        return;
      }
      steps -= 1;
      const end: number = (this.stepStart as number) + stepMs;
      this.closeStep(end);
      this.stepStart = end;
      if (this.minuteStart !== null && end - this.minuteStart >= MINUTE_MS) this.closeMinute(end);
    }
  }

  /** No price, flow, open interest or realized liquidation since the last step closed. */
  private quiet(): boolean {
    return this.high === -Infinity && !this.oiReadSinceStep && this.flowUsd === 0 && this.realized.size === 0;
  }

  private closeStep(end: number): void {
    const price = this.price;
    if (price !== null) {
      this.book.follow(price);
      this.naive.follow(price);
      // 1. Consumption: levels price traded through are liquidated (sweeps).
      const low = Number.isFinite(this.low) ? this.low : price;
      const high = Number.isFinite(this.high) ? this.high : price;
      const swept = this.book.sweep(low, high, end, this.weights);
      if (this.naive.sweep(low, high, end, UNIT).length || swept.length) this.frameStale = true;
      for (const s of swept) this.sweeps.push(s);
      if (this.sweeps.length > MAX_SWEEPS) this.sweeps.splice(0, this.sweeps.length - MAX_SWEEPS);
      // 2./3. New exposure, or closing, when a new open-interest reading arrived. Liquidations
      // reduced OI too: adding them back gives the positions opened (ΔOI > 0) or closed by hand
      // (ΔOI < 0) over the same span, instead of counting each liquidation twice.
      // Every reading closes the flow window, changed or not: trades between two equal readings
      // moved positions from hand to hand and opened nothing, so their prices must not receive the
      // next change's exposure (they used to, spreading stray levels).
      if (this.oiReadSinceStep && this.oiBase !== null && this.oiAtStep !== null) {
        const grossDelta = this.oiBase - this.oiAtStep + this.realizedBase;
        if (grossDelta > 0) {
          this.addExposure(grossDelta, price, end);
          this.addNaive(grossDelta * price, price, end);
          this.frameStale = true;
        } else if (grossDelta < 0) this.close(-grossDelta * price);
        this.oiAtStep = this.oiBase;
        this.resetFlow();
      } else if (++this.stepsWithoutOi > STEPS_WITHOUT_OI) {
        this.resetFlow(); // a venue without OI updates: do not let flow pile up forever
      }
    }
    this.decay(this.params.stepMs);
    this.high = -Infinity;
    this.low = Infinity;
    if (price !== null) this.takeFrame(end, price);
  }

  /** The book's shape changed since the last frame (exposure, a sweep, a prior's weights). */
  private frameStale = true;
  private framePriceCell: number | null = null;

  /**
   * The estimate as it stands, for scoring the liquidations of the next minutes. Taken only when the
   * book's shape or the price cell changed: decay and pro-rata closing scale every cell alike and
   * change no ranking, so the last frame still answers for a quiet stretch.
   */
  private takeFrame(time: number, price: number): void {
    const priceCell = this.grid.cellOf(price);
    if (!this.frameStale && priceCell === this.framePriceCell) return;
    this.frameStale = false;
    this.framePriceCell = priceCell;
    const below = this.grid.cellOf(price * (1 - SCORE_WITHIN));
    const above = this.grid.cellOf(price * (1 + SCORE_WITHIN));
    const side = (book: LevelBook, s: 'long' | 'short', weights: Float64Array | undefined): FrameSide | null => {
      if (!weights) return null;
      const first = s === 'long' ? below : priceCell;
      const values = book.sideCells(s, first, weights, new Float32Array((s === 'long' ? priceCell : above) - first + 1));
      return { first, values, cut: topQuarterCut(values) };
    };
    const learned = this.learnedW ?? undefined;
    const frame: ScoreFrame = {
      time,
      long: [side(this.book, 'long', this.presetW.long), side(this.book, 'long', learned?.long), side(this.naive, 'long', UNIT.long)],
      short: [
        side(this.book, 'short', this.presetW.short),
        side(this.book, 'short', learned?.short),
        side(this.naive, 'short', UNIT.short),
      ],
    };
    this.frames.push(frame);
  }

  private resetFlow(): void {
    this.oiReadSinceStep = false;
    this.flow.clear();
    this.flowUsd = this.realizedBase = 0;
    this.flowFirstPrice = null;
    this.stepsWithoutOi = 0;
  }

  /**
   * New positions worth `dOiBase` coins were opened since the last reading. They are placed where the
   * taker flow traded, cell by cell: taker buys open longs, taker sells open shorts (the model's
   * assumption). Every column of the book gets all of it (the prior weighs them when read): each
   * leverage tier at its exact liquidation price, each distance bin over its three points. Without
   * trades, they open at the current price, leaning with its move.
   */
  private addExposure(dOiBase: number, price: number, time: number): void {
    const notional = dOiBase * price;
    const tiers = this.params.leverage.length;
    const mmr = this.mmr();
    const cum = tierFor(this.tiers, this.params.typicalPositionUsd).cum;
    const points = this.binPoints;
    const place = (entry: number, longUsd: number, shortUsd: number) => {
      const qty = this.params.typicalPositionUsd / entry;
      this.params.leverage.forEach((l, i) => {
        if (longUsd > 0) this.book.add('long', this.leverageLevel('long', entry, l.leverage, mmr, cum, qty), i, longUsd, time);
        if (shortUsd > 0) this.book.add('short', this.leverageLevel('short', entry, l.leverage, mmr, cum, qty), i, shortUsd, time);
      });
      for (let b = 0; b < DISTANCE_BINS; b++) {
        for (const d of points[b]) {
          if (longUsd > 0) this.book.add('long', entry * (1 - d), tiers + b, longUsd / points[b].length, time);
          if (shortUsd > 0) this.book.add('short', entry * (1 + d), tiers + b, shortUsd / points[b].length, time);
        }
      }
    };
    if (this.flowUsd > 0) {
      for (const [cell, [buy, sell]] of this.flow)
        place(this.grid.priceOf(cell), (notional * buy) / this.flowUsd, (notional * sell) / this.flowUsd);
      return;
    }
    const move = this.flowFirstPrice !== null ? Math.sign(price - this.flowFirstPrice) : 0;
    const longShare = 0.5 + 0.25 * move;
    place(price, notional * longShare, notional * (1 - longShare));
  }

  private readonly binPoints = Array.from({ length: DISTANCE_BINS }, (_, b) => binDistances(b));

  private leverageLevel(side: 'long' | 'short', entry: number, leverage: number, mmr: number, cum: number, qty: number): number {
    return this.inverse ? inverseLiquidationPrice(side, entry, leverage, mmr) : liquidationPrice(side, entry, leverage, mmr, cum, qty);
  }

  /** The naive baseline: the same new USD at the step's price, half long, half short, on the preset tiers. */
  private addNaive(notional: number, price: number, time: number): void {
    const tier = tierFor(this.tiers, this.params.typicalPositionUsd);
    const qty = this.params.typicalPositionUsd / price;
    this.params.leverage.forEach((l, i) => {
      const w = this.presetW.long[i];
      if (w <= 0) return;
      this.naive.add('long', this.leverageLevel('long', price, l.leverage, tier.mmr, tier.cum, qty), 0, (notional / 2) * w, time);
      this.naive.add('short', this.leverageLevel('short', price, l.leverage, tier.mmr, tier.cum, qty), 0, (notional / 2) * w, time);
    });
  }

  /** Positions closed by hand (open interest fell beyond the liquidations): removed pro rata. */
  private close(closedUsd: number): void {
    for (const [book, weights] of [
      [this.book, this.weights],
      [this.naive, UNIT],
    ] as const) {
      const { long, short } = book.totals(weights);
      const total = long + short;
      if (total > 0) book.scale(Math.max(0, 1 - closedUsd / total));
    }
  }

  private decay(ms: number): void {
    const h = this.params.decayHalfLifeHours;
    if (h <= 0) return;
    const factor = Math.pow(0.5, ms / (h * 3_600_000));
    this.book.scale(factor);
    this.naive.scale(factor);
  }

  private closeMinute(end: number): void {
    this.frames.markMinute();
    const start = this.minuteStart!;
    const price = this.price;
    if (price !== null && this.minuteHadData) {
      const firstCell = this.grid.cellOf(price) - ROWS / 2;
      const est = this.book.column(firstCell, ROWS, this.weights, this.columnBuf);
      const rl = new Float64Array(ROWS);
      const rs = new Float64Array(ROWS);
      for (const [cell, [l, s]] of this.realized) {
        const row = Math.min(ROWS - 1, Math.max(0, cell - firstCell));
        rl[row] += l;
        rs[row] += s;
      }
      this.history.push(start, firstCell, price, est, rl, rs, this.minuteHadLive);
    }
    this.realized.clear();
    this.minuteHadData = false;
    this.minuteHadLive = false;
    this.minuteStart = Math.floor(end / MINUTE_MS) * MINUTE_MS;
  }

  private packSweeps(): string {
    const out = new PackedWriter();
    for (const w of this.sweeps) {
      out.f64(w.time);
      out.i32(this.grid.cellOf(w.price));
      out.u8(w.side === 'long' ? 1 : 0);
      out.f32(w.usd);
    }
    return out.toBase64();
  }

  private unpackSweeps(packed: unknown): void {
    const read = new PackedReader(packed);
    while (read.has(SWEEP_BYTES) && this.sweeps.length < MAX_SWEEPS) {
      const time = read.f64();
      const price = this.grid.priceOf(read.i32());
      const side = read.u8() === 1 ? 'long' : 'short';
      const usd = read.f32();
      if (Number.isFinite(time) && usd > 0 && usd !== Infinity) this.sweeps.push({ time, price, side, usd });
    }
  }

  toSnapshot(): InstrumentModelSnapshot {
    return {
      book: this.book.toSnapshot(),
      naive: this.naive.toSnapshot(),
      stepStart: this.stepStart,
      minuteStart: this.minuteStart,
      oiBase: this.oiBase,
      oiAtStep: this.oiAtStep,
      lastPrice: this.lastPrice,
      markPrice: this.markPrice,
      sweeps: this.packSweeps(),
    };
  }

  static fromSnapshot(params: ModelParams, s: InstrumentModelSnapshot, options: ModelOptions = {}): InstrumentModel {
    const m = new InstrumentModel(params, options);
    if (s.book.tiers === params.leverage.length + DISTANCE_BINS) m.book = LevelBook.fromSnapshot(m.grid, s.book);
    if (s.naive?.tiers === 1) m.naive = LevelBook.fromSnapshot(m.grid, s.naive);
    m.stepStart = s.stepStart;
    m.minuteStart = s.minuteStart;
    m.oiBase = s.oiBase;
    m.oiAtStep = s.oiAtStep;
    m.lastPrice = s.lastPrice;
    m.markPrice = s.markPrice;
    m.unpackSweeps(s.sweeps);
    return m;
  }
}

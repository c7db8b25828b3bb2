/**
 * Estimated levels for every instrument, and the views built on them: per instrument or aggregated
 * per coin across venues (books added in USD on one grid; each venue's book is built from its own
 * open-interest changes, so the sum is weighted by open interest, never by trade count), zones,
 * the liquidation map, the long − short imbalance and the time × price heatmap.
 */
import { coinOf, isInverseInstrument } from '../exchanges/specs';
import type { MarginTier, MarketEvent } from '../exchanges/types';
import { PriceGrid } from './grid';
import { decodeUsd, InstrumentHistory, ROWS } from './history';
import { InstrumentModel, type InstrumentLimits, type InstrumentModelSnapshot, type ModelOptions } from './instrument-model';
import type { HeatmapGrid, LiquidationMap, Sweep, Zone } from '../contract/market';
import { DEFAULT_ALT_TIERS, DEFAULT_TIERS } from './liquidation-price';
import { DEFAULT_PARAMS, type ModelParams } from './params';
import { findZones, type CellLevel, type ZoneOptions } from './zones';
import { parseTarget, targetCovers } from '../contract/target';
import { HeatmapBinner } from './heatmap-binning';
import {
  binLeverage,
  DISTANCE_BINS,
  distributionError,
  nearestLeverage,
  type ColumnWeights,
  type DistanceDistribution,
  type PriorName,
} from './distance-prior';
import type { ScoreFrame } from './model-score';

/** Cells below this share of the map's largest cell are noise: never max pain (an $899 cell beside a $60M book). */
export const MAX_PAIN_NOISE_SHARE = 0.01;

/** Price of the largest long cell below the price and of the largest short cell above, ignoring noise. */
export function maxPainOf(
  below: readonly { price: number; long: number; short: number }[],
  above: readonly { price: number; long: number; short: number }[],
): LiquidationMap['maxPain'] {
  const floor = MAX_PAIN_NOISE_SHARE * Math.max(0, ...below.map((c) => c.long + c.short), ...above.map((c) => c.long + c.short));
  const maxBy = (list: typeof below, side: 'long' | 'short') =>
    list.reduce<(typeof below)[number] | undefined>((best, c) => (c[side] >= floor && c[side] > (best?.[side] ?? 0) ? c : best), undefined)
      ?.price;
  return { long: maxBy(below, 'long'), short: maxBy(above, 'short') };
}

/**
 * The liquidation map of cells (sorted by price, USD per tier): the cumulative long curve from the
 * price downward and the short curve upward, and max pain. The estimate's and the real positions'.
 */
export function liquidationMapOf(
  price: number,
  cells: readonly { price: number; long: number; short: number; tiers?: number[] }[],
  leverages: readonly number[],
): LiquidationMap {
  const below = cells.filter((c) => c.price <= price).reverse();
  const above = cells.filter((c) => c.price > price);
  let acc = 0;
  const cumulativeLong = below.map((c) => ({ price: c.price, usd: (acc += c.long) }));
  acc = 0;
  const cumulativeShort = above.map((c) => ({ price: c.price, usd: (acc += c.short) }));
  return {
    price,
    cells: cells.map((c) => ({ price: c.price, long: c.long, short: c.short, tiers: c.tiers ?? [] })),
    leverages: [...leverages],
    cumulativeLong,
    cumulativeShort,
    maxPain: maxPainOf(below, above),
  };
}

export interface LevelEngineSnapshot {
  version: 1;
  params: ModelParams;
  models: Record<string, InstrumentModelSnapshot>;
  /** Maintenance tiers fetched from venues, so a restarted worker prices with them before it refetches. */
  tiers?: Record<string, MarginTier[]>;
  /** Maximum leverage from the venues' instrument lists, likewise. */
  maxLeverage?: Record<string, number>;
  /** Distance distributions learned from real positions, per coin and `*` (all coins). */
  learned?: Record<string, DistanceDistribution>;
}

/** Learned for every coin without enough positions of its own. */
export const ALL_COINS = '*';

/** Live events kept per held instrument at most while its backfill runs (a few minutes of a busy market). */
const MAX_HELD_EVENTS = 200_000;

/** Venues' usual maximum leverage, until the instrument's own limit (its spec or margin table) is known. */
const VENUE_MAX_LEVERAGE: Record<string, number> = {
  binance: 125,
  bybit: 100,
  okx: 100,
  bitmex: 100,
  deribit: 50,
  hyperliquid: 40,
  bitget: 125,
  gate: 125,
  dydx: 20,
  kraken: 50,
};

/**
 * The instrument's maximum leverage as its venue states it: from its instrument list, else the
 * highest tier of its fetched margin table.
 */
function maxLeverageOf(limits: InstrumentLimits | undefined): number | undefined {
  if (limits?.maxLeverage) return limits.maxLeverage;
  const tiers = limits?.tiers;
  return tiers?.length ? Math.max(...tiers.map((t) => t.maxLeverage)) : undefined;
}

export class LevelEngine {
  readonly params: ModelParams;
  readonly grid: PriceGrid;
  private models = new Map<string, InstrumentModel>();
  /** What each instrument's venue allows, as far as known (specs and margin tables arrive after start). */
  private limits = new Map<string, InstrumentLimits>();
  private held = new Map<string, MarketEvent[]>();
  /** Learned distance distributions per coin, and `*` for the rest. */
  private learned = new Map<string, DistanceDistribution>();
  private prior: PriorName;
  /** Book column → the preset tier views group it under (a distance bin: the nearest effective leverage). */
  private readonly columnTier: number[];

  /**
   * `currentPrice`: the instrument's current price as the front door defines it (live, even while
   * the instrument's model waits for backfill); without it, the model's own last price.
   */
  constructor(
    params: ModelParams = DEFAULT_PARAMS,
    private readonly currentPrice: (instrument: string) => number | undefined = () => undefined,
  ) {
    this.params = params;
    this.prior = params.prior ?? 'default';
    this.grid = new PriceGrid(params.gridStep);
    const leverages = params.leverage.map((l) => l.leverage);
    this.columnTier = [...leverages.keys(), ...Array.from({ length: DISTANCE_BINS }, (_, b) => nearestLeverage(binLeverage(b), leverages))];
  }

  /**
   * Everything an instrument's model is built with besides the parameters: its contract kind
   * (inverse or linear), maintenance tiers and leverage cap. The one source for a new model and for
   * one restored from a snapshot, so a restarted worker prices exactly as the one before it.
   */
  private modelOptions(instrument: string): ModelOptions {
    const coin = coinOf(instrument);
    const venue = instrument.slice(0, instrument.indexOf(':'));
    const known = this.limits.get(instrument);
    return {
      tiers: known?.tiers ?? (coin === 'BTC' || coin === 'ETH' ? DEFAULT_TIERS : DEFAULT_ALT_TIERS),
      maxLeverage: maxLeverageOf(known) ?? VENUE_MAX_LEVERAGE[venue],
      inverse: isInverseInstrument(instrument),
      learned: this.learnedFor(coin),
      prior: this.prior,
    };
  }

  /** An instrument's maintenance tiers and contract kind, as its model prices with them (a trader's own positions too). */
  contractOf(instrument: string): { tiers: MarginTier[]; inverse: boolean } {
    const { tiers, inverse } = this.modelOptions(instrument);
    return { tiers: tiers ?? DEFAULT_TIERS, inverse: inverse ?? false };
  }

  private learnedFor(coin: string): DistanceDistribution | null {
    return this.learned.get(coin) ?? this.learned.get(ALL_COINS) ?? null;
  }

  /**
   * A distance distribution learned from real positions, for one coin or `ALL_COINS` (the rest), or
   * null to forget it. The books are re-weighted at once; nothing is rebuilt.
   */
  setLearned(coin: string, d: DistanceDistribution | null): void {
    if (d && distributionError(d)) return;
    if (d) this.learned.set(coin, d);
    else this.learned.delete(coin);
    for (const [key, m] of this.models) {
      const c = coinOf(key);
      if (coin === ALL_COINS || c === coin) m.setLearned(this.learnedFor(c));
    }
  }

  learnedDistributions(): Record<string, DistanceDistribution> {
    return Object.fromEntries(this.learned);
  }

  /** Which prior every book is read with (settings: model.prior). */
  setPrior(prior: PriorName): void {
    this.prior = prior;
    for (const m of this.models.values()) m.setPrior(prior);
  }

  /** The prior a target is drawn with now (learned falls back to the preset until a distribution exists). */
  activePrior(target: string): PriorName {
    return this.modelsOf(target).some(([, m]) => m.activePrior === 'learned') ? 'learned' : 'default';
  }

  /** Whether LiqLens estimates this instrument (it has a model with a price). */
  estimates(instrument: string): boolean {
    return (this.models.get(instrument)?.price ?? null) !== null;
  }

  /** The estimate of an instrument as it stood at `time` (the newest frame kept at or before it). */
  scoreFrame(instrument: string, time: number): ScoreFrame | undefined {
    return this.models.get(instrument)?.frames.at(time);
  }

  private model(instrument: string): InstrumentModel {
    let m = this.models.get(instrument);
    if (!m) {
      m = new InstrumentModel(this.params, this.modelOptions(instrument));
      this.models.set(instrument, m);
    }
    return m;
  }

  /**
   * What the instrument's venue allows, as it becomes known: maintenance tiers from its public table,
   * the maximum leverage from its instrument list. Merged with what was known before.
   */
  setLimits(instrument: string, limits: InstrumentLimits): void {
    const known = { ...this.limits.get(instrument) };
    if (limits.tiers?.length) known.tiers = limits.tiers;
    if (limits.maxLeverage !== undefined && limits.maxLeverage > 0) known.maxLeverage = limits.maxLeverage;
    this.limits.set(instrument, known);
    const maxLeverage = maxLeverageOf(known);
    this.models.get(instrument)?.setLimits({ tiers: known.tiers, ...(maxLeverage ? { maxLeverage } : {}) });
  }

  ingest(events: readonly MarketEvent[]): void {
    for (const e of events) this.ingestOne(e);
  }

  ingestOne(e: MarketEvent): void {
    const queue = this.held.get(e.instrument);
    if (queue) {
      if (queue.length < MAX_HELD_EVENTS) queue.push(e);
      return;
    }
    this.model(e.instrument).ingest(e);
  }

  /**
   * While an instrument's history is being backfilled, its live events wait here, so the model sees
   * time in order: backfill first, then live. The live feed itself (and realized figures) runs on.
   */
  hold(instrument: string): void {
    if (!this.held.has(instrument)) this.held.set(instrument, []);
  }

  /** Backfilled events go straight to the model, even while the instrument is held. */
  ingestBackfill(events: readonly MarketEvent[]): void {
    for (const e of events) this.model(e.instrument).ingest(e, true);
  }

  /** Backfill done (or given up): replay the held live events in order and resume. */
  release(instrument: string): void {
    const queue = this.held.get(instrument);
    if (!queue) return;
    this.held.delete(instrument);
    const m = this.model(instrument);
    m.rebaseOpenInterest();
    for (const e of queue) m.ingest(e);
  }

  /** Close steps up to `now` on every instrument (call on a timer so quiet markets still get columns). */
  advance(now: number): void {
    for (const m of this.models.values()) m.advance(now);
  }

  instruments(): string[] {
    return [...this.models.keys()];
  }

  coins(): string[] {
    return [...new Set(this.instruments().map(coinOf))].sort();
  }

  private modelsOf(key: string): [string, InstrumentModel][] {
    const target = parseTarget(key);
    if (!target) return [];
    if (target.kind === 'coin') return [...this.models].filter(([k]) => targetCovers(target, k));
    const m = this.models.get(target.key);
    return m ? [[target.key, m]] : [];
  }

  /** The reference price of a target: of its instrument, or of the coin's instrument with the biggest book. */
  price(target: string): number | null {
    let best: { price: number; usd: number } | null = null;
    for (const [key, m] of this.modelsOf(target)) {
      const price = this.currentPrice(key) ?? m.price;
      if (price === null) continue;
      const { long, short } = m.book.totals(m.weights);
      if (!best || long + short > best.usd) best = { price, usd: long + short };
    }
    return best?.price ?? null;
  }

  /**
   * Estimated USD per cell, summed over the target's instruments, each read with its prior's weights.
   * `tierScale` multiplies each preset leverage tier's USD instead: the book another leverage mix
   * would have built from the same flow (each tier's levels sit where they sit whatever its weight;
   * only their size scales), which is how the estimate is measured with a mix fitted from real
   * positions without replaying anything. `tiers` groups the distance bins under the nearest tier.
   */
  cells(target: string, tierScale?: readonly number[]): CellLevel[] {
    const models = this.modelsOf(target);
    // Snapshots ask for zones up to 4 times a second; the book changes once a step: reuse the answer
    // while no book of the target changed and no prior's weights did.
    const key = tierScale ? undefined : models.map(([k, m]) => `${k}:${m.book.version}`).join('|');
    const cached = key === undefined ? undefined : this.cellsCache.get(target);
    if (cached && cached.key === key && cached.weights.every((w, i) => w === models[i][1].weights)) return cached.cells;
    const cells = this.computeCells(models, tierScale);
    if (key !== undefined) {
      if (this.cellsCache.size > 64) this.cellsCache.clear();
      this.cellsCache.set(target, { key, weights: models.map(([, m]) => m.weights), cells });
    }
    return cells;
  }

  /** Cells per target as last computed, with what they were computed from (`cells`; read-only for callers). */
  private cellsCache = new Map<string, { key: string; weights: ColumnWeights[]; cells: CellLevel[] }>();

  private computeCells(models: [string, InstrumentModel][], tierScale?: readonly number[]): CellLevel[] {
    const byCell = new Map<number, CellLevel>();
    const tiers = this.params.leverage.length;
    const columns = this.columnTier.length;
    const columnTier = this.columnTier;
    for (const [key, m] of models) {
      const venue = key.slice(0, key.indexOf(':'));
      const w = tierScale ? scaledPreset(tierScale, m.presetWeights) : m.weights;
      m.book.forEachCell((cell, long, short, at, bornAt, scale) => {
        let longUsd = 0;
        let shortUsd = 0;
        for (let t = 0; t < columns; t++) {
          longUsd += long[at + t] * w.long[t];
          shortUsd += short[at + t] * w.short[t];
        }
        longUsd *= scale;
        shortUsd *= scale;
        const usd = longUsd + shortUsd;
        if (!(usd > 0)) return;
        let c = byCell.get(cell);
        if (!c) {
          c = { cell, price: this.grid.priceOf(cell), long: 0, short: 0, tiers: new Array<number>(tiers).fill(0), bornAt: 0, venues: [] };
          byCell.set(cell, c);
        }
        c.long += longUsd;
        c.short += shortUsd;
        for (let t = 0; t < columns; t++) c.tiers![columnTier[t]] += (long[at + t] * w.long[t] + short[at + t] * w.short[t]) * scale;
        // Keep a USD-weighted birth time across venues.
        const before = c.long + c.short - usd;
        c.bornAt = before > 0 ? (c.bornAt! * before + bornAt * usd) / (before + usd) : bornAt;
        if (!c.venues.includes(venue)) c.venues.push(venue);
      });
    }
    return [...byCell.values()].sort((a, b) => a.cell - b.cell);
  }

  /** The naive baseline's book (model-score.ts), per cell: what the score compares the estimate with. */
  naiveCells(target: string): { cell: number; long: number; short: number }[] {
    const byCell = new Map<number, { cell: number; long: number; short: number }>();
    for (const [, m] of this.modelsOf(target))
      m.naive.forEachCell((cell, long, short, at, _bornAt, scale) => {
        const c = byCell.get(cell) ?? { cell, long: 0, short: 0 };
        c.long += long[at] * scale;
        c.short += short[at] * scale;
        byCell.set(cell, c);
      });
    return [...byCell.values()].sort((a, b) => a.cell - b.cell);
  }

  /** When the oldest minute kept for this target starts (the earliest of its instruments), if any. */
  historyStart(target: string): number | undefined {
    return this.earliest(target, (m) => m.history.minutes.firstTime());
  }

  /** Since when this target's realized liquidations are counted (the earliest of its instruments), if at all. */
  listeningSince(target: string): number | undefined {
    return this.earliest(target, (m) => m.listeningSince());
  }

  /** The earliest of a time each of the target's instruments may have. */
  private earliest(target: string, timeOf: (m: InstrumentModel) => number | undefined): number | undefined {
    let first: number | undefined;
    for (const [, m] of this.modelsOf(target)) {
      const t = timeOf(m);
      if (t !== undefined && (first === undefined || t < first)) first = t;
    }
    return first;
  }

  realizedCells(target: string, since: number): CellLevel[] {
    const byCell = new Map<number, CellLevel>();
    const add = (cell: number, long: number, short: number, venue: string) => {
      let c = byCell.get(cell);
      if (!c) {
        c = { cell, price: this.grid.priceOf(cell), long: 0, short: 0, venues: [] };
        byCell.set(cell, c);
      }
      c.long += long;
      c.short += short;
      if (!c.venues.includes(venue)) c.venues.push(venue);
    };
    for (const [key, m] of this.modelsOf(target)) {
      const venue = key.slice(0, key.indexOf(':'));
      m.history.minutes.forEach(since, (_t, firstCell, _p, _est, realized) =>
        realized((row, usd) => add(firstCell + row, Math.max(0, usd), Math.max(0, -usd), venue)),
      );
      // And the minute still open: a liquidation counts the moment it arrives, not a minute later.
      m.forEachOpenRealized((cell, long, short) => add(cell, long, short, venue));
    }
    return [...byCell.values()];
  }

  zones(target: string, now: number, options: Partial<ZoneOptions> & { realizedWindowMs?: number } = {}): Zone[] {
    const price = this.price(target);
    if (price === null) return [];
    const leverages = this.params.leverage.map((l) => l.leverage);
    const estimated = findZones('estimated', this.cells(target), price, this.grid, now, leverages, options);
    const realized = findZones(
      'realized',
      this.realizedCells(target, now - (options.realizedWindowMs ?? 12 * 3_600_000)),
      price,
      this.grid,
      now,
      [],
      options,
    );
    return [...estimated, ...realized];
  }

  sweeps(target: string): Sweep[] {
    return this.modelsOf(target)
      .flatMap(([, m]) => m.sweeps)
      .sort((a, b) => a.time - b.time);
  }

  liquidationMap(target: string, withinFraction = 0.2): LiquidationMap | null {
    const price = this.price(target);
    if (price === null) return null;
    const cells = this.cells(target).filter((c) => Math.abs(c.price / price - 1) <= withinFraction);
    return liquidationMapOf(
      price,
      cells,
      this.params.leverage.map((l) => l.leverage),
    );
  }

  /** Long − short estimated USD within ±`fraction` of the price (positive: more longs at risk below). */
  imbalance(target: string, fraction = 0.05): { longUsd: number; shortUsd: number; net: number } {
    const price = this.price(target);
    if (price === null) return { longUsd: 0, shortUsd: 0, net: 0 };
    let longUsd = 0;
    let shortUsd = 0;
    for (const c of this.cells(target)) {
      if (Math.abs(c.price / price - 1) > fraction) continue;
      longUsd += c.long;
      shortUsd += c.short;
    }
    return { longUsd, shortUsd, net: longUsd - shortUsd };
  }

  /**
   * The time × price heatmap, binned for drawing: `columns` time buckets over [from, to) and `rows`
   * price rows over [low, high] (log-spaced). Uses minute columns, or 30-minute ones for spans
   * beyond the minute history.
   */
  heatmap(target: string, from: number, to: number, columns: number, rows: number, low: number, high: number): HeatmapGrid {
    const span = { from, to, columns, rows, low, high };
    const bins = new HeatmapBinner(this.grid, span);
    const models = this.modelsOf(target);
    for (const [, m] of models) {
      // A bucket keeps each venue's strongest minute; venues add up (as zones and the map add their
      // books), so a coin's colours, zones and map show one quantity on one scale.
      const own = models.length > 1 ? new HeatmapBinner(this.grid, span) : bins;
      const oldestMinute = m.history.minutes.firstTime();
      const ring = oldestMinute !== undefined && (oldestMinute <= from || !m.history.coarse.length) ? m.history.minutes : m.history.coarse;
      ring.forEach(from, (time, firstCell, price, est, realized) => {
        const col = own.column(time, price);
        if (col < 0) return;
        for (let r = 0; r < ROWS; r++) if (est[r] !== 0) own.level(col, firstCell + r, decodeUsd(est[r]));
        realized((r, usd) => own.realized(col, firstCell + r, usd));
      });
      if (own !== bins) bins.add(own.grid);
    }
    return bins.grid;
  }

  toSnapshot(): LevelEngineSnapshot {
    return {
      version: 1,
      params: this.params,
      models: Object.fromEntries([...this.models].map(([k, m]) => [k, m.toSnapshot()])),
      // Tiers are fetched for the streamed instruments alone; a maximum is listed for every instrument
      // of a venue, and the instrument lists are cached apart: only the modelled ones' go in.
      tiers: Object.fromEntries([...this.limits].flatMap(([k, l]) => (l.tiers ? [[k, l.tiers]] : []))),
      maxLeverage: Object.fromEntries(
        [...this.limits].flatMap(([k, l]) => (l.maxLeverage && this.models.has(k) ? [[k, l.maxLeverage]] : [])),
      ),
      learned: this.learnedDistributions(),
    };
  }

  /** Restore books and step state; histories come back separately (IndexedDB) through `attachHistory`. */
  static fromSnapshot(
    s: LevelEngineSnapshot | undefined,
    params: ModelParams = DEFAULT_PARAMS,
    currentPrice?: (instrument: string) => number | undefined,
  ): LevelEngine {
    const engine = new LevelEngine(params, currentPrice);
    if (s?.version !== 1 || s.params.gridStep !== params.gridStep) return engine; // another grid: start clean
    for (const [k, tiers] of Object.entries(s.tiers ?? {})) if (Array.isArray(tiers) && tiers.length) engine.limits.set(k, { tiers });
    for (const [k, max] of Object.entries(s.maxLeverage ?? {}))
      if (Number.isFinite(max) && max > 0) engine.limits.set(k, { ...engine.limits.get(k), maxLeverage: max });
    for (const [coin, d] of Object.entries(s.learned ?? {})) if (!distributionError(d)) engine.learned.set(coin, d);
    for (const [k, snap] of Object.entries(s.models ?? {})) {
      engine.models.set(k, InstrumentModel.fromSnapshot(params, snap, engine.modelOptions(k)));
    }
    return engine;
  }

  history(instrument: string): InstrumentHistory | undefined {
    return this.models.get(instrument)?.history;
  }

  /** Put back a history loaded from storage (after a browser restart). */
  attachHistory(instrument: string, history: InstrumentHistory): void {
    this.model(instrument).history = history;
  }
}

/** The preset's weights with each leverage tier scaled (the calibration's fitted mix); distance bins none. */
function scaledPreset(scale: readonly number[], preset: ColumnWeights): ColumnWeights {
  const w = preset.long.map((v, i) => (i < scale.length ? v * scale[i] : 0));
  return { long: w, short: w };
}

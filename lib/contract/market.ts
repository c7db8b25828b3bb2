/**
 * Market data as it crosses from the worker to the UIs: realized liquidations, per-instrument
 * figures, zones, the liquidation map, sweeps and the heatmap grid. Realized (what venues report),
 * estimated (the model) and positions (real, sampled) are kept apart in every one of them.
 */
import type { InstrumentKey, VenueId } from '../exchanges/types';

/** A realized liquidation as kept and shown: the event plus a stable id for de-duplication. */
export interface RealizedLiquidation {
  id: string;
  venue: VenueId;
  instrument: InstrumentKey;
  liquidatedSide: 'long' | 'short';
  price: number;
  baseQty: number;
  notionalUsd: number;
  exchangeTime: number;
  receiveTime: number;
}

/** One coin's or one venue's realized liquidations in a market-wide window. */
export interface MarketWideRow {
  longUsd: number;
  shortUsd: number;
  liquidations: number;
}

/** The whole market's realized liquidations over the last `hours` (lib/model/market-tape.ts). */
export interface MarketWideWindow {
  hours: number;
  longUsd: number;
  shortUsd: number;
  liquidations: number;
  /** Coins with any liquidation in the window (the list holds the top ones by USD). */
  coinCount: number;
  coins: (MarketWideRow & { coin: string })[];
  venues: (MarketWideRow & { venue: VenueId })[];
  largest?: { instrument: InstrumentKey; venue: VenueId; side: 'long' | 'short'; price: number; usd: number; time: number };
}

/** A trader's own position as typed or read: what settings, the model and the views share. */
export interface MyPositionFields {
  id: string;
  venue: string;
  coin: string;
  side: 'long' | 'short';
  entry: number;
  /** Coins. */
  size: number;
  leverage?: number;
}

/** One of the trader's own positions against the crowd's estimate (lib/model/my-positions.ts). */
export interface MyPositionView extends MyPositionFields {
  source: 'typed' | 'hyperliquid';
  /** Undefined when neither the venue's figure nor a leverage gives one. */
  liquidationPrice?: number;
  /** The venue's own figure, or the exact formula with the instrument's tier. */
  liquidationFrom?: 'venue' | 'formula';
  price?: number;
  /** From the price to the liquidation price, % (negative: below). */
  distancePct?: number;
  /** The crowd's estimated liquidations on this side between the price and this level, USD. */
  estimatedUsdBetween?: number;
  /** A large estimated cluster this level sits in or just beyond. */
  crowdedBy?: { low: number; high: number; usd: number };
  /** A large cluster of this side's liquidations between the price and this level, the price inside it now. */
  sweeping?: { low: number; high: number; usd: number };
}

/** The market-wide windows a trader picks from, in hours. */
export const MARKET_WIDE_HOURS = [1, 4, 12, 24] as const;

/** Realized liquidations of every coin the venues publish market-wide, for 1 / 4 / 12 / 24 h. */
export interface MarketWide {
  /** Start of the oldest bucket kept (undefined: nothing yet): a window reaching further back is partial. */
  since?: number;
  windows: MarketWideWindow[];
}

/** The view of the engine that UIs receive (a subset, newest liquidations first). */
/** One instrument's running figures as UIs show them. */
export interface InstrumentFigures {
  lastMarkPrice?: number;
  /** Last trade price: the fallback current price where a venue has no mark price stream. */
  lastTradePrice?: number;
  /** Realized liquidations counted since the worker's state began, and their USD per side. */
  liquidations: number;
  longLiquidatedUsd: number;
  shortLiquidatedUsd: number;
  /** Last known open interest, one side, base coin. */
  openInterest?: number;
}

export interface MarketView {
  instruments: Record<string, InstrumentFigures>;
  liquidations: RealizedLiquidation[];
  /** Zones per coin (`BTC`, venues added up) or per instrument (`binance:BTCUSDT`), as the settings say: estimated and realized, never mixed. */
  zones: Record<string, Zone[]>;
}

export interface Zone {
  /** Estimated (the model), realized (venue-reported liquidations) or positions (real, sampled: Hyperliquid). */
  kind: 'estimated' | 'realized' | 'positions';
  /** Price band, low and high edge. */
  low: number;
  high: number;
  /** USD-weighted middle of the band. */
  price: number;
  usd: number;
  longUsd: number;
  shortUsd: number;
  /** Share of the USD per leverage (estimated zones). */
  leverageMix?: { leverage: number; share: number }[];
  venues: string[];
  /** Signed distance from the current price, % (negative = below). */
  distancePct: number;
  /** How long ago the band's USD was born, USD-weighted (estimated zones). */
  ageMs?: number;
}

export interface LiquidationMap {
  price: number;
  /** Per cell with USD: price, long and short USD, and USD per leverage tier (long + short). */
  cells: { price: number; long: number; short: number; tiers: number[] }[];
  leverages: number[];
  /** Cumulative long USD from the price downward, and short USD upward. */
  cumulativeLong: { price: number; usd: number }[];
  cumulativeShort: { price: number; usd: number }[];
  /** Price of the largest long cell (below) and short cell (above). */
  maxPain: { long?: number; short?: number };
}

/** What a heatmap covers: `columns` time buckets over [from, to), `rows` log-spaced prices over [low, high]. */
export interface HeatmapSpan {
  from: number;
  to: number;
  columns: number;
  rows: number;
  low: number;
  high: number;
}

export interface HeatmapGrid extends HeatmapSpan {
  /** columns × rows, row 0 at `low`, estimated USD. */
  estimated: Float32Array;
  realizedLong: Float32Array;
  realizedShort: Float32Array;
  /** Price at the end of each column; NaN where no data (a gap). */
  price: Float64Array;
}

/** A level consumed because price traded through it: where realized liquidations should show up. */
export interface Sweep {
  time: number;
  /** Middle of the swept cell. */
  price: number;
  side: 'long' | 'short';
  usd: number;
}

export interface FiredAlert {
  id: string;
  ruleId: string;
  /** `position`: the price came near one of the trader's own liquidation prices. */
  kind: 'liquidation' | 'cascade' | 'zone' | 'position';
  at: number;
  title: string;
  message: string;
}

/** Where a scored liquidation came from: a venue's report, or inferred from Hyperliquid position readings. */
export type ScoreSource = 'reported' | 'inferred';

/**
 * The live accuracy score over one window (docs/model.md#score): share of liquidated USD whose cell
 * was in the top quarter of the estimate 60 s before, per book (null: nothing scored with it).
 */
export interface ScoreFigures {
  /** Every liquidation seen, scored or not (no estimate 60 s before: not scored). */
  liquidations: number;
  scored: number;
  /** Scored USD. */
  usd: number;
  /** The preset leverage tiers. */
  default: number | null;
  /** The distance distribution learned from real positions. */
  learned: number | null;
  /** No taker flow: new exposure at the step's price, half long, half short. */
  naive: number | null;
}

export interface ScoreWindows {
  h1: Record<ScoreSource, ScoreFigures>;
  h24: Record<ScoreSource, ScoreFigures>;
  d7: Record<ScoreSource, ScoreFigures>;
}

/**
 * A distribution of liquidation distance from entry, USD-weighted, per side (docs/model.md#distance),
 * on the model's bins (`DISTANCE_EDGES` in lib/model/distance-prior.ts: 0.3 % … 100 %).
 */
export interface DistanceDistribution {
  /** Share of the side's USD per bin; with `noLiquidation` each side sums to 1. */
  long: number[];
  short: number[];
  /** Share of the side's USD with no liquidation price (or one 100 % or more away). */
  noLiquidation: { long: number; short: number };
  /** What it was fitted from. */
  positions: number;
  wallets: number;
  usd: number;
}

/** The model's check, as UIs show it: which prior draws, what was learned, and the live score. */
export interface ModelCheck {
  /** The prior the settings ask for, and the one each coin is drawn with now (learned falls back to the preset). */
  chosen: 'default' | 'learned';
  drawn: Record<string, 'default' | 'learned'>;
  /** Learned distributions per Hyperliquid coin and `*` (every coin without its own). */
  learned: Record<string, DistanceDistribution>;
  /** Edges of the distance bins (fractions), so UIs label them without importing the model. */
  edges: number[];
  /** The live score per coin (`BTC`, venues added up) and per instrument (`binance:BTCUSDT`). */
  scores: Record<string, ScoreWindows>;
}

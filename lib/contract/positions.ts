/**
 * Real positions (Hyperliquid's public wallets) as UIs get them: the reader's status and budget,
 * each coin's true book summarised, and the estimate measured against it. A third kind of data,
 * never mixed with realized or estimated figures.
 */
import type { Zone } from './market';

export interface BudgetStatus {
  host: string;
  limitPerMinute: number;
  /** Weight spent in the last 60 s. */
  usedLastMinute: number;
  /** The most weight ever spent within one 60 s window. */
  highestPerMinute: number;
  requests: number;
  /** 429 answers received. */
  rateLimited: number;
  pausedUntil?: number;
}

export interface ScannerStatus {
  wallets: number;
  /** Wallets read at least once. */
  read: number;
  readings: number;
  errors: number;
  lastError?: string;
  lastReadingAt?: number;
}

export interface PositionsSummary {
  coin: string;
  /** Wallets holding this coin at their last reading. */
  wallets: number;
  positions: number;
  /** positionValue of long / short positions that have a liquidation price. */
  longUsd: number;
  shortUsd: number;
  /** positionValue of positions without one (cannot be liquidated now). */
  noLiquidationUsd: number;
  /** Tracked notional ÷ the coin's open interest (both sides), when open interest is known. */
  coverage?: number;
  /** The oldest reading behind these figures (epoch ms). */
  oldestReadingAt?: number;
}

export interface PositionRow {
  /** `0x1234…abcd`: enough to tell wallets apart, not a lookup aid. */
  wallet: string;
  side: 'long' | 'short';
  usd: number;
  leverage: number;
  margin: 'cross' | 'isolated';
  liquidationPx: number;
  /** Signed fraction of the price (−0.03: 3 % below). */
  distance: number;
  readAt: number;
}

/** What the popup and overlay get per Hyperliquid coin. */
export interface PositionsView extends PositionsSummary {
  instrument: string;
  /** The coin's price the view was built at (mark, else last trade). */
  price?: number;
  /** The largest positions whose liquidation price is within ±10 % of the price. */
  largest: PositionRow[];
  /** Liquidations inferred from readings (not reported by the venue), and their USD. */
  inferred: { count: number; usd: number };
  /** USD at each liquidation price on the model's grid, within ±20 % of the price (the overlay's layer). */
  levels: { price: number; long: number; short: number; wallets: number }[];
  /** Those levels grouped into zones the way estimated zones are (kind `positions`). */
  zones: Zone[];
}

export interface PositionsStatus extends ScannerStatus {
  budget: BudgetStatus;
}

export interface BookComparison {
  withinFraction: number;
  /** Cells compared (every cell of the window, empty ones included). */
  cells: number;
  /** Pearson correlation of USD per cell; null when either book is flat in the window. */
  correlation: number | null;
  trueUsd: number;
  estimatedUsd: number;
  /** Share of the true USD whose cell lies inside an estimated zone; null without zones or truth. */
  shareInZones: number | null;
  /** |estimated long share − true long share|, 0–1; null when either side total is 0. */
  longShareError: number | null;
}

export interface CoinCalibration {
  coin: string;
  /** Real positions (and wallets) the true book holds for this coin. */
  positions: number;
  wallets: number;
  /** The leverage mix those positions show, on the model's tiers. */
  fittedMix: { leverage: number; weight: number }[];
  /** Per window (±10 %, ±20 % of the price): the estimate with the model's mix and with the fitted one. */
  windows: { withinPct: number; default: BookComparison; fitted: BookComparison }[];
}

/**
 * The exact isolated-margin liquidation price (Binance USDⓈ-M FAQ; Bybit and OKX have the same shape),
 * with the maintenance-margin rate `mmr` and maintenance amount `cum` of the tier the position's
 * notional falls in:
 *
 *   long:  LP = (E·(1 − 1/L) − cum/Q) / (1 − mmr)
 *   short: LP = (E·(1 + 1/L) + cum/Q) / (1 + mmr)
 *
 * E entry price, L leverage, Q position size in coins. Ignoring mmr puts a 100x level 1.0 % away
 * instead of 0.60 %: 40 % of the distance wrong (docs/model.md has the worked check).
 */

import { withCum } from '../exchanges/margin-tiers';
import type { MarginTier } from '../exchanges/types';

export function liquidationPrice(side: 'long' | 'short', entry: number, leverage: number, mmr: number, cum = 0, qty = 1): number {
  if (side === 'long') return (entry * (1 - 1 / leverage) - cum / qty) / (1 - mmr);
  return (entry * (1 + 1 / leverage) + cum / qty) / (1 + mmr);
}

/**
 * Inverse (coin-margined) contracts: N USD contracts hold N/(E·L) coins of margin and gain
 * N·(1/E − 1/P) coins; maintenance is N·mmr/P coins. Solving margin + PnL = maintenance:
 *
 *   long:  LP = E·(1 + mmr) / (1 + 1/L)
 *   short: LP = E·(1 − mmr) / (1 − 1/L)      (no short liquidation price at 1x)
 */
export function inverseLiquidationPrice(side: 'long' | 'short', entry: number, leverage: number, mmr: number): number {
  if (side === 'long') return (entry * (1 + mmr)) / (1 + 1 / leverage);
  return leverage > 1 ? (entry * (1 - mmr)) / (1 - 1 / leverage) : Infinity;
}

/** The tier a position of this notional falls in (tiers sorted by maxNotionalUsd). */
export function tierFor(tiers: readonly MarginTier[], notionalUsd: number): MarginTier {
  for (const t of tiers) if (notionalUsd <= t.maxNotionalUsd) return t;
  return tiers[tiers.length - 1];
}

/**
 * Built-in maintenance tiers, used until (or when) a venue's public table cannot be fetched.
 * Shape of the large-cap tables of Binance, Bybit and OKX for BTC and ETH (mmr 0.4 % up to
 * $50k–$2M, rising with size); `cum` keeps each tier continuous with the one below.
 */
export const DEFAULT_TIERS: MarginTier[] = withCum([
  { maxNotionalUsd: 50_000, mmr: 0.004, maxLeverage: 125 },
  { maxNotionalUsd: 600_000, mmr: 0.005, maxLeverage: 100 },
  { maxNotionalUsd: 3_000_000, mmr: 0.01, maxLeverage: 75 },
  { maxNotionalUsd: 12_000_000, mmr: 0.025, maxLeverage: 50 },
  { maxNotionalUsd: 70_000_000, mmr: 0.05, maxLeverage: 20 },
  { maxNotionalUsd: Infinity, mmr: 0.1, maxLeverage: 10 },
]);

/** Smaller coins have steeper tables: 1 % from the first dollar, max 50x. */
export const DEFAULT_ALT_TIERS: MarginTier[] = withCum([
  { maxNotionalUsd: 5_000, mmr: 0.01, maxLeverage: 50 },
  { maxNotionalUsd: 50_000, mmr: 0.015, maxLeverage: 25 },
  { maxNotionalUsd: 250_000, mmr: 0.02, maxLeverage: 20 },
  { maxNotionalUsd: 1_000_000, mmr: 0.05, maxLeverage: 10 },
  { maxNotionalUsd: Infinity, mmr: 0.1, maxLeverage: 5 },
]);

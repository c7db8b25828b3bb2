/**
 * The trader's own positions against the crowd: each one's liquidation price (the exact formula with
 * its instrument's maintenance tier, or the price the venue shows, which wins), how far the price is
 * from it, the estimated USD of the crowd's liquidations between the two (what a move must sweep to
 * reach it), and whether it sits inside or just beyond a large cluster ("crowded": a cascade through
 * that cluster would carry the price to it).
 */
import type { MyPositionFields, MyPositionView, Zone } from '../contract/market';
import type { MarginTier } from '../exchanges/types';
import { inverseLiquidationPrice, liquidationPrice, tierFor } from './liquidation-price';
import type { CellLevel } from './zones';

/** A position as typed (lib/settings) or read from Hyperliquid (with the liquidation price it reports). */
export interface MyPositionInput extends MyPositionFields {
  source: 'typed' | 'hyperliquid';
  marginUsd?: number;
  /** The venue's own figure: used as is. */
  liquidationPrice?: number;
}

/** A zone at least this share of the largest one is a cluster a position can be crowded by. */
export const CROWDED_ZONE_SHARE = 0.25;
/** "Just beyond" a cluster: within this fraction of price past its far edge. */
export const CROWDED_BEYOND = 0.01;

/**
 * The liquidation price by the formula: linear contracts with the tier the notional falls in (its
 * maintenance rate and amount), inverse ones by the coin-margined formula. Undefined without a leverage
 * (neither typed nor derivable from the margin).
 */
export function formulaLiquidationPrice(
  p: Pick<MyPositionInput, 'side' | 'entry' | 'size' | 'leverage' | 'marginUsd'>,
  tiers: readonly MarginTier[],
  inverse: boolean,
): { price: number; leverage: number; mmr: number } | undefined {
  const notional = p.entry * p.size;
  const leverage = p.leverage ?? (p.marginUsd ? notional / p.marginUsd : undefined);
  if (!leverage || !(leverage >= 1) || !Number.isFinite(leverage)) return undefined;
  const tier = tierFor(tiers, notional);
  const price = inverse
    ? inverseLiquidationPrice(p.side, p.entry, leverage, tier.mmr)
    : liquidationPrice(p.side, p.entry, leverage, tier.mmr, tier.cum ?? 0, p.size);
  return Number.isFinite(price) && price > 0 ? { price, leverage, mmr: tier.mmr } : undefined;
}

/**
 * One position's view. `cells` are the coin's estimated USD per cell (all venues), `zones` its
 * estimated zones; `price` the current price (undefined before any).
 */
export function myPositionView(
  p: MyPositionInput,
  market: {
    price: number | undefined;
    cells: readonly CellLevel[];
    zones: readonly Zone[];
    tiers: readonly MarginTier[];
    inverse: boolean;
  },
): MyPositionView {
  // A Hyperliquid position without a liquidation price cannot be liquidated now (cross margin covers
  // it): no formula is put in the exchange's place.
  const formula =
    p.liquidationPrice === undefined && p.source === 'typed' ? formulaLiquidationPrice(p, market.tiers, market.inverse) : undefined;
  const liq = p.liquidationPrice ?? formula?.price;
  const base: MyPositionView = {
    id: p.id,
    source: p.source,
    venue: p.venue,
    coin: p.coin,
    side: p.side,
    entry: p.entry,
    size: p.size,
    ...(formula ? { leverage: formula.leverage } : p.leverage ? { leverage: p.leverage } : {}),
    ...(liq !== undefined ? { liquidationPrice: liq, liquidationFrom: p.liquidationPrice !== undefined ? 'venue' : 'formula' } : {}),
  };
  const price = market.price;
  if (liq === undefined || price === undefined || !(price > 0)) return base;
  // Between the price and the level, on the side this position is on (a long's level is below).
  const lo = Math.min(price, liq);
  const hi = Math.max(price, liq);
  let between = 0;
  for (const c of market.cells) if (c.price >= lo && c.price <= hi) between += p.side === 'long' ? c.long : c.short;
  const estimated = market.zones.filter((z) => z.kind === 'estimated');
  const largest = estimated.reduce((m, z) => Math.max(m, z.usd), 0);
  const crowdedBy = estimated.find((z) => {
    if (!(largest > 0) || z.usd < largest * CROWDED_ZONE_SHARE) return false;
    if (liq >= z.low && liq <= z.high) return true;
    // Just beyond: past the zone's far edge as the price falls (a long) or rises (a short).
    return p.side === 'long'
      ? liq < z.low && liq >= z.low * (1 - CROWDED_BEYOND) && z.high < price
      : liq > z.high && liq <= z.high * (1 + CROWDED_BEYOND) && z.low > price;
  });
  // Being swept now: the price is inside a large cluster of this side's liquidations on the way to my
  // level (a long's: longs' levels above mine); as it liquidates, it pushes the price on towards mine.
  const sweeping = estimated.find(
    (z) =>
      largest > 0 &&
      z.usd >= largest * CROWDED_ZONE_SHARE &&
      price >= z.low &&
      price <= z.high &&
      (p.side === 'long' ? z.low > liq && z.longUsd >= z.shortUsd : z.high < liq && z.shortUsd >= z.longUsd),
  );
  const band = (z: Zone) => ({ low: z.low, high: z.high, usd: z.usd });
  return {
    ...base,
    price,
    distancePct: (liq / price - 1) * 100,
    estimatedUsdBetween: between,
    ...(crowdedBy ? { crowdedBy: band(crowdedBy) } : {}),
    ...(sweeping ? { sweeping: band(sweeping) } : {}),
  };
}

/**
 * Liquidation distance from entry: where new exposure is placed (docs/model.md#distance).
 *
 * The book keeps one column per way of placing exposure: the leverage tiers of the preset (each at
 * its exact liquidation price) and eleven distance bins from 0.3 % to 100 % (each spread over three
 * points inside the bin, so the map is no comb). Every column receives ALL new exposure; a prior is
 * a weight per column and side, applied when the book is read. So the preset, the distribution
 * learned from real positions and any later one are the same book re-weighted: switching is
 * instant, and the live score compares them on the same flow without a second engine.
 */
import type { DistanceDistribution } from '../contract/market';
import type { LeverageWeight } from './params';

export type { DistanceDistribution };

/** Edges of the distance bins (fraction of entry). Beyond the last: no liquidation price that matters. */
export const DISTANCE_EDGES = [0.003, 0.006, 0.012, 0.02, 0.035, 0.06, 0.1, 0.16, 0.25, 0.4, 0.65, 1] as const;
export const DISTANCE_BINS = DISTANCE_EDGES.length - 1;

/** Where inside a bin (share of its log width) its USD is placed: three points, not one spike. */
export const BIN_POINTS = [1 / 6, 1 / 2, 5 / 6] as const;

/** The distances (fractions) a bin's USD is placed at, nearest first. */
export function binDistances(bin: number): number[] {
  const lo = Math.log(DISTANCE_EDGES[bin]);
  const hi = Math.log(DISTANCE_EDGES[bin + 1]);
  return BIN_POINTS.map((f) => Math.exp(lo + (hi - lo) * f));
}

/** The bin of a distance; below the first edge counts in the first bin; -1 at or beyond 100 %. */
export function binOf(distance: number): number {
  if (!(distance < DISTANCE_EDGES[DISTANCE_BINS])) return -1;
  for (let b = 0; b < DISTANCE_BINS; b++) if (distance < DISTANCE_EDGES[b + 1]) return b;
  return -1;
}

/** What a fit reads of a position: Hyperliquid's `clearinghouseState` has all of it. */
export interface PositionDistance {
  side: 'long' | 'short';
  entryPx: number;
  liquidationPx: number | null;
  positionValue: number;
  wallet?: string;
}

/**
 * The USD-weighted distribution of liquidation distance from entry, per side. A position whose
 * liquidation price sits on the wrong side of its entry (a cross account losing elsewhere) is as
 * close as a position can be: the first bin. Null without any USD.
 */
export function fitDistances(positions: readonly PositionDistance[]): DistanceDistribution | null {
  const usd = { long: new Array<number>(DISTANCE_BINS).fill(0), short: new Array<number>(DISTANCE_BINS).fill(0) };
  const none = { long: 0, short: 0 };
  const total = { long: 0, short: 0 };
  const wallets = new Set<string>();
  let count = 0;
  for (const p of positions) {
    if (!(p.positionValue > 0) || !(p.entryPx > 0)) continue;
    count += 1;
    if (p.wallet) wallets.add(p.wallet);
    total[p.side] += p.positionValue;
    const distance =
      p.liquidationPx === null ? Infinity : p.side === 'long' ? 1 - p.liquidationPx / p.entryPx : p.liquidationPx / p.entryPx - 1;
    const bin = binOf(Math.max(0, distance));
    if (bin < 0) none[p.side] += p.positionValue;
    else usd[p.side][bin] += p.positionValue;
  }
  const all = total.long + total.short;
  if (!(all > 0)) return null;
  // A side without positions borrows the other side's shape (a distance, not a direction).
  const shares = (side: 'long' | 'short') => {
    const from = total[side] > 0 ? side : side === 'long' ? 'short' : 'long';
    return { bins: usd[from].map((u) => u / total[from]), none: none[from] / total[from] };
  };
  const long = shares('long');
  const short = shares('short');
  return {
    long: long.bins,
    short: short.bins,
    noLiquidation: { long: long.none, short: short.none },
    positions: count,
    wallets: wallets.size,
    usd: all,
  };
}

/**
 * Effective leverage of a distance bin's middle (isolated, ignoring maintenance): how the bins are
 * told apart in views that speak leverage (the map's colours, a zone's mix).
 */
export function binLeverage(bin: number): number {
  return 1 / binDistances(bin)[1];
}

/** Index of the tier nearest a leverage, on a log scale (15x is nearer 20x than 10x). */
export function nearestLeverage(leverage: number, tiers: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < tiers.length; i++) if (Math.abs(Math.log(leverage / tiers[i])) < Math.abs(Math.log(leverage / tiers[best]))) best = i;
  return best;
}

/** Which prior the book is read with. */
export type PriorName = 'default' | 'learned';

/** Column weights per side for one instrument: length = preset tiers + distance bins. */
export interface ColumnWeights {
  long: Float64Array;
  short: Float64Array;
}

/**
 * The preset's weights: each leverage tier its weight, tiers above the instrument's maximum leverage
 * none (no position can exist there), the rest renormalized; distance bins none.
 */
export function presetWeights(leverage: readonly LeverageWeight[], maxLeverage: number): ColumnWeights {
  const columns = leverage.length + DISTANCE_BINS;
  const w = new Float64Array(columns);
  let sum = 0;
  leverage.forEach((l, i) => {
    if (l.leverage <= maxLeverage) sum += w[i] = l.weight;
  });
  if (sum > 0) for (let i = 0; i < leverage.length; i++) w[i] /= sum;
  return { long: w, short: w };
}

/**
 * A learned distribution's weights: distance bins the instrument's maximum leverage cannot reach
 * (closer than an isolated position at that leverage, less its maintenance rate) get none, the
 * rest keep their share of placed USD; the share with no liquidation price is never placed.
 */
export function learnedWeights(d: DistanceDistribution, presetTiers: number, maxLeverage: number, mmr: number): ColumnWeights {
  const nearest = Math.max(0, 1 / maxLeverage - mmr);
  const side = (shares: readonly number[], none: number) => {
    const w = new Float64Array(presetTiers + DISTANCE_BINS);
    let reachable = 0;
    for (let b = 0; b < DISTANCE_BINS; b++) if (DISTANCE_EDGES[b + 1] > nearest) reachable += shares[b];
    // The placed share stays 1 − none: USD the cap rules out moves to the bins it allows.
    const scale = reachable > 0 ? (1 - none) / reachable : 0;
    for (let b = 0; b < DISTANCE_BINS; b++) if (DISTANCE_EDGES[b + 1] > nearest) w[presetTiers + b] = shares[b] * scale;
    return w;
  };
  return { long: side(d.long, d.noLiquidation.long), short: side(d.short, d.noLiquidation.short) };
}

/** Whether a distribution is well formed (it crosses storage and may come from an old version). */
export function distributionError(d: unknown): string | undefined {
  const x = d as DistanceDistribution | null;
  const shares = (a: unknown) => Array.isArray(a) && a.length === DISTANCE_BINS && a.every((v) => Number.isFinite(v) && v >= 0);
  if (!x || !shares(x.long) || !shares(x.short)) return `a distribution needs ${DISTANCE_BINS} non-negative shares per side`;
  if (!(x.noLiquidation?.long >= 0 && x.noLiquidation.long <= 1 && x.noLiquidation?.short >= 0 && x.noLiquidation.short <= 1))
    return 'the no-liquidation share must be between 0 and 1';
  return undefined;
}

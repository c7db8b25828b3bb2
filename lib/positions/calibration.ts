/**
 * The estimate measured against real positions: the same price grid, cell by cell, within ±X % of
 * the price. Correlation of USD per cell, the share of the true USD that lies inside the estimated
 * zones, and the error of the long/short split. And the leverage mix that real positions show,
 * USD-weighted over the model's tiers, to try in place of the default prior.
 */

import { findZones, type CellLevel, type LeverageWeight, type ModelParams, type PriceGrid } from '../model';
import type { PositionCell, TrackedPosition, TrueBook } from './true-book';
import type { BookComparison, CoinCalibration } from '../contract/positions';

export function compareBooks(
  estimated: readonly { cell: number; long: number; short: number }[],
  truth: readonly PositionCell[],
  /** `spanCells`: the grid cells of ±withinFraction around the price cell (PriceGrid.cellsFor). */
  options: { priceCell: number; spanCells: number; withinFraction: number; zones?: readonly { lowCell: number; highCell: number }[] },
): BookComparison {
  const span = options.spanCells;
  const lo = options.priceCell - span;
  const hi = options.priceCell + span;
  const e = new Map<number, { long: number; short: number }>();
  for (const c of estimated) if (c.cell >= lo && c.cell <= hi) e.set(c.cell, c);
  const t = new Map<number, { long: number; short: number }>();
  for (const c of truth) if (c.cell >= lo && c.cell <= hi) t.set(c.cell, c);
  const a: number[] = [];
  const b: number[] = [];
  const sums = { eLong: 0, eShort: 0, tLong: 0, tShort: 0, inZones: 0 };
  for (let cell = lo; cell <= hi; cell++) {
    const ec = e.get(cell);
    const tc = t.get(cell);
    a.push((ec?.long ?? 0) + (ec?.short ?? 0));
    b.push((tc?.long ?? 0) + (tc?.short ?? 0));
    sums.eLong += ec?.long ?? 0;
    sums.eShort += ec?.short ?? 0;
    sums.tLong += tc?.long ?? 0;
    sums.tShort += tc?.short ?? 0;
    if (tc && options.zones?.some((z) => cell >= z.lowCell && cell <= z.highCell)) sums.inZones += tc.long + tc.short;
  }
  const trueUsd = sums.tLong + sums.tShort;
  const estimatedUsd = sums.eLong + sums.eShort;
  return {
    withinFraction: options.withinFraction,
    cells: a.length,
    correlation: pearson(a, b),
    trueUsd,
    estimatedUsd,
    shareInZones: options.zones && trueUsd > 0 ? sums.inZones / trueUsd : null,
    longShareError: trueUsd > 0 && estimatedUsd > 0 ? Math.abs(sums.eLong / estimatedUsd - sums.tLong / trueUsd) : null,
  };
}

export function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  if (n < 2 || b.length !== n) return null;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : null;
}

/** Index of the model tier nearest a leverage, on a log scale (15x is nearer 20x than 10x). */
export function nearestTier(leverage: number, tiers: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < tiers.length; i++) if (Math.abs(Math.log(leverage / tiers[i])) < Math.abs(Math.log(leverage / tiers[best]))) best = i;
  return best;
}

/**
 * The leverage mix real positions show, on the model's tiers: each position's USD goes to the tier
 * nearest its leverage (on a log scale: 15x is nearer 20x than 10x). Weights sum to 1; a tier no
 * position used keeps a small floor, so the model can still place levels there.
 */
export function fitLeverageMix(
  positions: readonly Pick<TrackedPosition, 'leverage' | 'positionValue'>[],
  tiers: readonly number[],
  floor = 0.01,
): LeverageWeight[] | null {
  const usd = tiers.map(() => 0);
  let total = 0;
  for (const p of positions) {
    if (!(p.positionValue > 0) || !(p.leverage >= 1)) continue;
    usd[nearestTier(p.leverage, tiers)] += p.positionValue;
    total += p.positionValue;
  }
  if (total <= 0) return null;
  const raw = usd.map((u) => Math.max(floor, u / total));
  const sum = raw.reduce((s, w) => s + w, 0);
  return tiers.map((leverage, i) => ({ leverage, weight: raw[i] / sum }));
}

/**
 * One Hyperliquid coin's estimate against its true book: correlation per cell, share of true USD in
 * the estimated zones, and the long/short split error, with the model's leverage mix and with the
 * mix fitted from the positions (`fitFrom`: which positions to fit on; all of them by default).
 */
/** What calibration reads of the estimate (the model's front door has it). */
export interface EstimateCells {
  readonly params: ModelParams;
  readonly grid: PriceGrid;
  price(target: string): number | null;
  cells(target: string, tierScale?: readonly number[]): CellLevel[];
}

export function calibrateCoin(
  levels: EstimateCells,
  truth: TrueBook,
  coin: string,
  now: number,
  fitFrom: readonly Pick<TrackedPosition, 'leverage' | 'positionValue'>[] = truth.positions(coin),
): CoinCalibration | null {
  const target = `hyperliquid:${coin}`;
  const price = levels.price(target);
  const positions = truth.positions(coin);
  if (price === null || positions.length === 0) return null;
  const tiers = levels.params.leverage.map((l) => l.leverage);
  const fittedMix = fitLeverageMix(fitFrom, tiers);
  if (!fittedMix) return null;
  const scale = levels.params.leverage.map((l, i) => (l.weight > 0 ? fittedMix[i].weight / l.weight : 0));
  const grid = levels.grid;
  const trueCells = truth.cells(coin, grid);
  const books = { default: levels.cells(target), fitted: levels.cells(target, scale) };
  const windows = [0.1, 0.2].map((withinFraction) => {
    const compare = (cells: typeof books.default) => {
      const zones = findZones('estimated', cells, price, grid, now, tiers, { withinFraction }).map((z) => ({
        lowCell: grid.cellOf(z.low),
        highCell: grid.cellOf(z.high),
      }));
      return compareBooks(cells, trueCells, {
        priceCell: grid.cellOf(price),
        spanCells: grid.cellsFor(withinFraction),
        withinFraction,
        zones,
      });
    };
    return { withinPct: withinFraction * 100, default: compare(books.default), fitted: compare(books.fitted) };
  });
  return { coin, positions: positions.length, wallets: new Set(positions.map((p) => p.wallet)).size, fittedMix, windows };
}

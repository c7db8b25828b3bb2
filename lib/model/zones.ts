/**
 * Zones: the few price bands that matter now. Contiguous grid cells whose USD is at least a share of
 * the strongest cell, merged into bands, each with its USD (estimated OR realized, never mixed), the
 * long/short split, the leverage mix, the venues and the distance from price.
 */
import type { Zone } from '../contract/market';

export interface CellLevel {
  cell: number;
  price: number;
  long: number;
  short: number;
  /** USD per leverage tier (estimated only). */
  tiers?: number[];
  /** USD-weighted birth time (estimated only). */
  bornAt?: number;
  venues: string[];
}

export interface ZoneOptions {
  /** A cell belongs to a zone when its USD ≥ this share of the strongest cell in range. */
  thresholdShare: number;
  /** Only cells within this fraction of the price. */
  withinFraction: number;
  maxZones: number;
  /** Cells that may be empty inside one zone. */
  gapCells: number;
}

export const DEFAULT_ZONE_OPTIONS: ZoneOptions = { thresholdShare: 0.2, withinFraction: 0.2, maxZones: 10, gapCells: 1 };

export function findZones(
  kind: Zone['kind'],
  cells: CellLevel[],
  price: number,
  grid: { lowerPriceOf(cell: number): number },
  now: number,
  leverages: number[] = [],
  options: Partial<ZoneOptions> = {},
): Zone[] {
  const o = { ...DEFAULT_ZONE_OPTIONS, ...options };
  // Zones are found on the same wide window whatever the caller shows (the overlay ±20 %, the popup
  // ±5 % by default), then only those within its window are returned: a zone is the same band with
  // the same USD in every view, not re-cut against a different strongest cell.
  const findWithin = Math.max(o.withinFraction, DEFAULT_ZONE_OPTIONS.withinFraction);
  const inRange = cells.filter((c) => Math.abs(c.price / price - 1) <= findWithin && c.long + c.short > 0).sort((a, b) => a.cell - b.cell);
  const max = inRange.reduce((m, c) => Math.max(m, c.long + c.short), 0);
  if (max <= 0) return [];
  const threshold = max * o.thresholdShare;
  const zones: Zone[] = [];
  let run: CellLevel[] = [];
  const flush = () => {
    if (run.length) zones.push(toZone(kind, run, price, grid, now, leverages));
    run = [];
  };
  for (const c of inRange) {
    if (c.long + c.short < threshold) continue;
    if (run.length && c.cell - run[run.length - 1].cell > o.gapCells + 1) flush();
    run.push(c);
  }
  flush();
  const shown = (z: Zone) => z.high >= price * (1 - o.withinFraction) && z.low <= price * (1 + o.withinFraction);
  return zones
    .filter(shown)
    .sort((a, b) => b.usd - a.usd)
    .slice(0, o.maxZones);
}

function toZone(
  kind: Zone['kind'],
  run: CellLevel[],
  price: number,
  grid: { lowerPriceOf(cell: number): number },
  now: number,
  leverages: number[],
): Zone {
  let longUsd = 0;
  let shortUsd = 0;
  let weighted = 0;
  let born = 0;
  const tiers = new Array<number>(leverages.length).fill(0);
  const venues = new Set<string>();
  for (const c of run) {
    const usd = c.long + c.short;
    longUsd += c.long;
    shortUsd += c.short;
    weighted += c.price * usd;
    if (c.bornAt !== undefined) born += c.bornAt * usd;
    c.tiers?.forEach((t, i) => (tiers[i] += t));
    c.venues.forEach((v) => venues.add(v));
  }
  const usd = longUsd + shortUsd;
  const mid = weighted / usd;
  return {
    kind,
    low: grid.lowerPriceOf(run[0].cell),
    high: grid.lowerPriceOf(run[run.length - 1].cell + 1),
    price: mid,
    usd,
    longUsd,
    shortUsd,
    ...(kind === 'estimated' && leverages.length
      ? { leverageMix: leverages.map((leverage, i) => ({ leverage, share: usd > 0 ? tiers[i] / usd : 0 })) }
      : {}),
    venues: [...venues].sort(),
    // A zone the price is inside is 0 % away; else the distance of its USD-weighted centre.
    distancePct:
      price >= grid.lowerPriceOf(run[0].cell) && price <= grid.lowerPriceOf(run[run.length - 1].cell + 1) ? 0 : (mid / price - 1) * 100,
    ...(kind === 'estimated' && born > 0 ? { ageMs: Math.max(0, now - born / usd) } : {}),
  };
}

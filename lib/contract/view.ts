/**
 * The popup's quick view of one target over one time range, as asked and as answered: the heatmap
 * (wire format), zones, the liquidation map, the imbalance and the realized totals. The worker
 * validates every request with `viewRequestError` (a UI is code we do not fully control).
 */
import type { WireHeatmap } from './heatmap-wire';
import type { LiquidationMap, Zone } from './market';

export const VIEW_RANGES = { '12h': 12, '24h': 24, '3d': 72, '7d': 168, '30d': 720 } as const;

export type ViewRange = keyof typeof VIEW_RANGES;

export interface ViewRequest {
  /** `coin:BTC` or an instrument key. */
  target: string;
  range: ViewRange;
  /** Heatmap size (time columns × price rows). */
  columns: number;
  rows: number;
  /** Zones and map within ± this fraction of the price. */
  withinFraction: number;
  /** What to show: the estimate (default) or real positions (Hyperliquid coins only). */
  kind?: 'estimated' | 'positions';
}

export interface MarketViewReply {
  target: string;
  price: number | null;
  heatmap: WireHeatmap;
  zones: Zone[];
  map: LiquidationMap | null;
  imbalance: { longUsd: number; shortUsd: number; net: number };
  /**
   * Realized liquidations of this target over the range, as the venues reported them: totals since
   * `since` (the range's start, or when LiqLens began listening to this target's feeds when that is
   * later: the venues' history, backfilled, holds no liquidations; now before any live event), and the
   * venues they came from (their completeness differs: see VenueInfo.liquidationCompleteness).
   */
  realized?: { longUsd: number; shortUsd: number; since: number; venues: string[] };
  /**
   * The price grid's step (0.001 = 0.1 %): heatmap colours, the legend, tooltips and the map's bars
   * are estimated USD per cell of this size; zones add their cells up.
   */
  cellStep?: number;
  /** The price step prices are written in (lib/ui/format.ts formatPrice); absent until instruments are listed. */
  tickSize?: number;
  /**
   * The range reaches back further than any history kept: the view starts here instead (the
   * heatmap draws what exists across its whole width) and says so.
   */
  historySince?: number;
  /** Positions views: the minute real positions were first recorded for this coin (the heatmap is empty before). */
  positionsSince?: number;
}

/** Why a view request cannot be served, or undefined. */
export function viewRequestError(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null) return 'not an object';
  const q = r as Record<string, unknown>;
  if (typeof q.target !== 'string' || !/^[A-Za-z0-9:._/-]{1,64}$/.test(q.target)) return 'bad target';
  if (typeof q.range !== 'string' || !Object.hasOwn(VIEW_RANGES, q.range))
    return `range must be one of ${Object.keys(VIEW_RANGES).join(', ')}`;
  const int = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
  if (!int(q.columns, 2_000) || !int(q.rows, 1_000)) return 'columns must be 1–2000 and rows 1–1000';
  if (typeof q.withinFraction !== 'number' || !(q.withinFraction > 0 && q.withinFraction <= 0.5))
    return 'withinFraction must be in (0, 0.5]';
  if (q.kind !== undefined && q.kind !== 'estimated' && q.kind !== 'positions') return 'kind must be estimated or positions';
  return undefined;
}

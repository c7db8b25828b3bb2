/**
 * The popup heatmap, prepared the uPlot way: outside uPlot and once per data change, the grid is cut
 * into colour buckets, and each bucket's cells into runs along time (one rectangle per run of equal
 * bucket in a price row: a level that lives for hours is one rectangle, not hundreds). Drawing is
 * then one path and one fill per bucket, however many cells.
 */
import { DEFAULT_HEATMAP_SCALE, scaleIntensity, type HeatmapScale } from './heatmap-scale';
import { decodeEstimated, type WireHeatmap } from '../contract/heatmap-wire';

export const BUCKETS = 24;

export interface HeatmapPlan {
  /** Per bucket: runs as [row, firstColumn, endColumn) triples. */
  runs: Int32Array[];
  /** Cells drawn and rectangles needed, for the benchmark. */
  cells: number;
  rects: number;
}

/**
 * Cells below `threshold` (share of the strongest) stay clear; the rest are bucketed on the trader's
 * colour scale (heatmap-scale.ts: top colour and mapping).
 */
export function planHeatmap(wire: WireHeatmap, scale: HeatmapScale = DEFAULT_HEATMAP_SCALE, threshold = 0): HeatmapPlan {
  const t = decodeEstimated(wire);
  const { columns, rows } = wire;
  const lists: number[][] = Array.from({ length: BUCKETS }, () => []);
  let cells = 0;
  for (let row = 0; row < rows; row++) {
    let runBucket = -1;
    let runStart = 0;
    for (let col = 0; col <= columns; col++) {
      const v = col < columns ? t[col * rows + row] : 0;
      const b = v > 0 && v >= threshold ? Math.min(BUCKETS - 1, Math.floor(scaleIntensity(v, scale) * BUCKETS)) : -1;
      if (b >= 0) cells++;
      if (b === runBucket) continue;
      if (runBucket >= 0) lists[runBucket].push(row, runStart, col);
      runBucket = b;
      runStart = col;
    }
  }
  const runs = lists.map((l) => Int32Array.from(l));
  return { runs, cells, rects: runs.reduce((s, r) => s + r.length / 3, 0) };
}

/** Realized USD per heatmap cell (col × rows + row): longs, shorts. */
export type RealizedIndex = Map<number, [number, number]>;

/** Realized cells as [column, row, longUsd, shortUsd], indexed for the tooltip. */
export function realizedIndex(wire: WireHeatmap): RealizedIndex {
  const m = new Map<number, [number, number]>();
  for (const [col, row, long, short] of wire.realized) m.set(col * wire.rows + row, [long, short]);
  return m;
}

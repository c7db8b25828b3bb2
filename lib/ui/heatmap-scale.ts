/**
 * The heatmap's colour scale, as a trader sets it (Coinglass's range slider): which USD gets the top
 * colour, and how USD below it maps onto the gradient.
 * - `top` is a share of the view's strongest cell: 1 is "auto" (the strongest cell is the top colour);
 *   0.2 saturates everything at or above a fifth of it, so the clusters that matter stand out instead
 *   of one outlier dimming the rest. A share, not a USD figure, because one figure cannot suit BTC and
 *   DOGE alike; the popup shows the USD it stands for in the view on screen.
 * - `mapping`: `sqrt` (the default, fine steps among the many small cells), `linear` (only strong
 *   clusters are bright) or `log` (faint levels visible too).
 */
export type HeatmapMapping = 'linear' | 'sqrt' | 'log';

export interface HeatmapScale {
  mapping: HeatmapMapping;
  top: number;
}

export const DEFAULT_HEATMAP_SCALE: HeatmapScale = { mapping: 'sqrt', top: 1 };
/** The slider's range: below 2 % of the strongest, nearly every cell would be the top colour. */
export const HEATMAP_TOP = { min: 0.02, max: 1 };

/** Each mapping's name (catalogue keys). */
export const HEATMAP_MAPPING_LABELS = {
  sqrt: 'mappingSqrt',
  linear: 'mappingLinear',
  log: 'mappingLog',
} as const satisfies Record<HeatmapMapping, string>;

export function isHeatmapMapping(v: unknown): v is HeatmapMapping {
  return v === 'linear' || v === 'sqrt' || v === 'log';
}

/** Decades the log mapping spans below the top colour: 1 % of the top is the gradient's bottom. */
const LOG_DECADES = 2;

/** Where a cell of `share` (of the strongest cell, 0–1) sits on the gradient (0–1; 0 stays clear). */
export function scaleIntensity(share: number, scale: HeatmapScale): number {
  if (!(share > 0)) return 0;
  const x = Math.min(1, share / Math.max(HEATMAP_TOP.min, Math.min(1, scale.top)));
  switch (scale.mapping) {
    case 'linear':
      return x;
    case 'log':
      // Anything above 0 stays visible: the faintest cells get the gradient's first step.
      return Math.max(1e-3, 1 + Math.log10(x) / LOG_DECADES);
    default:
      return Math.sqrt(x);
  }
}

/** Slider position (0–1) ↔ top share, log-spaced so the low end (where it matters) is not cramped. */
export function topFromSlider(pos: number): number {
  const { min, max } = HEATMAP_TOP;
  const p = Math.max(0, Math.min(1, pos));
  return Number((min * (max / min) ** p).toPrecision(3));
}

export function sliderFromTop(top: number): number {
  const { min, max } = HEATMAP_TOP;
  const t = Math.max(min, Math.min(max, top));
  return Math.log(t / min) / Math.log(max / min);
}

/** The legend's description of the scale, in the view's USD: "top colour $4.20M+ (auto)". */
export function describeTop(maxUsd: number, scale: HeatmapScale): { usd: number; auto: boolean } {
  const auto = scale.top >= HEATMAP_TOP.max;
  return { usd: maxUsd * (auto ? 1 : Math.max(HEATMAP_TOP.min, scale.top)), auto };
}

/**
 * Heatmap gradients, shared by the popup and the overlay so a colour means the same USD everywhere.
 * `classic` is the blue → yellow that liquidation heatmaps use; `viridis` is perceptually uniform and
 * readable with the common colour-vision deficiencies.
 */
export type GradientPreset = 'classic' | 'viridis';

const STOPS: Record<GradientPreset, [number, number, number][]> = {
  classic: [
    [40, 60, 190],
    [30, 170, 170],
    [250, 220, 60],
  ],
  viridis: [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ],
};

/** Each gradient's name (catalogue keys). */
export const GRADIENT_LABELS = {
  classic: 'gradientClassic',
  viridis: 'gradientViridis',
} as const satisfies Record<GradientPreset, string>;

/** RGB at t ∈ [0, 1]. */
export function gradientRgb(t: number, preset: GradientPreset = 'classic'): [number, number, number] {
  const stops = STOPS[preset] ?? STOPS.classic;
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return [c[0], c[1], c[2]];
}

export function gradientCss(t: number, alpha: number, preset: GradientPreset = 'classic'): string {
  const [r, g, b] = gradientRgb(t, preset);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** A gradient bar with USD marks, for the heatmap's legend (and what its colour mapping means). */
import { cellName, formatUsd } from '@/lib/ui/format';
import { gradientCss, type GradientPreset } from '@/lib/ui/gradients';
import { DEFAULT_HEATMAP_SCALE, describeTop, HEATMAP_MAPPING_LABELS, type HeatmapScale } from '@/lib/ui/heatmap-scale';

const MAPPING_NOTE: Record<HeatmapScale['mapping'], string> = {
  sqrt: 'Colour grows with √USD: the middle of the bar is a quarter of the top colour’s USD',
  linear: 'Colour grows with USD: the middle of the bar is half the top colour’s USD',
  log: 'Colour grows with log USD: each fifth of the bar is about 2.5× more USD; the left end is 1 % of the top',
};

export function HeatmapLegend({
  maxUsd,
  gradient,
  scale = DEFAULT_HEATMAP_SCALE,
  cellStep,
}: {
  maxUsd: number;
  gradient: GradientPreset;
  scale?: HeatmapScale;
  /** The price grid's step: colours are estimated USD per cell of it. */
  cellStep?: number;
}) {
  const stops = Array.from({ length: 9 }, (_, i) => `${gradientCss(i / 8, 1, gradient)} ${(i / 8) * 100}%`).join(', ');
  const top = describeTop(maxUsd, scale);
  const unit = `per ${cellName(cellStep)}`;
  const topText = top.auto ? `${formatUsd(top.usd)} strongest level ${unit}` : `${formatUsd(top.usd)}+ top colour ${unit}`;
  return (
    <div
      class="legend"
      data-testid="heatmap-legend"
      aria-label={`Colour scale (${HEATMAP_MAPPING_LABELS[scale.mapping]}) from $0 to ${topText}, estimated liquidations`}
    >
      <span>$0</span>
      <span class="ramp" style={{ background: `linear-gradient(90deg, ${stops})` }} title={MAPPING_NOTE[scale.mapping]} />
      <span
        title={
          top.auto
            ? `Estimated USD ${unit} at that minute: the most in one cell and one time column of this view (zones add their cells up, now)`
            : `Cells of ${formatUsd(top.usd)} or more get the top colour (${Math.round(scale.top * 100)} % of this view’s strongest level, ${formatUsd(maxUsd)})`
        }
      >
        {topText}
      </span>
    </div>
  );
}

/** A gradient bar with USD marks, for the heatmap's legend (and what its colour mapping means). */
import { cellName, formatUsd } from '@/lib/ui/format';
import { formatCount, t } from '@/lib/i18n';
import { gradientCss, type GradientPreset } from '@/lib/ui/gradients';
import { DEFAULT_HEATMAP_SCALE, describeTop, HEATMAP_MAPPING_LABELS, type HeatmapScale } from '@/lib/ui/heatmap-scale';

const MAPPING_NOTE = {
  sqrt: 'mappingNoteSqrt',
  linear: 'mappingNoteLinear',
  log: 'mappingNoteLog',
} as const satisfies Record<HeatmapScale['mapping'], string>;

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
  const cell = cellName(cellStep);
  const topText = top.auto
    ? t('legendStrongest', { usd: formatUsd(top.usd), cell })
    : t('legendTopColour', { usd: formatUsd(top.usd), cell });
  return (
    <div
      class="legend"
      data-testid="heatmap-legend"
      aria-label={t('legendName', { mapping: t(HEATMAP_MAPPING_LABELS[scale.mapping]), from: formatUsd(0), to: topText })}
    >
      <span>{formatUsd(0)}</span>
      <span class="ramp" style={{ background: `linear-gradient(90deg, ${stops})` }} title={t(MAPPING_NOTE[scale.mapping])} />
      <span
        title={
          top.auto
            ? t('legendStrongestTitle', { cell })
            : t('legendTopColourTitle', { usd: formatUsd(top.usd), pct: formatCount(Math.round(scale.top * 100)), max: formatUsd(maxUsd) })
        }
      >
        {topText}
      </span>
    </div>
  );
}

/**
 * The heatmap's colour scale, set from the popup (Coinglass's range slider): the top colour as a share
 * of the view's strongest level, shown in the view's USD, and the mapping. Dragging recolours at once;
 * the choice is saved when the slider is released, so a drag is one settings write, not fifty.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatUsd } from '@/lib/ui/format';
import { t } from '@/lib/i18n';
import {
  describeTop,
  HEATMAP_MAPPING_LABELS,
  sliderFromTop,
  topFromSlider,
  type HeatmapMapping,
  type HeatmapScale,
} from '@/lib/ui/heatmap-scale';

export interface HeatmapScaleControlProps {
  scale: HeatmapScale;
  /** The view's strongest level, for the slider's USD reading. */
  maxUsd: number;
  /** While dragging: recolour only. */
  onPreview(scale: HeatmapScale): void;
  /** On release or a new mapping: save. */
  onCommit(scale: HeatmapScale): void;
}

const STEPS = 100;

export function HeatmapScaleControl({ scale, maxUsd, onPreview, onCommit }: HeatmapScaleControlProps) {
  const [pos, setPos] = useState(() => Math.round(sliderFromTop(scale.top) * STEPS));
  useEffect(() => setPos(Math.round(sliderFromTop(scale.top) * STEPS)), [scale.top]);
  const at = (p: number): HeatmapScale => ({ ...scale, top: topFromSlider(p / STEPS) });
  const top = describeTop(maxUsd, at(pos));
  const reading = top.auto ? t('topColourAuto', { usd: formatUsd(top.usd) }) : `${formatUsd(top.usd)}+`;
  return (
    <div class="scale-control" data-testid="heatmap-scale">
      <label title={t('topColourTitle')}>
        {t('topColour')}
        <input
          type="range"
          min={0}
          max={STEPS}
          step={1}
          value={pos}
          aria-label={t('topColourName')}
          aria-valuetext={reading}
          onInput={(e) => {
            const p = Number((e.target as HTMLInputElement).value);
            setPos(p);
            onPreview(at(p));
          }}
          onChange={(e) => onCommit(at(Number((e.target as HTMLInputElement).value)))}
        />
        <output data-testid="heatmap-top">{reading}</output>
      </label>
      <label>
        <span class="sr-only">{t('colourMapping')}</span>
        <select
          aria-label={t('colourMapping')}
          value={scale.mapping}
          onChange={(e) => onCommit({ ...scale, mapping: (e.target as HTMLSelectElement).value as HeatmapMapping })}
        >
          {(Object.keys(HEATMAP_MAPPING_LABELS) as HeatmapMapping[]).map((m) => (
            <option key={m} value={m}>
              {t(HEATMAP_MAPPING_LABELS[m])}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/**
 * The quick view's heatmap: what it shows (target, range, price), how far back its data goes, the
 * chart (or why there is none), and its legend with the gradient and colour-scale controls.
 */
import { useEffect, useState } from 'preact/hooks';
import type { MarketViewReply, ViewRange } from '@/lib/contract/view';
import { formatPrice, formatSpan, formatTime } from '@/lib/ui/format';
import { t } from '@/lib/i18n';
import type { GradientPreset } from '@/lib/ui/gradients';
import { GradientOptions } from '../GradientOptions';
import { DEFAULT_HEATMAP_SCALE, type HeatmapScale } from '@/lib/ui/heatmap-scale';
import { HeatmapChart, HeatmapLegend } from '../HeatmapChart';
import { HeatmapScaleControl } from '../HeatmapScaleControl';
import type { ViewKind } from './types';

export interface HeatmapPanelProps {
  view: MarketViewReply | null;
  coin: string;
  target: string;
  range: ViewRange;
  kind: ViewKind;
  width: number;
  gradient: GradientPreset;
  heatmapScale?: HeatmapScale;
  onGradient(g: GradientPreset): void;
  onHeatmapScale?(scale: HeatmapScale): void;
  /** No exchange is reachable: an empty chart says why. */
  offline?: boolean;
  /** The drawn canvas (for the PNG export). */
  onCanvas(canvas: HTMLCanvasElement): void;
}

export function HeatmapPanel(props: HeatmapPanelProps) {
  const { view, coin, kind, width } = props;
  const [drawMs, setDrawMs] = useState(0);
  // The scale while the slider is dragged; the stored one otherwise.
  const [previewScale, setPreviewScale] = useState<HeatmapScale | null>(null);
  const scale = previewScale ?? props.heatmapScale ?? DEFAULT_HEATMAP_SCALE;
  useEffect(() => setPreviewScale(null), [props.heatmapScale]);
  const historyFrom = view
    ? view.positionsSince !== undefined
      ? sinceWithinRange(view.positionsSince, view.heatmap)
      : (view.historySince ?? historyStart(view.heatmap))
    : undefined;
  const placeholder = (text: string, testid?: string) => (
    <div class="heatmap placeholder" style={{ width: `${width}px`, height: '240px' }} data-testid={testid}>
      {text}
    </div>
  );
  return (
    <>
      <p class="target" data-testid="view-target">
        {kind === 'positions'
          ? t('viewTargetPositions', { coin })
          : props.target.startsWith('coin:')
            ? t('coinAllVenues', { coin })
            : props.target}{' '}
        · {props.range}
        {view?.price ? ` · ${formatPrice(view.price, view.tickSize)}` : ''}
      </p>
      {historyFrom !== undefined && (
        <p class="muted" data-testid="history-coverage">
          {kind === 'positions'
            ? t('positionsSince', { time: formatTime(historyFrom) })
            : t('historySince', { time: formatTime(historyFrom), span: formatSpan(Date.now() - historyFrom), range: props.range })}
        </p>
      )}
      {view && view.price === null && view.heatmap.maxUsd === 0 ? (
        // No price and no history: an axis of 1–2 and "$0 per cell" would look like data.
        placeholder(props.offline ? t('heatmapNothingOffline', { coin }) : t('heatmapNoData', { coin }), 'heatmap-empty')
      ) : view ? (
        <HeatmapChart
          view={view}
          gradient={props.gradient}
          scale={scale}
          width={width}
          height={240}
          onDrawn={(c, ms) => {
            props.onCanvas(c);
            setDrawMs(ms);
          }}
        />
      ) : (
        placeholder(t('heatmapLoading'))
      )}
      <div class="legend-row">
        {view && view.heatmap.maxUsd > 0 && (
          <HeatmapLegend maxUsd={view.heatmap.maxUsd} gradient={props.gradient} scale={scale} cellStep={view.cellStep} />
        )}
        <label>
          <span class="sr-only">{t('gradient')}</span>
          <select
            value={props.gradient}
            onChange={(e) => props.onGradient((e.target as HTMLSelectElement).value as GradientPreset)}
            aria-label={t('gradient')}
          >
            <GradientOptions />
          </select>
        </label>
        {view && view.heatmap.maxUsd > 0 && (
          <HeatmapScaleControl
            scale={scale}
            maxUsd={view.heatmap.maxUsd}
            onPreview={setPreviewScale}
            onCommit={(s) => {
              setPreviewScale(s);
              props.onHeatmapScale?.(s);
            }}
          />
        )}
        {/* The paint time is for tests and profiling, not for the trader. */}
        <span hidden data-testid="draw-ms">
          {drawMs.toFixed(1)} ms
        </span>
      </div>
    </>
  );
}

/** When the heatmap's data starts, if later than its range's first hour (a short history in a long range). */
function historyStart(wire: MarketViewReply['heatmap']): number | undefined {
  const colMs = (wire.to - wire.from) / wire.columns;
  const first = wire.price.findIndex((p) => p !== null && Number.isFinite(p));
  if (first < 0) return undefined;
  return sinceWithinRange(wire.from + first * colMs, wire);
}

/** A start of data worth saying: more than an hour into the range. */
function sinceWithinRange(at: number, wire: MarketViewReply['heatmap']): number | undefined {
  return at - wire.from > 3_600_000 ? at : undefined;
}

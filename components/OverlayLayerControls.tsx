/**
 * The overlay's layers, opacity and threshold: one component for the chart's handle (compact) and
 * Options → Overlay (labelled fields). Every change is a patch of `overlay`, sent to the one
 * settings writer (the handle) or merged into the options draft.
 */
import { formatCount, t, type MessageKey } from '@/lib/i18n';
import type { Settings, SettingsPatch } from '@/lib/settings';

export type OverlayPatch = NonNullable<SettingsPatch['overlay']>;

const LAYERS: readonly (readonly [keyof Settings['overlay']['layers'], MessageKey])[] = [
  ['estimated', 'layerEstimated'],
  ['realized', 'layerRealized'],
  ['heatmap', 'layerHeatmap'],
  ['positions', 'layerPositions'],
];

export interface OverlayLayerControlsProps {
  overlay: Settings['overlay'];
  onChange(patch: OverlayPatch): void;
  /** `handle`: labels around compact inputs; `fields`: one labelled row each, with ids (Options). */
  layout: 'handle' | 'fields';
  /** Shown between the layers and the ranges (the handle's legend, beside the layers it explains). */
  afterLayers?: preact.ComponentChildren;
  /** Why the positions layer can draw nothing (ui/health.ts `positionsLayerBlocked`), said beside its switch. */
  positionsBlocked?: string | null;
}

export function OverlayLayerControls({ overlay: o, onChange, layout, afterLayers, positionsBlocked }: OverlayLayerControlsProps) {
  const opacityLabel = t('overlayOpacityLabel', { pct: formatCount(Math.round(o.opacity * 100)) });
  const thresholdLabel = t('overlayThresholdLabel', { pct: formatCount(Math.round(o.threshold * 100)) });
  /** A slider of the overlay's opacity or threshold (the handle names it by aria-label, Options by its label). */
  const range = (id: string, label: string, aria: string, key: 'opacity' | 'threshold', min: number, max: number) => ({
    id,
    label,
    range: true,
    input: (inputId?: string) => (
      <input
        id={inputId}
        type="range"
        min={min}
        max={max}
        step={0.05}
        value={o[key]}
        aria-label={inputId ? undefined : aria}
        onInput={(e) => onChange({ [key]: Number((e.target as HTMLInputElement).value) })}
      />
    ),
  });
  const controls = [
    ...LAYERS.map(([key, label]) => ({
      id: `layer-${key}`,
      label: t(label),
      input: (id?: string) => (
        <input
          id={id}
          type="checkbox"
          checked={o.layers[key]}
          onChange={(e) => onChange({ layers: { [key]: (e.target as HTMLInputElement).checked } })}
        />
      ),
    })),
    range('overlay-opacity', opacityLabel, t('overlayOpacity'), 'opacity', 0.1, 1),
    range('overlay-threshold', thresholdLabel, t('overlayThreshold'), 'threshold', 0, 0.9),
  ];
  const rows = (list: typeof controls) =>
    layout === 'fields'
      ? list.map((c) => (
          <div class="field" key={c.id}>
            <label for={c.id}>{c.label}</label>
            {c.input(c.id)}
          </div>
        ))
      : list.map((c) => (
          <label key={c.id} class={'range' in c ? 'range' : undefined}>
            {'range' in c ? c.label : c.input()}
            {'range' in c ? c.input() : c.label}
          </label>
        ));
  return (
    <>
      {rows(controls.slice(0, LAYERS.length))}
      {positionsBlocked && o.layers.positions && (
        <p class="hint" data-testid="positions-layer-blocked">
          {positionsBlocked}
        </p>
      )}
      {afterLayers}
      {rows(controls.slice(LAYERS.length))}
    </>
  );
}

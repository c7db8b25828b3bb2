/**
 * The overlay's handle: a small pill centred at the top of the chart's pane that opens a panel with the
 * layers, opacity and threshold (OverlayLayerControls, shared with Options), and a legend. Changes are saved to settings, so
 * every tab and the options page follow. Collapsed by default: the chart belongs to the trader.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HandlePosition, Settings } from '@/lib/settings';
import { DRAG_THRESHOLD_PX, handlePoint, placeAt, placeForKey, type PaneRect } from '@/lib/ui/handle-place';
import { OverlayLayerControls, type OverlayPatch } from './OverlayLayerControls';
import { cellName, formatUsd } from '@/lib/ui/format';
import { t } from '@/lib/i18n';
import { gradientCss, type GradientPreset } from '@/lib/ui/gradients';
import { positionsLayerBlocked, type OverallHealth } from '@/lib/ui/health';

export interface OverlayControlsProps {
  /** The chart pane (viewport px): the handle sits on it (lib/ui/handle-place.ts). */
  pane: PaneRect;
  /** Where the trader dragged the handle on this site; undefined: the middle of the pane's top edge. */
  place?: HandlePosition;
  /** A drag ended here (null: a double-click put it back at its default). */
  onPlace?(place: HandlePosition | null): void;
  settings: Settings;
  /** What the overlay follows, e.g. `BTC · all venues`; or why it shows nothing. */
  following: string;
  /** A word on the collapsed handle when the user must act (a page that names no symbol). */
  attention?: string;
  /** A word on the handle that needs no action (the coin a page was matched to by price); the panel stays shut. */
  note?: string;
  /** A change of the overlay settings, sent as a patch. */
  onChange(overlay: OverlayPatch): void;
  /** Whether the feeds are live (lib/ui/health.ts): the handle's dot and a line in the panel say it. */
  health?: OverallHealth;
  /** Whether real positions (Hyperliquid) are drawn for this coin: the legend names them then. */
  hasPositions?: boolean;
  /** Extra actions for this mode (calibration). */
  children?: preact.ComponentChildren;
  /** The drawn heatmap's strongest cell (USD) and the grid step: the colour ramp's values. */
  heatmapScale?: { maxUsd: number; cellStep?: number } | null;
}

/**
 * What a heatmap colour is worth: the ramp as the canvas paints it (colour position = √(USD ÷ the
 * strongest cell), chart-paint.ts), with USD under it at its start, middle and end.
 */
function UsdRamp({ gradient, maxUsd, cellStep }: { gradient: GradientPreset; maxUsd: number; cellStep?: number }) {
  const ramp = `linear-gradient(90deg, ${[0.1, 0.25, 0.5, 0.75, 1].map((t) => gradientCss(t, 1, gradient)).join(', ')})`;
  return (
    <div class="usd-ramp" data-testid="overlay-usd-ramp">
      <span class="bar" style={{ background: ramp }} />
      <span class="ticks">
        <span>{formatUsd(0)}</span>
        <span>{formatUsd(maxUsd / 4)}</span>
        <span>{formatUsd(maxUsd)}</span>
      </span>
      <span class="unit">{t('overlayRampUnit', { cell: cellName(cellStep) })}</span>
    </div>
  );
}

/** What each mark and colour on the chart means, in the handle's panel. */
function Legend({ gradient, hasPositions }: { gradient: GradientPreset; hasPositions: boolean }) {
  const ramp = `linear-gradient(90deg, ${[0.1, 0.4, 0.7, 1].map((t) => gradientCss(t, 1, gradient)).join(', ')})`;
  return (
    <dl class="legend" data-testid="overlay-legend">
      <dt>
        <span class="swatch ramp" style={{ background: ramp }} />
      </dt>
      <dd>{t('legendHeatmap')}</dd>
      <dt>
        <span class="swatch band" style={{ borderColor: gradientCss(0.8, 1, gradient), background: gradientCss(0.8, 0.3, gradient) }} />
      </dt>
      <dd>{t('legendZone')}</dd>
      <dt>
        <span class="swatch bubble long" />
        <span class="swatch bubble short" />
      </dt>
      <dd>{t('legendRealized')}</dd>
      <dt>
        <span class="swatch sweep" />
      </dt>
      <dd>{t('legendSwept')}</dd>
      {hasPositions && (
        <>
          <dt>
            <span class="swatch positions" />
          </dt>
          <dd>{t('legendPositions')}</dd>
        </>
      )}
    </dl>
  );
}

/**
 * Dragging the handle with the pointer: a press that moves past DRAG_THRESHOLD_PX is a drag (the
 * handle follows, kept on the pane) and its drop is saved for the site; a shorter one is a click.
 */
function useHandleDrag(pane: PaneRect, place: HandlePosition | undefined, onPlace?: (place: HandlePosition | null) => void) {
  const start = useRef<{ id: number; x: number; y: number; from: { x: number; y: number } } | null>(null);
  const moved = useRef(false);
  const [dragged, setDragged] = useState<HandlePosition | null>(null);
  // The saved place arrived (or was reset): it is what the handle shows now.
  useEffect(() => setDragged(null), [place?.x, place?.y]);
  const point = handlePoint(pane, dragged ?? place);
  const target = (s: NonNullable<typeof start.current>, e: PointerEvent) =>
    placeAt(pane, { x: s.from.x + e.clientX - s.x, y: s.from.y + e.clientY - s.y });
  return {
    point,
    down(e: PointerEvent) {
      if (!onPlace || e.button !== 0) return;
      start.current = { id: e.pointerId, x: e.clientX, y: e.clientY, from: point };
      moved.current = false;
      // Every move of this press comes here, however fast the pointer leaves the small handle.
      (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    },
    move(e: PointerEvent) {
      const s = start.current;
      if (!s || s.id !== e.pointerId) return;
      if (!moved.current && Math.hypot(e.clientX - s.x, e.clientY - s.y) < DRAG_THRESHOLD_PX) return;
      moved.current = true;
      setDragged(target(s, e));
    },
    up(e: PointerEvent) {
      const s = start.current;
      start.current = null;
      if (!s || !moved.current) return;
      const drop = target(s, e);
      // It stays where it was dropped until the saved place comes back from the settings.
      setDragged(drop);
      onPlace?.(drop);
    },
    /** Arrow keys move the focused handle, Home puts it back; the page's own shortcuts never see them. */
    key(e: KeyboardEvent) {
      if (!onPlace || e.altKey || e.ctrlKey || e.metaKey) return;
      const next = placeForKey(pane, dragged ?? place, e);
      if (next === undefined) return;
      e.preventDefault();
      e.stopPropagation(); // a chart page pans on arrow keys
      setDragged(next);
      onPlace(next);
    },
    /** Whether the click that follows a press was the end of a drag (then it opens nothing). */
    consumeClick(): boolean {
      const was = moved.current;
      moved.current = false;
      return was;
    },
  };
}

/** The handle's word after "LiqLens": what to do, else that nothing is reachable, else a note. */
function handleWord(props: OverlayControlsProps, health: OverallHealth | undefined): string {
  if (props.attention) return ` · ${props.attention}`;
  if (health?.state === 'down') return ` · ${t('handleNothingReachable')}`;
  return props.note ? ` · ${props.note}` : '';
}

export function OverlayControls(props: OverlayControlsProps) {
  const { settings, onChange, health } = props;
  // Open at once when the user must choose something; otherwise the chart belongs to the trader.
  const [open, setOpen] = useState(!!props.attention);
  const o = settings.overlay;
  const drag = useHandleDrag(props.pane, props.place, props.onPlace);
  const at = drag.point;
  return (
    <div class="controls" style={{ left: `${at.x}px`, top: `${at.y}px` }} data-testid="overlay-controls">
      <button
        type="button"
        class="handle"
        aria-expanded={open}
        onClick={() => {
          if (drag.consumeClick()) return; // the end of a drag, not a click
          setOpen(!open);
        }}
        onPointerDown={drag.down}
        onPointerMove={drag.move}
        onPointerUp={drag.up}
        onDblClick={() => props.onPlace?.(null)}
        onKeyDown={drag.key}
        title={`${t('handleTitle')}${health && health.message ? ` · ${health.message}` : ''}`}
        data-health={health?.state ?? 'live'}
      >
        <span class={`dot dot-${health?.state ?? 'live'}`} aria-hidden="true" />
        {/* One text node: an empty conditional part was rewritten on every snapshot, a style
            recalculation and a new frame each second on a still chart. */}
        {` LiqLens${handleWord(props, health)} ${open ? '▴' : '▾'}`}
      </button>
      {open && (
        <div class="panel" role="group" aria-label={t('overlayPanelName')}>
          <p class="following" data-testid="overlay-following">
            {props.following}
          </p>
          {health && health.state !== 'live' && (
            <p class={`health health-${health.state}`} data-testid="overlay-health">
              {health.message}
            </p>
          )}
          <OverlayLayerControls
            layout="handle"
            overlay={o}
            onChange={onChange}
            positionsBlocked={positionsLayerBlocked(settings)}
            afterLayers={
              <>
                {props.heatmapScale && props.heatmapScale.maxUsd > 0 && o.layers.heatmap && (
                  <UsdRamp
                    gradient={settings.appearance.gradient}
                    maxUsd={props.heatmapScale.maxUsd}
                    cellStep={props.heatmapScale.cellStep}
                  />
                )}
                <Legend gradient={settings.appearance.gradient} hasPositions={!!props.hasPositions && o.layers.positions} />
              </>
            }
          />
          {props.children}
        </div>
      )}
    </div>
  );
}

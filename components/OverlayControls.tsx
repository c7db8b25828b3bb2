/**
 * The overlay's handle: a small pill centred at the top of the chart's pane that opens a panel with the
 * layers, opacity and threshold (OverlayLayerControls, shared with Options), and a legend. Changes are saved to settings, so
 * every tab and the options page follow. Collapsed by default: the chart belongs to the trader.
 */
import { useState } from 'preact/hooks';
import type { Settings } from '@/lib/settings';
import { OverlayLayerControls, type OverlayPatch } from './OverlayLayerControls';
import { cellName, formatUsd } from '@/lib/ui/format';
import { gradientCss, type GradientPreset } from '@/lib/ui/gradients';
import { positionsLayerBlocked, type OverallHealth } from '@/lib/ui/health';

export interface OverlayControlsProps {
  /**
   * Viewport position of the handle: the middle of the pane's top edge. (At the top-left it covered
   * the chart's own legend on TradingView pages, the symbol and the OHLC line; the top-right holds
   * the arrows to zones above the visible prices.)
   */
  x: number;
  y: number;
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
        <span>$0</span>
        <span>{formatUsd(maxUsd / 4)}</span>
        <span>{formatUsd(maxUsd)}</span>
      </span>
      <span class="unit">estimated USD per {cellName(cellStep)}, at that minute</span>
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
      <dd>Estimated liquidation levels over time (brighter: more USD)</dd>
      <dt>
        <span class="swatch band" style={{ borderColor: gradientCss(0.8, 1, gradient), background: gradientCss(0.8, 0.3, gradient) }} />
      </dt>
      <dd>Estimated zone, its USD at the price axis</dd>
      <dt>
        <span class="swatch bubble long" />
        <span class="swatch bubble short" />
      </dt>
      <dd>Realized: longs / shorts liquidated (area: USD)</dd>
      <dt>
        <span class="swatch sweep" />
      </dt>
      <dd>Swept: price ran through an estimated level</dd>
      {hasPositions && (
        <>
          <dt>
            <span class="swatch positions" />
          </dt>
          <dd>Real positions’ liquidation prices (Hyperliquid, sampled)</dd>
        </>
      )}
    </dl>
  );
}

/** The handle's word after "LiqLens": what to do, else that nothing is reachable, else a note. */
function handleWord(props: OverlayControlsProps, health: OverallHealth | undefined): string {
  if (props.attention) return ` · ${props.attention}`;
  if (health?.state === 'down') return ' · no exchange reachable';
  return props.note ? ` · ${props.note}` : '';
}

export function OverlayControls(props: OverlayControlsProps) {
  const { settings, onChange, health } = props;
  // Open at once when the user must choose something; otherwise the chart belongs to the trader.
  const [open, setOpen] = useState(!!props.attention);
  const o = settings.overlay;
  return (
    <div class="controls" style={{ left: `${props.x}px`, top: `${props.y + 8}px` }} data-testid="overlay-controls">
      <button
        type="button"
        class="handle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        title={`LiqLens overlay settings${health && health.message ? ` · ${health.message}` : ''}`}
        data-health={health?.state ?? 'live'}
      >
        <span class={`dot dot-${health?.state ?? 'live'}`} aria-hidden="true" />
        {/* One text node: an empty conditional part was rewritten on every snapshot, a style
            recalculation and a new frame each second on a still chart. */}
        {` LiqLens${handleWord(props, health)} ${open ? '▴' : '▾'}`}
      </button>
      {open && (
        <div class="panel" role="group" aria-label="LiqLens overlay">
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

/**
 * The popup's time × price heatmap, drawn with uPlot: uPlot owns the axes, the price line, zooming and
 * the crosshair; the heatmap and its marks are a uPlot plugin (heatmap-plugin.ts) painting from a plan
 * made once per data change (lib/ui/heatmap-plan.ts).
 *
 * The plot area is always painted dark (the gradient's own base, as Coinglass does in its light theme):
 * on white, the gradient's low end washes out and yellow disappears, so both themes get the contrast
 * of the dark one, and the price line is a near-white that no gradient stop uses.
 *
 * Keyboard: the chart takes focus; arrows move the crosshair one cell (Shift: ten), Home/End jump to
 * the first/last column, Escape hides it. The tooltip is a live region, so it is read out as it moves.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTicks, formatTimeTicks } from '@/lib/ui/format';
import { t } from '@/lib/i18n';
import type { GradientPreset } from '@/lib/ui/gradients';
import { planHeatmap, realizedIndex } from '@/lib/ui/heatmap-plan';
import { DEFAULT_HEATMAP_SCALE, type HeatmapScale } from '@/lib/ui/heatmap-scale';
import type { MarketViewReply } from '@/lib/contract/view';
import { cellCentre, heatmapPlugin, heatmapTooltip, keyboardCell, type Tip } from './heatmap-plugin';

export { HeatmapLegend } from './HeatmapLegend';

/** The price line: near-white, outside both gradients, on the always-dark plot area. */
const PRICE_LINE = '#f4f6fb';
/**
 * Grid lines on the always-dark plot: faint in both themes. (The theme's line colour is near-white
 * in the light theme, and its lines across the heatmap read as price levels.)
 */
const PLOT_GRID = 'rgba(255, 255, 255, 0.07)';

export interface HeatmapChartProps {
  view: MarketViewReply;
  gradient: GradientPreset;
  /** The trader's colour scale (top colour and mapping). */
  scale?: HeatmapScale;
  width: number;
  height: number;
  /** Receives the canvas after each draw (PNG export), and the last draw time. */
  onDrawn?(canvas: HTMLCanvasElement, ms: number): void;
}

export function HeatmapChart({ view, gradient, scale = DEFAULT_HEATMAP_SCALE, width, height, onDrawn }: HeatmapChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [tip, setTip] = useState<Tip | null>(null);
  /** The keyboard crosshair's cell, or null while the mouse (or nothing) drives it. */
  const keyCell = useRef<{ col: number; row: number } | null>(null);
  const wire = view.heatmap;
  const plan = useMemo(() => planHeatmap(wire, scale), [wire, scale.mapping, scale.top]);
  const realized = useMemo(() => realizedIndex(wire), [wire]);
  // The latest props for uPlot's hooks, which are bound once.
  const latest = useRef({ view, plan, realized, gradient, onDrawn });
  latest.current = { view, plan, realized, gradient, onDrawn };

  const colMs = (wire.to - wire.from) / wire.columns;
  const data = useMemo((): uPlot.AlignedData => {
    const xs = Array.from({ length: wire.columns }, (_, i) => (wire.from + (i + 0.5) * colMs) / 1000);
    return [xs, wire.price.map((p) => p ?? null)];
  }, [wire, colMs]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const muted = css.getPropertyValue('--muted').trim() || '#8b93a7';
    const line = css.getPropertyValue('--line').trim() || '#2b3242';
    const opts: uPlot.Options = {
      width,
      height,
      scales: {
        x: { time: true },
        y: { auto: false, range: () => [latest.current.view.heatmap.low, latest.current.view.heatmap.high] },
      },
      axes: [
        { stroke: muted, grid: { stroke: PLOT_GRID, width: 1 }, ticks: { stroke: line }, values: (_u, splits) => formatTimeTicks(splits) },
        {
          stroke: muted,
          grid: { stroke: PLOT_GRID, width: 1 },
          ticks: { stroke: line },
          size: 78,
          values: (_u, vals) => formatTicks(vals),
        },
      ],
      series: [{}, { label: 'Price', stroke: PRICE_LINE, width: 1.5, spanGaps: false, points: { show: false } }],
      legend: { show: false },
      cursor: { drag: { x: true, y: false }, points: { show: false } },
      plugins: [heatmapPlugin(() => latest.current)],
      hooks: { setCursor: [(u) => setTip(heatmapTooltip(u, latest.current))] },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
    // Created once per size; data changes go through setData below.
  }, [width, height]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    u.setData(data, true);
    // The price scale is not auto-ranged (its range is the heatmap's rows): a new coin or range must
    // set it, or the axis keeps the previous coin's prices.
    u.setScale('y', { min: wire.low, max: wire.high });
    host.current?.setAttribute('data-y-range', `${wire.low}-${wire.high}`);
  }, [data, gradient, wire, plan]);

  /** Arrow keys move the crosshair cell by cell; the tooltip follows as with the mouse. */
  function onKey(e: KeyboardEvent) {
    const u = plot.current;
    if (!u) return;
    const w = latest.current.view.heatmap;
    const next = keyboardCell(e.key, e.shiftKey, keyCell.current, w);
    if (next === null) return;
    if (next === 'hide') {
      keyCell.current = null;
      u.setCursor({ left: -10, top: -10 });
      setTip(null);
      return;
    }
    e.preventDefault();
    keyCell.current = next;
    u.setCursor(cellCentre(u, w, next));
  }

  return (
    <div class="heatmap" style={{ width: `${width}px`, height: `${height}px` }} data-testid="heatmap">
      <div
        ref={host}
        tabIndex={0}
        role="group"
        aria-label={t('heatmapName')}
        aria-describedby="heatmap-tip"
        onKeyDown={onKey}
        onBlur={() => {
          if (keyCell.current) {
            keyCell.current = null;
            setTip(null);
          }
        }}
      />
      {tip && (
        <div
          class="tip"
          id="heatmap-tip"
          role="status"
          aria-live="polite"
          data-testid="heatmap-tip"
          style={{ left: `${Math.min(tip.left + 12, width - 230)}px`, top: `${Math.max(0, tip.top - 10)}px` }}
        >
          {tip.lines.map((l) => (
            <div key={l}>{l}</div>
          ))}
        </div>
      )}
    </div>
  );
}

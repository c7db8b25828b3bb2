/**
 * The popup's time × price heatmap, drawn with uPlot: uPlot owns the axes, the price line, zooming and
 * the crosshair; the heatmap is painted in its drawClear hook (behind everything) from a plan made
 * once per data change (heatmap-plan.ts): one path and one fill per colour bucket. Realized
 * liquidations are circles (red longs, green shorts), swept levels short amber dashes.
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
import { formatPrice, formatTicks, formatUsd } from '@/lib/ui/format';
import { gradientCss, gradientRgb, type GradientPreset } from '@/lib/ui/gradients';
import { BUCKETS, planHeatmap, realizedIndex } from '@/lib/ui/heatmap-plan';
import { DEFAULT_HEATMAP_SCALE, describeTop, HEATMAP_MAPPING_LABELS, type HeatmapScale } from '@/lib/ui/heatmap-scale';
import type { MarketViewReply } from '@/lib/contract/view';

/** The price line: near-white, outside both gradients, on the always-dark plot area. */
const PRICE_LINE = '#f4f6fb';

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

interface Tip {
  left: number;
  top: number;
  lines: string[];
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
        { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line } },
        { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line }, size: 78, values: (_u, vals) => formatTicks(vals) },
      ],
      series: [{}, { label: 'Price', stroke: PRICE_LINE, width: 1.5, spanGaps: false, points: { show: false } }],
      legend: { show: false },
      cursor: { drag: { x: true, y: false }, points: { show: false } },
      hooks: {
        drawClear: [(u) => paintHeatmap(u)],
        draw: [(u) => paintMarks(u)],
        setCursor: [(u) => setTip(tooltip(u))],
      },
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

  function rowPrice(row: number) {
    const w = latest.current.view.heatmap;
    return Math.exp(Math.log(w.low) + (row / w.rows) * Math.log(w.high / w.low));
  }

  function paintHeatmap(u: uPlot) {
    const started = performance.now();
    const { view: v, plan: p, gradient: g } = latest.current;
    const w = v.heatmap;
    const ms = (w.to - w.from) / w.columns;
    const ctx = u.ctx;
    // Every column and row edge once, then array lookups for each rectangle.
    const xs = new Float64Array(w.columns + 1);
    for (let c = 0; c <= w.columns; c++) xs[c] = u.valToPos((w.from + c * ms) / 1000, 'x', true);
    const ys = new Float64Array(w.rows + 1);
    for (let r = 0; r <= w.rows; r++) ys[r] = u.valToPos(rowPrice(r), 'y', true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    ctx.fillStyle = plotBase(g);
    ctx.fillRect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    for (let b = 0; b < BUCKETS; b++) {
      const runs = p.runs[b];
      if (!runs.length) continue;
      const path = new Path2D();
      for (let i = 0; i < runs.length; i += 3) {
        const top = ys[runs[i] + 1];
        const x0 = xs[runs[i + 1]];
        path.rect(x0, top, xs[runs[i + 2]] - x0 + 0.5, ys[runs[i]] - top);
      }
      ctx.fillStyle = gradientCss((b + 0.5) / BUCKETS, 0.35 + 0.65 * ((b + 1) / BUCKETS), g);
      ctx.fill(path);
    }
    ctx.restore();
    latest.current.onDrawn?.(ctx.canvas, performance.now() - started);
  }

  function paintMarks(u: uPlot) {
    const w = latest.current.view.heatmap;
    const ms = (w.to - w.from) / w.columns;
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    for (const [col, row, long, short] of w.realized) {
      const cx = u.valToPos((w.from + (col + 0.5) * ms) / 1000, 'x', true);
      const cy = u.valToPos(rowPrice(row + 0.5), 'y', true);
      const usd = long + short;
      const r = Math.max(1.5, Math.min(7, 1 + 1.5 * Math.log10(Math.max(1, usd / 1000)))) * dpr;
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, Math.PI * 2);
      ctx.fillStyle = long >= short ? 'rgba(246, 70, 93, 0.85)' : 'rgba(14, 203, 129, 0.85)';
      ctx.fill();
    }
    ctx.fillStyle = 'rgba(255, 170, 40, 0.9)';
    for (const [t, price] of w.sweeps) {
      const cx = u.valToPos(t / 1000, 'x', true);
      const cy = u.valToPos(price, 'y', true);
      ctx.fillRect(cx - 3 * dpr, cy - 0.75 * dpr, 6 * dpr, 1.5 * dpr);
    }
    ctx.restore();
  }

  /** Arrow keys move the crosshair cell by cell; the tooltip follows as with the mouse. */
  function onKey(e: KeyboardEvent) {
    const u = plot.current;
    const w = latest.current.view.heatmap;
    if (!u) return;
    if (e.key === 'Escape') {
      keyCell.current = null;
      u.setCursor({ left: -10, top: -10 });
      setTip(null);
      return;
    }
    const step = e.shiftKey ? 10 : 1;
    const start = keyCell.current ?? startCell(w);
    let { col, row } = start;
    if (e.key === 'ArrowLeft') col -= step;
    else if (e.key === 'ArrowRight') col += step;
    else if (e.key === 'ArrowUp') row += step;
    else if (e.key === 'ArrowDown') row -= step;
    else if (e.key === 'Home') col = 0;
    else if (e.key === 'End') col = w.columns - 1;
    // Enter or Space shows the crosshair where it stands (at first: the last price).
    else if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    col = Math.max(0, Math.min(w.columns - 1, col));
    row = Math.max(0, Math.min(w.rows - 1, row));
    keyCell.current = { col, row };
    const ms = (w.to - w.from) / w.columns;
    u.setCursor({ left: u.valToPos((w.from + (col + 0.5) * ms) / 1000, 'x'), top: u.valToPos(rowPrice(row + 0.5), 'y') });
  }

  /** Where the keyboard crosshair starts: the last column, at the last price (or mid-range). */
  function startCell(w: MarketViewReply['heatmap']) {
    let col = w.columns - 1;
    while (col > 0 && w.price[col] == null) col--;
    const price = w.price[col] ?? Math.sqrt(w.low * w.high);
    const row = Math.floor((Math.log(price / w.low) / Math.log(w.high / w.low)) * w.rows);
    return { col, row };
  }

  function tooltip(u: uPlot): Tip | null {
    const { left, top } = u.cursor;
    if (left === undefined || top === undefined || left < 0 || top < 0) return null;
    const { view: v, realized: r } = latest.current;
    const w = v.heatmap;
    const time = u.posToVal(left, 'x') * 1000;
    const price = u.posToVal(top, 'y');
    const col = Math.floor(((time - w.from) / (w.to - w.from)) * w.columns);
    const row = Math.floor((Math.log(price / w.low) / Math.log(w.high / w.low)) * w.rows);
    if (col < 0 || col >= w.columns || row < 0 || row >= w.rows) return null;
    const share = decodeOne(w.estimated, col * w.rows + row);
    const lines = [`${new Date(time).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })} · ${formatPrice(price, v.tickSize)}`];
    lines.push(share > 0 ? `Estimated ≈ ${formatUsd(share * w.maxUsd)}` : 'No estimated levels');
    const hit = r.get(col * w.rows + row);
    if (hit) lines.push(`Realized: longs ${formatUsd(hit[0])} · shorts ${formatUsd(hit[1])}`);
    // The current book at this price: its long/short split and leverage mix.
    const cell = v.map?.cells.reduce<{ price: number; long: number; short: number; tiers: number[] } | null>(
      (best, c) => (!best || Math.abs(c.price - price) < Math.abs(best.price - price) ? c : best),
      null,
    );
    if (cell && Math.abs(cell.price / price - 1) < 0.002 && cell.long + cell.short > 0) {
      lines.push(`Now: longs ${formatUsd(cell.long)} · shorts ${formatUsd(cell.short)}`);
      const total = cell.tiers.reduce((s, t) => s + t, 0);
      if (total > 0 && v.map)
        lines.push(
          `Leverage: ${v.map.leverages
            .map((l, i) => [l, cell.tiers[i] / total] as const)
            .filter(([, s]) => s >= 0.05)
            .map(([l, s]) => `${l}× ${Math.round(s * 100)} %`)
            .join(', ')}`,
        );
    }
    return { left, top, lines };
  }

  return (
    <div class="heatmap" style={{ width: `${width}px`, height: `${height}px` }} data-testid="heatmap">
      <div
        ref={host}
        tabIndex={0}
        role="group"
        aria-label="Heatmap of estimated liquidations over time and price: arrow keys move the crosshair (Shift: ten cells), Escape hides it"
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

/** One cell's intensity from the base64 bytes, without decoding the whole grid. */
function decodeOne(b64: string, index: number): number {
  const chunk = Math.floor(index / 3) * 4;
  const bytes = atob(b64.slice(chunk, chunk + 4));
  const byte = bytes.charCodeAt(index % 3);
  return Number.isFinite(byte) ? (byte / 255) ** 2 : 0;
}

/** The plot area's base: the gradient's first stop, darkened, so the lowest bucket still reads. */
function plotBase(g: GradientPreset): string {
  const [r, gr, b] = gradientRgb(0, g);
  return `rgb(${Math.round(r * 0.22) + 6}, ${Math.round(gr * 0.22) + 8}, ${Math.round(b * 0.22) + 14})`;
}

const MAPPING_NOTE: Record<HeatmapScale['mapping'], string> = {
  sqrt: 'Colour grows with √USD: the middle of the bar is a quarter of the top colour’s USD',
  linear: 'Colour grows with USD: the middle of the bar is half the top colour’s USD',
  log: 'Colour grows with log USD: each fifth of the bar is about 2.5× more USD; the left end is 1 % of the top',
};

/** A gradient bar with USD marks, for the heatmap's legend. */
export function HeatmapLegend({
  maxUsd,
  gradient,
  scale = DEFAULT_HEATMAP_SCALE,
}: {
  maxUsd: number;
  gradient: GradientPreset;
  scale?: HeatmapScale;
}) {
  const stops = Array.from({ length: 9 }, (_, i) => `${gradientCss(i / 8, 1, gradient)} ${(i / 8) * 100}%`).join(', ');
  const top = describeTop(maxUsd, scale);
  const topText = top.auto ? `${formatUsd(top.usd)} strongest level` : `${formatUsd(top.usd)}+ top colour`;
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
            ? 'The most USD at one price level in one time column of this view'
            : `Cells of ${formatUsd(top.usd)} or more get the top colour (${Math.round(scale.top * 100)} % of this view’s strongest level, ${formatUsd(maxUsd)})`
        }
      >
        {topText}
      </span>
    </div>
  );
}

/**
 * The heatmap as a uPlot plugin: painted in drawClear (behind the axes' grid and the price line)
 * from a plan made once per data change (lib/ui/heatmap-plan.ts): one path and one fill per colour
 * bucket. Realized liquidations are circles (red longs, green shorts), swept levels short amber
 * dashes, painted in draw (over the price line). The crosshair's tooltip and the keyboard's cell
 * moves are here too: everything that reads the wire heatmap at a cursor.
 */
import type uPlot from 'uplot';
import type { MarketViewReply } from '@/lib/contract/view';
import { formatCount, formatList, t } from '@/lib/i18n';
import { cellName, formatPrice, formatTime, formatUsd } from '@/lib/ui/format';
import { gradientCss, gradientRgb, type GradientPreset } from '@/lib/ui/gradients';
import { BUCKETS, type HeatmapPlan, type RealizedIndex } from '@/lib/ui/heatmap-plan';

/** What the plugin paints from: the latest props, read at each draw (uPlot's hooks are bound once). */
export interface HeatmapPaintState {
  view: MarketViewReply;
  plan: HeatmapPlan;
  realized: RealizedIndex;
  gradient: GradientPreset;
  /** Receives the canvas after each paint (PNG export), and the paint's time. */
  onDrawn?(canvas: HTMLCanvasElement, ms: number): void;
}

export interface Tip {
  left: number;
  top: number;
  lines: string[];
}

type Wire = MarketViewReply['heatmap'];

export function heatmapPlugin(state: () => HeatmapPaintState): uPlot.Plugin {
  return { hooks: { drawClear: [(u) => paintHeatmap(u, state())], draw: [(u) => paintMarks(u, state().view.heatmap)] } };
}

/** The price at a (fractional) row edge: rows are log-spaced from low to high. */
function rowPrice(w: Wire, row: number): number {
  return Math.exp(Math.log(w.low) + (row / w.rows) * Math.log(w.high / w.low));
}

function clipToPlot(u: uPlot): void {
  u.ctx.save();
  u.ctx.beginPath();
  u.ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  u.ctx.clip();
}

function paintHeatmap(u: uPlot, state: HeatmapPaintState): void {
  const started = performance.now();
  const { view, plan, gradient } = state;
  const w = view.heatmap;
  const ms = (w.to - w.from) / w.columns;
  const ctx = u.ctx;
  // Every column and row edge once, then array lookups for each rectangle.
  const xs = new Float64Array(w.columns + 1);
  for (let c = 0; c <= w.columns; c++) xs[c] = u.valToPos((w.from + c * ms) / 1000, 'x', true);
  const ys = new Float64Array(w.rows + 1);
  for (let r = 0; r <= w.rows; r++) ys[r] = u.valToPos(rowPrice(w, r), 'y', true);
  clipToPlot(u);
  ctx.fillStyle = plotBase(gradient);
  ctx.fillRect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  for (let b = 0; b < BUCKETS; b++) {
    const runs = plan.runs[b];
    if (!runs.length) continue;
    const path = new Path2D();
    for (let i = 0; i < runs.length; i += 3) {
      const top = ys[runs[i] + 1];
      const x0 = xs[runs[i + 1]];
      path.rect(x0, top, xs[runs[i + 2]] - x0 + 0.5, ys[runs[i]] - top);
    }
    ctx.fillStyle = gradientCss((b + 0.5) / BUCKETS, 0.35 + 0.65 * ((b + 1) / BUCKETS), gradient);
    ctx.fill(path);
  }
  ctx.restore();
  state.onDrawn?.(ctx.canvas, performance.now() - started);
}

function paintMarks(u: uPlot, w: Wire): void {
  const ms = (w.to - w.from) / w.columns;
  const ctx = u.ctx;
  const dpr = devicePixelRatio || 1;
  clipToPlot(u);
  const right = u.bbox.left + u.bbox.width;
  for (const [col, row, long, short] of w.realized) {
    const r = Math.max(1.5, Math.min(7, 1 + 1.5 * Math.log10(Math.max(1, (long + short) / 1000)))) * dpr;
    // The newest minute sits at the plot's right edge: its dot is drawn whole, just inside it (cut in
    // half there, the liquidations a trader most wants to see looked like specks).
    const cx = Math.min(u.valToPos((w.from + (col + 0.5) * ms) / 1000, 'x', true), right - r);
    const cy = u.valToPos(rowPrice(w, row + 0.5), 'y', true);
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

/**
 * Where a key moves the keyboard crosshair: a cell, 'hide' (Escape), or null (not ours). Arrows move
 * one cell (Shift: ten), Home/End jump to the first/last column, Enter or Space show it where it
 * stands (at first: the last price).
 */
export function keyboardCell(
  key: string,
  shift: boolean,
  current: { col: number; row: number } | null,
  w: Wire,
): { col: number; row: number } | 'hide' | null {
  if (key === 'Escape') return 'hide';
  const step = shift ? 10 : 1;
  let { col, row } = current ?? startCell(w);
  if (key === 'ArrowLeft') col -= step;
  else if (key === 'ArrowRight') col += step;
  else if (key === 'ArrowUp') row += step;
  else if (key === 'ArrowDown') row -= step;
  else if (key === 'Home') col = 0;
  else if (key === 'End') col = w.columns - 1;
  else if (key !== 'Enter' && key !== ' ') return null;
  return { col: Math.max(0, Math.min(w.columns - 1, col)), row: Math.max(0, Math.min(w.rows - 1, row)) };
}

/** The cursor position (CSS pixels) of a cell's middle. */
export function cellCentre(u: uPlot, w: Wire, cell: { col: number; row: number }): { left: number; top: number } {
  const ms = (w.to - w.from) / w.columns;
  return { left: u.valToPos((w.from + (cell.col + 0.5) * ms) / 1000, 'x'), top: u.valToPos(rowPrice(w, cell.row + 0.5), 'y') };
}

/** Where the keyboard crosshair starts: the last column, at the last price (or mid-range). */
function startCell(w: Wire): { col: number; row: number } {
  let col = w.columns - 1;
  while (col > 0 && w.price[col] == null) col--;
  const price = w.price[col] ?? Math.sqrt(w.low * w.high);
  return { col, row: Math.floor((Math.log(price / w.low) / Math.log(w.high / w.low)) * w.rows) };
}

/** What the crosshair's cell holds: time and price, the estimate then, realized USD, and the book now at that price. */
export function heatmapTooltip(u: uPlot, state: Pick<HeatmapPaintState, 'view' | 'realized'>): Tip | null {
  const { left, top } = u.cursor;
  if (left === undefined || top === undefined || left < 0 || top < 0) return null;
  const { view: v, realized } = state;
  const w = v.heatmap;
  const time = u.posToVal(left, 'x') * 1000;
  const price = u.posToVal(top, 'y');
  const col = Math.floor(((time - w.from) / (w.to - w.from)) * w.columns);
  const row = Math.floor((Math.log(price / w.low) / Math.log(w.high / w.low)) * w.rows);
  if (col < 0 || col >= w.columns || row < 0 || row >= w.rows) return null;
  const share = decodeOne(w.estimated, col * w.rows + row);
  const lines = [`${formatTime(time)} · ${formatPrice(price, v.tickSize)}`];
  const cellWord = cellName(v.cellStep);
  lines.push(share > 0 ? t('heatmapTipEstimated', { usd: formatUsd(share * w.maxUsd), cell: cellWord }) : t('heatmapTipNoEstimate'));
  const hit = realized.get(col * w.rows + row);
  if (hit) lines.push(t('heatmapTipRealized', { longs: formatUsd(hit[0]), shorts: formatUsd(hit[1]) }));
  // The current book at this price: its long/short split and leverage mix.
  const cell = v.map?.cells.reduce<{ price: number; long: number; short: number; tiers: number[] } | null>(
    (best, c) => (!best || Math.abs(c.price - price) < Math.abs(best.price - price) ? c : best),
    null,
  );
  if (cell && Math.abs(cell.price / price - 1) < 0.002 && cell.long + cell.short > 0) {
    lines.push(t('heatmapTipNow', { cell: cellWord, longs: formatUsd(cell.long), shorts: formatUsd(cell.short) }));
    const total = cell.tiers.reduce((s, n) => s + n, 0);
    if (total > 0 && v.map)
      lines.push(
        t('zoneCardLeverage', {
          mix: formatList(
            v.map.leverages
              .map((l, i) => [l, cell.tiers[i] / total] as const)
              .filter(([, s]) => s >= 0.05)
              .map(([l, s]) => `${l}× ${formatCount(Math.round(s * 100))} %`),
            'unit',
          ),
        }),
      );
  }
  return { left, top, lines };
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

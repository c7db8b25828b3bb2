/**
 * The heatmap behind the chart, fetched from the background for the visible range plus a margin on
 * every side, so panning and zooming draw from the cached grid at frame rate; a new grid is asked
 * for when the view leaves the cached one, the cells become too coarse, or every REFRESH_MS for new
 * data. Requests are debounced and never overlap.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HeatmapRequest, WireHeatmap } from '@/lib/contract/heatmap-wire';
import type { ChartReport } from '@/lib/sites/bridge';

const REFRESH_MS = 5_000;
const DEBOUNCE_MS = 150;
/** Fetched range = visible range widened by this share of its span on each side. */
const MARGIN = 0.5;
const MINUTE = 60_000;

export type FetchHeatmap = (request: HeatmapRequest) => Promise<WireHeatmap | { error: string }>;

/** The request for a view, or null when the chart has no time axis. */
export function heatmapRequestFor(target: string, report: ChartReport, now: number, gridStep = 0.001): HeatmapRequest | null {
  if (report.timeFrom === undefined || report.timeTo === undefined) return null;
  const span = report.timeTo - report.timeFrom;
  const from = Math.floor((report.timeFrom - span * MARGIN) / MINUTE) * MINUTE;
  const to = Math.ceil(Math.min(report.timeTo + span * MARGIN, now + MINUTE) / MINUTE) * MINUTE;
  if (!(to > from)) return null;
  // At most a column per minute (the history's resolution) and about one per 2 px of the pane.
  const columns = Math.max(1, Math.min(2000, Math.round((to - from) / MINUTE), Math.round(((to - from) / span) * (report.pane.width / 2))));
  const priceSpan = report.priceTo - report.priceFrom;
  const low = Math.max(report.priceFrom - priceSpan * MARGIN, report.priceFrom / 2);
  const high = report.priceTo + priceSpan * MARGIN;
  // About a row per 3 px, but never finer than the model's price grid (finer rows would leave gaps).
  const gridRows = Math.floor(Math.log(high / low) / Math.log(1 + gridStep));
  const rows = Math.max(1, Math.min(1000, gridRows, Math.round(((high - low) / priceSpan) * (report.pane.height / 3))));
  return { target, from, to, columns, rows, low, high };
}

/** Whether a cached grid still serves the view: it covers it and its cells are not too coarse. */
export function covers(grid: HeatmapRequest, want: HeatmapRequest, report: ChartReport, now: number): boolean {
  if (grid.target !== want.target) return false;
  const visibleTo = Math.min(report.timeTo ?? 0, now);
  const inTime = grid.from <= (report.timeFrom ?? 0) && grid.to >= visibleTo;
  const inPrice = grid.low <= report.priceFrom && grid.high >= report.priceTo;
  const colMs = (grid.to - grid.from) / grid.columns;
  const wantColMs = (want.to - want.from) / want.columns;
  const rowSpan = Math.log(grid.high / grid.low) / grid.rows;
  const wantRowSpan = Math.log(want.high / want.low) / want.rows;
  return inTime && inPrice && colMs <= wantColMs * 2.5 && rowSpan <= wantRowSpan * 2.5;
}

/**
 * Whether two heatmaps draw the same overlay: the same geometry, cells and swept levels. The price
 * line, realized cells and top USD are for the popup's chart; the overlay draws none of them, and the
 * price changes with every trade, so comparing it redrew a still chart at every refresh.
 */
export function drawsTheSame(a: WireHeatmap, b: WireHeatmap): boolean {
  if (a.estimated !== b.estimated) return false; // the long string first: compared as is, not serialized
  const drawn = (w: WireHeatmap) => JSON.stringify([w.from, w.to, w.columns, w.rows, w.low, w.high, w.sweeps]);
  return drawn(a) === drawn(b);
}

export function useHeatmap(
  fetchHeatmap: FetchHeatmap,
  target: string | undefined,
  report: ChartReport | null,
  enabled: boolean,
  gridStep?: number,
): WireHeatmap | null {
  const [heatmap, setHeatmap] = useState<{ request: HeatmapRequest; wire: WireHeatmap } | null>(null);
  const state = useRef({ inFlight: false, fetchedAt: 0, timer: 0 as ReturnType<typeof setTimeout> | 0 });
  const latest = useRef({ target, report, enabled, heatmap, gridStep });
  latest.current = { target, report, enabled, heatmap, gridStep };

  const run = async () => {
    const { target: t, report: r, enabled: on, heatmap: have, gridStep: step } = latest.current;
    const s = state.current;
    if (!on || !t || !r || s.inFlight) return;
    const now = Date.now();
    const want = heatmapRequestFor(t, r, now, step);
    if (!want) return;
    if (have && covers(have.request, want, r, now) && now - s.fetchedAt < REFRESH_MS) return;
    s.inFlight = true;
    try {
      const result = await fetchHeatmap(want);
      s.fetchedAt = Date.now();
      if ('error' in result) return;
      // What draws the same again (a refresh of a still market): keep the one drawn, so the image is
      // not rebuilt and the canvas not redrawn (each redraw costs the page a frame).
      if (have && have.request.target === want.target && drawsTheSame(have.wire, result)) return;
      setHeatmap({ request: want, wire: result });
    } catch {
      // The worker may be restarting: the next change or refresh asks again.
    } finally {
      s.inFlight = false;
    }
  };

  // Debounced on every change of view or target (not on every render: a snapshot a second renders
  // the overlay, and each would arm a timer and work out a request for a view that did not move).
  useEffect(() => {
    if (!enabled) return;
    clearTimeout(state.current.timer);
    state.current.timer = setTimeout(() => void run(), DEBOUNCE_MS);
  }, [enabled, target, report, gridStep]);
  // And a steady refresh for new data while enabled.
  useEffect(() => {
    if (!enabled) return;
    const t = setInterval(() => void run(), REFRESH_MS);
    return () => clearInterval(t);
  }, [enabled]);
  useEffect(() => () => clearTimeout(state.current.timer), []);

  return enabled && heatmap && heatmap.request.target === target ? heatmap.wire : null;
}

/**
 * Bands on the page's own chart: one canvas over the chart pane (pointer-events: none), sized with
 * devicePixelRatio and redrawn on the next animation frame only when what it shows changed: the
 * range or size, the layers and colours, the heatmap, the liquidations, or a zone's band by a device
 * pixel or a 1 % step of its colour (zoneBands: a snapshot whose zones crept by a few dollars or a
 * fraction of a pixel draws nothing, and each draw costs the page a frame). Zone labels sit
 * at the price-axis edge; hovering or focusing one shows its details.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { MyPositionView, RealizedLiquidation, Zone } from '@/lib/contract/market';
import type { WireHeatmap } from '@/lib/contract/heatmap-wire';
import type { ChartReport, ShowPrices } from '@/lib/sites/bridge';
import { priceToY, reportScale, type PriceScale } from '@/lib/sites/ladder';
import { heatmapImage, paintChart, zoneBands, type Layers, type Mark, type ZoneBand } from './chart-paint';
import { ZoneLabels } from './ZoneLabels';
import type { GradientPreset } from '@/lib/ui/gradients';

export interface ChartBandsProps {
  report: ChartReport;
  zones: Zone[];
  liquidations: RealizedLiquidation[];
  heatmap: WireHeatmap | null;
  layers: Layers;
  opacity: number;
  threshold: number;
  gradient?: GradientPreset;
  /** Real positions at their liquidation prices (Hyperliquid), for the positions layer. */
  positions?: readonly { price: number; long: number; short: number }[];
  /** Where the page's chart can be scrolled: a zone arrow's click shows its zone. */
  showPrices?(range: ShowPrices): void;
  /** The trader's own positions of this coin: a line at each liquidation price. */
  my?: readonly MyPositionView[];
}

/** The last draw times (ms), kept for the overlay report (tests/e2e) and anyone profiling. */
const drawTimes: number[] = [];

/** Objects get a number each, so a key can say "the same heatmap" without serializing it. */
const identities = new WeakMap<object, number>();
let nextIdentity = 1;
const identity = (o: object | null | undefined) => {
  if (!o) return 0;
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
};
/** Two significant digits: finer than any colour step the bands can show. */
const coarse = (usd: number) => (usd > 0 ? Number(usd.toPrecision(2)) : 0);

/**
 * On a still chart, a change of the estimated layers alone (the heatmap's cells, the zones, the
 * positions) is drawn at most this often: each draw costs the page a frame, and the 5 s heatmap
 * refresh and the 1 s zone updates would otherwise each take one. Moves of the chart, settings and
 * realized liquidations still draw in the next frame, and so does the first heatmap.
 */
const ESTIMATED_REDRAW_MS = 5_000;

/** What the canvas shows, as strings: equal keys draw equal pixels. `estimated` is what may wait. */
function drawKeys(props: ChartBandsProps, image: unknown, bands: readonly ZoneBand[]): { immediate: string; estimated: string } {
  return {
    immediate: JSON.stringify([
      props.report,
      props.layers,
      props.opacity,
      props.threshold,
      props.gradient,
      props.liquidations.map((l) => l.id),
      typeof devicePixelRatio === 'number' ? devicePixelRatio : 1,
      (props.my ?? []).map((m) => [m.liquidationPrice, m.distancePct?.toFixed(2)]),
    ]),
    estimated: JSON.stringify([
      identity(props.heatmap),
      identity(image as object),
      bands.map((b) => [b.top, b.height, b.share]),
      (props.positions ?? []).map((p) => [p.price, coarse(p.long), coarse(p.short)]),
    ]),
  };
}

export function ChartBands(props: ChartBandsProps) {
  const { report, zones, liquidations, heatmap, layers, opacity, threshold } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const { pane } = report;
  const scale: PriceScale = reportScale(report);
  const time = report.timeFrom !== undefined && report.timeTo !== undefined ? { from: report.timeFrom, to: report.timeTo } : undefined;
  // The heatmap image is built once per heatmap and threshold, not per frame.
  const image = useMemo(() => (heatmap ? heatmapImage(heatmap, threshold, props.gradient) : null), [heatmap, threshold, props.gradient]);
  const dpr = typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const bands = layers.estimated ? zoneBands(zones, scale, threshold, dpr) : [];
  const marksRef = useRef<Mark[]>([]);
  const drawn = useRef({ immediate: '', estimated: '', withHeatmap: false, at: 0 });

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const keys = drawKeys(props, image, bands);
    const last = drawn.current;
    if (keys.immediate === last.immediate && keys.estimated === last.estimated) return;
    // Only the estimated layers changed, over a heatmap already drawn: at most one draw per interval.
    const wait =
      keys.immediate === last.immediate && last.withHeatmap && !!heatmap
        ? Math.max(0, last.at + ESTIMATED_REDRAW_MS - performance.now())
        : 0;
    const draw = () => {
      drawn.current = { ...keys, withHeatmap: !!heatmap && layers.heatmap, at: performance.now() };
      const started = performance.now();
      const dpr = window.devicePixelRatio || 1;
      const w = Math.round(pane.width * dpr);
      const h = Math.round(pane.height * dpr);
      if (el.width !== w) el.width = w;
      if (el.height !== h) el.height = h;
      const ctx = el.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const marks = paintChart(ctx, {
        scale,
        width: pane.width,
        time,
        heatmap: heatmap && image ? { wire: heatmap, image } : null,
        zones,
        bands,
        liquidations,
        layers,
        opacity,
        threshold,
        gradient: props.gradient,
        positions: props.positions,
        my: props.my,
      });
      marksRef.current = marks;
      el.dataset.marks = JSON.stringify(marks.map((m) => ({ price: m.price, y: Math.round((pane.y + m.y) * 100) / 100, side: m.side })));
      drawTimes.push(performance.now() - started);
      if (drawTimes.length > 240) drawTimes.shift();
      el.dataset.drawMs = drawTimes.map((t) => t.toFixed(3)).join(',');
      el.dataset.heatmapColumns = String(heatmap && image && layers.heatmap ? heatmap.columns : 0);
      // Where the trader's own liquidation lines are (viewport y), for tests.
      el.dataset.my = JSON.stringify(
        (props.my ?? [])
          .filter((m) => m.liquidationPrice !== undefined && m.liquidationPrice >= scale.from && m.liquidationPrice <= scale.to)
          .map((m) => ({ price: m.liquidationPrice, y: Math.round((pane.y + priceToY(scale, m.liquidationPrice!)) * 100) / 100 })),
      );
      // Where the positions layer drew (viewport y per liquidation price), for tests.
      el.dataset.positions = JSON.stringify(
        layers.positions
          ? (props.positions ?? [])
              .filter((c) => c.price >= scale.from && c.price <= scale.to)
              .map((c) => ({ price: c.price, y: Math.round((pane.y + priceToY(scale, c.price)) * 100) / 100 }))
          : [],
      );
    };
    let frame = 0;
    const timer = wait > 0 ? setTimeout(() => (frame = requestAnimationFrame(draw)), wait) : 0;
    if (!timer) frame = requestAnimationFrame(draw);
    return () => {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
    };
  });

  return (
    <>
      <canvas
        ref={canvas}
        data-testid="chart-overlay"
        style={{
          position: 'fixed',
          left: `${pane.x}px`,
          top: `${pane.y}px`,
          width: `${pane.width}px`,
          height: `${pane.height}px`,
          pointerEvents: 'none',
          // WXT's shadow host resets its own position and z-index (`all: initial`), so each of our
          // fixed layers carries its own, above the page's positioned chart canvases.
          zIndex: 2147483000,
        }}
      />
      {layers.estimated && (
        <ZoneLabels pane={pane} scale={scale} zones={zones} threshold={threshold} gradient={props.gradient} showPrices={props.showPrices} />
      )}
    </>
  );
}

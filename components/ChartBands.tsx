/**
 * Bands on the page's own chart: one canvas over the chart pane (pointer-events: none), sized with
 * devicePixelRatio, redrawn on the next animation frame only when the range, size or data changed.
 * Estimated zones are bands coloured by intensity (blue → yellow, as the heatmap); realized
 * liquidations are ticks at the price-axis edge, red for longs, green for shorts.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { RealizedLiquidation } from '@/lib/model/engine';
import type { Zone } from '@/lib/model/zones';
import type { ChartReport } from '@/lib/sites/bridge';
import { priceToY, type PriceScale } from '@/lib/sites/ladder';

export interface ChartBandsProps {
  report: ChartReport;
  zones: Zone[];
  liquidations: RealizedLiquidation[];
  opacity: number;
}

/** Blue → cyan → yellow, the heatmap's gradient, for t in [0, 1]. */
export function intensityColor(t: number, alpha: number): string {
  const stops = [
    [40, 60, 190],
    [30, 170, 170],
    [250, 220, 60],
  ];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;
}

const TICK_PX = 26;
const drawTimes: number[] = [];

export function ChartBands({ report, zones, liquidations, opacity }: ChartBandsProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { pane } = report;
  const scale: PriceScale = { from: report.priceFrom, to: report.priceTo, height: pane.height, mode: report.mode };
  const marks = liquidations
    .filter((l) => l.price >= scale.from && l.price <= scale.to)
    .map((l) => ({ price: l.price, y: Math.round((pane.y + priceToY(scale, l.price)) * 100) / 100, side: l.liquidatedSide }));

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const frame = requestAnimationFrame(() => {
      const started = performance.now();
      const dpr = window.devicePixelRatio || 1;
      el.width = Math.round(pane.width * dpr);
      el.height = Math.round(pane.height * dpr);
      const ctx = el.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, pane.width, pane.height);
      const estimated = zones.filter((z) => z.kind === 'estimated');
      const max = estimated.reduce((m, z) => Math.max(m, z.usd), 0);
      for (const z of estimated) {
        const top = priceToY(scale, Math.min(z.high, scale.to));
        const bottom = priceToY(scale, Math.max(z.low, scale.from));
        if (bottom < 0 || top > pane.height) continue;
        ctx.fillStyle = intensityColor(max > 0 ? z.usd / max : 0, 0.35 * opacity);
        ctx.fillRect(0, top, pane.width, Math.max(1, bottom - top));
      }
      for (const m of marks) {
        const y = m.y - pane.y;
        ctx.fillStyle = m.side === 'long' ? `rgba(246, 70, 93, ${opacity})` : `rgba(14, 203, 129, ${opacity})`;
        ctx.fillRect(pane.width - TICK_PX, y - 1, TICK_PX, 2);
      }
      // Draw cost, for the overlay report (tests/e2e) and anyone profiling: the last 240 draws.
      drawTimes.push(performance.now() - started);
      if (drawTimes.length > 240) drawTimes.shift();
      el.dataset.drawMs = drawTimes.map((t) => t.toFixed(3)).join(',');
    });
    return () => cancelAnimationFrame(frame);
  });

  return (
    <canvas
      ref={canvas}
      data-testid="chart-overlay"
      data-marks={JSON.stringify(marks)}
      style={{
        position: 'fixed',
        left: `${pane.x}px`,
        top: `${pane.y}px`,
        width: `${pane.width}px`,
        height: `${pane.height}px`,
        pointerEvents: 'none',
        // Above the page's own chart canvases, which are positioned too.
        zIndex: 2147483000,
      }}
    />
  );
}

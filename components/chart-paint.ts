/**
 * Painting the overlay canvas: the time × price heatmap behind, estimated zones as bands, realized
 * liquidations as markers (red: longs liquidated, green: shorts), and swept levels. Plain canvas 2D
 * calls on a context already scaled to CSS px; every price goes through the chart's own scale
 * (lib/sites/ladder.ts priceToY), every time through the chart's visible time range.
 */
import { bubbleRadius, EDGE_MAX_PX, edgeTickLength, planRealizedMarks, type RealizedMarkInput } from '@/lib/ui/realized-marks';
import type { RealizedLiquidation, Zone } from '@/lib/contract/market';
import { decodeEstimatedBytes, intensityOfByte, type WireHeatmap } from '@/lib/contract/heatmap-wire';
import { priceToY, type PriceScale } from '@/lib/sites/ladder';
import type { MyPositionView } from '@/lib/contract/market';
import { myLineLabel } from '@/lib/ui/my-positions';
import { gradientCss, gradientRgb, type GradientPreset } from '@/lib/ui/gradients';

export interface Layers {
  estimated: boolean;
  realized: boolean;
  heatmap: boolean;
  /** Real positions (Hyperliquid), drawn as a profile from the price axis: never mixed with the estimate. */
  positions?: boolean;
}

/** Real positions' colours: outside the heatmap gradient and the realized red/green on purpose. */
export const POSITIONS_LONG_RGB = '80, 190, 255';
export const POSITIONS_SHORT_RGB = '190, 130, 255';
/** The widest positions bar, as a share of the pane's width. */
const POSITIONS_MAX_SHARE = 0.22;

export const LONG_RGB = '246, 70, 93';
export const SHORT_RGB = '14, 203, 129';

/** One pixel per cell, coloured by intensity, cells below `threshold` left clear. Built once per heatmap. */
export function heatmapImage(
  wire: WireHeatmap,
  threshold: number,
  preset: GradientPreset = 'classic',
  doc: Document = document,
): HTMLCanvasElement | null {
  const canvas = doc.createElement('canvas');
  canvas.width = wire.columns;
  canvas.height = wire.rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const image = ctx.createImageData(wire.columns, wire.rows);
  heatmapPixels(decodeEstimatedBytes(wire), wire.columns, wire.rows, threshold, preset, image.data);
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/**
 * The heatmap's RGBA pixels (row 0, the lowest price, at the image's bottom line) from the cells as
 * sent. A cell is one of 256 byte values: each value is coloured once, then copied (the image is
 * rebuilt with every heatmap refresh, and per-cell gradient maths was most of a still chart's script).
 */
export function heatmapPixels(
  bytes: Uint8Array,
  columns: number,
  rows: number,
  threshold: number,
  preset: GradientPreset,
  data: Uint8ClampedArray,
): void {
  const rgba = colourTable(threshold, preset);
  for (let col = 0; col < columns; col++) {
    for (let row = 0; row < rows; row++) {
      const b = bytes[col * rows + row] * 4;
      if (rgba[b + 3] === 0) continue;
      const p = ((rows - 1 - row) * columns + col) * 4;
      data[p] = rgba[b];
      data[p + 1] = rgba[b + 1];
      data[p + 2] = rgba[b + 2];
      data[p + 3] = rgba[b + 3];
    }
  }
}

/** RGBA per cell byte (alpha 0: not drawn, below the threshold or empty), as the cells were coloured one by one. */
function colourTable(threshold: number, preset: GradientPreset): Uint8Array {
  const table = new Uint8Array(256 * 4);
  for (let b = 1; b < 256; b++) {
    const v = intensityOfByte(b);
    if (!(v > 0) || v < threshold) continue;
    const [r, g, bl] = gradientRgb(Math.sqrt(v), preset);
    table.set([r, g, bl, Math.round(255 * (0.25 + 0.75 * Math.sqrt(v)))], b * 4);
  }
  return table;
}

export interface PaintInput {
  scale: PriceScale;
  width: number;
  /** Visible time range of the pane (epoch ms), when the chart has a time axis LiqLens can map. */
  time?: { from: number; to: number };
  heatmap?: { wire: WireHeatmap; image: HTMLCanvasElement } | null;
  zones: Zone[];
  /** The zones' bands as zoneBands computed them for this canvas (its devicePixelRatio); else worked out here at 1. */
  bands?: ZoneBand[];
  liquidations: RealizedLiquidation[];
  layers: Layers;
  opacity: number;
  threshold: number;
  gradient?: GradientPreset;
  /** Real positions' USD at their liquidation prices (lib/positions), for the positions layer. */
  positions?: readonly { price: number; long: number; short: number }[];
  /** The trader's own positions: a line at each liquidation price, whatever the layers (it is theirs). */
  my?: readonly MyPositionView[];
}

/** The trader's own liquidation lines: white, dashed, unlike anything the market layers draw. */
export const MY_LINE_RGB = '255, 255, 255';

/** Realized marks drawn, with their viewport-relative y, for tests and the overlay's data-marks. */
export interface Mark {
  price: number;
  y: number;
  side: 'long' | 'short';
}

/** An estimated zone as the canvas draws it. */
export interface ZoneBand {
  /** CSS px from the pane's top, on device pixels. */
  top: number;
  height: number;
  /** Its USD as a share of the strongest zone's, in steps of 1 % (its colour). */
  share: number;
}

/**
 * The estimated zones' bands: edges on device pixels (crisp, and a zone that crept by a fraction of a
 * pixel draws the same) and colour in 1 % steps, so two snapshots whose bands are equal here paint
 * equal pixels and the overlay can skip the second (ChartBands' draw key uses this).
 */
export function zoneBands(zones: readonly Zone[], scale: PriceScale, threshold: number, dpr: number): ZoneBand[] {
  const estimated = zones.filter((z) => z.kind === 'estimated');
  const max = estimated.reduce((m, z) => Math.max(m, z.usd), 0);
  const px = (y: number) => Math.round(y * dpr) / dpr;
  const out: ZoneBand[] = [];
  for (const z of estimated) {
    const share = max > 0 ? Math.round((100 * z.usd) / max) / 100 : 0;
    if (share < threshold || share <= 0) continue;
    const yHigh = priceToY(scale, Math.min(z.high, scale.to));
    const yLow = priceToY(scale, Math.max(z.low, scale.from));
    const top = px(Math.min(yHigh, yLow));
    const bottom = px(Math.max(yHigh, yLow));
    if (bottom < 0 || top > scale.height) continue;
    out.push({ top, height: Math.max(1, bottom - top), share });
  }
  return out;
}

/** Pieces the heatmap image is drawn in (see paintChart). */
const HEATMAP_STRIPS = 16;

export function paintChart(ctx: CanvasRenderingContext2D, p: PaintInput): Mark[] {
  const { scale, width, time } = p;
  const height = scale.height;
  ctx.clearRect(0, 0, width, height);
  const xOf = time ? (t: number) => ((t - time.from) / (time.to - time.from)) * width : null;

  if (p.layers.heatmap && p.heatmap && xOf) {
    const { wire, image } = p.heatmap;
    const x0 = xOf(wire.from);
    const x1 = xOf(wire.to);
    const lnLow = Math.log(wire.low);
    const lnStep = (Math.log(wire.high) - lnLow) / wire.rows;
    ctx.save();
    ctx.globalAlpha = 0.6 * p.opacity;
    ctx.imageSmoothingEnabled = false;
    // Rows are log-spaced; the chart may be linear. Drawn in strips, each stretched between the exact
    // y of its edge prices: within a strip the two mappings differ by far less than a pixel, and a
    // few drawImage calls cost much less than one per row.
    const strips = Math.min(wire.rows, HEATMAP_STRIPS);
    for (let k = 0; k < strips; k++) {
      const r0 = Math.floor((k * wire.rows) / strips);
      const r1 = Math.floor(((k + 1) * wire.rows) / strips);
      const yHigh = priceToY(scale, Math.exp(lnLow + r1 * lnStep));
      const yLow = priceToY(scale, Math.exp(lnLow + r0 * lnStep));
      if (Math.max(yHigh, yLow) < 0 || Math.min(yHigh, yLow) > height) continue;
      if (yHigh <= yLow) ctx.drawImage(image, 0, wire.rows - r1, wire.columns, r1 - r0, x0, yHigh, x1 - x0, yLow - yHigh);
      else {
        // Inverted scale: the strip's high price is at its bottom, so the image is drawn mirrored.
        ctx.save();
        ctx.translate(0, yHigh + yLow);
        ctx.scale(1, -1);
        ctx.drawImage(image, 0, wire.rows - r1, wire.columns, r1 - r0, x0, yLow, x1 - x0, yHigh - yLow);
        ctx.restore();
      }
    }
    ctx.restore();
    for (const [t, price, long, usd] of wire.sweeps) {
      const x = xOf(t);
      const y = priceToY(scale, price);
      if (x < 0 || x > width || y < 0 || y > height) continue;
      ctx.fillStyle = `rgba(255, 170, 40, ${0.9 * p.opacity})`;
      const w = Math.max(3, Math.min(10, 2 * Math.log10(Math.max(10, usd / 1000))));
      ctx.fillRect(x - w / 2, y - (long ? 0 : 1), w, 1.5);
    }
  }

  if (p.layers.estimated) {
    for (const { top, height: h, share } of p.bands ?? zoneBands(p.zones, scale, p.threshold, 1)) {
      // With the heatmap behind, a lighter fill: the band's edges carry it.
      ctx.fillStyle = gradientCss(share, (p.layers.heatmap && p.heatmap ? 0.14 : 0.32) * p.opacity, p.gradient);
      ctx.fillRect(0, top, width, h);
      ctx.fillStyle = gradientCss(share, 0.8 * p.opacity, p.gradient);
      ctx.fillRect(0, top, width, 1);
      if (h > 2) ctx.fillRect(0, top + h - 1, width, 1);
    }
  }

  if (p.layers.positions && p.positions?.length) {
    // A profile from the price axis inward: bar length ∝ USD, hollow, in its own colours.
    const max = p.positions.reduce((m, c) => Math.max(m, c.long + c.short), 0);
    ctx.save();
    ctx.lineWidth = 1;
    for (const c of p.positions) {
      if (c.price < scale.from || c.price > scale.to || max <= 0) continue;
      const y = priceToY(scale, c.price);
      let right = width - EDGE_MAX_PX - 2; // left of the realized edge ticks
      for (const [usd, rgb] of [
        [c.long, POSITIONS_LONG_RGB],
        [c.short, POSITIONS_SHORT_RGB],
      ] as const) {
        if (usd <= 0) continue;
        const len = Math.max(2, (usd / max) * width * POSITIONS_MAX_SHARE);
        ctx.fillStyle = `rgba(${rgb}, ${0.35 * p.opacity})`;
        ctx.fillRect(right - len, y - 1.5, len, 3);
        ctx.strokeStyle = `rgba(${rgb}, ${0.95 * p.opacity})`;
        ctx.strokeRect(right - len + 0.5, y - 1.5, len - 1, 3);
        right -= len;
      }
    }
    ctx.restore();
  }

  // My positions last but for the realized marks: a line across the pane at each liquidation price,
  // labelled at the left (the price axis side carries the zone labels) with side, price and distance.
  for (const m of p.my ?? []) {
    if (m.liquidationPrice === undefined || m.liquidationPrice < scale.from || m.liquidationPrice > scale.to) continue;
    const y = Math.round(priceToY(scale, m.liquidationPrice)) + 0.5;
    ctx.save();
    ctx.strokeStyle = `rgba(${MY_LINE_RGB}, 0.9)`;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
    ctx.stroke();
    const label = myLineLabel(m);
    ctx.font = '600 11px system-ui, sans-serif';
    const w = ctx.measureText(label).width + 10;
    ctx.fillStyle = 'rgba(17, 20, 28, 0.85)';
    ctx.fillRect(6, y - 17, w, 15);
    ctx.fillStyle = `rgb(${MY_LINE_RGB})`;
    ctx.fillText(label, 11, y - 6);
    ctx.restore();
  }

  const marks: Mark[] = [];
  if (p.layers.realized) {
    // Aggregated where they would overprint (lib/ui/realized-marks.ts): one capped bubble per side per
    // cell of time × price, where they happened, the newest few ringed; at the price-axis edge one thin
    // tick per side per price row.
    const inputs: RealizedMarkInput[] = [];
    for (const l of p.liquidations) {
      if (l.price < scale.from || l.price > scale.to) continue;
      const y = priceToY(scale, l.price);
      marks.push({ price: l.price, y, side: l.liquidatedSide });
      inputs.push({ y, time: l.exchangeTime, usd: l.notionalUsd, long: l.liquidatedSide === 'long' });
    }
    const { bubbles, edge } = planRealizedMarks(inputs, xOf ?? undefined, width);
    for (const b of bubbles) {
      ctx.beginPath();
      ctx.arc(b.x, b.y, bubbleRadius(b.usd), 0, Math.PI * 2);
      ctx.fillStyle = `rgba(${b.long ? LONG_RGB : SHORT_RGB}, ${0.55 * p.opacity})`;
      ctx.fill();
      ctx.lineWidth = b.newest ? 1.5 : 0.75;
      ctx.strokeStyle = `rgba(255, 255, 255, ${(b.newest ? 1 : 0.5) * p.opacity})`;
      ctx.stroke();
    }
    for (const e of edge) {
      const len = edgeTickLength(e.usd);
      ctx.fillStyle = `rgba(${e.long ? LONG_RGB : SHORT_RGB}, ${p.opacity})`;
      ctx.fillRect(width - len, e.y - 0.75, len, 1.5);
    }
  }
  return marks;
}

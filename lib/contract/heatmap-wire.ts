/**
 * The time × price heatmap as it crosses extension messaging (JSON in Chrome: typed arrays would turn
 * into objects keyed by index). Estimated USD becomes one byte per cell, relative to the strongest
 * cell with a square-root curve (fine steps where most cells are), base64-encoded: a 300 × 160 grid
 * is 64 KB of base64. Realized liquidations are few: sent sparse, in USD. Requests from UIs are
 * validated here before the engine sees them.
 */
import { base64ToBytes, bytesToBase64 } from '../base64';
import type { HeatmapGrid, HeatmapSpan, Sweep } from './market';

export interface HeatmapRequest extends HeatmapSpan {
  /** `coin:BTC` (aggregated) or an instrument key `binance:BTCUSDT`. */
  target: string;
}

export interface WireHeatmap extends HeatmapSpan {
  /** USD of the strongest estimated cell. */
  maxUsd: number;
  /** Base64 of columns × rows bytes (column-major, row 0 at `low`): 0 = empty, 255 = maxUsd. */
  estimated: string;
  /** [column, row, long USD, short USD] per cell with realized liquidations. */
  realized: [number, number, number, number][];
  /** Price at each column's end; null where there is no data. */
  price: (number | null)[];
  /** Estimated levels the price swept (the model's liquidations) in range, the biggest: [time, price, long?, USD]. */
  sweeps: [number, number, boolean, number][];
}

/** Sweeps sent per heatmap, the biggest first: enough to mark every visible cascade. */
const MAX_SWEEPS = 400;

const MAX_COLUMNS = 2_000;
const MAX_ROWS = 1_000;
const MAX_SPAN_MS = 31 * 86_400_000;

/** Why a request cannot be served, or undefined. */
export function heatmapRequestError(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null) return 'not an object';
  const q = r as Record<string, unknown>;
  if (typeof q.target !== 'string' || !/^[A-Za-z0-9:._/-]{1,64}$/.test(q.target)) return 'bad target';
  const n = (k: string) => (typeof q[k] === 'number' && Number.isFinite(q[k]) ? (q[k] as number) : NaN);
  if (!(n('to') > n('from')) || n('to') - n('from') > MAX_SPAN_MS) return 'time range must be increasing and at most 31 days';
  if (!(n('columns') >= 1 && n('columns') <= MAX_COLUMNS && Number.isInteger(n('columns')))) return `columns must be 1–${MAX_COLUMNS}`;
  if (!(n('rows') >= 1 && n('rows') <= MAX_ROWS && Number.isInteger(n('rows')))) return `rows must be 1–${MAX_ROWS}`;
  if (!(n('low') > 0 && n('high') > n('low') && n('high') < 1e12)) return 'price range must be positive and increasing';
  return undefined;
}

export function encodeHeatmap(grid: HeatmapGrid, sweeps: readonly Sweep[] = []): WireHeatmap {
  let maxUsd = 0;
  for (const v of grid.estimated) if (v > maxUsd) maxUsd = v;
  const bytes = new Uint8Array(grid.estimated.length);
  if (maxUsd > 0)
    for (let i = 0; i < bytes.length; i++)
      bytes[i] = grid.estimated[i] > 0 ? Math.max(1, Math.round(255 * Math.sqrt(grid.estimated[i] / maxUsd))) : 0;
  const realized: WireHeatmap['realized'] = [];
  for (let i = 0; i < grid.realizedLong.length; i++) {
    const long = grid.realizedLong[i];
    const short = grid.realizedShort[i];
    if (long > 0 || short > 0) realized.push([Math.floor(i / grid.rows), i % grid.rows, Math.round(long), Math.round(short)]);
  }
  return {
    from: grid.from,
    to: grid.to,
    columns: grid.columns,
    rows: grid.rows,
    low: grid.low,
    high: grid.high,
    maxUsd,
    estimated: bytesToBase64(bytes),
    realized,
    price: Array.from(grid.price, (p) => (Number.isFinite(p) ? p : null)),
    sweeps: sweeps
      .filter((w) => w.time >= grid.from && w.time < grid.to && w.price >= grid.low && w.price <= grid.high)
      .sort((a, b) => b.usd - a.usd)
      .slice(0, MAX_SWEEPS)
      .map((w) => [w.time, w.price, w.side === 'long', Math.round(w.usd)]),
  };
}

/** Estimated intensities (0–1 of maxUsd) per cell, column-major. */
export function decodeEstimated(wire: WireHeatmap): Float32Array {
  const bytes = decodeEstimatedBytes(wire);
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = intensityOfByte(bytes[i]);
  return out;
}

/** The cells as sent, one byte each (column-major): for painters that colour by a 256-entry table. */
export function decodeEstimatedBytes(wire: WireHeatmap): Uint8Array {
  return base64ToBytes(wire.estimated);
}

/** A cell's byte as an intensity, exactly as decodeEstimated stores it (a 32-bit float). */
export function intensityOfByte(byte: number): number {
  return Math.fround((byte / 255) ** 2);
}

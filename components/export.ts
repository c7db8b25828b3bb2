/** Exports from the popup: the heatmap as PNG, zones and heatmap history as CSV. Files stay local. */
import { decodeEstimated } from '@/lib/contract/heatmap-wire';
import type { MarketViewReply } from '@/lib/contract/view';

/** Quote a CSV field when it needs it (RFC 4180). */
function field(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const rowsToCsv = (rows: (string | number)[][]) => rows.map((r) => r.map(field).join(',')).join('\n') + '\n';

export function zonesCsv(view: MarketViewReply): string {
  return rowsToCsv([
    ['kind', 'low', 'high', 'price', 'usd', 'long_usd', 'short_usd', 'distance_pct', 'venues'],
    ...view.zones.map((z) => [
      z.kind,
      z.low,
      z.high,
      z.price,
      Math.round(z.usd),
      Math.round(z.longUsd),
      Math.round(z.shortUsd),
      z.distancePct.toFixed(3),
      z.venues.join(' '),
    ]),
  ]);
}

/** Every non-empty heatmap cell: time span, price span, estimated USD (≈, one byte of precision), realized USD. */
export function heatmapCsv(view: MarketViewReply): string {
  const w = view.heatmap;
  const t = decodeEstimated(w);
  const colMs = (w.to - w.from) / w.columns;
  const lnLow = Math.log(w.low);
  const lnStep = Math.log(w.high / w.low) / w.rows;
  const realized = new Map(w.realized.map(([c, r, l, s]) => [c * w.rows + r, [l, s]]));
  const rows: (string | number)[][] = [
    ['time_from', 'time_to', 'price_low', 'price_high', 'estimated_usd', 'realized_long_usd', 'realized_short_usd'],
  ];
  for (let col = 0; col < w.columns; col++) {
    for (let row = 0; row < w.rows; row++) {
      const i = col * w.rows + row;
      const r = realized.get(i);
      if (!(t[i] > 0) && !r) continue;
      rows.push([
        new Date(w.from + col * colMs).toISOString(),
        new Date(w.from + (col + 1) * colMs).toISOString(),
        Math.exp(lnLow + row * lnStep).toFixed(2),
        Math.exp(lnLow + (row + 1) * lnStep).toFixed(2),
        Math.round(t[i] * w.maxUsd),
        r?.[0] ?? 0,
        r?.[1] ?? 0,
      ]);
    }
  }
  return rowsToCsv(rows);
}

/** Offer a file for download (an anchor click: no downloads permission needed). */
export function download(name: string, data: Blob | string): void {
  const url = typeof data === 'string' ? data : URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  if (typeof data !== 'string') setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

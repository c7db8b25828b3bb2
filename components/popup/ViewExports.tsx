/** The quick view's exports (PNG, zones CSV, heatmap CSV) and the band zones and imbalance are taken within. */
import type { MarketViewReply, ViewRange } from '@/lib/contract/view';
import { t } from '@/lib/i18n';
import { download, heatmapCsv, zonesCsv } from '../export';

const WITHIN = [2, 5, 10, 20];

export interface ViewExportsProps {
  view: MarketViewReply | null;
  coin: string;
  range: ViewRange;
  canvas: HTMLCanvasElement | null;
  withinPct: number;
  onWithin(pct: number): void;
}

export function ViewExports({ view, coin, range, canvas, withinPct, onWithin }: ViewExportsProps) {
  const csv = (name: string, text: string) => download(name, new Blob([text], { type: 'text/csv' }));
  return (
    <div class="exports">
      <button
        type="button"
        disabled={!canvas}
        onClick={() => canvas && download(`liqlens-${coin}-${range}.png`, canvas.toDataURL('image/png'))}
      >
        {t('exportPng')}
      </button>
      <button type="button" disabled={!view} onClick={() => view && csv(`liqlens-${coin}-zones.csv`, zonesCsv(view))}>
        {t('exportZonesCsv')}
      </button>
      <button type="button" disabled={!view} onClick={() => view && csv(`liqlens-${coin}-${range}-heatmap.csv`, heatmapCsv(view))}>
        {t('exportHeatmapCsv')}
      </button>
      <label>
        {t('zonesWithin')}{' '}
        <select value={withinPct} onChange={(e) => onWithin(Number((e.target as HTMLSelectElement).value))}>
          {WITHIN.map((w) => (
            <option key={w} value={w}>
              ±{w} %
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

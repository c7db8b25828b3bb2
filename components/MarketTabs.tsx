/**
 * The quick view's tabs below the heatmap: zones within ± X %, the liquidation map (bars per leverage
 * tier, cumulative long and short curves, max-pain prices) and the long − short imbalance. Plain SVG
 * and tables: a few hundred elements at most, every number also readable as text.
 */
import { cellName, formatPct, formatPrice, formatRange, formatTicks, formatUsd, formatUsdTick, usdAxisTicks } from '@/lib/ui/format';
import { niceTicks } from '@/lib/sites/ladder';
import { imbalanceVerdict } from '@/lib/ui/imbalance';
import type { LiquidationMap, Zone } from '@/lib/contract/market';
import type { MarketViewReply } from '@/lib/contract/view';
import { formatCount, t } from '@/lib/i18n';

/**
 * Leverage tiers: blue, cyan, violet, gold, orange, each its own hue, away from the red and green of
 * the long and short curves (the old 100× pink read as the longs' red; 25× and 50× were two purples).
 */
const TIER_COLORS = ['#4f7fe0', '#38b6d8', '#9b6bf0', '#e6b422', '#e07b39', '#8b93a7', '#c7cbd6', '#5fd0b8'];

const ZONE_KIND_TAG = {
  estimated: 'kindEstimated',
  realized: 'tabRealized',
  positions: 'tabPositions',
} as const satisfies Record<Zone['kind'], string>;
const ZONE_KIND_TITLE = {
  estimated: 'zoneKindEstimatedTitle',
  realized: 'zoneKindRealizedTitle',
  positions: 'zoneKindPositionsTitle',
} as const satisfies Record<Zone['kind'], string>;

const KIND_ORDER: Record<Zone['kind'], number> = { estimated: 0, positions: 1, realized: 2 };

export function ZonesTable({ zones, price, tickSize }: { zones: Zone[]; price: number | null; tickSize?: number }) {
  if (!zones.length) return <p class="muted">{t(price === null ? 'noZonesNoPrice' : 'noZones')}</p>;
  // The estimate first (what lies ahead), then real positions, then what already happened; each by
  // distance. (Sorted by distance alone, a realized cluster at the price topped the list and read as
  // the strongest estimated band.)
  const sorted = [...zones].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || Math.abs(a.distancePct) - Math.abs(b.distancePct));
  return (
    <table data-testid="zones-table">
      <thead>
        <tr>
          <th>{t('colZone')}</th>
          <th class="num" title={t('colUsdNowTitle')}>
            {t('colUsdNow')}
          </th>
          <th>{t('colLongsShorts')}</th>
          <th class="num">{t('colDistance')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((z) => (
          <tr key={`${z.kind}-${z.low}`}>
            <td>
              <span class={`tag ${z.kind}`} title={t(ZONE_KIND_TITLE[z.kind])}>
                {t(ZONE_KIND_TAG[z.kind])}
              </span>{' '}
              <span class="nowrap">{formatRange(z.low, z.high, tickSize)}</span>
            </td>
            <td class="num">{formatUsd(z.usd)}</td>
            <td>
              <span class="split" title={t('zoneCardSides', { longs: formatUsd(z.longUsd), shorts: formatUsd(z.shortUsd) })}>
                <span class="long" style={{ width: `${z.usd > 0 ? (z.longUsd / z.usd) * 100 : 0}%` }} />
              </span>
            </td>
            <td class={`num ${z.distancePct < 0 ? 'long' : 'short'}`}>{formatPct(z.distancePct)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LiquidationMapChart({
  map,
  width,
  tickSize,
  cellStep,
}: {
  map: LiquidationMap | null;
  width: number;
  tickSize?: number;
  /** The price grid's step: each bar is one cell of it. */
  cellStep?: number;
}) {
  if (!map || !map.cells.length) return <p class="muted">{t('mapEmpty')}</p>;
  const height = 214;
  // Room for the bars' USD axis on the left, the cumulative curves' on the right, and above the plot
  // for the axis titles and the price label (on the plot, the dashed price line struck it through).
  const pad = { left: 46, right: 46, top: 24, bottom: 22 };
  const lo = map.cells[0].price;
  const hi = map.cells[map.cells.length - 1].price;
  const x = (p: number) => pad.left + ((p - lo) / Math.max(1e-9, hi - lo)) * (width - pad.left - pad.right);
  // Each axis ends on a round value: $0, $5M, $10M (not $4.27M, $8.55M).
  const barTicks = usdAxisTicks(Math.max(...map.cells.map((c) => c.long + c.short)));
  const cumTicks = usdAxisTicks(Math.max(map.cumulativeLong.at(-1)?.usd ?? 0, map.cumulativeShort.at(-1)?.usd ?? 0));
  const barMax = barTicks.at(-1) || 1;
  const cumMax = cumTicks.at(-1) || 1;
  const plotH = height - pad.top - pad.bottom;
  const barW = Math.max(1, (width - pad.left - pad.right) / map.cells.length - 1);
  const yOf = (share: number) => pad.top + plotH - share * plotH;
  const curve = (pts: { price: number; usd: number }[]) =>
    pts.map((p) => `${x(p.price).toFixed(1)},${yOf(p.usd / cumMax).toFixed(1)}`).join(' ');
  const priceTicks = niceTicks(lo, hi, Math.max(2, Math.floor((width - pad.left - pad.right) / 90)));
  const priceLabels = formatTicks(priceTicks);
  // The legend names only the tiers with USD in this range.
  const present = map.leverages.map((_, i) => map.cells.some((c) => (c.tiers[i] ?? 0) > 0));
  return (
    <figure class="liq-map" data-testid="liq-map">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={t('mapName', { from: formatPrice(lo, tickSize), to: formatPrice(hi, tickSize) })}
      >
        <text x={4} y={10} class="axis title" data-testid="map-bar-title">
          {t('mapBarTitle', { cell: cellName(cellStep) })}
        </text>
        <text x={width - 4} y={10} class="axis title" text-anchor="end">
          {t('mapCumulativeTitle')}
        </text>
        {barTicks.map((usd) => (
          <g key={usd}>
            <line x1={pad.left} x2={width - pad.right} y1={yOf(usd / barMax)} y2={yOf(usd / barMax)} class="grid" />
            <text x={pad.left - 4} y={yOf(usd / barMax) + 3} class="axis" text-anchor="end" data-testid="map-bar-axis">
              {formatUsdTick(usd)}
            </text>
          </g>
        ))}
        {cumTicks.map((usd) => (
          <text key={usd} x={width - pad.right + 4} y={yOf(usd / cumMax) + 3} class="axis" data-testid="map-cumulative-axis">
            {formatUsdTick(usd)}
          </text>
        ))}
        {map.cells.map((c) => {
          let y = pad.top + plotH;
          return c.tiers.map((usd, i) => {
            const h = (usd / barMax) * plotH;
            y -= h;
            return h > 0.2 ? (
              <rect
                key={`${c.price}-${i}`}
                x={x(c.price) - barW / 2}
                y={y}
                width={barW}
                height={h}
                fill={TIER_COLORS[i % TIER_COLORS.length]}
              />
            ) : null;
          });
        })}
        <polyline points={curve(map.cumulativeLong)} fill="none" stroke="var(--long)" stroke-width="1.5" />
        <polyline points={curve(map.cumulativeShort)} fill="none" stroke="var(--short)" stroke-width="1.5" />
        <line x1={x(map.price)} x2={x(map.price)} y1={pad.top} y2={pad.top + plotH} stroke="var(--fg)" stroke-dasharray="3 2" />
        <text x={x(map.price)} y={pad.top - 3} class="axis price" text-anchor="middle" data-testid="map-price">
          {t('mapPrice', { price: formatPrice(map.price, tickSize) })}
        </text>
        {priceTicks.map((t, i) => (
          <text key={t} x={x(t)} y={height - 6} class="axis" text-anchor="middle" data-testid="map-price-tick">
            {priceLabels[i]}
          </text>
        ))}
      </svg>
      <figcaption>
        <div class="keys" data-testid="map-legend">
          {map.leverages.map((l, i) =>
            present[i] ? (
              <span key={l} class="key">
                <i style={{ background: TIER_COLORS[i % TIER_COLORS.length] }} /> {l}×
              </span>
            ) : null,
          )}
          <span class="key">
            <i class="line long" /> {t('mapCumulativeLongs')}
          </span>
          <span class="key">
            <i class="line short" /> {t('mapCumulativeShorts')}
          </span>
        </div>
        <p class="max-pain">
          {t('maxPain', {
            longs: map.maxPain.long ? formatPrice(map.maxPain.long, tickSize) : '—',
            shorts: map.maxPain.short ? formatPrice(map.maxPain.short, tickSize) : '—',
          })}
        </p>
        <p class="muted" data-testid="max-pain-explained">
          {t('maxPainExplained', { cell: cellName(cellStep) })}
        </p>
      </figcaption>
    </figure>
  );
}

export function Imbalance({ view, withinPct }: { view: MarketViewReply; withinPct: number }) {
  const { longUsd, shortUsd, net } = view.imbalance;
  const { longPct, verdict } = imbalanceVerdict(longUsd, shortUsd);
  return (
    <div class="imbalance" data-testid="imbalance">
      <p>
        {t('imbalanceWithin', {
          pct: formatCount(withinPct),
          price: view.price ? formatPrice(view.price, view.tickSize) : t('thePrice'),
        })}{' '}
        <span class="long">{t('longsAtRisk', { usd: formatUsd(longUsd), pct: formatCount(longPct) })}</span> ·{' '}
        <span class="short">{t('shortsAtRisk', { usd: formatUsd(shortUsd), pct: formatCount(100 - longPct) })}</span>
      </p>
      <div class="split wide" role="img" aria-label={t('imbalanceLongShare', { pct: formatCount(longPct) })}>
        <span class="long" style={{ width: `${longPct}%` }} />
      </div>
      <p class="muted" data-testid="imbalance-verdict">
        {t(net >= 0 ? 'netLong' : 'netShort', { usd: formatUsd(Math.abs(net)), verdict })}
      </p>
    </div>
  );
}

/**
 * The quick view's tabs below the heatmap: zones within ± X %, the liquidation map (bars per leverage
 * tier, cumulative long and short curves, max-pain prices) and the long − short imbalance. Plain SVG
 * and tables: a few hundred elements at most, every number also readable as text.
 */
import { cellName, formatPrice, formatRange, formatTicks, formatUsd } from '@/lib/ui/format';
import { niceTicks } from '@/lib/sites/ladder';
import type { LiquidationMap, Zone } from '@/lib/contract/market';
import type { MarketViewReply } from '@/lib/contract/view';

/**
 * Leverage tiers: blues, purples and ambers, well away from the red and green of the long and short
 * curves (the old 100× pink read as the longs' red).
 */
const TIER_COLORS = ['#4f7fe0', '#38b6d8', '#8a63d2', '#b98ee8', '#e0a030', '#f2d16b', '#8b93a7', '#c7cbd6'];

const ZONE_KIND_TAG: Record<Zone['kind'], string> = { estimated: 'Estimated', realized: 'Realized', positions: 'Positions' };
const ZONE_KIND_TITLE: Record<Zone['kind'], string> = {
  estimated: 'Estimated: the model’s liquidation levels',
  realized: 'Realized: liquidations the venues reported',
  positions: 'Positions: real liquidation prices of public Hyperliquid positions (a sample)',
};

export function ZonesTable({ zones, price, tickSize }: { zones: Zone[]; price: number | null; tickSize?: number }) {
  if (!zones.length) return <p class="muted">No zones within this range yet{price === null ? ': waiting for a price' : ''}.</p>;
  const sorted = [...zones].sort((a, b) => Math.abs(a.distancePct) - Math.abs(b.distancePct));
  return (
    <table data-testid="zones-table">
      <thead>
        <tr>
          <th>Zone</th>
          <th class="num" title="Estimated: the zone's cells added up, now. Realized: liquidated there over the range.">
            USD now
          </th>
          <th>Longs / shorts</th>
          <th class="num">Distance</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((z) => (
          <tr key={`${z.kind}-${z.low}`}>
            <td>
              <span class={`tag ${z.kind}`} title={ZONE_KIND_TITLE[z.kind]}>
                {ZONE_KIND_TAG[z.kind]}
              </span>{' '}
              <span class="nowrap">{formatRange(z.low, z.high, tickSize)}</span>
            </td>
            <td class="num">{formatUsd(z.usd)}</td>
            <td>
              <span class="split" title={`Longs ${formatUsd(z.longUsd)}, shorts ${formatUsd(z.shortUsd)}`}>
                <span class="long" style={{ width: `${z.usd > 0 ? (z.longUsd / z.usd) * 100 : 0}%` }} />
              </span>
            </td>
            <td class={`num ${z.distancePct < 0 ? 'long' : 'short'}`}>
              {z.distancePct >= 0 ? '+' : ''}
              {z.distancePct.toFixed(2)} %
            </td>
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
  if (!map || !map.cells.length) return <p class="muted">No estimated levels near the price yet.</p>;
  const height = 200;
  // Room for the bars' USD axis on the left and the cumulative curves' on the right.
  const pad = { left: 46, right: 46, top: 10, bottom: 22 };
  const lo = map.cells[0].price;
  const hi = map.cells[map.cells.length - 1].price;
  const x = (p: number) => pad.left + ((p - lo) / Math.max(1e-9, hi - lo)) * (width - pad.left - pad.right);
  const barMax = Math.max(...map.cells.map((c) => c.long + c.short));
  const cumMax = Math.max(map.cumulativeLong.at(-1)?.usd ?? 0, map.cumulativeShort.at(-1)?.usd ?? 0, 1);
  const plotH = height - pad.top - pad.bottom;
  const barW = Math.max(1, (width - pad.left - pad.right) / map.cells.length - 1);
  const yOf = (share: number) => pad.top + plotH - share * plotH;
  const curve = (pts: { price: number; usd: number }[]) =>
    pts.map((p) => `${x(p.price).toFixed(1)},${yOf(p.usd / cumMax).toFixed(1)}`).join(' ');
  const priceTicks = niceTicks(lo, hi, Math.max(2, Math.floor((width - pad.left - pad.right) / 90)));
  const priceLabels = formatTicks(priceTicks);
  return (
    <figure class="liq-map" data-testid="liq-map">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`Liquidation map from ${formatPrice(lo, tickSize)} to ${formatPrice(hi, tickSize)}`}
      >
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line x1={pad.left} x2={width - pad.right} y1={yOf(share)} y2={yOf(share)} class="grid" />
            <text x={pad.left - 4} y={yOf(share) + 3} class="axis" text-anchor="end" data-testid="map-bar-axis">
              {formatUsd(barMax * share)}
            </text>
            <text x={width - pad.right + 4} y={yOf(share) + 3} class="axis">
              {formatUsd(cumMax * share)}
            </text>
          </g>
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
        <text x={x(map.price)} y={pad.top + 8} class="axis price" text-anchor="middle" data-testid="map-price">
          price {formatPrice(map.price, tickSize)}
        </text>
        {priceTicks.map((t, i) => (
          <text key={t} x={x(t)} y={height - 6} class="axis" text-anchor="middle" data-testid="map-price-tick">
            {priceLabels[i]}
          </text>
        ))}
      </svg>
      <figcaption>
        {map.leverages.map((l, i) => (
          <span key={l} class="key">
            <i style={{ background: TIER_COLORS[i % TIER_COLORS.length] }} /> {l}×
          </span>
        ))}
        <span class="key">
          <i class="line long" /> cumulative longs (right axis)
        </span>
        <span class="key">
          <i class="line short" /> cumulative shorts (right axis)
        </span>
        <div>
          Max pain: longs {map.maxPain.long ? formatPrice(map.maxPain.long, tickSize) : '—'} · shorts{' '}
          {map.maxPain.short ? formatPrice(map.maxPain.short, tickSize) : '—'}
        </div>
        <div class="muted" data-testid="max-pain-explained">
          Max pain is the price where the most estimated USD would be force-closed on each side: longs below the price, shorts above. Bars:
          estimated USD per {cellName(cellStep)} now, by leverage (left axis), on the heatmap’s scale.
        </div>
      </figcaption>
    </figure>
  );
}

export function Imbalance({ view, withinPct }: { view: MarketViewReply; withinPct: number }) {
  const { longUsd, shortUsd, net } = view.imbalance;
  const total = longUsd + shortUsd;
  return (
    <div class="imbalance" data-testid="imbalance">
      <p>
        Within ±{withinPct} % of {view.price ? formatPrice(view.price, view.tickSize) : 'the price'}:{' '}
        <span class="long">longs at risk {formatUsd(longUsd)}</span> · <span class="short">shorts at risk {formatUsd(shortUsd)}</span>
      </p>
      <div class="split wide" role="img" aria-label={`Longs ${total > 0 ? Math.round((longUsd / total) * 100) : 0} % of the estimated USD`}>
        <span class="long" style={{ width: `${total > 0 ? (longUsd / total) * 100 : 50}%` }} />
      </div>
      <p class="muted">
        Net {net >= 0 ? 'long' : 'short'} {formatUsd(Math.abs(net))}:{' '}
        {net >= 0
          ? 'more longs than shorts would be force-sold nearby (a pull down)'
          : 'more shorts than longs would be force-bought nearby (a pull up)'}
        .
      </p>
    </div>
  );
}

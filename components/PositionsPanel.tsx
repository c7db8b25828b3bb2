/**
 * Popup → Positions: real Hyperliquid positions at their liquidation prices, a sample of public
 * wallets, never mixed with the estimate. Each coin leads with its coverage line (wallets read, share
 * of open interest, age of the oldest reading), then the long/short split and the largest positions
 * whose liquidation price is near the price. Liquidations inferred from readings are labelled so.
 */
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { formatAge, formatPrice, formatUsd } from '@/lib/ui/format';
import type { PositionsView } from '@/lib/contract/positions';
import { ZonesTable } from './MarketTabs';
import { POSITIONS_LONG_RGB, POSITIONS_SHORT_RGB } from './chart-paint';

export function coverageLine(v: PositionsView, now: number): string {
  const parts = [`Hyperliquid ${v.coin}`, `${v.wallets.toLocaleString('en-US')} wallet${v.wallets === 1 ? '' : 's'}`];
  parts.push(
    v.coverage !== undefined ? `${(v.coverage * 100).toFixed(v.coverage < 0.1 ? 1 : 0)} % of open interest` : 'open interest not known yet',
  );
  if (v.oldestReadingAt !== undefined) parts.push(`read ≤ ${formatAge(now - v.oldestReadingAt)} ago`);
  return parts.join(' · ');
}

export function PositionsPanel({ positions, now }: { positions: LiqSnapshot['positions']; now: number }) {
  if (!positions)
    return (
      <p class="muted">Real positions are read from Hyperliquid only: turn Hyperliquid on (and positions, under Options → Positions).</p>
    );
  const { status } = positions;
  return (
    <div class="positions" data-testid="positions">
      <p class="muted" data-testid="positions-status">
        Positions: real, sampled. {status.read.toLocaleString('en-US')} of {status.wallets.toLocaleString('en-US')} discovered wallets read;{' '}
        {status.budget.usedLastMinute} of {status.budget.limitPerMinute} request weight used this minute
        {status.budget.pausedUntil ? ` (paused by Hyperliquid for ${formatAge(status.budget.pausedUntil - now)})` : ''}.
        {status.errors > 0 && ` ${status.errors} failed readings (last: ${status.lastError}).`}
      </p>
      {positions.coins.map((v) => (
        <section key={v.coin} class="positions-coin" aria-label={`Positions on Hyperliquid ${v.coin}`}>
          <p class="coverage" data-testid="positions-coverage">
            {coverageLine(v, now)}
          </p>
          {v.positions === 0 ? (
            <p class="muted">No position read yet for {v.coin}: wallets are found as they trade.</p>
          ) : (
            <>
              <p class="summary">
                <span class="pos-long">Longs {formatUsd(v.longUsd)}</span> · <span class="pos-short">Shorts {formatUsd(v.shortUsd)}</span> ·{' '}
                <span class="muted">no liquidation price {formatUsd(v.noLiquidationUsd)}</span>
                {v.inferred.count > 0 && (
                  <>
                    {' '}
                    ·{' '}
                    <span title="A tracked position whose liquidation price the price crossed, gone at the next reading. Hyperliquid does not publish liquidations.">
                      {v.inferred.count} inferred liquidation{v.inferred.count === 1 ? '' : 's'} ({formatUsd(v.inferred.usd)})
                    </span>
                  </>
                )}
              </p>
              <PositionsMap view={v} />
              <h3 class="sub">Zones of real positions (±20 %)</h3>
              <ZonesTable zones={v.zones} price={v.price ?? null} />
              <h3 class="sub">Largest positions near the price</h3>
              <PositionRows view={v} />
            </>
          )}
        </section>
      ))}
    </div>
  );
}

function PositionRows({ view }: { view: PositionsView }) {
  if (!view.largest.length) return <p class="muted">No tracked liquidation price within ±10 % of the price.</p>;
  return (
    <table class="liqs" aria-label={`Largest ${view.coin} positions with a liquidation price near the price`}>
      <thead>
        <tr>
          <th scope="col">Wallet</th>
          <th scope="col">Side</th>
          <th scope="col" class="num">
            Size
          </th>
          <th scope="col" class="num">
            Leverage
          </th>
          <th scope="col" class="num">
            Liq. price
          </th>
          <th scope="col" class="num">
            Distance
          </th>
        </tr>
      </thead>
      <tbody>
        {view.largest.map((p) => (
          <tr key={`${p.wallet}${p.side}${p.liquidationPx}`} data-testid="position-row" data-liquidation={p.liquidationPx}>
            <td>
              <code>{p.wallet}</code>
            </td>
            <td class={`pos-${p.side}`}>{p.side === 'long' ? 'Long' : 'Short'}</td>
            <td class="num">{formatUsd(p.usd)}</td>
            <td class="num">
              {p.leverage}× {p.margin}
            </td>
            <td class="num">{formatPrice(p.liquidationPx)}</td>
            <td class="num">
              {p.distance >= 0 ? '+' : '−'}
              {Math.abs(p.distance * 100).toFixed(2)} %
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The positions map: USD at each real liquidation price (±20 %), longs below the price in sky blue,
 * shorts above in violet (the overlay's colours), the price marked, USD ticks on the left.
 */
function PositionsMap({ view, width = 536 }: { view: PositionsView; width?: number }) {
  const levels = view.levels;
  if (!levels.length) return <p class="muted">No real liquidation price within ±20 % of the price.</p>;
  const price = view.price;
  const height = 150;
  const pad = { left: 52, right: 8, top: 8, bottom: 22 };
  const lo = Math.min(levels[0].price, price ?? Infinity);
  const hi = Math.max(levels[levels.length - 1].price, price ?? -Infinity);
  const x = (p: number) => pad.left + ((p - lo) / Math.max(1e-9, hi - lo)) * (width - pad.left - pad.right);
  const max = Math.max(...levels.map((l) => l.long + l.short));
  const plotH = height - pad.top - pad.bottom;
  const barW = Math.max(2, Math.min(8, (width - pad.left - pad.right) / levels.length - 1));
  const ticks = [0.5, 1].map((f) => ({ y: pad.top + plotH - f * plotH, usd: f * max }));
  return (
    <figure class="liq-map" data-testid="positions-map">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`Real ${view.coin} positions by liquidation price, ${formatPrice(lo)} to ${formatPrice(hi)}`}
      >
        {ticks.map((t) => (
          <g key={t.y}>
            <line x1={pad.left} x2={width - pad.right} y1={t.y} y2={t.y} stroke="currentColor" stroke-opacity="0.12" />
            <text x={pad.left - 4} y={t.y + 4} text-anchor="end" font-size="10" fill="currentColor" opacity="0.7">
              {formatUsd(t.usd)}
            </text>
          </g>
        ))}
        {levels.map((l) => {
          const h = ((l.long + l.short) / max) * plotH;
          const rgb = l.long >= l.short ? POSITIONS_LONG_RGB : POSITIONS_SHORT_RGB;
          return (
            <rect
              key={l.price}
              x={x(l.price) - barW / 2}
              y={pad.top + plotH - h}
              width={barW}
              height={h}
              fill={`rgba(${rgb}, 0.45)`}
              stroke={`rgb(${rgb})`}
            />
          );
        })}
        {price !== undefined && (
          <g>
            <line x1={x(price)} x2={x(price)} y1={pad.top} y2={pad.top + plotH} stroke="currentColor" stroke-dasharray="3 3" />
            <text x={x(price)} y={height - 8} text-anchor="middle" font-size="10" fill="currentColor">
              {formatPrice(price)}
            </text>
          </g>
        )}
        <text x={pad.left} y={height - 8} font-size="10" fill="currentColor" opacity="0.7">
          {formatPrice(lo)}
        </text>
        <text x={width - pad.right} y={height - 8} text-anchor="end" font-size="10" fill="currentColor" opacity="0.7">
          {formatPrice(hi)}
        </text>
      </svg>
      <figcaption class="muted sentence">
        Real positions by liquidation price: <span style={{ color: `rgb(${POSITIONS_LONG_RGB})` }}>longs</span> below the price,{' '}
        <span style={{ color: `rgb(${POSITIONS_SHORT_RGB})` }}>shorts</span> above. A sample of wallets, not the whole market.
      </figcaption>
    </figure>
  );
}

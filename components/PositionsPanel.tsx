/**
 * Popup → Positions: real Hyperliquid positions at their liquidation prices, a sample of public
 * wallets, never mixed with the estimate. Each coin leads with its coverage line (wallets read, share
 * of open interest, age of the oldest reading), then the long/short split and the largest positions
 * whose liquidation price is near the price. Liquidations inferred from readings are labelled so.
 */
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { formatAge, formatPct, formatPrice, formatUsd } from '@/lib/ui/format';
import { formatCount, numberFormat, t, tn } from '@/lib/i18n';
import type { PositionsView } from '@/lib/contract/positions';
import { ZonesTable } from './MarketTabs';
import { POSITIONS_LONG_RGB, POSITIONS_SHORT_RGB } from './chart-paint';

export function coverageLine(v: PositionsView, now: number): string {
  const parts = [`Hyperliquid ${v.coin}`, tn('walletCount', v.wallets)];
  parts.push(
    v.coverage !== undefined
      ? t('coverageOfOi', { pct: numberFormat(0, v.coverage < 0.1 ? 1 : 0).format(v.coverage * 100) })
      : t('coverageUnknown'),
  );
  if (v.oldestReadingAt !== undefined) parts.push(t('readAgo', { age: formatAge(now - v.oldestReadingAt) }));
  return parts.join(' · ');
}

export function PositionsPanel({ positions, now }: { positions: LiqSnapshot['positions']; now: number }) {
  if (!positions) return <p class="muted">{t('positionsOff')}</p>;
  const { status } = positions;
  return (
    <div class="positions" data-testid="positions">
      <p class="muted" data-testid="positions-status">
        {t('positionsStatus', {
          read: formatCount(status.read),
          wallets: formatCount(status.wallets),
          used: formatCount(status.budget.usedLastMinute),
          limit: formatCount(status.budget.limitPerMinute),
        })}
        {status.budget.pausedUntil ? ` ${t('positionsPaused', { age: formatAge(status.budget.pausedUntil - now) })}` : ''}
        {status.errors > 0 && ` ${tn('positionsFailed', status.errors, { last: status.lastError ?? '' })}`}
      </p>
      {positions.coins.map((v) => (
        <section key={v.coin} class="positions-coin" aria-label={t('positionsOnCoin', { coin: v.coin })}>
          <p class="coverage" data-testid="positions-coverage">
            {coverageLine(v, now)}
          </p>
          {v.positions === 0 ? (
            <p class="muted">{t('positionsNoneYet', { coin: v.coin })}</p>
          ) : (
            <>
              <p class="summary">
                <span class="pos-long">{t('longsUsd', { usd: formatUsd(v.longUsd) })}</span> ·{' '}
                <span class="pos-short">{t('shortsUsd', { usd: formatUsd(v.shortUsd) })}</span> ·{' '}
                <span class="muted">{t('noLiqPriceUsd', { usd: formatUsd(v.noLiquidationUsd) })}</span>
                {v.inferred.count > 0 && (
                  <>
                    {' '}
                    · <span title={t('inferredTitle')}>{tn('inferredCount', v.inferred.count, { usd: formatUsd(v.inferred.usd) })}</span>
                  </>
                )}
              </p>
              <PositionsMap view={v} />
              <h3 class="sub">{t('positionsZones')}</h3>
              <ZonesTable zones={v.zones} price={v.price ?? null} />
              <h3 class="sub">{t('positionsLargest')}</h3>
              <PositionRows view={v} />
            </>
          )}
        </section>
      ))}
    </div>
  );
}

function PositionRows({ view }: { view: PositionsView }) {
  if (!view.largest.length) return <p class="muted">{t('positionsNoneNear')}</p>;
  return (
    <table class="liqs" aria-label={t('positionsLargestName', { coin: view.coin })}>
      <thead>
        <tr>
          <th scope="col">{t('colWallet')}</th>
          <th scope="col">{t('colSide')}</th>
          <th scope="col" class="num">
            {t('colSize')}
          </th>
          <th scope="col" class="num">
            {t('colLeverage')}
          </th>
          <th scope="col" class="num">
            {t('colLiqPrice')}
          </th>
          <th scope="col" class="num">
            {t('colDistance')}
          </th>
        </tr>
      </thead>
      <tbody>
        {view.largest.map((p) => (
          <tr key={`${p.wallet}${p.side}${p.liquidationPx}`} data-testid="position-row" data-liquidation={p.liquidationPx}>
            <td>
              <code>{p.wallet}</code>
            </td>
            <td class={`pos-${p.side}`}>{t(p.side === 'long' ? 'sideLong' : 'sideShort')}</td>
            <td class="num">{formatUsd(p.usd)}</td>
            <td class="num">
              {p.leverage}× {p.margin}
            </td>
            <td class="num">{formatPrice(p.liquidationPx)}</td>
            <td class="num">{formatPct(p.distance * 100)}</td>
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
  if (!levels.length) return <p class="muted">{t('positionsMapEmpty')}</p>;
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
        aria-label={t('positionsMapName', { coin: view.coin, from: formatPrice(lo), to: formatPrice(hi) })}
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
        {t('positionsMapCaption')} <span style={{ color: `rgb(${POSITIONS_LONG_RGB})` }}>{t('positionsMapLongs')}</span> ·{' '}
        <span style={{ color: `rgb(${POSITIONS_SHORT_RGB})` }}>{t('positionsMapShorts')}</span>. {t('positionsMapSample')}
      </figcaption>
    </figure>
  );
}

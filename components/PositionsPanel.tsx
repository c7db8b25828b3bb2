/**
 * Popup → Positions: real Hyperliquid positions at their liquidation prices, a sample of public
 * wallets, never mixed with the estimate. Each coin leads with its coverage line (wallets read, share
 * of open interest, age of the oldest reading), then the long/short split and the largest positions
 * whose liquidation price is near the price. Liquidations inferred from readings are labelled so.
 */
import type { LiqSnapshot } from '@/lib/model/snapshot';
import { formatAge, formatPrice, formatUsd } from '@/lib/format';
import type { PositionsView } from '@/lib/positions/tracker';

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
                <span class="long">Longs {formatUsd(v.longUsd)}</span> · <span class="short">Shorts {formatUsd(v.shortUsd)}</span> ·{' '}
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
            <td class={p.side}>{p.side === 'long' ? 'Long' : 'Short'}</td>
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

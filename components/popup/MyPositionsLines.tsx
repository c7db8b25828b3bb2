/**
 * The trader's own positions of the coin shown, over its zones: where each would be liquidated,
 * how far that is, what the crowd would liquidate first, and whether the level sits in a crowd.
 */
import type { MyPositionView } from '@/lib/contract/market';
import { venueInfo } from '@/lib/exchanges/catalog';
import { formatPct, formatPrice, formatRange, formatUsd } from '@/lib/ui/format';
import { crowdBetween } from '@/lib/ui/my-positions';

export function MyPositionsLines({ my }: { my: MyPositionView[] | undefined }) {
  if (!my?.length) return null;
  return (
    <ul class="my-positions" data-testid="my-positions" aria-label="My positions">
      {my.map((m) => (
        <li key={m.id} data-position={m.id}>
          <strong>
            My {m.side} {m.size} {m.coin}
          </strong>{' '}
          @ {formatPrice(m.entry)}
          {m.leverage ? ` (${Math.round(m.leverage * 10) / 10}×)` : ''} on {venueInfo(m.venue)?.label ?? m.venue}:{' '}
          {m.liquidationPrice === undefined ? (
            m.source === 'hyperliquid' ? (
              'no liquidation price: the account’s margin covers it at any price now'
            ) : (
              'no liquidation price (give its leverage, margin or the venue’s figure in Options)'
            )
          ) : (
            <>
              liq. <strong>{formatPrice(m.liquidationPrice)}</strong>
              <span class="muted"> ({m.liquidationFrom === 'venue' ? 'your venue’s figure' : 'formula, its tier'})</span>
              {m.distancePct !== undefined && <> · {formatPct(m.distancePct)}</>}
              {crowdBetween(m) && <> · {crowdBetween(m)}</>}
              {m.sweeping && (
                <span
                  class="tag crowded"
                  title="The price is inside this cluster now: as it liquidates, it pushes the price on towards your level"
                >
                  being swept: {formatUsd(m.sweeping.usd)} at {formatRange(m.sweeping.low, m.sweeping.high)}
                </span>
              )}
              {m.crowdedBy && (
                <span class="tag crowded" title={`Inside or just past a ${formatUsd(m.crowdedBy.usd)} cluster of estimated liquidations`}>
                  crowded: {formatUsd(m.crowdedBy.usd)} at {formatRange(m.crowdedBy.low, m.crowdedBy.high)}
                </span>
              )}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * The trader's own positions of the coin shown, over its zones: where each would be liquidated,
 * how far that is, what the crowd would liquidate first, and whether the level sits in a crowd.
 */
import type { MyPositionView } from '@/lib/contract/market';
import { venueInfo } from '@/lib/exchanges/catalog';
import { formatPct, formatPrice, formatRange, formatUsd } from '@/lib/ui/format';
import { crowdBetween } from '@/lib/ui/my-positions';
import { numberFormat, t } from '@/lib/i18n';

export function MyPositionsLines({ my }: { my: MyPositionView[] | undefined }) {
  if (!my?.length) return null;
  return (
    <ul class="my-positions" data-testid="my-positions" aria-label={t('myPositionsName')}>
      {my.map((m) => (
        <li key={m.id} data-position={m.id}>
          <strong>{t(m.side === 'long' ? 'myLongHead' : 'myShortHead', { size: numberFormat(0, 8).format(m.size), coin: m.coin })}</strong>{' '}
          {m.leverage
            ? t('myPositionAtLeverage', {
                entry: formatPrice(m.entry),
                leverage: numberFormat(0, 1).format(Math.round(m.leverage * 10) / 10),
                venue: venueInfo(m.venue)?.label ?? m.venue,
              })
            : t('myPositionAt', { entry: formatPrice(m.entry), venue: venueInfo(m.venue)?.label ?? m.venue })}{' '}
          {m.liquidationPrice === undefined ? (
            t(m.source === 'hyperliquid' ? 'myNoLiqHyperliquid' : 'myNoLiqTyped')
          ) : (
            <>
              {t('myLiq')} <strong>{formatPrice(m.liquidationPrice)}</strong>
              <span class="muted"> ({t(m.liquidationFrom === 'venue' ? 'liqFromVenue' : 'liqFromFormula')})</span>
              {m.distancePct !== undefined && <> · {formatPct(m.distancePct)}</>}
              {crowdBetween(m) && <> · {crowdBetween(m)}</>}
              {m.sweeping && (
                <span class="tag crowded" title={t('sweepingTitle')}>
                  {t('sweepingTag', { usd: formatUsd(m.sweeping.usd), range: formatRange(m.sweeping.low, m.sweeping.high) })}
                </span>
              )}
              {m.crowdedBy && (
                <span class="tag crowded" title={t('crowdedTitle', { usd: formatUsd(m.crowdedBy.usd) })}>
                  {t('crowdedTag', { usd: formatUsd(m.crowdedBy.usd), range: formatRange(m.crowdedBy.low, m.crowdedBy.high) })}
                </span>
              )}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

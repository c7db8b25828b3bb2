/** The latest realized liquidations, newest first. */
import type { RealizedLiquidation } from '@/lib/contract/market';
import { instrumentLabel, venueLabels } from '@/lib/exchanges/catalog';
import { coinOf } from '@/lib/exchanges/specs';
import { t } from '@/lib/i18n';
import { formatClock, formatPrice, formatUsd } from '@/lib/ui/format';

export function LiquidationList({ liquidations, limit = 30 }: { liquidations: RealizedLiquidation[]; limit?: number }) {
  if (liquidations.length === 0) return <p class="muted">{t('liqListNone')}</p>;
  // Rows of one coin (the popup shows a coin or one of its instruments): the venue is what tells them
  // apart, and a 360 px popup has no room for 'Binance USD-M BTCUSDT' on one line (the full name is
  // the cell's title). Rows of several coins name the instrument.
  const oneCoin = new Set(liquidations.map((l) => coinOf(l.instrument))).size === 1;
  return (
    <table class="liqs" aria-label={t('liqListName')}>
      <thead>
        <tr>
          <th scope="col">{t('colTime')}</th>
          <th scope="col">{t(oneCoin ? 'colVenue' : 'instrument')}</th>
          <th scope="col">{t('colPosition')}</th>
          <th scope="col" class="num">
            {t('colPrice')}
          </th>
          <th scope="col" class="num">
            {t('colSize')}
          </th>
        </tr>
      </thead>
      <tbody>
        {liquidations.slice(0, limit).map((l) => (
          <tr key={l.id} data-testid="liq-row" data-side={l.liquidatedSide} data-price={l.price} data-instrument={l.instrument}>
            <td>{formatClock(l.exchangeTime)}</td>
            <td title={instrumentLabel(l.instrument)}>{oneCoin ? venueLabels([l.venue]) : instrumentLabel(l.instrument)}</td>
            <td class={`nowrap ${l.liquidatedSide === 'long' ? 'long' : 'short'}`}>
              {t(l.liquidatedSide === 'long' ? 'longLiq' : 'shortLiq')}
            </td>
            <td class="num">{formatPrice(l.price)}</td>
            <td class="num">{formatUsd(l.notionalUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How the trader's own positions read, on the chart line and in the popup. */
import type { MyPositionView } from '../contract/market';
import { t } from '../i18n';
import { formatPct, formatPrice, formatUsd } from './format';

/** "My long liq. 95,441.8 · −1.61 %" (the chart line's label). */
export function myLineLabel(m: MyPositionView): string {
  const label = t(m.side === 'long' ? 'myLongLiq' : 'myShortLiq');
  const where = m.liquidationPrice === undefined ? '' : ` ${formatPrice(m.liquidationPrice)}`;
  const far = m.distancePct === undefined ? '' : ` · ${formatPct(m.distancePct)}`;
  return `${label}${where}${far}`;
}

/** The crowd between the price and my level, in one phrase; undefined before a price. */
export function crowdBetween(m: MyPositionView): string | undefined {
  if (m.estimatedUsdBetween === undefined) return undefined;
  return t(m.side === 'long' ? 'crowdLongsFirst' : 'crowdShortsFirst', { usd: formatUsd(m.estimatedUsdBetween) });
}

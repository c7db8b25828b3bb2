/**
 * The popup's Market tab: realized liquidations of every coin the venues publish market-wide, for
 * 1 / 4 / 12 / 24 h: the total, longs against shorts, the top coins (sortable; a click opens the
 * coin's heatmap above), the venues, the largest single liquidation, and which venues only publish
 * a sample, said once. Planned in lib/ui/market-wide.ts.
 */
import { useState } from 'preact/hooks';
import type { VenueHealth } from '@/lib/contract/health';
import { MARKET_WIDE_HOURS, type MarketWide, type MarketWideRow } from '@/lib/contract/market';
import { instrumentLabel, venueInfo } from '@/lib/exchanges/catalog';
import { formatPrice, formatTime, formatUsd } from '@/lib/ui/format';
import { formatCount, formatList, t, tn } from '@/lib/i18n';
import {
  longSharePct,
  MARKET_SORT_LABELS,
  partialSince,
  sampledVenues,
  sortMarketRows,
  windowOf,
  type MarketSortKey,
} from '@/lib/ui/market-wide';

export function MarketWideTab(props: {
  wide: MarketWide | undefined;
  feeds: readonly VenueHealth[];
  now: number;
  onCoin(coin: string): void;
}) {
  const [hours, setHours] = useState<number>(24);
  const [sort, setSort] = useState<MarketSortKey>('total');
  const w = windowOf(props.wide, hours);
  const since = w && partialSince(props.wide, w, props.now);
  const sampled = w ? sampledVenues(w, props.feeds) : [];
  return (
    <div class="market-wide" data-testid="market-wide">
      <div class="ranges" role="group" aria-label={t('marketWindow')}>
        {MARKET_WIDE_HOURS.map((h) => (
          <button type="button" key={h} aria-pressed={h === hours} onClick={() => setHours(h)}>
            {t('hoursShort', { hours: formatCount(h) })}
          </button>
        ))}
      </div>
      {!w || !w.liquidations ? (
        <p class="muted" data-testid="market-empty">
          {t(props.wide?.since !== undefined ? 'marketEmpty' : 'marketEmptyYet', { hours: formatCount(hours) })}
        </p>
      ) : (
        <>
          <p class="summary" data-testid="market-total">
            <strong>{formatUsd(w.longUsd + w.shortUsd)}</strong>{' '}
            {since !== undefined
              ? t('marketLiquidatedSince', { time: formatTime(since) })
              : t('marketLiquidatedIn', { hours: formatCount(hours) })}{' '}
            <span class="long">{t('marketLongs', { usd: formatUsd(w.longUsd), pct: formatCount(longSharePct(w) ?? 0) })}</span> ·{' '}
            <span class="short">{t('marketShorts', { usd: formatUsd(w.shortUsd) })}</span> ·{' '}
            {tn('marketCount', w.liquidations, { coins: tn('coinCount', w.coinCount) })}
          </p>
          {w.largest && (
            <p class="summary" data-testid="market-largest">
              {t(w.largest.side === 'long' ? 'marketLargestLong' : 'marketLargestShort', {
                usd: formatUsd(w.largest.usd),
                instrument: instrumentLabel(w.largest.instrument),
                price: formatPrice(w.largest.price),
                time: formatTime(w.largest.time),
              })}
            </p>
          )}
          <table class="market-table" data-testid="market-coins">
            <caption class="sr-only">{t('marketByCoin', { count: formatCount(w.coins.length) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colCoin')}</th>
                {(Object.keys(MARKET_SORT_LABELS) as MarketSortKey[]).map((key) => (
                  <th scope="col" key={key} class="num" aria-sort={sort === key ? 'descending' : 'none'}>
                    <button type="button" class="link" onClick={() => setSort(key)}>
                      {t(MARKET_SORT_LABELS[key])}
                      {sort === key ? ' ▾' : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sortMarketRows(w.coins, sort).map((c) => (
                <tr key={c.coin} data-coin={c.coin}>
                  <td>
                    <button type="button" class="link" title={t('showCoinHeatmap', { coin: c.coin })} onClick={() => props.onCoin(c.coin)}>
                      {c.coin}
                    </button>
                  </td>
                  <Figures row={c} />
                </tr>
              ))}
            </tbody>
          </table>
          <table class="market-table" data-testid="market-venues">
            <caption class="sr-only">{t('marketByVenue')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colVenue')}</th>
                {(Object.keys(MARKET_SORT_LABELS) as MarketSortKey[]).map((key) => (
                  <th scope="col" key={key} class="num">
                    {t(MARKET_SORT_LABELS[key])}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {w.venues.map((v) => (
                <tr key={v.venue}>
                  <td>{venueInfo(v.venue)?.label ?? v.venue}</td>
                  <Figures row={v} />
                </tr>
              ))}
            </tbody>
          </table>
          {sampled.length > 0 && (
            <p class="footnote" data-testid="market-sampled">
              {tn('marketSampled', sampled.length, { venues: formatList(sampled.map((f) => f.label)) })}
            </p>
          )}
        </>
      )}
    </div>
  );
}

/** A coin's or a venue's four figures, in the columns' order (MARKET_SORT_LABELS). */
function Figures({ row }: { row: MarketWideRow }) {
  return (
    <>
      <td class="num">{formatUsd(row.longUsd + row.shortUsd)}</td>
      <td class="num long">{formatUsd(row.longUsd)}</td>
      <td class="num short">{formatUsd(row.shortUsd)}</td>
      <td class="num">{formatCount(row.liquidations)}</td>
    </>
  );
}

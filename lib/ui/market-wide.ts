/**
 * The popup's Market view, planned in Node: which window, rows sorted by the column a trader
 * clicked, the one-line summary (also the header's), and which venues only publish a sample.
 */
import type { MarketWide, MarketWideRow, MarketWideWindow } from '../contract/market';
import type { VenueHealth } from '../contract/health';
import { formatCount, t } from '../i18n';
import { formatUsd } from './format';

export type MarketSortKey = 'total' | 'longUsd' | 'shortUsd' | 'liquidations';

/** Each sortable column's name (catalogue keys). */
export const MARKET_SORT_LABELS = {
  total: 'colTotal',
  longUsd: 'colLongs',
  shortUsd: 'colShorts',
  liquidations: 'colCount',
} as const satisfies Record<MarketSortKey, string>;

const valueOf = (row: MarketWideRow, key: MarketSortKey) => (key === 'total' ? row.longUsd + row.shortUsd : row[key]);

/** Largest first by `key` (ties by total, then by name, so the order never flickers). */
export function sortMarketRows<T extends MarketWideRow & ({ coin: string } | { venue: string })>(
  rows: readonly T[],
  key: MarketSortKey,
): T[] {
  const name = (r: T) => ('coin' in r ? r.coin : r.venue);
  return [...rows].sort(
    (a, b) => valueOf(b, key) - valueOf(a, key) || valueOf(b, 'total') - valueOf(a, 'total') || name(a).localeCompare(name(b)),
  );
}

export function windowOf(wide: MarketWide | undefined, hours: number): MarketWideWindow | undefined {
  return wide?.windows.find((w) => w.hours === hours);
}

/** Longs' share of the USD liquidated, 0–100 (undefined for none). */
export function longSharePct(w: Pick<MarketWideRow, 'longUsd' | 'shortUsd'>): number | undefined {
  const total = w.longUsd + w.shortUsd;
  return total > 0 ? Math.round((w.longUsd / total) * 100) : undefined;
}

/** "$182.4M liquidated · 71 % longs" (the header's line), or undefined before any. */
export function marketLine(w: MarketWideWindow | undefined): string | undefined {
  if (!w || !w.liquidations) return undefined;
  const share = longSharePct(w)!;
  const side = share >= 50 ? t('sharePctLongs', { pct: formatCount(share) }) : t('sharePctShorts', { pct: formatCount(100 - share) });
  return t('marketLineSummary', { usd: formatUsd(w.longUsd + w.shortUsd), side });
}

/**
 * A window that reaches back before the tape's first bucket holds less than its name says (the
 * worker has listened for less): the start it really covers, else undefined.
 */
export function partialSince(wide: MarketWide | undefined, w: MarketWideWindow, now: number): number | undefined {
  const since = wide?.since;
  return since !== undefined && since > now - w.hours * 3_600_000 ? since : undefined;
}

/** Venues with liquidations in the window that publish only a sample of them (their figures are a lower bound). */
export function sampledVenues(w: MarketWideWindow, feeds: readonly VenueHealth[]): VenueHealth[] {
  const present = new Set(w.venues.map((v) => v.venue));
  return feeds.filter((f) => present.has(f.venue) && f.liquidationCompleteness.kind === 'sampled');
}

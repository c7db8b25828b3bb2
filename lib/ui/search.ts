/**
 * The symbol search of the popup: a coin finds every venue's instrument of that coin, however the
 * venue spells it (BTC → XBTUSD, BTC-PERPETUAL, BTC-USDT-SWAP), and a fragment of a venue symbol
 * finds that symbol. Coins first (all venues added up), then the coin's instruments, then other
 * symbol matches; at most `limit`.
 */
import { t } from '../i18n';

export interface SearchableInstrument {
  venue: string;
  symbol: string;
  coin: string;
  followed: boolean;
}

export interface SearchMatch {
  /** A coin (`BTC`) or an instrument key (`bitmex:XBTUSD`). */
  value: string;
  label: string;
  followed: boolean;
}

export function searchInstruments(instruments: readonly SearchableInstrument[], query: string, limit = 30): SearchMatch[] {
  const q = query.trim().toUpperCase();
  if (!q) return [];
  const coins = [...new Set(instruments.map((i) => i.coin))].filter((c) => c.includes(q));
  // The exact coin first, then coins that start with the query, then the rest.
  const rank = (c: string) => (c === q ? 0 : c.startsWith(q) ? 1 : 2);
  coins.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const ofCoin = instruments.filter((i) => coins.includes(i.coin));
  ofCoin.sort((a, b) => rank(a.coin) - rank(b.coin) || Number(b.followed) - Number(a.followed) || a.venue.localeCompare(b.venue));
  const bySymbol = instruments.filter((i) => !coins.includes(i.coin) && i.symbol.toUpperCase().includes(q));
  const instrument = (i: SearchableInstrument): SearchMatch => ({
    value: `${i.venue}:${i.symbol}`,
    label: i.followed ? `${i.venue}:${i.symbol}` : t('searchNotFollowed', { instrument: `${i.venue}:${i.symbol}` }),
    followed: i.followed,
  });
  return [
    ...coins.map((c) => ({ value: c, label: t('coinAllVenues', { coin: c }), followed: true })),
    ...ofCoin.map(instrument),
    ...bySymbol.map(instrument),
  ].slice(0, limit);
}

/**
 * Symbol follow: which of LiqLens's instruments a chart page shows. The page names its symbol through
 * the chart API (`BINANCE:BTCUSDT.P` on TradingView) or its URL (`/futures/BTCUSDT`); both are reduced
 * to a venue hint and a coin, then matched against the instruments the engine knows.
 */
import { normalizeBase, coinOf } from '../exchanges/specs';
import type { VenueId } from '../exchanges/types';

export interface PageSymbol {
  /** The venue the page is about, when it says (TradingView prefix or the exchange's own site). */
  venue?: VenueId;
  /** The symbol as written, without the venue prefix, e.g. `BTCUSDT.P`. */
  raw: string;
  /** The base coin, e.g. `BTC` (XBT and 1000-prefixes normalized). */
  coin: string;
}

const VENUE_PREFIX: Record<string, VenueId> = {
  BINANCE: 'binance',
  BYBIT: 'bybit',
  OKX: 'okx',
  BITMEX: 'bitmex',
  DERIBIT: 'deribit',
  HYPERLIQUID: 'hyperliquid',
  BITGET: 'bitget',
  GATEIO: 'gate',
  KRAKEN: 'kraken',
  DYDX: 'dydx',
};

const QUOTE = /(USDT|USDC|BUSD|FDUSD|USD|PERP|PERPETUAL)$/;

/** `BINANCE:BTCUSDT.P`, `BTC-USDT-SWAP`, `XBTUSD`, `BTC-PERPETUAL`, `BTC` → venue hint and coin. */
export function parseChartSymbol(symbol: string, venueHint?: VenueId): PageSymbol | undefined {
  const trimmed = symbol.trim();
  if (!trimmed || trimmed.length > 64) return undefined;
  const colon = trimmed.indexOf(':');
  const prefix = colon > 0 ? trimmed.slice(0, colon).toUpperCase() : '';
  const raw = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
  const venue = VENUE_PREFIX[prefix] ?? venueHint;
  // Kraken Futures names contracts PF_XBTUSD (perpetual), PI_…, FI_XBTUSD_260327 (dated): the coin
  // is in the middle part.
  const upper = raw
    .toUpperCase()
    .replace(/\.P$/, '')
    .replace(/^(PF|PI|FF|FI)_([A-Z0-9]+)(_\d{6})?$/, '$2');
  const head = upper.split(/[-_/]/)[0];
  const base = /[-_/]/.test(upper) ? head : head.replace(/[FGHJKMNQUVXZ]\d\d$/, '').replace(QUOTE, '');
  if (!/^[A-Z0-9]{1,20}$/.test(base)) return undefined;
  return { venue, raw, coin: normalizeBase(base) };
}

/** Venue and symbol from an exchange trading page's URL path; undefined when the URL names none. */
export function symbolFromUrl(url: string): PageSymbol | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const path = u.pathname;
  const host = u.hostname;
  const last = (re: RegExp) => re.exec(path)?.[1];
  let venue: VenueId | undefined;
  let symbol: string | undefined;
  if (host.endsWith('binance.com')) [venue, symbol] = ['binance', last(/\/futures\/([A-Za-z0-9]+)/)];
  else if (host.endsWith('bybit.com')) [venue, symbol] = ['bybit', last(/\/trade\/[a-z]+\/([A-Za-z0-9]+)/)];
  else if (host.endsWith('okx.com')) [venue, symbol] = ['okx', last(/\/trade-swap\/([a-z0-9-]+)/i)];
  else if (host.endsWith('bitmex.com')) [venue, symbol] = ['bitmex', last(/\/trade\/([A-Za-z0-9]+)/)];
  else if (host.endsWith('deribit.com')) [venue, symbol] = ['deribit', last(/\/futures\/([A-Za-z0-9-]+)/)];
  else if (host.endsWith('hyperliquid.xyz')) [venue, symbol] = ['hyperliquid', last(/\/trade\/([A-Za-z0-9]+)/)];
  else if (host.endsWith('bitget.com')) [venue, symbol] = ['bitget', last(/\/futures\/[a-z]+\/([A-Za-z0-9]+)/i)];
  else if (host.endsWith('gate.com') || host.endsWith('gate.io')) [venue, symbol] = ['gate', last(/\/futures\/[a-z]+\/([A-Za-z0-9_]+)/i)];
  else if (host === 'futures.kraken.com') [venue, symbol] = ['kraken', last(/\/trade\/futures\/([A-Za-z0-9_-]+)/)];
  else if (host === 'dydx.trade') [venue, symbol] = ['dydx', last(/\/trade\/([A-Za-z0-9-]+)/)];
  else if (host.endsWith('tradingview.com')) symbol = u.searchParams.get('symbol') ?? undefined;
  else symbol = u.searchParams.get('symbol') ?? undefined;
  return symbol ? parseChartSymbol(symbol, venue) : undefined;
}

/**
 * The instrument (`venue:SYMBOL`) to show for a page symbol: the same venue's instrument of that coin
 * (a perpetual quoted in USDT first), else any venue's. Undefined when LiqLens follows no such coin.
 */
export function pickInstrument(page: PageSymbol | undefined, instruments: readonly string[]): string | undefined {
  if (!page) return undefined;
  const sameCoin = instruments.filter((i) => coinOf(i) === page.coin);
  if (!sameCoin.length) return undefined;
  const rank = (i: string) => {
    const [venue, symbol = ''] = i.split(/:(.*)/);
    let score = 0;
    if (venue === page.venue) score += 10;
    if (symbol.toUpperCase() === page.raw.toUpperCase().replace(/\.P$/, '')) score += 5;
    if (/USDT/.test(symbol)) score += 2;
    return score;
  };
  return [...sameCoin].sort((a, b) => rank(b) - rank(a))[0];
}

/** How close a coin's price must be to a chart's last price to be the coin it shows. */
export const PRICE_MATCH_WITHIN = 0.01;

/**
 * The coin a chart that names no symbol shows, told by its price: the one coin whose price is within
 * 1 % of the chart's last price. None when no coin, or more than one, trades there (then the page
 * asks): a guess between two coins would draw one coin's levels on another's chart.
 */
export function matchByPrice(lastPrice: number | undefined, coinPrices: ReadonlyMap<string, number>): string | undefined {
  if (!(lastPrice !== undefined && lastPrice > 0)) return undefined;
  let match: string | undefined;
  for (const [coin, price] of coinPrices) {
    if (!(price > 0) || Math.abs(price / lastPrice - 1) > PRICE_MATCH_WITHIN) continue;
    if (match !== undefined && match !== coin) return undefined;
    match = coin;
  }
  return match;
}

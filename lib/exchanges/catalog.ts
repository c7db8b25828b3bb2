/**
 * What settings, the options page and overlays need to know of each venue: id, name, public
 * endpoints, default symbols. Kept apart from the adapters so a chart page's overlay, which reads
 * settings, does not carry ten protocol implementations. Each adapter spreads its entry.
 */
import type { VenueId, VenueInfo } from './types';

export const VENUE_INFO: Record<VenueId, VenueInfo> = {
  binance: {
    id: 'binance',
    label: 'Binance USD-M',
    defaultEndpoints: { ws: 'wss://fstream.binance.com', rest: 'https://fapi.binance.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: {
      kind: 'sampled',
      note: 'at most the latest liquidation per symbol per second is published: totals undercount cascades',
    },
    historyDepth: '30 days: the last day at 5 minutes (candles and open interest), the month before hourly',
    defaultSymbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
  },
  bybit: {
    id: 'bybit',
    label: 'Bybit',
    defaultEndpoints: { ws: 'wss://stream.bybit.com', rest: 'https://api.bybit.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'every liquidation is published (allLiquidation, every 500 ms)' },
    historyDepth: '30 days: the last day at 5 minutes (candles and open interest), the month before hourly',
    defaultSymbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BTCUSD'],
  },
  okx: {
    id: 'okx',
    label: 'OKX',
    defaultEndpoints: { ws: 'wss://ws.okx.com:8443', rest: 'https://www.okx.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'sampled', note: 'OKX says its feed does not represent the total number of liquidations' },
    historyDepth: 'the last day at 5 minutes (candles and open interest)',
    defaultSymbols: ['BTC-USDT-SWAP', 'ETH-USDT-SWAP', 'BTC-USD-SWAP'],
  },
  bitmex: {
    id: 'bitmex',
    label: 'BitMEX',
    defaultEndpoints: { ws: 'wss://ws.bitmex.com', rest: 'https://www.bitmex.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'every order in the liquidation engine is published' },
    historyDepth: 'none: the heatmap starts when the feed does',
    defaultSymbols: ['XBTUSD', 'XBTUSDT'],
  },
  deribit: {
    id: 'deribit',
    label: 'Deribit',
    defaultEndpoints: { ws: 'wss://www.deribit.com', rest: 'https://www.deribit.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'every public trade carries its liquidation flag' },
    historyDepth: 'none: the heatmap starts when the feed does',
    defaultSymbols: ['BTC-PERPETUAL', 'ETH-PERPETUAL'],
  },
  hyperliquid: {
    id: 'hyperliquid',
    label: 'Hyperliquid',
    defaultEndpoints: { ws: 'wss://api.hyperliquid.xyz', rest: 'https://api.hyperliquid.xyz' },
    hasLiquidationFeed: false,
    liquidationCompleteness: {
      kind: 'none',
      note: 'no public liquidation feed; liquidations of tracked positions are inferred (Positions)',
    },
    historyDepth: 'none: the heatmap starts when the feed does',
    defaultSymbols: ['BTC', 'ETH', 'SOL'],
  },
  bitget: {
    id: 'bitget',
    label: 'Bitget USDT-M',
    defaultEndpoints: { ws: 'wss://ws.bitget.com', rest: 'https://api.bitget.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: {
      kind: 'sampled',
      note: 'only the largest long and the largest short liquidation per symbol per second are published',
    },
    historyDepth: 'the last day of 5-minute candles (no public open-interest history: price only)',
    defaultSymbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
  },
  gate: {
    id: 'gate',
    label: 'Gate USDT futures',
    defaultEndpoints: { ws: 'wss://fx-ws.gateio.ws', rest: 'https://api.gateio.ws' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'every liquidation is published, batched per contract about every second' },
    historyDepth: 'the last day at 5 minutes (candles and open interest)',
    defaultSymbols: ['BTC_USDT', 'ETH_USDT', 'SOL_USDT'],
  },
  dydx: {
    id: 'dydx',
    label: 'dYdX v4',
    defaultEndpoints: { ws: 'wss://indexer.dydx.trade', rest: 'https://indexer.dydx.trade' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'every liquidation fill is a public trade marked LIQUIDATED' },
    historyDepth: 'the last day at 5 minutes (candles with open interest)',
    defaultSymbols: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
  },
  kraken: {
    id: 'kraken',
    label: 'Kraken Futures',
    defaultEndpoints: { ws: 'wss://futures.kraken.com', rest: 'https://futures.kraken.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'every liquidation fill is a public trade of type liquidation' },
    historyDepth: 'the last day of 5-minute candles (no public open-interest history: price only)',
    defaultSymbols: ['PF_XBTUSD', 'PF_ETHUSD', 'PF_SOLUSD'],
  },
};

export function venueInfo(id: string): VenueInfo | undefined {
  return Object.hasOwn(VENUE_INFO, id) ? VENUE_INFO[id as VenueId] : undefined;
}

/** `Binance USD-M, OKX` for venue ids, each once, in the order given. */
export function venueLabels(ids: readonly string[]): string {
  return [...new Set(ids)].map((id) => venueInfo(id)?.label ?? id).join(', ');
}

export function listVenueInfo(): VenueInfo[] {
  return Object.values(VENUE_INFO);
}

/** `Binance USD-M BTCUSDT` for `binance:BTCUSDT`: an instrument as a trader reads it, not its key. */
export function instrumentLabel(instrument: string): string {
  const cut = instrument.indexOf(':');
  if (cut < 0) return instrument;
  return `${venueLabels([instrument.slice(0, cut)])} ${instrument.slice(cut + 1)}`;
}

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
      note: 'venueLiqBinance',
    },
    historyDepth: 'venueHistoryMonth',
    defaultSymbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
  },
  bybit: {
    id: 'bybit',
    label: 'Bybit',
    defaultEndpoints: { ws: 'wss://stream.bybit.com', rest: 'https://api.bybit.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'venueLiqBybit' },
    historyDepth: 'venueHistoryMonth',
    defaultSymbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BTCUSD'],
  },
  okx: {
    id: 'okx',
    label: 'OKX',
    defaultEndpoints: { ws: 'wss://ws.okx.com:8443', rest: 'https://www.okx.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'sampled', note: 'venueLiqOkx' },
    historyDepth: 'venueHistoryDay',
    defaultSymbols: ['BTC-USDT-SWAP', 'ETH-USDT-SWAP', 'BTC-USD-SWAP'],
  },
  bitmex: {
    id: 'bitmex',
    label: 'BitMEX',
    defaultEndpoints: { ws: 'wss://ws.bitmex.com', rest: 'https://www.bitmex.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'venueLiqBitmex' },
    historyDepth: 'venueHistoryNone',
    defaultSymbols: ['XBTUSD', 'XBTUSDT'],
  },
  deribit: {
    id: 'deribit',
    label: 'Deribit',
    defaultEndpoints: { ws: 'wss://www.deribit.com', rest: 'https://www.deribit.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'venueLiqDeribit' },
    historyDepth: 'venueHistoryNone',
    defaultSymbols: ['BTC-PERPETUAL', 'ETH-PERPETUAL'],
  },
  hyperliquid: {
    id: 'hyperliquid',
    label: 'Hyperliquid',
    defaultEndpoints: { ws: 'wss://api.hyperliquid.xyz', rest: 'https://api.hyperliquid.xyz' },
    hasLiquidationFeed: false,
    liquidationCompleteness: {
      kind: 'none',
      note: 'venueLiqHyperliquid',
    },
    historyDepth: 'venueHistoryNone',
    defaultSymbols: ['BTC', 'ETH', 'SOL'],
  },
  bitget: {
    id: 'bitget',
    label: 'Bitget USDT-M',
    defaultEndpoints: { ws: 'wss://ws.bitget.com', rest: 'https://api.bitget.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: {
      kind: 'sampled',
      note: 'venueLiqBitget',
    },
    historyDepth: 'venueHistoryDayPriceOnly',
    defaultSymbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
  },
  gate: {
    id: 'gate',
    label: 'Gate USDT futures',
    defaultEndpoints: { ws: 'wss://fx-ws.gateio.ws', rest: 'https://api.gateio.ws' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'venueLiqGate' },
    historyDepth: 'venueHistoryDay',
    defaultSymbols: ['BTC_USDT', 'ETH_USDT', 'SOL_USDT'],
  },
  dydx: {
    id: 'dydx',
    label: 'dYdX v4',
    defaultEndpoints: { ws: 'wss://indexer.dydx.trade', rest: 'https://indexer.dydx.trade' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'venueLiqDydx' },
    historyDepth: 'venueHistoryDay',
    defaultSymbols: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
  },
  kraken: {
    id: 'kraken',
    label: 'Kraken Futures',
    defaultEndpoints: { ws: 'wss://futures.kraken.com', rest: 'https://futures.kraken.com' },
    hasLiquidationFeed: true,
    liquidationCompleteness: { kind: 'complete', note: 'venueLiqKraken' },
    historyDepth: 'venueHistoryDayPriceOnly',
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

/**
 * What settings, the options page and overlays need to know of each venue: id, name, public
 * endpoints, default symbols. Kept apart from the adapters so a chart page's overlay, which reads
 * settings, does not carry six protocol implementations. Each adapter spreads its entry.
 */
import type { VenueId, VenueInfo } from './types';

export const VENUE_INFO: Record<VenueId, VenueInfo> = {
  binance: {
    id: 'binance',
    label: 'Binance USD-M',
    defaultEndpoints: { ws: 'wss://fstream.binance.com', rest: 'https://fapi.binance.com' },
    hasLiquidationFeed: true,
    defaultSymbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
  },
  bybit: {
    id: 'bybit',
    label: 'Bybit',
    defaultEndpoints: { ws: 'wss://stream.bybit.com', rest: 'https://api.bybit.com' },
    hasLiquidationFeed: true,
    defaultSymbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BTCUSD'],
  },
  okx: {
    id: 'okx',
    label: 'OKX',
    defaultEndpoints: { ws: 'wss://ws.okx.com:8443', rest: 'https://www.okx.com' },
    hasLiquidationFeed: true,
    defaultSymbols: ['BTC-USDT-SWAP', 'ETH-USDT-SWAP', 'BTC-USD-SWAP'],
  },
  bitmex: {
    id: 'bitmex',
    label: 'BitMEX',
    defaultEndpoints: { ws: 'wss://ws.bitmex.com', rest: 'https://www.bitmex.com' },
    hasLiquidationFeed: true,
    defaultSymbols: ['XBTUSD', 'XBTUSDT'],
  },
  deribit: {
    id: 'deribit',
    label: 'Deribit',
    defaultEndpoints: { ws: 'wss://www.deribit.com', rest: 'https://www.deribit.com' },
    hasLiquidationFeed: true,
    defaultSymbols: ['BTC-PERPETUAL', 'ETH-PERPETUAL'],
  },
  hyperliquid: {
    id: 'hyperliquid',
    label: 'Hyperliquid',
    defaultEndpoints: { ws: 'wss://api.hyperliquid.xyz', rest: 'https://api.hyperliquid.xyz' },
    hasLiquidationFeed: false,
    defaultSymbols: ['BTC', 'ETH', 'SOL'],
  },
};

export function venueInfo(id: string): VenueInfo | undefined {
  return Object.hasOwn(VENUE_INFO, id) ? VENUE_INFO[id as VenueId] : undefined;
}

export function listVenueInfo(): VenueInfo[] {
  return Object.values(VENUE_INFO);
}

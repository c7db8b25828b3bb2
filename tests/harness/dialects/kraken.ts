import type { Dialect } from '../fake-venue';
import { json, now, parse, syntheticHistory } from './common';

let seq = 1;

/**
 * Kraken Futures WebSocket v1: `{event, feed, product_ids}` requests, an `info` welcome, trades
 * typed fill/liquidation/termination/block with the TAKER side, a `heartbeat` feed. The shared
 * samples hold no Kraken frame: these follow the shapes of Kraken's documented examples.
 */
export const krakenDialect: Dialect = {
  venue: 'kraken',
  acceptPath: (p) => (p === '/ws/v1' ? 'routed' : false),
  welcome: () => [json({ event: 'info', version: 1 })],
  onMessage(text) {
    const req = parse(text);
    if (!req || (req.event !== 'subscribe' && req.event !== 'unsubscribe') || typeof req.feed !== 'string')
      return { replies: [json({ event: 'error', message: 'Json Error' })] };
    const ids = Array.isArray(req.product_ids) ? (req.product_ids as string[]) : [];
    const done = req.event === 'subscribe' ? 'subscribed' : 'unsubscribed';
    const reply = json({ event: done, feed: req.feed, ...(ids.length ? { product_ids: ids } : {}) });
    const topics = req.feed === 'heartbeat' ? ['heartbeat'] : ids.map((id) => `${String(req.feed)}:${id}`);
    if (req.event === 'unsubscribe') return { replies: [reply], unsubscribed: topics };
    return { replies: [reply], subscribed: topics };
  },
  onSubscribed: (topic) => {
    if (!topic.startsWith('trade:')) return [];
    // Subscribing trades sends the recent ones first.
    return [json({ feed: 'trade_snapshot', product_id: topic.slice(6), trades: [] })];
  },
  liquidation: (l) =>
    trade(l.symbol, {
      uid: l.id ?? `liq-${l.price}-${l.qty}-${l.time ?? 0}`,
      side: l.liquidatedSide === 'long' ? 'sell' : 'buy',
      type: 'liquidation',
      qty: l.qty,
      price: l.price,
      time: l.time ?? now(),
    }),
  trade: (t) => trade(t.symbol, { uid: t.id, side: t.takerSide, type: 'fill', qty: t.qty, price: t.price, time: t.time ?? now() }),
  mark: (symbol, price, time = now()) => ticker(symbol, price, 1_000, time),
  openInterest: (symbol, qty, price, time = now()) => ticker(symbol, price, qty, time),
  rest: {
    '/derivatives/api/v3/instruments': () =>
      json({
        result: 'success',
        instruments: ['PF_XBTUSD', 'PF_ETHUSD', 'PF_DOGEUSD', 'PI_XBTUSD'].map((symbol) => ({
          symbol,
          type: symbol.startsWith('PF_') ? 'flexible_futures' : 'futures_inverse',
          tradeable: true,
          tickSize: 0.5,
          contractSize: 1,
          marginLevels: [{ contracts: 0, initialMargin: 0.02, maintenanceMargin: 0.01 }],
        })),
        serverTime: new Date().toISOString(),
      }),
    '/api/charts/v1/trade/PF_XBTUSD/5m': (url) =>
      json({
        candles: syntheticHistory(Number(url.searchParams.get('from')) * 1000 || Date.now() - 86_400_000).map((r) => ({
          time: r.time,
          open: String(r.open),
          high: String(r.high),
          low: String(r.low),
          close: String(r.close),
          volume: String(r.volume),
        })),
        more_candles: false,
      }),
  },
};

function trade(product: string, t: { uid: string; side: string; type: string; qty: number; price: number; time: number }) {
  return { topic: `trade:${product}`, frame: json({ feed: 'trade', product_id: product, ...t, seq: seq++ }) };
}

/** A ticker push: `openInterest` in the contract unit (coins for PF_), `relative_funding_rate` a fraction. */
function ticker(product: string, mark: number, openInterest: number, time: number) {
  return {
    topic: `ticker:${product}`,
    frame: json({
      time,
      feed: 'ticker',
      product_id: product,
      bid: mark - 0.5,
      ask: mark + 0.5,
      index: mark,
      last: mark,
      markPrice: mark,
      openInterest,
      funding_rate: 0.00001,
      relative_funding_rate: 0.0001,
      tag: 'perpetual',
      suspended: false,
    }),
  };
}

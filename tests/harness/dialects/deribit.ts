import type { Dialect, Publication } from '../fake-venue';
import { documented, json, now, parse } from './common';

let deribitProbeId = 0;
/** Deribit: JSON-RPC; liquidation flags on trades; test_request heartbeats that must be answered. */
export const deribitDialect: Dialect = {
  venue: 'deribit',
  acceptPath: (p) => (p === '/ws/api/v2' ? 'routed' : false),
  onMessage(text) {
    const req = parse(text);
    if (!req) return { replies: [json({ jsonrpc: '2.0', error: { code: -32700, message: 'parse error' } })] };
    const id = req.id;
    if (req.method === 'public/subscribe') {
      const channels = ((req.params as { channels?: unknown })?.channels ?? []) as string[];
      return { replies: [json({ jsonrpc: '2.0', id, result: channels })], subscribed: channels };
    }
    if (req.method === 'public/unsubscribe') {
      const channels = ((req.params as { channels?: unknown })?.channels ?? []) as string[];
      return { replies: [json({ jsonrpc: '2.0', id, result: channels })], unsubscribed: channels };
    }
    if (req.method === 'public/set_heartbeat' || req.method === 'public/test')
      return { replies: [json({ jsonrpc: '2.0', id, result: 'ok' })] };
    return { replies: [json({ jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } })] };
  },
  heartbeatProbe: {
    frame: () => json({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' }, id: ++deribitProbeId }),
    isAnswer: (text) => parse(text)?.method === 'public/test',
  },
  liquidation: (l) => {
    // A liquidated taker: it sold if it was long.
    const direction = l.liquidatedSide === 'long' ? 'sell' : 'buy';
    return tradesFrame(l.symbol, {
      trade_id: l.id ?? `liq-${l.price}-${l.qty}`,
      direction,
      price: l.price,
      amount: l.qty,
      liquidation: 'T',
      timestamp: l.time ?? now(),
    });
  },
  trade: (t) =>
    tradesFrame(t.symbol, { trade_id: t.id, direction: t.takerSide, price: t.price, amount: t.qty, timestamp: t.time ?? now() }),
  mark: (symbol, price, time = now()) => {
    const doc = documented('misc.DERIBIT_TICKER', {
      jsonrpc: '2.0',
      method: 'subscription',
      params: { channel: '', data: { state: 'open', funding_8h: 0.0001 } as Record<string, unknown> },
    });
    const channel = `ticker.${symbol}.100ms`;
    const data = { ...doc.params.data, timestamp: time, instrument_name: symbol, mark_price: price, index_price: price };
    return { topic: channel, frame: json({ ...doc, params: { ...doc.params, channel, data } }) };
  },
  rest: {
    '/api/v2/public/get_instruments': () =>
      json({ jsonrpc: '2.0', result: [{ instrument_name: 'BTC-PERPETUAL', tick_size: 0.5, max_leverage: 50 }] }),
  },
};

/** A trades notification shaped like the documented one; `amount` is USD for BTC-PERPETUAL. */
function tradesFrame(symbol: string, trade: Record<string, unknown>): Publication {
  const channel = `trades.${symbol}.100ms`;
  const doc = documented('misc.DERIBIT_TRADES', {
    jsonrpc: '2.0',
    method: 'subscription',
    params: { channel: '', data: [{ trade_seq: 1, tick_direction: 0 } as Record<string, unknown>] },
  });
  const data = [{ ...doc.params.data[0], mark_price: trade.price, index_price: trade.price, instrument_name: symbol, ...trade }];
  return { topic: channel, frame: json({ ...doc, params: { ...doc.params, channel, data } }) };
}

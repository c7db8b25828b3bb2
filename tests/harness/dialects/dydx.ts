import type { Dialect } from '../fake-venue';
import { documented, json, now, parse, syntheticHistory } from './common';

let messageId = 0;
const envelope = (rest: Record<string, unknown>) => json({ connection_id: 'fake', message_id: ++messageId, ...rest });

/**
 * dYdX v4 indexer: `{type:"subscribe", channel, id}`, a `connected` welcome, protocol pings from
 * the server (answered by the client's WebSocket stack), trades typed LIMIT/LIQUIDATED/DELEVERAGED.
 */
export const dydxDialect: Dialect = {
  venue: 'dydx',
  acceptPath: (p) => (p === '/v4/ws' ? 'routed' : false),
  welcome: () => [envelope({ type: 'connected' })],
  onMessage(text) {
    const req = parse(text);
    if (!req || (req.type !== 'subscribe' && req.type !== 'unsubscribe') || typeof req.channel !== 'string')
      return { replies: [envelope({ type: 'error', message: `Invalid message: ${text.slice(0, 40)}` })] };
    const topic = req.channel === 'v4_markets' ? 'v4_markets' : `${req.channel}:${String(req.id)}`;
    if (req.type === 'unsubscribe')
      return { replies: [envelope({ type: 'unsubscribed', channel: req.channel, id: req.id })], unsubscribed: [topic] };
    // The subscribe answer carries the channel's current state: no trade yet, every market's oracle price.
    const contents =
      req.channel === 'v4_markets'
        ? { markets: { 'BTC-USD': { ticker: 'BTC-USD', status: 'ACTIVE', oraclePrice: '97000', openInterest: '1000' } } }
        : { trades: [] };
    return {
      replies: [envelope({ type: 'subscribed', channel: req.channel, ...(req.id ? { id: req.id } : {}), contents })],
      subscribed: [topic],
    };
  },
  liquidation: (l) =>
    trades(l.symbol, {
      id: l.id ?? `liq-${l.price}-${l.qty}-${l.time ?? 0}`,
      side: l.liquidatedSide === 'long' ? 'SELL' : 'BUY',
      size: String(l.qty),
      price: String(l.price),
      type: 'LIQUIDATED',
      createdAt: new Date(l.time ?? now()).toISOString(),
    }),
  trade: (t) =>
    trades(t.symbol, {
      id: t.id,
      side: t.takerSide === 'buy' ? 'BUY' : 'SELL',
      size: String(t.qty),
      price: String(t.price),
      type: 'LIMIT',
      createdAt: new Date(t.time ?? now()).toISOString(),
    }),
  mark: (symbol, price, time = now()) => ({
    topic: 'v4_markets',
    frame: envelope({
      type: 'channel_data',
      channel: 'v4_markets',
      version: '1.0.0',
      contents: {
        oraclePrices: {
          [symbol]: { oraclePrice: String(price), effectiveAt: new Date(time).toISOString(), effectiveAtHeight: '1', marketId: 0 },
        },
      },
    }),
  }),
  openInterest: (symbol, qty) => ({
    topic: 'v4_markets',
    frame: envelope({
      type: 'channel_data',
      channel: 'v4_markets',
      version: '1.0.0',
      contents: { trading: { [symbol]: { openInterest: String(qty) } } },
    }),
  }),
  rest: {
    '/v4/perpetualMarkets': () =>
      json({
        markets: Object.fromEntries(
          ['BTC-USD', 'ETH-USD', 'DOGE-USD'].map((ticker) => [
            ticker,
            {
              ticker,
              status: 'ACTIVE',
              oraclePrice: '97000',
              tickSize: '1',
              stepSize: '0.0001',
              initialMarginFraction: '0.05',
              openInterest: '1000',
            },
          ]),
        ),
      }),
    '/v4/candles/perpetualMarkets/BTC-USD': (url) =>
      json({
        candles: syntheticHistory(Date.parse(url.searchParams.get('fromISO') ?? '') || Date.now() - 86_400_000)
          .reverse()
          .map((r) => ({
            startedAt: new Date(r.time).toISOString(),
            ticker: 'BTC-USD',
            resolution: '5MINS',
            low: String(r.low),
            high: String(r.high),
            open: String(r.open),
            close: String(r.close),
            baseTokenVolume: String(r.volume),
            usdVolume: String(r.volume * r.close),
            trades: 10,
            startingOpenInterest: String(r.oi),
          })),
      }),
  },
};

/** A v4_trades update, starting from the captured LIQUIDATED frame (ai-rates, 2026-09). */
function trades(market: string, trade: Record<string, string>) {
  const doc = documented('live_ai_rates_2026_09_18.dydx_liq', {
    type: 'channel_data',
    connection_id: 'x',
    message_id: 0,
    id: '',
    channel: 'v4_trades',
    version: '2.4.0',
    contents: { trades: [{ id: '', side: '', size: '', price: '', type: '', createdAt: '', createdAtHeight: '1' }] },
  });
  return {
    topic: `v4_trades:${market}`,
    frame: json({ ...doc, message_id: ++messageId, id: market, contents: { trades: [{ ...doc.contents.trades[0], ...trade }] } }),
  };
}

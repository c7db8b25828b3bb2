import type { Dialect } from '../fake-venue';
import { documented, json, now, parse } from './common';

/** BitMEX: tables with partials first; inserts count; text ping/pong. */
export const bitmexDialect: Dialect = {
  venue: 'bitmex',
  acceptPath: (p) => (p === '/realtime' ? 'routed' : false),
  welcome: () => [
    json({ info: 'Welcome to the BitMEX Realtime API.', version: 'fake', timestamp: new Date().toISOString(), limit: { remaining: 39 } }),
  ],
  onMessage(text) {
    if (text === 'ping') return { replies: ['pong'] };
    const req = parse(text);
    if (!req || (req.op !== 'subscribe' && req.op !== 'unsubscribe') || !Array.isArray(req.args))
      return { replies: [json({ status: 400, error: `Unknown or expired command: ${text}`, meta: {} })] };
    const args = req.args.filter((a): a is string => typeof a === 'string');
    if (req.op === 'unsubscribe')
      return { replies: args.map((a) => json({ success: true, unsubscribe: a, request: req })), unsubscribed: args };
    return { replies: args.map((a) => json({ success: true, subscribe: a, request: req })), subscribed: args };
  },
  onSubscribed(topic) {
    const [table, symbol] = topic.split(':');
    const data =
      table === 'instrument'
        ? [
            symbol === 'XBTUSD'
              ? {
                  symbol,
                  isInverse: true,
                  isQuanto: false,
                  underlyingToPositionMultiplier: null,
                  underlying: 'XBT',
                  quoteCurrency: 'USD',
                  tickSize: 0.5,
                  initMargin: 0.01,
                  markPrice: 97000,
                  openInterest: 300000000,
                }
              : {
                  symbol,
                  isInverse: false,
                  isQuanto: false,
                  underlyingToPositionMultiplier: 1000000,
                  underlying: 'XBT',
                  quoteCurrency: 'USDT',
                  tickSize: 0.5,
                  initMargin: 0.01,
                  markPrice: 97000,
                  openInterest: 5000000000,
                },
          ]
        : [];
    return [json({ table, action: 'partial', keys: [], types: {}, filter: { symbol }, data })];
  },
  liquidation: (l) => {
    // A liquidation-table insert as recorded from BitMEX. `side` is the liquidation ORDER's side
    // (Sell closes a long); `leavesQty` is in contracts (USD for XBTUSD).
    const doc = documented('tardis_test.bitmex_liq_insert', {
      table: 'liquidation',
      action: 'insert',
      data: [{ orderID: '', symbol: '', side: '', price: 0, leavesQty: 0 }],
    });
    const row = {
      ...doc.data[0],
      orderID: l.id ?? `fake-${l.price}-${l.qty}`,
      symbol: l.symbol,
      side: l.liquidatedSide === 'long' ? 'Sell' : 'Buy',
      price: l.price,
      leavesQty: l.qty,
    };
    return { topic: `liquidation:${l.symbol}`, frame: json({ ...doc, data: [row] }) };
  },
  trade: (t) => {
    const doc = documented('misc.BITMEX_TRADE', {
      table: 'trade',
      action: 'insert',
      data: [
        {
          timestamp: '',
          symbol: '',
          side: '',
          size: 0,
          price: 0,
          tickDirection: 'ZeroPlusTick',
          trdMatchID: '',
          grossValue: 0,
          homeNotional: 0,
          foreignNotional: 0,
        },
      ],
    });
    const home = t.symbol === 'XBTUSD' ? t.qty / t.price : t.qty / 1e6;
    const row = {
      ...doc.data[0],
      timestamp: new Date(t.time ?? now()).toISOString(),
      symbol: t.symbol,
      side: t.takerSide === 'buy' ? 'Buy' : 'Sell',
      size: t.qty,
      price: t.price,
      trdMatchID: t.id,
      grossValue: Math.round(home * 1e8),
      homeNotional: home,
      foreignNotional: t.symbol === 'XBTUSD' ? t.qty : home * t.price,
    };
    return { topic: `trade:${t.symbol}`, frame: json({ ...doc, data: [row] }) };
  },
  mark: (symbol, price, time = now()) => ({
    topic: `instrument:${symbol}`,
    frame: json({ table: 'instrument', action: 'update', data: [{ symbol, markPrice: price, timestamp: new Date(time).toISOString() }] }),
  }),
  openInterest: (symbol, qty, _price, time = now()) => {
    const doc = documented('tardis_test.bitmex_instr_oi', {
      table: 'instrument',
      action: 'update',
      data: [{ symbol: '', openInterest: 0 }],
    });
    const row = { ...doc.data[0], symbol, openInterest: qty, timestamp: new Date(time).toISOString() };
    return { topic: `instrument:${symbol}`, frame: json({ ...doc, data: [row] }) };
  },
  rest: {
    '/api/v1/instrument/active': () =>
      json([
        { symbol: 'XBTUSD', isInverse: true, isQuanto: false, underlying: 'XBT', quoteCurrency: 'USD', tickSize: 0.5, initMargin: 0.01 },
      ]),
  },
};

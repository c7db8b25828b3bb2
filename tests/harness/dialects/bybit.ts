import type { Dialect, Publication } from '../fake-venue';
import { anchoredHistory, documented, json, now, parse } from './common';

/** Bybit v5: position-side liquidations, op-style subscribe and ping. */
export const bybitDialect: Dialect = {
  venue: 'bybit',
  acceptPath: (p) => (p === '/v5/public/linear' || p === '/v5/public/inverse' ? 'routed' : false),
  onMessage(text) {
    const req = parse(text);
    if (!req) return { replies: [json({ success: false, ret_msg: 'invalid request', op: '' })] };
    if (req.op === 'ping') return { replies: [json({ success: true, ret_msg: 'pong', conn_id: 'fake', req_id: '', op: 'ping' })] };
    if ((req.op === 'subscribe' || req.op === 'unsubscribe') && Array.isArray(req.args)) {
      const args = req.args.filter((a): a is string => typeof a === 'string');
      const reply = json({ success: true, ret_msg: '', conn_id: 'fake', req_id: '', op: req.op });
      return { replies: [reply], ...(req.op === 'subscribe' ? { subscribed: args } : { unsubscribed: args }) };
    }
    return { replies: [json({ success: false, ret_msg: `unknown op ${String(req.op)}`, op: req.op })] };
  },
  liquidation: (l) => {
    // The documented allLiquidation frame. S is the POSITION side: Buy = a long was liquidated.
    const doc = documented('doc.by_allliq', { topic: '', type: 'snapshot', ts: 0, data: [{ T: 0, s: '', S: '', v: '', p: '' }] });
    const data = [
      {
        ...doc.data[0],
        T: l.time ?? now(),
        s: l.symbol,
        S: l.liquidatedSide === 'long' ? 'Buy' : 'Sell',
        v: String(l.qty),
        p: String(l.price),
      },
    ];
    return { topic: `allLiquidation.${l.symbol}`, frame: json({ ...doc, topic: `allLiquidation.${l.symbol}`, ts: now(), data }) };
  },
  trade: (t) => {
    // The documented publicTrade frame. S is the TAKER side here.
    const doc = documented('doc.by_trade', {
      topic: '',
      type: 'snapshot',
      ts: 0,
      data: [{ T: 0, s: '', S: '', v: '', p: '', L: 'PlusTick', i: '', BT: false }],
    });
    const data = [
      {
        ...doc.data[0],
        T: t.time ?? now(),
        s: t.symbol,
        S: t.takerSide === 'buy' ? 'Buy' : 'Sell',
        v: String(t.qty),
        p: String(t.price),
        i: t.id,
      },
    ];
    return { topic: `publicTrade.${t.symbol}`, frame: json({ ...doc, topic: `publicTrade.${t.symbol}`, ts: now(), data }) };
  },
  mark: (symbol, price, time = now()) => tickerDelta(symbol, { markPrice: String(price) }, time),
  // `openInterest` counts both sides since the 2026-06 docs; `singleOpenInterest` is one side.
  openInterest: (symbol, qty, _price, time = now()) =>
    tickerDelta(symbol, { openInterest: String(qty * 2), singleOpenInterest: String(qty) }, time),
  rest: {
    '/v5/market/kline': (url) =>
      json({
        retCode: 0,
        result: {
          category: url.searchParams.get('category'),
          list: bybitHistory(url, url.searchParams.get('interval') === '60', 'start', 'end', 200, 1000).map((r) => [
            String(r.time),
            String(r.open),
            String(r.high),
            String(r.low),
            String(r.close),
            String(r.volume),
            String(r.volume * r.close),
          ]),
        },
      }),
    '/v5/market/open-interest': (url) =>
      json({
        retCode: 0,
        result: {
          category: url.searchParams.get('category'),
          list: bybitHistory(url, url.searchParams.get('intervalTime') === '1h', 'startTime', 'endTime', 50, 200).map((r) => ({
            openInterest: String(r.oi * 2),
            singleOpenInterest: String(r.oi),
            timestamp: String(r.time + (url.searchParams.get('intervalTime') === '1h' ? 3_600_000 : 300_000)),
          })),
        },
      }),
    '/v5/market/risk-limit': (url) =>
      json({
        retCode: 0,
        result: {
          category: url.searchParams.get('category'),
          list: [
            {
              id: 1,
              symbol: url.searchParams.get('symbol'),
              riskLimitValue: '2000000',
              maintenanceMargin: '0.5',
              initialMargin: '1',
              maxLeverage: '100.00',
              mmDeduction: '0',
            },
            {
              id: 2,
              symbol: url.searchParams.get('symbol'),
              riskLimitValue: '4000000',
              maintenanceMargin: '1',
              initialMargin: '2',
              maxLeverage: '50.00',
              mmDeduction: '10000',
            },
          ],
        },
      }),
    '/v5/market/instruments-info': () =>
      json({
        retCode: 0,
        result: { list: [{ symbol: 'BTCUSDT', priceFilter: { tickSize: '0.10' }, leverageFilter: { maxLeverage: '100.00' } }] },
      }),
  },
};

/** A tickers delta (only what changed) shaped like the documented tickers frame. */
function tickerDelta(symbol: string, fields: Record<string, string>, time: number): Publication {
  const doc = documented('doc.by_ticker', { topic: '', type: 'snapshot', data: {} as Record<string, unknown>, cs: 0, ts: 0 });
  return {
    topic: `tickers.${symbol}`,
    frame: json({ ...doc, topic: `tickers.${symbol}`, type: 'delta', data: { symbol, ...fields }, ts: time }),
  };
}

/**
 * History rows as Bybit's market endpoints answer: within [start, end] (end defaults to now; without a
 * start, the newest `limit`), newest first, at most `limit` (default and maximum per endpoint), at
 * 5 minutes or one hour.
 */
function bybitHistory(url: URL, hourly: boolean, startParam: string, endParam: string, defaultLimit: number, maxLimit: number) {
  const q = url.searchParams;
  const step = hourly ? 3_600_000 : 300_000;
  const limit = Math.min(maxLimit, Number(q.get('limit')) || defaultLimit);
  const end = Math.min(Date.now(), Number(q.get(endParam)) || Date.now());
  const start = Number(q.get(startParam)) || end - limit * step;
  return anchoredHistory(start, end, 97_000, step).reverse().slice(0, limit);
}

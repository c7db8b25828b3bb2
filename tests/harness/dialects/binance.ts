import type { Dialect, FakeClient, Publication } from '../fake-venue';
import { anchoredHistory, documented, json, now, parse, typicalPrice } from './common';

/** Binance USD-M: combined streams on /market; legacy paths connect but stay silent. */
export const binanceDialect: Dialect = {
  venue: 'binance',
  acceptPath: (p) => (p === '/market/stream' ? 'routed' : p === '/stream' || p === '/ws' || p.startsWith('/ws/') ? 'silent' : false),
  topicsFromUrl: (url) => (url.searchParams.get('streams') ?? '').split('/').filter(Boolean),
  onMessage(text, client) {
    // More than 10 incoming messages per second: Binance disconnects.
    const times = (binanceMessageTimes.get(client) ?? []).filter((t) => Date.now() - t < 1000);
    times.push(Date.now());
    binanceMessageTimes.set(client, times);
    if (times.length > 10) {
      client.socket.close(1008, 'Too many requests');
      return { replies: [] };
    }
    const req = parse(text);
    if (!req) return { replies: [json({ error: { code: 3, msg: 'Invalid JSON' } })] };
    const params = Array.isArray(req.params) ? req.params.filter((p): p is string => typeof p === 'string') : [];
    if (req.method === 'UNSUBSCRIBE') params.forEach((p) => client.topics.delete(p));
    const result = req.method === 'LIST_SUBSCRIPTIONS' ? [...client.topics] : null;
    return { replies: [json({ result, id: req.id })], subscribed: req.method === 'SUBSCRIBE' ? params : [] };
  },
  liquidation: (l) => {
    const t = l.time ?? now();
    const q = String(l.qty);
    // The documented forceOrder: order type, time in force and status as Binance sends them. A SELL
    // order closes a long.
    const doc = documented('doc_derived.bn_force', {
      e: 'forceOrder',
      E: 0,
      o: { s: '', S: '', o: 'LIMIT', f: 'IOC', q: '', p: '', ap: '', X: 'FILLED', l: '', z: '', T: 0 },
    });
    const o = {
      ...doc.o,
      s: l.symbol,
      S: l.liquidatedSide === 'long' ? 'SELL' : 'BUY',
      q,
      p: String(l.price),
      ap: String(l.price),
      l: q,
      z: q,
      T: t,
    };
    return wrap('!forceOrder@arr', { ...doc, E: t, o });
  },
  trade: (t) => {
    // `m` is "the buyer is the maker": true means the taker sold.
    const doc = documented('doc_derived.bn_agg', { e: 'aggTrade', E: 0, s: '', a: 0, p: '', q: '', f: 1, l: 1, T: 0, m: false });
    const time = t.time ?? now();
    return wrap(`${t.symbol.toLowerCase()}@aggTrade`, {
      ...doc,
      E: time,
      s: t.symbol,
      a: Number(t.id),
      p: String(t.price),
      q: String(t.qty),
      T: time,
      m: t.takerSide === 'sell',
    });
  },
  mark: (symbol, price, time = now()) => {
    const doc = documented('doc_derived.bn_mark', { e: 'markPriceUpdate', E: 0, s: '', p: '', i: '', P: '', r: '0.00010000', T: 0 });
    const p = price.toFixed(2);
    return wrap(`${symbol.toLowerCase()}@markPrice@1s`, { ...doc, E: time, s: symbol, p, i: p, P: p, T: time + 3_600_000 });
  },
  rest: {
    '/fapi/v1/exchangeInfo': () =>
      json({
        symbols: ['BTC', 'ETH', 'DOGE'].map((coin) => ({
          symbol: `${coin}USDT`,
          baseAsset: coin,
          quoteAsset: 'USDT',
          filters: [{ filterType: 'PRICE_FILTER', tickSize: '0.10' }],
        })),
      }),
    '/fapi/v1/openInterest': (url) => json({ openInterest: '81234.567', symbol: url.searchParams.get('symbol'), time: now() }),
    // Both follow the documented parameters: interval / period (5m or 1h here), startTime, endTime, limit.
    '/fapi/v1/klines': (url) =>
      json(
        binanceHistory(url, 'interval', 500, 1500).map((r) => [
          r.time,
          r.open.toFixed(2),
          r.high.toFixed(2),
          r.low.toFixed(2),
          r.close.toFixed(2),
          r.volume.toFixed(3),
          r.time + stepOf(url.searchParams.get('interval')) - 1,
          (r.volume * r.close).toFixed(2),
          1000,
          r.takerBuy.toFixed(3),
          (r.takerBuy * r.close).toFixed(2),
          '0',
        ]),
      ),
    '/futures/data/openInterestHist': (url) =>
      json(
        binanceHistory(url, 'period', 30, 500).map((r) => ({
          symbol: url.searchParams.get('symbol'),
          sumOpenInterest: r.oi.toFixed(3),
          sumOpenInterestValue: (r.oi * r.close).toFixed(2),
          timestamp: String(r.time + stepOf(url.searchParams.get('period'))),
        })),
      ),
  },
};

/** The step of Binance's `interval` / `period` values this fake serves. */
function stepOf(interval: string | null): number {
  return interval === '1h' ? 3_600_000 : 300_000;
}

/**
 * Rows for a history request as Binance answers it: from `startTime` (else the most recent ones),
 * up to `endTime` (else now), at most `limit` (its default and maximum differ per endpoint).
 */
function binanceHistory(url: URL, stepParam: 'interval' | 'period', defaultLimit: number, maxLimit: number) {
  const q = url.searchParams;
  const step = stepOf(q.get(stepParam));
  const limit = Math.min(maxLimit, Number(q.get('limit')) || defaultLimit);
  const end = Math.min(Date.now(), Number(q.get('endTime')) || Date.now());
  const start = Number(q.get('startTime'));
  const rows = anchoredHistory(start || end - limit * step, end, typicalPrice(q.get('symbol')), step);
  return start ? rows.slice(0, limit) : rows.slice(-limit);
}

const binanceMessageTimes = new WeakMap<FakeClient, number[]>();

function wrap(stream: string, data: unknown): Publication {
  return { topic: stream, frame: json({ stream, data }) };
}

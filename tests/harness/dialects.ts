/**
 * The six venues' wire formats for the fake servers (see fake-venue.ts). Each builds frames exactly
 * as the venue documents them; the comments name the quirk each one exercises.
 */
import type { Dialect, FakeClient, LiquidationInput, Publication, TradeInput } from './fake-venue';

const json = JSON.stringify;

/** Deterministic 5-minute history for backfill routes: price near 97 000, open interest rising. */
export function syntheticHistory(since: number, until = Date.now()) {
  const rows: { time: number; open: number; high: number; low: number; close: number; volume: number; takerBuy: number; oi: number }[] = [];
  let price = 97_000;
  let oi = 50_000;
  let seed = 11;
  const rand = () => (seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296;
  for (let t = Math.floor(since / 300_000) * 300_000; t < until; t += 300_000) {
    const open = price;
    price = price * (1 + (rand() - 0.5) * 0.004) + (97_000 - price) * 0.02;
    const volume = 50 + rand() * 100;
    oi += (rand() - 0.35) * 40;
    rows.push({
      time: t,
      open,
      high: Math.max(open, price) * 1.0008,
      low: Math.min(open, price) * 0.9992,
      close: price,
      volume,
      takerBuy: volume * (0.35 + rand() * 0.3),
      oi,
    });
  }
  return rows;
}
const sinceParam = (url: URL, name: string) => Number(url.searchParams.get(name)) || Date.now() - 86_400_000;
const now = () => Date.now();
function parse(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text);
    return typeof v === 'object' && v !== null ? v : null;
  } catch {
    return null;
  }
}

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
    return wrap('!forceOrder@arr', {
      e: 'forceOrder',
      E: t,
      o: {
        s: l.symbol,
        S: l.liquidatedSide === 'long' ? 'SELL' : 'BUY',
        o: 'LIMIT',
        f: 'IOC',
        q,
        p: String(l.price),
        ap: String(l.price),
        X: 'FILLED',
        l: q,
        z: q,
        T: t,
      },
    });
  },
  trade: (t) =>
    wrap(`${t.symbol.toLowerCase()}@aggTrade`, {
      e: 'aggTrade',
      E: t.time ?? now(),
      s: t.symbol,
      a: Number(t.id),
      p: String(t.price),
      q: String(t.qty),
      f: 1,
      l: 1,
      T: t.time ?? now(),
      m: t.takerSide === 'sell',
    }),
  mark: (symbol, price, time = now()) =>
    wrap(`${symbol.toLowerCase()}@markPrice@1s`, {
      e: 'markPriceUpdate',
      E: time,
      s: symbol,
      p: price.toFixed(2),
      i: price.toFixed(2),
      P: price.toFixed(2),
      r: '0.00010000',
      T: time + 3_600_000,
    }),
  rest: {
    '/fapi/v1/exchangeInfo': () =>
      json({
        symbols: [{ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', filters: [{ filterType: 'PRICE_FILTER', tickSize: '0.10' }] }],
      }),
    '/fapi/v1/openInterest': (url) => json({ openInterest: '81234.567', symbol: url.searchParams.get('symbol'), time: now() }),
    '/fapi/v1/klines': (url) =>
      json(
        syntheticHistory(sinceParam(url, 'startTime')).map((r) => [
          r.time,
          r.open.toFixed(2),
          r.high.toFixed(2),
          r.low.toFixed(2),
          r.close.toFixed(2),
          r.volume.toFixed(3),
          r.time + 299_999,
          (r.volume * r.close).toFixed(2),
          1000,
          r.takerBuy.toFixed(3),
          (r.takerBuy * r.close).toFixed(2),
          '0',
        ]),
      ),
    '/futures/data/openInterestHist': (url) =>
      json(
        syntheticHistory(sinceParam(url, 'startTime')).map((r) => ({
          symbol: url.searchParams.get('symbol'),
          sumOpenInterest: r.oi.toFixed(3),
          sumOpenInterestValue: (r.oi * r.close).toFixed(2),
          timestamp: String(r.time + 300_000),
        })),
      ),
  },
};

const binanceMessageTimes = new WeakMap<FakeClient, number[]>();

function wrap(stream: string, data: unknown): Publication {
  return { topic: stream, frame: json({ stream, data }) };
}

/** Bybit v5: position-side liquidations, op-style subscribe and ping. */
export const bybitDialect: Dialect = {
  venue: 'bybit',
  acceptPath: (p) => (p === '/v5/public/linear' || p === '/v5/public/inverse' ? 'routed' : false),
  onMessage(text) {
    const req = parse(text);
    if (!req) return { replies: [json({ success: false, ret_msg: 'invalid request', op: '' })] };
    if (req.op === 'ping') return { replies: [json({ success: true, ret_msg: 'pong', conn_id: 'fake', req_id: '', op: 'ping' })] };
    if (req.op === 'subscribe' && Array.isArray(req.args)) {
      const args = req.args.filter((a): a is string => typeof a === 'string');
      return { replies: [json({ success: true, ret_msg: '', conn_id: 'fake', req_id: '', op: 'subscribe' })], subscribed: args };
    }
    return { replies: [json({ success: false, ret_msg: `unknown op ${String(req.op)}`, op: req.op })] };
  },
  liquidation: (l) => ({
    topic: `allLiquidation.${l.symbol}`,
    // S is the POSITION side: Buy = a long was liquidated.
    frame: json({
      topic: `allLiquidation.${l.symbol}`,
      type: 'snapshot',
      ts: now(),
      data: [{ T: l.time ?? now(), s: l.symbol, S: l.liquidatedSide === 'long' ? 'Buy' : 'Sell', v: String(l.qty), p: String(l.price) }],
    }),
  }),
  trade: (t) => ({
    topic: `publicTrade.${t.symbol}`,
    frame: json({
      topic: `publicTrade.${t.symbol}`,
      type: 'snapshot',
      ts: now(),
      data: [
        {
          T: t.time ?? now(),
          s: t.symbol,
          S: t.takerSide === 'buy' ? 'Buy' : 'Sell',
          v: String(t.qty),
          p: String(t.price),
          L: 'PlusTick',
          i: t.id,
          BT: false,
        },
      ],
    }),
  }),
  mark: (symbol, price, time = now()) => ({
    topic: `tickers.${symbol}`,
    // A delta: only what changed.
    frame: json({ topic: `tickers.${symbol}`, type: 'delta', data: { symbol, markPrice: String(price) }, cs: 1, ts: time }),
  }),
  openInterest: (symbol, qty, _price, time = now()) => ({
    topic: `tickers.${symbol}`,
    frame: json({
      topic: `tickers.${symbol}`,
      type: 'delta',
      data: { symbol, openInterest: String(qty * 2), singleOpenInterest: String(qty) },
      cs: 2,
      ts: time,
    }),
  }),
  rest: {
    '/v5/market/kline': (url) =>
      json({
        retCode: 0,
        result: {
          category: url.searchParams.get('category'),
          list: syntheticHistory(sinceParam(url, 'start'))
            .reverse()
            .map((r) => [
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
          list: syntheticHistory(sinceParam(url, 'startTime'))
            .reverse()
            .map((r) => ({ openInterest: String(r.oi * 2), singleOpenInterest: String(r.oi), timestamp: String(r.time + 300_000) })),
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

/** OKX v5: contracts, text ping/pong, one liquidation channel for all swaps. */
export const okxDialect: Dialect = {
  venue: 'okx',
  acceptPath: (p) => (p === '/ws/v5/public' ? 'routed' : false),
  onMessage(text) {
    if (text === 'ping') return { replies: ['pong'] };
    const req = parse(text);
    if (!req || req.op !== 'subscribe' || !Array.isArray(req.args))
      return { replies: [json({ event: 'error', code: '60012', msg: `Invalid request: ${text}` })] };
    const topics: string[] = [];
    const replies: string[] = [];
    for (const a of req.args as Record<string, string>[]) {
      topics.push(`${a.channel}:${a.instId ?? a.instType}`);
      replies.push(json({ event: 'subscribe', arg: a, connId: 'fake' }));
    }
    return { replies, subscribed: topics };
  },
  liquidation: (l) => ({
    topic: 'liquidation-orders:SWAP',
    frame: json({
      arg: { channel: 'liquidation-orders', instType: 'SWAP' },
      data: [
        {
          details: [
            {
              bkLoss: '0',
              bkPx: String(l.price),
              ccy: '',
              posSide: 'net',
              side: l.liquidatedSide === 'long' ? 'sell' : 'buy',
              sz: String(l.qty),
              ts: String(l.time ?? now()),
            },
          ],
          instFamily: l.symbol.replace(/-SWAP$/, ''),
          instId: l.symbol,
          instType: 'SWAP',
          uly: l.symbol.replace(/-SWAP$/, ''),
        },
      ],
    }),
  }),
  trade: (t) => ({
    topic: `trades:${t.symbol}`,
    frame: json({
      arg: { channel: 'trades', instId: t.symbol },
      data: [
        {
          instId: t.symbol,
          tradeId: t.id,
          px: String(t.price),
          sz: String(t.qty),
          side: t.takerSide,
          ts: String(t.time ?? now()),
          count: '1',
        },
      ],
    }),
  }),
  mark: (symbol, price, time = now()) => ({
    topic: `mark-price:${symbol}`,
    frame: json({
      arg: { channel: 'mark-price', instId: symbol },
      data: [{ instType: 'SWAP', instId: symbol, markPx: String(price), ts: String(time) }],
    }),
  }),
  openInterest: (symbol, qty, price, time = now()) => ({
    topic: `open-interest:${symbol}`,
    frame: json({
      arg: { channel: 'open-interest', instId: symbol },
      data: [{ instId: symbol, instType: 'SWAP', oi: String(qty * 100), oiCcy: String(qty), oiUsd: String(qty * price), ts: String(time) }],
    }),
  }),
  rest: {
    '/api/v5/market/history-candles': () =>
      json({
        code: '0',
        data: syntheticHistory(Date.now() - 86_400_000)
          .reverse()
          .map((r) => [
            String(r.time),
            String(r.open),
            String(r.high),
            String(r.low),
            String(r.close),
            String(r.volume * 100),
            String(r.volume),
            String(r.volume * r.close),
            '1',
          ]),
      }),
    '/api/v5/rubik/stat/contracts/open-interest-history': (url) =>
      json({
        code: '0',
        data: syntheticHistory(sinceParam(url, 'begin'))
          .reverse()
          .map((r) => [String(r.time + 300_000), String(r.oi * 100), String(r.oi), String(r.oi * r.close)]),
      }),
    '/api/v5/public/instruments': () =>
      json({
        code: '0',
        data: [
          { instId: 'BTC-USDT-SWAP', ctVal: '0.01', ctMult: '1', ctType: 'linear', tickSz: '0.1', lever: '100' },
          { instId: 'DOGE-USDT-SWAP', ctVal: '1000', ctMult: '1', ctType: 'linear', tickSz: '0.00001', lever: '50' },
        ],
      }),
  },
};

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
    if (!req || req.op !== 'subscribe' || !Array.isArray(req.args))
      return { replies: [json({ status: 400, error: `Unknown or expired command: ${text}`, meta: {} })] };
    const args = req.args.filter((a): a is string => typeof a === 'string');
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
  liquidation: (l) => ({
    topic: `liquidation:${l.symbol}`,
    frame: json({
      table: 'liquidation',
      action: 'insert',
      data: [
        {
          orderID: l.id ?? `fake-${l.price}-${l.qty}`,
          symbol: l.symbol,
          side: l.liquidatedSide === 'long' ? 'Sell' : 'Buy',
          price: l.price,
          leavesQty: l.qty,
        },
      ],
    }),
  }),
  trade: (t) => ({
    topic: `trade:${t.symbol}`,
    frame: json({
      table: 'trade',
      action: 'insert',
      data: [
        {
          timestamp: new Date(t.time ?? now()).toISOString(),
          symbol: t.symbol,
          side: t.takerSide === 'buy' ? 'Buy' : 'Sell',
          size: t.qty,
          price: t.price,
          trdMatchID: t.id,
          homeNotional: t.symbol === 'XBTUSD' ? t.qty / t.price : t.qty / 1e6,
          foreignNotional: t.symbol === 'XBTUSD' ? t.qty : (t.qty / 1e6) * t.price,
        },
      ],
    }),
  }),
  mark: (symbol, price, time = now()) => ({
    topic: `instrument:${symbol}`,
    frame: json({ table: 'instrument', action: 'update', data: [{ symbol, markPrice: price, timestamp: new Date(time).toISOString() }] }),
  }),
  openInterest: (symbol, qty, _price, time = now()) => ({
    topic: `instrument:${symbol}`,
    frame: json({ table: 'instrument', action: 'update', data: [{ symbol, openInterest: qty, timestamp: new Date(time).toISOString() }] }),
  }),
  rest: {
    '/api/v1/instrument/active': () =>
      json([
        { symbol: 'XBTUSD', isInverse: true, isQuanto: false, underlying: 'XBT', quoteCurrency: 'USD', tickSize: 0.5, initMargin: 0.01 },
      ]),
  },
};

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
  mark: (symbol, price, time = now()) => ({
    topic: `ticker.${symbol}.100ms`,
    frame: json({
      jsonrpc: '2.0',
      method: 'subscription',
      params: {
        channel: `ticker.${symbol}.100ms`,
        data: { timestamp: time, instrument_name: symbol, mark_price: price, index_price: price, funding_8h: 0.0001, state: 'open' },
      },
    }),
  }),
  rest: {
    '/api/v2/public/get_instruments': () =>
      json({ jsonrpc: '2.0', result: [{ instrument_name: 'BTC-PERPETUAL', tick_size: 0.5, max_leverage: 50 }] }),
  },
};

function tradesFrame(symbol: string, trade: Record<string, unknown>): Publication {
  const channel = `trades.${symbol}.100ms`;
  return {
    topic: channel,
    frame: json({
      jsonrpc: '2.0',
      method: 'subscription',
      params: {
        channel,
        data: [{ trade_seq: 1, tick_direction: 0, mark_price: trade.price, index_price: trade.price, instrument_name: symbol, ...trade }],
      },
    }),
  };
}

/** Hyperliquid: method-style subscribe, B/A sides, JSON ping/pong; no liquidation feed at all. */
export const hyperliquidDialect: Dialect = {
  venue: 'hyperliquid',
  acceptPath: (p) => (p === '/ws' ? 'routed' : false),
  onMessage(text) {
    const req = parse(text);
    if (!req) return { replies: [json({ channel: 'error', data: `Invalid request: ${text}` })] };
    if (req.method === 'ping') return { replies: [json({ channel: 'pong' })] };
    const sub = req.subscription as { type?: string; coin?: string } | undefined;
    if (req.method === 'subscribe' && sub?.type) {
      return {
        replies: [json({ channel: 'subscriptionResponse', data: { method: 'subscribe', subscription: sub } })],
        subscribed: [`${sub.type}:${sub.coin}`],
      };
    }
    return { replies: [json({ channel: 'error', data: `Invalid request: ${text}` })] };
  },
  liquidation: (l: LiquidationInput): Publication => ({ topic: 'none', frame: json({ channel: 'none', data: l }) }),
  trade: (t: TradeInput) => ({
    topic: `trades:${t.symbol}`,
    frame: json({
      channel: 'trades',
      data: [
        {
          coin: t.symbol,
          side: t.takerSide === 'buy' ? 'B' : 'A',
          px: String(t.price),
          sz: String(t.qty),
          hash: '0x0',
          time: t.time ?? now(),
          tid: Number(t.id),
          users: ['0xa', '0xb'],
        },
      ],
    }),
  }),
  mark: (symbol, price) => ({
    topic: `activeAssetCtx:${symbol}`,
    frame: json({
      channel: 'activeAssetCtx',
      data: {
        coin: symbol,
        ctx: {
          dayNtlVlm: '1',
          prevDayPx: String(price),
          markPx: String(price),
          midPx: String(price),
          funding: '0.0000125',
          openInterest: '1000',
          oraclePx: String(price),
        },
      },
    }),
  }),
  rest: {
    '/info': () => json({ universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }] }),
  },
};

export const dialects = {
  binance: binanceDialect,
  bybit: bybitDialect,
  okx: okxDialect,
  bitmex: bitmexDialect,
  deribit: deribitDialect,
  hyperliquid: hyperliquidDialect,
};

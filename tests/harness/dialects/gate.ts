import type { Dialect } from '../fake-venue';
import { documented, json, now, parse, sinceParam, syntheticHistory } from './common';

/** BTC_USDT: one contract is 0.0001 BTC (the real multiplier). */
const MULTIPLIER: Record<string, string> = { BTC_USDT: '0.0001', ETH_USDT: '0.01', DOGE_USDT: '10' };
const multiplier = (contract: string) => Number(MULTIPLIER[contract] ?? '1');

/**
 * Gate USDT futures (API v4): `{channel, event, payload}` requests, signed contract sizes,
 * `futures.ping` → `futures.pong`, seconds in `time` and milliseconds in `*_ms`.
 */
export const gateDialect: Dialect = {
  venue: 'gate',
  acceptPath: (p) => (p === '/v4/ws/usdt' ? 'routed' : false),
  onMessage(text) {
    const req = parse(text);
    const time = Math.floor(now() / 1000);
    if (!req || typeof req.channel !== 'string')
      return { replies: [json({ time, channel: '', event: '', error: { code: 1, message: 'invalid request' }, result: null })] };
    if (req.channel === 'futures.ping')
      return { replies: [json({ time, time_ms: now(), channel: 'futures.pong', event: '', result: null })] };
    if ((req.event === 'subscribe' || req.event === 'unsubscribe') && Array.isArray(req.payload)) {
      const reply = json({ time, time_ms: now(), channel: req.channel, event: req.event, error: null, result: { status: 'success' } });
      const topics = (req.payload as string[]).map((c) => `${String(req.channel)}:${c}`);
      return { replies: [reply], ...(req.event === 'subscribe' ? { subscribed: topics } : { unsubscribed: topics }) };
    }
    return {
      replies: [json({ time, channel: req.channel, event: req.event, error: { code: 2, message: 'unknown event' }, result: null })],
    };
  },
  liquidation: (l) => {
    // The documented public_liquidates push. Negative size: a sell order, so a long was liquidated.
    const doc = documented('doc_derived.gate_pliq', {
      channel: 'futures.public_liquidates',
      event: 'update',
      time: 0,
      time_ms: 0,
      result: [{ price: 0, size: '', time_ms: 0, contract: '' }],
    });
    const t = l.time ?? now();
    const result = [
      { ...doc.result[0], price: l.price, size: String(l.liquidatedSide === 'long' ? -l.qty : l.qty), time_ms: t, contract: l.symbol },
    ];
    return {
      topic: `futures.public_liquidates:${l.symbol}`,
      frame: json({ ...doc, time: Math.floor(now() / 1000), time_ms: now(), result }),
    };
  },
  trade: (t) => {
    // futures.trades as in the docs: size signed by the taker (negative = taker sold), price a string.
    const time = t.time ?? now();
    const result = [
      {
        // Gate's trade ids are numbers: a test's text id becomes a stable number.
        id: Number(t.id) || [...t.id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7),
        create_time: Math.floor(time / 1000),
        create_time_ms: time,
        price: String(t.price),
        size: t.takerSide === 'sell' ? -t.qty : t.qty,
        contract: t.symbol,
      },
    ];
    return {
      topic: `futures.trades:${t.symbol}`,
      frame: json({ time: Math.floor(now() / 1000), time_ms: now(), channel: 'futures.trades', event: 'update', result }),
    };
  },
  mark: (symbol, price, time = now()) => ticker(symbol, price, undefined, time),
  openInterest: (symbol, qty, price, time = now()) => ticker(symbol, price, qty / multiplier(symbol), time),
  rest: {
    '/api/v4/futures/usdt/contracts': () =>
      json(
        Object.entries(MULTIPLIER).map(([name, m]) => ({
          name,
          type: 'direct',
          quanto_multiplier: m,
          order_price_round: '0.1',
          leverage_max: '125',
          in_delisting: false,
        })),
      ),
    '/api/v4/futures/usdt/candlesticks': (url) =>
      json(
        syntheticHistory(Number(url.searchParams.get('from')) * 1000 || Date.now() - 86_400_000).map((r) => ({
          t: r.time / 1000,
          v: Math.round(r.volume / multiplier(url.searchParams.get('contract') ?? '')),
          c: String(r.close),
          h: String(r.high),
          l: String(r.low),
          o: String(r.open),
          sum: String(r.volume * r.close),
        })),
      ),
    '/api/v4/futures/usdt/contract_stats': (url) =>
      json(
        syntheticHistory(Number(url.searchParams.get('from')) * 1000 || sinceParam(url, 'from')).map((r) => ({
          time: (r.time + 300_000) / 1000,
          open_interest: Math.round(r.oi / multiplier(url.searchParams.get('contract') ?? '')),
          open_interest_usd: r.oi * r.close,
          mark_price: r.close,
        })),
      ),
  },
};

/** A futures.tickers push: `total_size` is the open interest in contracts. */
function ticker(contract: string, mark: number, contracts: number | undefined, time: number) {
  const row = {
    contract,
    last: String(mark),
    mark_price: String(mark),
    index_price: String(mark),
    funding_rate: '0.0001',
    total_size: String(contracts ?? 1_000_000),
  };
  return {
    topic: `futures.tickers:${contract}`,
    frame: json({ time: Math.floor(time / 1000), time_ms: time, channel: 'futures.tickers', event: 'update', result: [row] }),
  };
}

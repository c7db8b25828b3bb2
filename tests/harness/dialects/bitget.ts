import type { Dialect } from '../fake-venue';
import { documented, json, now, parse, syntheticHistory } from './common';

/**
 * Bitget UTA v3 public socket: `{op, args:[{instType, topic, symbol}]}`, text ping/pong, one
 * liquidation topic per instType with the POSITION side and the QUOTE amount.
 */
export const bitgetDialect: Dialect = {
  venue: 'bitget',
  acceptPath: (p) => (p === '/v3/ws/public' ? 'routed' : false),
  onMessage(text) {
    if (text === 'ping') return { replies: ['pong'] };
    const req = parse(text);
    if (!req || (req.op !== 'subscribe' && req.op !== 'unsubscribe') || !Array.isArray(req.args))
      return { replies: [json({ event: 'error', code: 30001, msg: `invalid request: ${text.slice(0, 40)}` })] };
    const args = req.args as Record<string, string>[];
    const replies = args.map((a) => json({ event: req.op, arg: a }));
    const topics = args.map((a) => `${a.topic}:${a.symbol ?? a.instType}`);
    return { replies, ...(req.op === 'subscribe' ? { subscribed: topics } : { unsubscribed: topics }) };
  },
  liquidation: (l) => {
    // The recorded liquidation frame (tardis test, 2026-04). `amount` is price × coins: the quote value.
    const doc = documented('tardis_test.bitget_liq', {
      action: 'update',
      arg: { instType: 'usdt-futures', topic: 'liquidation' },
      data: [{ symbol: '', side: '', price: '', amount: '', ts: '' }],
      ts: 0,
    });
    const data = [
      {
        ...doc.data[0],
        symbol: l.symbol,
        side: l.liquidatedSide === 'long' ? 'buy' : 'sell',
        price: String(l.price),
        amount: String(l.qty * l.price),
        ts: String(l.time ?? now()),
      },
    ];
    return { topic: 'liquidation:usdt-futures', frame: json({ ...doc, data, ts: now() }) };
  },
  trade: (t) => {
    const data = [{ i: t.id, p: String(t.price), v: String(t.qty), S: t.takerSide, T: String(t.time ?? now()), L: String(t.id) }];
    const arg = { instType: 'usdt-futures', topic: 'publicTrade', symbol: t.symbol };
    return { topic: `publicTrade:${t.symbol}`, frame: json({ action: 'update', arg, data, ts: now() }) };
  },
  mark: (symbol, price, time = now()) => ticker(symbol, price, 5_000, time),
  openInterest: (symbol, qty, price, time = now()) => ticker(symbol, price, qty, time),
  rest: {
    '/api/v2/mix/market/contracts': () =>
      json({
        code: '00000',
        data: ['BTCUSDT', 'ETHUSDT', 'DOGEUSDT'].map((symbol) => ({
          symbol,
          baseCoin: symbol.replace('USDT', ''),
          quoteCoin: 'USDT',
          pricePlace: '1',
          priceEndStep: '1',
          maxLever: '125',
          symbolType: 'perpetual',
          symbolStatus: 'normal',
        })),
      }),
    '/api/v2/mix/market/candles': () =>
      json({
        code: '00000',
        data: syntheticHistory(Date.now() - 86_400_000).map((r) => [
          String(r.time),
          String(r.open),
          String(r.high),
          String(r.low),
          String(r.close),
          String(r.volume),
          String(r.volume * r.close),
        ]),
      }),
  },
};

/** A ticker push: `openInterest` in coins, `markPrice` the mark. */
function ticker(symbol: string, mark: number, openInterest: number, time: number) {
  const row = {
    lastPrice: String(mark),
    markPrice: String(mark),
    indexPrice: String(mark),
    fundingRate: '0.0001',
    openInterest: String(openInterest),
  };
  const arg = { instType: 'usdt-futures', topic: 'ticker', symbol };
  return { topic: `ticker:${symbol}`, frame: json({ action: 'update', arg, data: [row], ts: time }) };
}

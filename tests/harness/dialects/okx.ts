import type { Dialect } from '../fake-venue';
import { documented, json, now, parse, sinceParam, syntheticHistory } from './common';

/** OKX v5: contracts, text ping/pong, one liquidation channel for all swaps. */
export const okxDialect: Dialect = {
  venue: 'okx',
  acceptPath: (p) => (p === '/ws/v5/public' ? 'routed' : false),
  onMessage(text) {
    if (text === 'ping') return { replies: ['pong'] };
    const req = parse(text);
    if (!req || (req.op !== 'subscribe' && req.op !== 'unsubscribe') || !Array.isArray(req.args))
      return { replies: [json({ event: 'error', code: '60012', msg: `Invalid request: ${text}` })] };
    const topics: string[] = [];
    const replies: string[] = [];
    for (const a of req.args as Record<string, string>[]) {
      topics.push(`${a.channel}:${a.instId ?? a.instType}`);
      replies.push(json({ event: req.op, arg: a, connId: 'fake' }));
    }
    return { replies, ...(req.op === 'subscribe' ? { subscribed: topics } : { unsubscribed: topics }) };
  },
  liquidation: (l) => {
    // The documented liquidation-orders frame. `side` is the liquidation ORDER's side: sell closes a
    // long; `posSide` is the position (long/short in hedge mode, net in one-way mode). Sizes are contracts.
    const doc = documented('doc.ok_liq', {
      arg: { channel: 'liquidation-orders', instType: 'SWAP' },
      data: [
        {
          details: [{ bkLoss: '0', bkPx: '', ccy: '', posSide: '', side: '', sz: '', ts: '' }],
          instFamily: '',
          instId: '',
          instType: 'SWAP',
          uly: '',
        },
      ],
    });
    const family = l.symbol.replace(/-SWAP$/, '');
    const detail = {
      ...doc.data[0].details[0],
      bkPx: String(l.price),
      posSide: l.liquidatedSide,
      side: l.liquidatedSide === 'long' ? 'sell' : 'buy',
      sz: String(l.qty),
      ts: String(l.time ?? now()),
    };
    const data = [{ ...doc.data[0], details: [detail], instFamily: family, instId: l.symbol, uly: family }];
    return { topic: 'liquidation-orders:SWAP', frame: json({ ...doc, data }) };
  },
  trade: (t) => {
    const doc = documented('doc.ok_trades', {
      arg: { channel: 'trades', instId: '' },
      data: [{ instId: '', tradeId: '', px: '', sz: '', side: '', ts: '', count: '1' }],
    });
    const data = [
      {
        ...doc.data[0],
        instId: t.symbol,
        tradeId: t.id,
        px: String(t.price),
        sz: String(t.qty),
        side: t.takerSide,
        ts: String(t.time ?? now()),
      },
    ];
    return { topic: `trades:${t.symbol}`, frame: json({ ...doc, arg: { ...doc.arg, instId: t.symbol }, data }) };
  },
  mark: (symbol, price, time = now()) => {
    const doc = documented('doc.ok_mark', {
      arg: { channel: 'mark-price', instId: '' },
      data: [{ instType: 'SWAP', instId: '', markPx: '', ts: '' }],
    });
    const data = [{ ...doc.data[0], instType: 'SWAP', instId: symbol, markPx: String(price), ts: String(time) }];
    return { topic: `mark-price:${symbol}`, frame: json({ ...doc, arg: { ...doc.arg, instId: symbol }, data }) };
  },
  openInterest: (symbol, qty, price, time = now()) => {
    // `oi` is contracts (BTC-USDT-SWAP: 0.01 BTC each), `oiCcy` the coin.
    const doc = documented('doc.ok_oi', {
      arg: { channel: 'open-interest', instId: '' },
      data: [{ instId: '', instType: 'SWAP', oi: '', oiCcy: '', oiUsd: '', ts: '' }],
    });
    const data = [
      { ...doc.data[0], instId: symbol, oi: String(qty * 100), oiCcy: String(qty), oiUsd: String(qty * price), ts: String(time) },
    ];
    return { topic: `open-interest:${symbol}`, frame: json({ ...doc, arg: { ...doc.arg, instId: symbol }, data }) };
  },
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

import type { Dialect, LiquidationInput, Publication, TradeInput } from '../fake-venue';
import { json, now, parse, recorded } from './common';

/** Hyperliquid: method-style subscribe, B/A sides, JSON ping/pong; no liquidation feed at all. */
export const hyperliquidDialect: Dialect = {
  venue: 'hyperliquid',
  acceptPath: (p) => (p === '/ws' ? 'routed' : false),
  onMessage(text) {
    const req = parse(text);
    if (!req) return { replies: [json({ channel: 'error', data: `Invalid request: ${text}` })] };
    if (req.method === 'ping') return { replies: [json({ channel: 'pong' })] };
    const sub = req.subscription as { type?: string; coin?: string } | undefined;
    if ((req.method === 'subscribe' || req.method === 'unsubscribe') && sub?.type) {
      const topic = `${sub.type}:${sub.coin}`;
      return {
        replies: [json({ channel: 'subscriptionResponse', data: { method: req.method, subscription: sub } })],
        ...(req.method === 'subscribe' ? { subscribed: [topic] } : { unsubscribed: [topic] }),
      };
    }
    return { replies: [json({ channel: 'error', data: `Invalid request: ${text}` })] };
  },
  liquidation: (l: LiquidationInput): Publication => ({ topic: 'none', frame: json({ channel: 'none', data: l }) }),
  trade: (t: TradeInput) => {
    // A trades frame as recorded from Hyperliquid (no WebSocket sample is documented): side B = the
    // taker bought, A = sold; `users` are [buyer, seller].
    const doc = recorded('hyperliquid-btc-2025-01-26.rec.jsonl.gz', 'trades', {
      channel: 'trades',
      data: [{ coin: '', hash: '0x0', px: '', side: '', sz: '', tid: 0, time: 0, users: ['0xa', '0xb'] }] as Record<string, unknown>[],
    });
    const data = [
      {
        ...doc.data[0],
        coin: t.symbol,
        side: t.takerSide === 'buy' ? 'B' : 'A',
        px: String(t.price),
        sz: String(t.qty),
        time: t.time ?? now(),
        tid: Number(t.id),
      },
    ];
    return { topic: `trades:${t.symbol}`, frame: json({ ...doc, data }) };
  },
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

/**
 * OKX v5 perpetual swaps.
 *
 * Side: `liquidation-orders` `details[].side` is the side of the liquidation *order*: `sell`
 * closes a long, `buy` closes a short (whatever `posSide` says: `net` in one-way mode).
 * Units: sizes are CONTRACTS. Linear (`BTC-USDT-SWAP`): coins = sz × ctVal (0.01 BTC);
 * inverse (`BTC-USD-SWAP`): USD = sz × ctVal (100 USD). ctVal comes from `/api/v5/public/instruments`;
 * an instrument without a known ctVal is an error, never treated as coins.
 * One `liquidation-orders` subscription covers every swap. OKX says the feed "doesn't represent the
 * total number of liquidations", and its pushes are not always in time order.
 * Heartbeat: the plain text `ping` (not JSON) → `pong`; OKX cuts connections silent for 30 s.
 */
import { VENUE_INFO } from './catalog';
import { failed, isPositive, isRecord, neverThrows, parseJson, preview, skipped, toNumber } from './parse-util';
import { markEvent, tradeEvent } from './events';
import { normalizeBase, sizeFromContracts } from './specs';
import {
  instrumentKey,
  type BackfillSource,
  type ConnectionPlan,
  type InstrumentSpec,
  type MarketEvent,
  type ParseOutcome,
  type SpecLookup,
  type VenueAdapter,
  type VenueEndpoints,
} from './types';

/** 480 subscribe requests per connection per hour: batch instruments, several args per request. */
const ARGS_PER_MESSAGE = 20;
/** Keep connections small so one resubscribe costs few of those 480. */
const INSTRUMENTS_PER_CONNECTION = 60;

const instrumentArgs = (instIds: string[]): Record<string, string>[] =>
  instIds.flatMap((instId) => [
    { channel: 'trades', instId },
    { channel: 'open-interest', instId },
    { channel: 'mark-price', instId },
  ]);

function argFrames(op: 'subscribe' | 'unsubscribe', args: Record<string, string>[]): string[] {
  const frames: string[] = [];
  for (let j = 0; j < args.length; j += ARGS_PER_MESSAGE) frames.push(JSON.stringify({ op, args: args.slice(j, j + ARGS_PER_MESSAGE) }));
  return frames;
}

function connections(endpoints: VenueEndpoints, symbols: string[], { venueWide = true } = {}): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (let i = 0; i < Math.max(1, symbols.length); i += INSTRUMENTS_PER_CONNECTION) {
    const chunk = symbols.slice(i, i + INSTRUMENTS_PER_CONNECTION);
    const args = instrumentArgs(chunk);
    // The liquidation channel covers all swaps: subscribe it on the first connection only.
    if (i === 0 && venueWide) args.unshift({ channel: 'liquidation-orders', instType: 'SWAP' });
    plans.push({
      id: `okx/public-${plans.length}`,
      url: `${endpoints.ws.replace(/\/+$/, '')}/ws/v5/public`,
      subscribeFrames: argFrames('subscribe', args),
      symbols: chunk,
      keepalive: { frame: 'ping', everyMs: 20_000 },
      staleAfterMs: 40_000,
    });
  }
  return plans;
}

/** Built-in contract values for the majors, used until the instrument list arrives. */
const DEFAULT_SPECS: InstrumentSpec[] = [
  ['BTC-USDT-SWAP', 'BTC', 'USDT', false, 0.01, 0.1],
  ['ETH-USDT-SWAP', 'ETH', 'USDT', false, 0.1, 0.01],
  ['SOL-USDT-SWAP', 'SOL', 'USDT', false, 1, 0.01],
  ['BTC-USD-SWAP', 'BTC', 'USD', true, 100, 0.1],
  ['ETH-USD-SWAP', 'ETH', 'USD', true, 10, 0.01],
].map(([symbol, base, quote, inverse, contractSize, tickSize]) => ({
  venue: 'okx' as const,
  symbol: symbol as string,
  base: base as string,
  quote: quote as string,
  inverse: inverse as boolean,
  contractSize: contractSize as number,
  baseMultiplier: 1,
  tickSize: tickSize as number,
}));

export function createParser(specs: SpecLookup) {
  const unsized = (instId: string) =>
    failed(`no contract size for OKX ${instId} yet (instrument list not loaded): not sized rather than guessed`);

  const liquidations = (data: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    const unsizedIds: string[] = [];
    for (const item of data) {
      if (!isRecord(item) || typeof item.instId !== 'string' || !Array.isArray(item.details))
        return failed(`liquidation-orders item malformed: ${preview(item)}`);
      if (item.instType !== 'SWAP' && item.instType !== undefined) continue; // futures, options: not followed
      const spec = specs.get(item.instId);
      if (!spec) {
        unsizedIds.push(item.instId);
        continue;
      }
      for (const d of item.details) {
        if (!isRecord(d)) return failed(`liquidation detail malformed: ${preview(d)}`);
        const price = toNumber(d.bkPx);
        const sz = toNumber(d.sz);
        const time = toNumber(d.ts);
        if (d.side !== 'buy' && d.side !== 'sell') return failed(`liquidation with unknown side ${preview(d.side)}`);
        if (!isPositive(price) || !isPositive(sz) || !isPositive(time)) return failed(`liquidation with bad numbers: ${preview(d)}`);
        out.push({
          kind: 'liquidation',
          venue: 'okx',
          instrument: instrumentKey('okx', item.instId),
          liquidatedSide: d.side === 'sell' ? 'long' : 'short',
          price,
          ...sizeFromContracts(spec, sz, price),
          exchangeTime: time,
          receiveTime,
        });
      }
    }
    if (out.length) return { status: 'events', events: out };
    return unsizedIds.length ? unsized(unsizedIds[0]) : skipped('liquidations of instruments not followed');
  };

  const trades = (data: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const d of data) {
      if (!isRecord(d) || typeof d.instId !== 'string') return failed(`trade malformed: ${preview(d)}`);
      const spec = specs.get(d.instId);
      if (!spec) return unsized(d.instId);
      const price = toNumber(d.px);
      const sz = toNumber(d.sz);
      const time = toNumber(d.ts);
      if ((d.side !== 'buy' && d.side !== 'sell') || !isPositive(price) || !isPositive(sz) || !isPositive(time))
        return failed(`trade with bad fields: ${preview(d)}`);
      const tradeId = typeof d.tradeId === 'string' ? d.tradeId : undefined;
      out.push(
        tradeEvent('okx', instrumentKey('okx', d.instId), d.side, price, sizeFromContracts(spec, sz, price), time, receiveTime, tradeId),
      );
    }
    return { status: 'events', events: out };
  };

  const openInterest = (data: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const d of data) {
      if (!isRecord(d) || typeof d.instId !== 'string') return failed(`open-interest malformed: ${preview(d)}`);
      // oiCcy is already in coins for linear and inverse swaps alike.
      const coins = toNumber(d.oiCcy);
      const usd = toNumber(d.oiUsd);
      const time = toNumber(d.ts);
      if (!(coins >= 0) || !isPositive(time)) return failed(`open-interest with bad numbers: ${preview(d)}`);
      out.push({
        kind: 'openInterest',
        venue: 'okx',
        instrument: instrumentKey('okx', d.instId),
        baseQty: coins,
        ...(usd >= 0 ? { notionalUsd: usd } : {}),
        exchangeTime: time,
        receiveTime,
      });
    }
    return { status: 'events', events: out };
  };

  const markPrice = (data: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const d of data) {
      if (!isRecord(d) || typeof d.instId !== 'string') return failed(`mark-price malformed: ${preview(d)}`);
      const mark = toNumber(d.markPx);
      const time = toNumber(d.ts);
      if (!isPositive(mark) || !isPositive(time)) return failed(`mark-price with bad numbers: ${preview(d)}`);
      out.push(markEvent('okx', instrumentKey('okx', d.instId), mark, time, receiveTime));
    }
    return { status: 'events', events: out };
  };

  return neverThrows((frame, receiveTime) => {
    if (frame === 'pong') return skipped('pong');
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg)) return failed(`unknown message: ${preview(frame)}`);
    if (msg.event === 'error') return failed(`OKX error ${String(msg.code)}: ${String(msg.msg)}`);
    if (typeof msg.event === 'string') return skipped(`${msg.event} event`);
    const channel = isRecord(msg.arg) ? msg.arg.channel : undefined;
    if (!Array.isArray(msg.data)) return failed(`unknown message: ${preview(frame)}`);
    switch (channel) {
      case 'liquidation-orders':
        return liquidations(msg.data, receiveTime);
      case 'trades':
        return trades(msg.data, receiveTime);
      case 'open-interest':
        return openInterest(msg.data, receiveTime);
      case 'mark-price':
        return markPrice(msg.data, receiveTime);
      case 'funding-rate':
      case 'tickers':
        return skipped(channel);
    }
    return failed(`unknown channel ${preview(channel)}`);
  });
}

/** `GET /api/v5/public/instruments?instType=SWAP`: ctVal, ctType, tick size and max leverage per swap. */
function parseInstruments(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  const v = parsed.ok ? parsed.value : undefined;
  if (!isRecord(v) || !Array.isArray(v.data)) return { error: `instruments without data: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const i of v.data) {
    if (!isRecord(i) || typeof i.instId !== 'string') continue;
    const ctVal = toNumber(i.ctVal);
    const ctMult = toNumber(i.ctMult) || 1;
    if (!isPositive(ctVal) || (i.ctType !== 'linear' && i.ctType !== 'inverse')) continue;
    const [base, quote] = i.instId.split('-');
    const tick = toNumber(i.tickSz);
    const lever = toNumber(i.lever);
    specs.push({
      venue: 'okx',
      symbol: i.instId,
      base: normalizeBase(base),
      quote: quote ?? 'USDT',
      inverse: i.ctType === 'inverse',
      contractSize: ctVal * ctMult,
      baseMultiplier: 1,
      ...(isPositive(tick) ? { tickSize: tick } : {}),
      ...(isPositive(lever) ? { maxLeverage: lever } : {}),
    });
  }
  return specs.length ? specs : { error: 'instruments listed no swap with a contract value' };
}

/**
 * Backfill: `/api/v5/market/history-candles` (5-minute; `volCcy` is the coin volume of a swap) and
 * `/api/v5/rubik/stat/contracts/open-interest-history` (`oiCcy` in coins). No taker split: inferred
 * from each candle's direction.
 */
const backfill: BackfillSource = {
  requests(endpoints, symbol, since) {
    const rest = endpoints.rest.replace(/\/+$/, '');
    const id = encodeURIComponent(symbol);
    return [
      { url: `${rest}/api/v5/market/history-candles?instId=${id}&bar=5m&limit=300` },
      { url: `${rest}/api/v5/rubik/stat/contracts/open-interest-history?instId=${id}&period=5m&begin=${Math.floor(since)}&limit=288` },
    ];
  },
  parse([candleBody, oiBody]) {
    const rows = (body: string | undefined) => {
      const v = parseJson(body ?? '');
      return v.ok && isRecord(v.value) && Array.isArray(v.value.data) ? v.value.data : undefined;
    };
    const candleRows = rows(candleBody);
    const oiRows = rows(oiBody);
    if (!candleRows) return { error: `history-candles without data: ${preview(candleBody)}` };
    if (!oiRows) return { error: `open-interest-history without data: ${preview(oiBody)}` };
    const candles = candleRows.flatMap((r) => {
      if (!Array.isArray(r) || r.length < 7) return [];
      const [time, open, high, low, close, , volCcy, volQuote] = r.map(toNumber);
      return isPositive(time) && isPositive(open)
        ? [{ time, open, high, low, close, volume: volCcy, quoteVolume: Number.isFinite(volQuote) ? volQuote : undefined }]
        : [];
    });
    const openInterest = oiRows.flatMap((r) => {
      if (!Array.isArray(r) || r.length < 3) return [];
      const time = toNumber(r[0]);
      const coins = toNumber(r[2]);
      return isPositive(time) && coins >= 0 ? [{ time, coins }] : [];
    });
    return { candles, openInterest, intervalMs: 300_000 };
  },
};

export const okx: VenueAdapter = {
  ...VENUE_INFO.okx,
  connections,
  liveFrames: (action, symbols) => argFrames(action, instrumentArgs(symbols)),
  maxSymbolsPerConnection: INSTRUMENTS_PER_CONNECTION,
  createParser,
  backfill,
  restLimit: 'instruments: 20 requests / 2 s per IP; rubik statistics: 5 requests / 2 s',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/api/v5/public/instruments?instType=SWAP` }),
    parse: parseInstruments,
    defaults: DEFAULT_SPECS,
  },
};

/**
 * Bitget USDT-M perpetuals, over the UTA v3 public WebSocket (`/v3/ws/public`, which carries the
 * `liquidation` topic; the older v2 socket has none).
 *
 * Side: `liquidation` `side` is the side of the *position*: `buy` means a LONG was liquidated (as
 * Bybit, unlike Binance and OKX). `publicTrade` `S` is the taker side.
 * Units: trade `v` and ticker `openInterest` are base coin. Liquidation `amount` is the QUOTE value
 * (USDT): in the venue's own samples `amount` ÷ `price` is a whole lot (13.70319 ÷ 0.1649 = 83.1
 * APE; 143.330431857868 ÷ 0.500280739469 = 286.5 IP) while `amount` itself has the price's
 * precision, so the coins are `amount / price`.
 * Completeness: the largest long and the largest short per symbol per second; a sample.
 * Limits: 10 messages a second per connection (subscribe frames are paced), 1 000 channels per
 * connection; text `ping` at least every 30 s or the server closes after 2 minutes; connections are
 * cut after 24 h (rotated before).
 * `publicTrade` opens with a snapshot of past trades: skipped (they predate this connection and
 * would be counted as new flow).
 */
import { VENUE_INFO } from './catalog';
import { failed, isPositive, isRecord, neverThrows, parseJson, preview, skipped, toNumber } from './parse-util';
import { markEvent, tradeEvent } from './events';
import { linearSpec } from './specs';
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

const INST_TYPE = 'usdt-futures';
/** Arguments per subscribe message: Bitget caps a request at 4 096 bytes. */
const ARGS_PER_MESSAGE = 10;
/** Two channels per symbol, well inside the 1 000 channels a connection may hold. */
const SYMBOLS_PER_CONNECTION = 200;

export function bitgetArgs(symbols: string[], withLiquidations: boolean): Record<string, string>[] {
  const args = symbols.flatMap((symbol) => [
    { instType: INST_TYPE, topic: 'publicTrade', symbol },
    { instType: INST_TYPE, topic: 'ticker', symbol },
  ]);
  // One liquidation topic covers every USDT-M symbol.
  if (withLiquidations) args.unshift({ instType: INST_TYPE, topic: 'liquidation' } as (typeof args)[number]);
  return args;
}

function argFrames(op: 'subscribe' | 'unsubscribe', args: Record<string, string>[]): string[] {
  const frames: string[] = [];
  for (let j = 0; j < args.length; j += ARGS_PER_MESSAGE) frames.push(JSON.stringify({ op, args: args.slice(j, j + ARGS_PER_MESSAGE) }));
  return frames;
}

function connections(endpoints: VenueEndpoints, symbols: string[], { venueWide = true } = {}): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (let i = 0; i < Math.max(1, symbols.length); i += SYMBOLS_PER_CONNECTION) {
    const chunk = symbols.slice(i, i + SYMBOLS_PER_CONNECTION);
    plans.push({
      id: `bitget/public-${plans.length}`,
      url: `${endpoints.ws.replace(/\/+$/, '')}/v3/ws/public`,
      subscribeFrames: argFrames('subscribe', bitgetArgs(chunk, i === 0 && venueWide)),
      symbols: chunk,
      keepalive: { frame: 'ping', everyMs: 25_000 },
      // Pongs arrive every 25 s even on a quiet market.
      staleAfterMs: 60_000,
      maxLifetimeMs: 23.5 * 60 * 60 * 1000,
      maxMessagesPerSecond: 10,
    });
  }
  return plans;
}

function bitgetSpec(symbol: string, extra: Partial<InstrumentSpec> = {}): InstrumentSpec {
  const quote = symbol.endsWith('USDC') ? 'USDC' : 'USDT';
  return linearSpec('bitget', symbol, symbol.replace(/(USDT|USDC)$/, ''), quote, extra);
}

export function createParser(specs: SpecLookup) {
  const spec = (symbol: string) => specs.get(symbol) ?? bitgetSpec(symbol);

  const liquidations = (data: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const l of data) {
      if (!isRecord(l) || typeof l.symbol !== 'string') return failed(`liquidation item malformed: ${preview(l)}`);
      const price = toNumber(l.price);
      const quoteAmount = toNumber(l.amount);
      const time = toNumber(l.ts);
      if (l.side !== 'buy' && l.side !== 'sell') return failed(`liquidation with unknown side ${preview(l.side)}`);
      if (!isPositive(price) || !isPositive(quoteAmount) || !isPositive(time)) return failed(`liquidation with bad numbers: ${preview(l)}`);
      const s = spec(l.symbol);
      out.push({
        kind: 'liquidation',
        venue: 'bitget',
        instrument: instrumentKey('bitget', l.symbol),
        liquidatedSide: l.side === 'buy' ? 'long' : 'short',
        price,
        baseQty: (quoteAmount / price) * s.baseMultiplier,
        notionalUsd: quoteAmount,
        exchangeTime: time,
        receiveTime,
      });
    }
    return out.length ? { status: 'events', events: out } : skipped('empty liquidation batch');
  };

  const trades = (symbol: string, data: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    const s = spec(symbol);
    const instrument = instrumentKey('bitget', symbol);
    for (const t of data) {
      if (!isRecord(t)) return failed(`trade malformed: ${preview(t)}`);
      const price = toNumber(t.p);
      const qty = toNumber(t.v);
      const time = toNumber(t.T);
      if ((t.S !== 'buy' && t.S !== 'sell') || !isPositive(price) || !isPositive(qty) || !isPositive(time))
        return failed(`trade with bad fields: ${preview(t)}`);
      const id = typeof t.i === 'string' ? t.i : undefined;
      const lots = qty;
      out.push(
        tradeEvent(
          'bitget',
          instrument,
          t.S,
          price,
          { baseQty: lots * s.baseMultiplier, notionalUsd: lots * price },
          time,
          receiveTime,
          id,
        ),
      );
    }
    return { status: 'events', events: out };
  };

  const ticker = (symbol: string, data: unknown[], frameTime: number, receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    const instrument = instrumentKey('bitget', symbol);
    for (const t of data) {
      if (!isRecord(t)) return failed(`ticker malformed: ${preview(t)}`);
      const mark = toNumber(t.markPrice);
      if (!isPositive(mark) || !isPositive(frameTime)) return failed(`ticker with bad numbers: ${preview(t)}`);
      out.push(markEvent('bitget', instrument, mark, frameTime, receiveTime, toNumber(t.indexPrice), toNumber(t.fundingRate)));
      const oi = toNumber(t.openInterest);
      if (oi >= 0) {
        const coins = oi * spec(symbol).baseMultiplier;
        out.push({
          kind: 'openInterest',
          venue: 'bitget',
          instrument,
          baseQty: coins,
          notionalUsd: oi * mark,
          exchangeTime: frameTime,
          receiveTime,
        });
      }
    }
    return { status: 'events', events: out };
  };

  return neverThrows((frame, receiveTime) => {
    if (frame === 'pong') return skipped('pong');
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg)) return failed(`unknown message: ${preview(frame)}`);
    if (msg.event === 'error') return failed(`Bitget error ${String(msg.code)}: ${String(msg.msg)}`);
    if (typeof msg.event === 'string') return skipped(`${msg.event} event`);
    const arg = msg.arg;
    if (!isRecord(arg) || typeof arg.topic !== 'string' || !Array.isArray(msg.data)) return failed(`unknown message: ${preview(frame)}`);
    if (arg.instType !== undefined && String(arg.instType).toLowerCase() !== INST_TYPE)
      return skipped(`${String(arg.instType)} not followed`);
    const symbol = typeof arg.symbol === 'string' ? arg.symbol : undefined;
    switch (arg.topic) {
      case 'liquidation':
        return liquidations(msg.data, receiveTime);
      case 'publicTrade':
        if (msg.action === 'snapshot') return skipped('trades from before this connection');
        return symbol ? trades(symbol, msg.data, receiveTime) : failed(`publicTrade without a symbol: ${preview(frame)}`);
      case 'ticker':
        return symbol ? ticker(symbol, msg.data, toNumber(msg.ts), receiveTime) : failed(`ticker without a symbol: ${preview(frame)}`);
      case 'books':
      case 'books1':
      case 'books5':
      case 'books50':
      case 'kline':
        return skipped(arg.topic);
    }
    return failed(`unknown topic ${preview(arg.topic)}`);
  });
}

/** `GET /api/v2/mix/market/contracts?productType=USDT-FUTURES`: perpetuals with tick size and leverage. */
function parseContracts(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  const v = parsed.ok ? parsed.value : undefined;
  if (!isRecord(v) || !Array.isArray(v.data)) return { error: `contracts without data: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const c of v.data) {
    if (!isRecord(c) || typeof c.symbol !== 'string') continue;
    if (c.symbolType !== undefined && c.symbolType !== 'perpetual') continue;
    if (c.symbolStatus !== undefined && c.symbolStatus !== 'normal') continue;
    const places = toNumber(c.pricePlace);
    const step = toNumber(c.priceEndStep) || 1;
    const lever = toNumber(c.maxLever);
    specs.push(
      bitgetSpec(c.symbol, {
        ...(places >= 0 ? { tickSize: step * 10 ** -places } : {}),
        ...(isPositive(lever) ? { maxLeverage: lever } : {}),
      }),
    );
  }
  return specs.length ? specs : { error: 'contracts listed no perpetual' };
}

/**
 * Backfill: `GET /api/v2/mix/market/candles` (the latest 288 five-minute candles: a day; base and
 * quote volume). Bitget publishes no open-interest history, so the estimate's first hours come from
 * price and flow only, and open interest joins from the live ticker.
 */
const backfill: BackfillSource = {
  requests(endpoints, symbol) {
    const rest = endpoints.rest.replace(/\/+$/, '');
    return [
      { url: `${rest}/api/v2/mix/market/candles?symbol=${encodeURIComponent(symbol)}&productType=USDT-FUTURES&granularity=5m&limit=288` },
    ];
  },
  parse([body]) {
    const parsed = parseJson(body ?? '');
    const v = parsed.ok ? parsed.value : undefined;
    if (!isRecord(v) || !Array.isArray(v.data)) return { error: `candles without data: ${preview(body)}` };
    const candles = v.data.flatMap((r) => {
      if (!Array.isArray(r) || r.length < 7) return [];
      const [time, open, high, low, close, volume, quoteVolume] = r.map(toNumber);
      return isPositive(time) && isPositive(open) && volume >= 0
        ? [{ time, open, high, low, close, volume, quoteVolume: quoteVolume >= 0 ? quoteVolume : undefined }]
        : [];
    });
    return { candles, openInterest: [], intervalMs: 300_000 };
  },
};

export const bitget: VenueAdapter = {
  ...VENUE_INFO.bitget,
  connections,
  liveFrames: (action, symbols) => argFrames(action, bitgetArgs(symbols, false)),
  maxSymbolsPerConnection: SYMBOLS_PER_CONNECTION,
  createParser,
  backfill,
  restLimit: 'market endpoints: 20 requests / s per IP',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/api/v2/mix/market/contracts?productType=USDT-FUTURES` }),
    parse: parseContracts,
    defaults: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((s) => bitgetSpec(s)),
  },
};

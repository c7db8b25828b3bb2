/**
 * dYdX v4 perpetuals, from the public indexer.
 *
 * Liquidations have no channel of their own: `v4_trades` trades carry `type: "LIQUIDATED"`, and
 * `side` is the taker's, which is the liquidation order: `SELL` closed a LONG. `DELEVERAGED` trades
 * close a *profitable* position against a bankrupt one off the book: neither a liquidation of the
 * market's flow nor taker flow, so they are left out (and counted as skipped when a frame has nothing else).
 * Units: sizes, `openInterest` and `startingOpenInterest` are base coin; prices USD (USDC).
 * Mark: the oracle price (what dYdX liquidates against), from `v4_markets`, which covers every market
 * on one subscription: only markets this connection follows become events.
 * Subscribing `v4_trades` re-delivers recent trades (past liquidations too): trade ids drop repeats
 * after a reconnect.
 * Heartbeat: the server sends a protocol ping every 30 s and cuts a client that does not pong
 * within 10 s; browsers answer those themselves, so no application keepalive. Oracle updates
 * arrive every few seconds, so a socket silent for 60 s is dead.
 * Limits: subscribe at most 2 per (connection, channel, id) a second; messages are paced.
 */
import { VENUE_INFO } from './catalog';
import { failed, isPositive, isRecord, neverThrows, parseJson, preview, skipped, toNumber, toTime } from './parse-util';
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

/** Markets per connection: each is one subscription, and one drop should cost few. */
const MARKETS_PER_CONNECTION = 30;

function liveFrames(type: 'subscribe' | 'unsubscribe', markets: string[]): string[] {
  return markets.map((id) => JSON.stringify({ type, channel: 'v4_trades', id }));
}

function connections(endpoints: VenueEndpoints, symbols: string[]): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (let i = 0; i < Math.max(1, symbols.length); i += MARKETS_PER_CONNECTION) {
    const chunk = symbols.slice(i, i + MARKETS_PER_CONNECTION);
    plans.push({
      id: `dydx/indexer-${plans.length}`,
      url: `${endpoints.ws.replace(/\/+$/, '')}/v4/ws`,
      // Trades first: the parser learns the connection's markets from their acks, and the markets
      // snapshot that follows is then read for those.
      subscribeFrames: [...liveFrames('subscribe', chunk), JSON.stringify({ type: 'subscribe', channel: 'v4_markets' })],
      symbols: chunk,
      staleAfterMs: 60_000,
      maxMessagesPerSecond: 10,
    });
  }
  return plans;
}

function dydxSpec(symbol: string, extra: Partial<InstrumentSpec> = {}): InstrumentSpec {
  const [base, quote = 'USD'] = symbol.split('-');
  return linearSpec('dydx', symbol, base, quote, extra);
}

export function createParser(specs: SpecLookup) {
  /** Markets this connection subscribed trades of: `v4_markets` covers all of them. */
  const followed = new Set<string>();

  const trades = (market: string, contents: unknown, receiveTime: number): ParseOutcome => {
    if (!isRecord(contents) || !Array.isArray(contents.trades)) return failed(`v4_trades without trades: ${preview(contents)}`);
    const out: MarketEvent[] = [];
    const instrument = instrumentKey('dydx', market);
    const s = specs.get(market) ?? dydxSpec(market);
    for (const t of contents.trades) {
      if (!isRecord(t)) return failed(`trade malformed: ${preview(t)}`);
      const price = toNumber(t.price);
      const size = toNumber(t.size);
      const time = toTime(t.createdAt);
      if ((t.side !== 'BUY' && t.side !== 'SELL') || !isPositive(price) || !isPositive(size) || !isPositive(time))
        return failed(`trade with bad fields: ${preview(t)}`);
      if (t.type === 'DELEVERAGED') continue;
      const id = typeof t.id === 'string' ? t.id : undefined;
      const takerSide = t.side === 'BUY' ? 'buy' : 'sell';
      const sized = { baseQty: size * s.baseMultiplier, notionalUsd: size * price };
      out.push(tradeEvent('dydx', instrument, takerSide, price, sized, time, receiveTime, id));
      if (t.type === 'LIQUIDATED') {
        out.push({
          kind: 'liquidation',
          venue: 'dydx',
          instrument,
          ...(id ? { liquidationId: id } : {}),
          liquidatedSide: takerSide === 'sell' ? 'long' : 'short',
          price,
          ...sized,
          exchangeTime: time,
          receiveTime,
        });
      }
    }
    return out.length ? { status: 'events', events: out } : skipped('deleveraging only');
  };

  /** `v4_markets`: the subscribe snapshot (`markets`) or an update (`trading`, `oraclePrices`). */
  const markets = (contents: unknown, frameTime: number, receiveTime: number): ParseOutcome => {
    if (!isRecord(contents)) return failed(`v4_markets without contents: ${preview(contents)}`);
    const out: MarketEvent[] = [];
    const oracle = new Map<string, { price: number; time: number }>();
    const interest = new Map<string, number>();
    const read = (table: unknown, fn: (market: string, row: Record<string, unknown>) => void) => {
      if (!isRecord(table)) return;
      for (const [market, row] of Object.entries(table)) if (followed.has(market) && isRecord(row)) fn(market, row);
    };
    read(contents.markets, (market, row) => {
      const price = toNumber(row.oraclePrice);
      if (isPositive(price)) oracle.set(market, { price, time: frameTime });
      const oi = toNumber(row.openInterest);
      if (oi >= 0) interest.set(market, oi);
    });
    read(contents.oraclePrices, (market, row) => {
      const price = toNumber(row.oraclePrice);
      const time = toTime(row.effectiveAt);
      if (isPositive(price)) oracle.set(market, { price, time: isPositive(time) ? time : frameTime });
    });
    read(contents.trading, (market, row) => {
      const oi = toNumber(row.openInterest);
      if (oi >= 0) interest.set(market, oi);
      const price = toNumber(row.oraclePrice);
      if (isPositive(price) && !oracle.has(market)) oracle.set(market, { price, time: frameTime });
    });
    for (const [market, { price, time }] of oracle) out.push(markEvent('dydx', instrumentKey('dydx', market), price, time, receiveTime));
    for (const [market, coins] of interest) {
      const price = oracle.get(market)?.price;
      out.push({
        kind: 'openInterest',
        venue: 'dydx',
        instrument: instrumentKey('dydx', market),
        baseQty: coins,
        ...(price ? { notionalUsd: coins * price } : {}),
        exchangeTime: frameTime,
        receiveTime,
      });
    }
    return out.length ? { status: 'events', events: out } : skipped('markets not followed');
  };

  return neverThrows((frame, receiveTime) => {
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg) || typeof msg.type !== 'string') return failed(`unknown message: ${preview(frame)}`);
    switch (msg.type) {
      case 'connected':
        return skipped('connected');
      case 'error':
        return failed(`dYdX error: ${String(msg.message)}`);
      case 'unsubscribed':
        if (typeof msg.id === 'string') followed.delete(msg.id);
        return skipped('unsubscribed');
      case 'subscribed':
      case 'channel_data':
        break;
      default:
        return failed(`unknown message type ${preview(msg.type)}`);
    }
    if (msg.channel === 'v4_trades') {
      if (typeof msg.id !== 'string') return failed(`v4_trades without a market id: ${preview(frame)}`);
      followed.add(msg.id);
      return trades(msg.id, msg.contents, receiveTime);
    }
    if (msg.channel === 'v4_markets') return markets(msg.contents, receiveTime, receiveTime);
    if (msg.channel === 'v4_orderbook' || msg.channel === 'v4_candles') return skipped(msg.channel);
    return failed(`unknown channel ${preview(msg.channel)}`);
  });
}

/** `GET /v4/perpetualMarkets`: every market with tick size and initial margin (so max leverage). */
function parseMarkets(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  const v = parsed.ok ? parsed.value : undefined;
  if (!isRecord(v) || !isRecord(v.markets)) return { error: `perpetualMarkets without markets: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const [ticker, m] of Object.entries(v.markets)) {
    if (!isRecord(m) || (m.status !== undefined && m.status !== 'ACTIVE')) continue;
    const tick = toNumber(m.tickSize);
    const imf = toNumber(m.initialMarginFraction);
    specs.push(
      dydxSpec(typeof m.ticker === 'string' ? m.ticker : ticker, {
        ...(isPositive(tick) ? { tickSize: tick } : {}),
        ...(isPositive(imf) ? { maxLeverage: Math.round(1 / imf) } : {}),
      }),
    );
  }
  return specs.length ? specs : { error: 'perpetualMarkets listed no active market' };
}

/**
 * Backfill: `GET /v4/candles/perpetualMarkets/{market}?resolution=5MINS` (newest first; base and
 * USD volume, and each candle's `startingOpenInterest`: the open-interest series comes with it).
 */
const backfill: BackfillSource = {
  requests(endpoints, symbol, since) {
    const rest = endpoints.rest.replace(/\/+$/, '');
    const from = new Date(since).toISOString();
    return [{ url: `${rest}/v4/candles/perpetualMarkets/${encodeURIComponent(symbol)}?resolution=5MINS&limit=288&fromISO=${from}` }];
  },
  parse([body]) {
    const parsed = parseJson(body ?? '');
    const v = parsed.ok ? parsed.value : undefined;
    if (!isRecord(v) || !Array.isArray(v.candles)) return { error: `candles without a list: ${preview(body)}` };
    const candles = [];
    const openInterest = [];
    for (const c of v.candles) {
      if (!isRecord(c)) continue;
      const time = toTime(c.startedAt);
      const [open, high, low, close, volume, quoteVolume, oi] = [
        c.open,
        c.high,
        c.low,
        c.close,
        c.baseTokenVolume,
        c.usdVolume,
        c.startingOpenInterest,
      ].map(toNumber);
      if (!isPositive(time) || !isPositive(open) || !(volume >= 0)) continue;
      candles.push({ time, open, high, low, close, volume, quoteVolume: quoteVolume >= 0 ? quoteVolume : undefined });
      if (oi >= 0) openInterest.push({ time, coins: oi });
    }
    return { candles, openInterest, intervalMs: 300_000 };
  },
};

export const dydx: VenueAdapter = {
  ...VENUE_INFO.dydx,
  connections,
  liveFrames,
  maxSymbolsPerConnection: MARKETS_PER_CONNECTION,
  createParser,
  backfill,
  restLimit: 'indexer: per-IP limits answered with 429 and Retry-After',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/v4/perpetualMarkets` }),
    parse: parseMarkets,
    defaults: VENUE_INFO.dydx.defaultSymbols.map((s) => dydxSpec(s)),
  },
};

/**
 * Kraken Futures (the former Crypto Facilities), WebSocket v1.
 *
 * Liquidations have no feed of their own: the `trade` feed's `type` is `fill`, `liquidation`,
 * `termination` or `block`, and `side` is the taker's; a liquidation order is the taker, so `sell`
 * closed a LONG. `termination` and `block` trades are off the book (neither liquidations of the
 * market's flow nor taker flow): left out.
 * Units: `PF_` (multi-collateral linear perpetuals) count base coin; `PI_`/`FI_` (inverse) count
 * USD contracts of 1 USD. `ticker` `openInterest` is in the same unit; `relative_funding_rate` is the
 * fraction per funding period (`funding_rate` is in USD per contract).
 * Subscribing `trade` sends a `trade_snapshot` of recent trades (past liquidations too): trade ids
 * (`uid`) drop repeats after a reconnect.
 * Heartbeat: Kraken wants a client message at least every 60 s; a browser cannot send protocol
 * pings, so the client re-subscribes the documented `heartbeat` feed every 20 s (a no-op answered
 * with `subscribed`), and that feed's server heartbeats keep quiet markets from looking stale.
 */
import { VENUE_INFO } from './catalog';
import { failed, isPositive, isRecord, neverThrows, parseJson, preview, skipped, toNumber } from './parse-util';
import { markEvent, openInterestEvent, tradeEvent } from './events';
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

const PRODUCTS_PER_MESSAGE = 20;
const PRODUCTS_PER_CONNECTION = 100;
const HEARTBEAT_SUBSCRIBE = JSON.stringify({ event: 'subscribe', feed: 'heartbeat' });

export function krakenRequest(event: 'subscribe' | 'unsubscribe', feed: 'trade' | 'ticker', productIds: string[]): string {
  return JSON.stringify({ event, feed, product_ids: productIds });
}

function liveFrames(event: 'subscribe' | 'unsubscribe', products: string[]): string[] {
  const frames: string[] = [];
  for (let j = 0; j < products.length; j += PRODUCTS_PER_MESSAGE) {
    const ids = products.slice(j, j + PRODUCTS_PER_MESSAGE);
    frames.push(krakenRequest(event, 'trade', ids), krakenRequest(event, 'ticker', ids));
  }
  return frames;
}

function connections(endpoints: VenueEndpoints, symbols: string[]): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (let i = 0; i < Math.max(1, symbols.length); i += PRODUCTS_PER_CONNECTION) {
    const chunk = symbols.slice(i, i + PRODUCTS_PER_CONNECTION);
    plans.push({
      id: `kraken/futures-${plans.length}`,
      url: `${endpoints.ws.replace(/\/+$/, '')}/ws/v1`,
      subscribeFrames: [HEARTBEAT_SUBSCRIBE, ...liveFrames('subscribe', chunk)],
      symbols: chunk,
      keepalive: { frame: HEARTBEAT_SUBSCRIBE, everyMs: 20_000 },
      staleAfterMs: 45_000,
      maxMessagesPerSecond: 10,
    });
  }
  return plans;
}

/** `PF_XBTUSD` → BTC linear; `PI_XBTUSD` → BTC inverse (1 USD contracts). */
export function krakenSpec(symbol: string, extra: Partial<InstrumentSpec> = {}): InstrumentSpec {
  const inverse = /^(PI|FI)_/.test(symbol);
  const pair = symbol.replace(/^[A-Z]{2}_/, '').replace(/_\d+$/, '');
  const base = normalizeBase(pair.replace(/USD$/, ''));
  return { venue: 'kraken', symbol, base, quote: 'USD', inverse, contractSize: 1, baseMultiplier: 1, ...extra };
}

export function createParser(specs: SpecLookup) {
  const spec = (symbol: string) => specs.get(symbol) ?? krakenSpec(symbol);

  /** One trade of the `trade` feed or a `trade_snapshot`. */
  const trade = (t: unknown, out: MarketEvent[], receiveTime: number): string | undefined => {
    if (!isRecord(t) || typeof t.product_id !== 'string') return `trade malformed: ${preview(t)}`;
    const price = toNumber(t.price);
    const qty = toNumber(t.qty);
    const time = toNumber(t.time);
    if ((t.side !== 'buy' && t.side !== 'sell') || !isPositive(price) || !isPositive(qty) || !isPositive(time))
      return `trade with bad fields: ${preview(t)}`;
    if (t.type !== 'fill' && t.type !== 'liquidation') return undefined; // termination, block: off the book
    const instrument = instrumentKey('kraken', t.product_id);
    const sized = sizeFromContracts(spec(t.product_id), qty, price);
    const id = typeof t.uid === 'string' ? t.uid : undefined;
    out.push(tradeEvent('kraken', instrument, t.side, price, sized, time, receiveTime, id));
    if (t.type === 'liquidation') {
      out.push({
        kind: 'liquidation',
        venue: 'kraken',
        instrument,
        ...(id ? { liquidationId: id } : {}),
        liquidatedSide: t.side === 'sell' ? 'long' : 'short',
        price,
        ...sized,
        exchangeTime: time,
        receiveTime,
      });
    }
    return undefined;
  };

  const ticker = (t: Record<string, unknown>, receiveTime: number): ParseOutcome => {
    if (typeof t.product_id !== 'string') return failed(`ticker without product_id: ${preview(t)}`);
    const mark = toNumber(t.markPrice);
    const time = toNumber(t.time);
    if (!isPositive(mark) || !isPositive(time)) return failed(`ticker with bad numbers: ${preview(t)}`);
    const instrument = instrumentKey('kraken', t.product_id);
    const out: MarketEvent[] = [
      markEvent('kraken', instrument, mark, time, receiveTime, toNumber(t.index), toNumber(t.relative_funding_rate)),
    ];
    const oi = toNumber(t.openInterest);
    if (oi >= 0) out.push(openInterestEvent('kraken', instrument, spec(t.product_id), oi, mark, time, receiveTime));
    return { status: 'events', events: out };
  };

  return neverThrows((frame, receiveTime) => {
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg)) return failed(`unknown message: ${preview(frame)}`);
    if (msg.event === 'error' || msg.event === 'alert' || msg.event === 'subscribed_failed')
      return failed(`Kraken ${String(msg.event)}: ${String(msg.message ?? preview(frame))}`);
    if (typeof msg.event === 'string') return skipped(`${msg.event} event`);
    switch (msg.feed) {
      case 'trade': {
        const out: MarketEvent[] = [];
        const error = trade(msg, out, receiveTime);
        if (error) return failed(error);
        return out.length ? { status: 'events', events: out } : skipped(`${String(msg.type)} trade`);
      }
      case 'trade_snapshot': {
        if (!Array.isArray(msg.trades)) return failed(`trade_snapshot without trades: ${preview(frame)}`);
        const out: MarketEvent[] = [];
        for (const t of msg.trades) {
          const error = trade(t, out, receiveTime);
          if (error) return failed(error);
        }
        return out.length ? { status: 'events', events: out } : skipped('empty trade snapshot');
      }
      case 'ticker':
        return ticker(msg, receiveTime);
      case 'heartbeat':
        return skipped('heartbeat');
      case 'ticker_lite':
      case 'book':
      case 'book_snapshot':
        return skipped(msg.feed);
    }
    return failed(`unknown feed ${preview(msg.feed)}`);
  });
}

/** `GET /derivatives/api/v3/instruments`: tradeable perpetuals with tick size and max leverage. */
function parseInstruments(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  const v = parsed.ok ? parsed.value : undefined;
  if (!isRecord(v) || !Array.isArray(v.instruments)) return { error: `instruments without a list: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const i of v.instruments) {
    if (!isRecord(i) || typeof i.symbol !== 'string' || i.tradeable === false) continue;
    const symbol = i.symbol.toUpperCase();
    if (!/^(PF|PI)_/.test(symbol)) continue; // dated futures, indices: not followed
    const tick = toNumber(i.tickSize);
    const size = toNumber(i.contractSize);
    const levels = Array.isArray(i.marginLevels) ? i.marginLevels : [];
    const first = isRecord(levels[0]) ? toNumber(levels[0].initialMargin) : NaN;
    specs.push(
      krakenSpec(symbol, {
        ...(isPositive(size) ? { contractSize: size } : {}),
        ...(isPositive(tick) ? { tickSize: tick } : {}),
        ...(isPositive(first) && first < 1 ? { maxLeverage: Math.round(1 / first) } : {}),
      }),
    );
  }
  return specs.length ? specs : { error: 'instruments listed no tradeable perpetual' };
}

/**
 * Backfill: `GET /api/charts/v1/trade/{symbol}/5m?from=` (seconds; candle `time` in ms, `volume` in
 * the contract unit). Kraken's public charts carry no open-interest history: the estimate's first
 * hours come from price and flow, and open interest joins from the live ticker.
 */
const backfill: BackfillSource = {
  requests(endpoints, symbol, since) {
    const rest = endpoints.rest.replace(/\/+$/, '');
    return [{ url: `${rest}/api/charts/v1/trade/${encodeURIComponent(symbol)}/5m?from=${Math.floor(since / 1000)}` }];
  },
  parse([body], spec) {
    const parsed = parseJson(body ?? '');
    const v = parsed.ok ? parsed.value : undefined;
    if (!isRecord(v) || !Array.isArray(v.candles)) return { error: `charts without candles: ${preview(body)}` };
    const inverse = spec?.inverse ?? false;
    const candles = v.candles.flatMap((c) => {
      if (!isRecord(c)) return [];
      const [time, open, high, low, close, volume] = [c.time, c.open, c.high, c.low, c.close, c.volume].map(toNumber);
      if (!isPositive(time) || !isPositive(open) || !isPositive(close) || !(volume >= 0)) return [];
      const typical = (high + low + close) / 3;
      // Inverse volume is USD: coins at the candle's typical price.
      return [{ time, open, high, low, close, volume: inverse ? volume / typical : volume, ...(inverse ? { quoteVolume: volume } : {}) }];
    });
    return { candles, openInterest: [], intervalMs: 300_000 };
  },
};

export const kraken: VenueAdapter = {
  ...VENUE_INFO.kraken,
  connections,
  liveFrames,
  maxSymbolsPerConnection: PRODUCTS_PER_CONNECTION,
  createParser,
  backfill,
  restLimit: 'public endpoints: a cost budget per IP; 429 when exceeded',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/derivatives/api/v3/instruments` }),
    parse: parseInstruments,
    defaults: VENUE_INFO.kraken.defaultSymbols.map((s) => krakenSpec(s)),
  },
};

/**
 * Bybit v5, linear (USDT/USDC) and inverse (coin-margined) perpetuals and futures.
 *
 * Side: `allLiquidation` reports the side of the *position*: `S: "Buy"` means a LONG was liquidated
 * (the opposite of Binance, OKX and BitMEX). `publicTrade` `S` is the taker side.
 * Units: linear sizes are base coin (lots of 1000 for `1000PEPEUSDT` / `SHIB1000USDT`); inverse
 * sizes are USD contracts. Open interest: `singleOpenInterest` (one side, as every other venue
 * reports); `openInterest` is both sides since the 2026-06 docs, so it is halved when alone.
 * `tickers` is snapshot + delta: a field missing from a delta has not changed, so deltas are merged.
 * Heartbeat: `{"op":"ping"}` every 20 s; the server cuts silent connections after 10 minutes.
 */
import { VENUE_INFO } from './catalog';
import { failed, isPositive, isRecord, neverThrows, parseJson, preview, skipped, toNumber } from './parse-util';
import { tradeEvent } from './events';
import { linearSpec, sizeFromContracts } from './specs';
import { withCum } from './margin-tiers';
import {
  instrumentKey,
  type BackfillData,
  type BackfillSource,
  type Candle,
  type MarginTier,
  type ConnectionPlan,
  type MarginTierSource,
  type InstrumentSpec,
  type MarketEvent,
  type ParseOutcome,
  type RestRequest,
  type SpecLookup,
  type VenueAdapter,
  type VenueEndpoints,
} from './types';

/** Stay well inside the 21 000-character `args` cap per connection. */
const MAX_ARGS_CHARS = 18_000;
/** Topics per subscribe message (Bybit accepts more; small messages fail alone). */
const TOPICS_PER_MESSAGE = 10;

/** Inverse symbols quote in USD: `BTCUSD`, dated `BTCUSDH25`. Linear end in USDT, USDC or PERP. */
export function isInverseSymbol(symbol: string): boolean {
  return /USD$/.test(symbol) || /USD[FGHJKMNQUVXZ]\d\d$/.test(symbol);
}

function bybitSpec(symbol: string): InstrumentSpec {
  if (isInverseSymbol(symbol)) {
    const base = symbol.replace(/USD([FGHJKMNQUVXZ]\d\d)?$/, '');
    return { venue: 'bybit', symbol, base, quote: 'USD', inverse: true, contractSize: 1, baseMultiplier: 1 };
  }
  const quote = /USDC$|PERP$/.test(symbol) ? 'USDC' : 'USDT';
  return linearSpec('bybit', symbol, symbol.replace(/(USDT|USDC|PERP)$/, '').replace(/-\d+[A-Z]{3}\d\d$/, ''), quote);
}

/** Symbols per connection: a cap that keeps every connection well inside the `args` limit. */
const SYMBOLS_PER_CONNECTION = 200;

const symbolTopics = (s: string) => [`allLiquidation.${s}`, `publicTrade.${s}`, `tickers.${s}`];

function topicFrames(op: 'subscribe' | 'unsubscribe', topics: string[]): string[] {
  const frames: string[] = [];
  for (let i = 0; i < topics.length; i += TOPICS_PER_MESSAGE)
    frames.push(JSON.stringify({ op, args: topics.slice(i, i + TOPICS_PER_MESSAGE) }));
  return frames;
}

function connections(endpoints: VenueEndpoints, symbols: string[]): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (const category of ['linear', 'inverse'] as const) {
    const own = symbols.filter((s) => isInverseSymbol(s) === (category === 'inverse'));
    let chunk: string[] = [];
    let chunkSymbols: string[] = [];
    const flush = () => {
      if (!chunk.length) return;
      plans.push({
        id: `bybit/${category}-${plans.filter((p) => p.id.includes(category)).length}`,
        url: `${endpoints.ws.replace(/\/+$/, '')}/v5/public/${category}`,
        subscribeFrames: topicFrames('subscribe', chunk),
        symbols: chunkSymbols,
        keepalive: { frame: '{"op":"ping"}', everyMs: 20_000 },
        // Pongs arrive every 20 s even when a market is quiet.
        staleAfterMs: 45_000,
      });
    };
    let chars = 0;
    for (const s of own) {
      const topics = symbolTopics(s);
      const length = topics.reduce((n, t) => n + t.length + 3, 0);
      if (chars + length > MAX_ARGS_CHARS || chunkSymbols.length >= SYMBOLS_PER_CONNECTION) {
        flush();
        chunk = [];
        chunkSymbols = [];
        chars = 0;
      }
      chunk.push(...topics);
      chunkSymbols.push(s);
      chars += length;
    }
    flush();
  }
  return plans;
}

interface TickerState {
  markPrice?: number;
  indexPrice?: number;
  fundingRate?: number;
  oiBase?: number;
}

export function createParser(specs: SpecLookup) {
  const spec = (symbol: string) => specs.get(symbol) ?? bybitSpec(symbol);
  // Merged ticker state per symbol: deltas only carry what changed.
  const tickers = new Map<string, TickerState>();

  const liquidations = (data: unknown, receiveTime: number): ParseOutcome => {
    if (!Array.isArray(data)) return failed(`allLiquidation without data array: ${preview(data)}`);
    const out: MarketEvent[] = [];
    for (const d of data) {
      if (!isRecord(d) || typeof d.s !== 'string') return failed(`allLiquidation item without symbol: ${preview(d)}`);
      const price = toNumber(d.p);
      const size = toNumber(d.v);
      const time = toNumber(d.T);
      if (d.S !== 'Buy' && d.S !== 'Sell') return failed(`allLiquidation with unknown side ${preview(d.S)}`);
      if (!isPositive(price) || !isPositive(size) || !isPositive(time)) return failed(`allLiquidation with bad numbers: ${preview(d)}`);
      out.push({
        kind: 'liquidation',
        venue: 'bybit',
        instrument: instrumentKey('bybit', d.s),
        // Position side: Buy = a long position was liquidated.
        liquidatedSide: d.S === 'Buy' ? 'long' : 'short',
        price,
        ...sizeFromContracts(spec(d.s), size, price),
        exchangeTime: time,
        receiveTime,
      });
    }
    return { status: 'events', events: out };
  };

  const trades = (data: unknown, receiveTime: number): ParseOutcome => {
    if (!Array.isArray(data)) return failed(`publicTrade without data array: ${preview(data)}`);
    const out: MarketEvent[] = [];
    for (const d of data) {
      if (!isRecord(d) || typeof d.s !== 'string') return failed(`publicTrade item without symbol: ${preview(d)}`);
      const price = toNumber(d.p);
      const size = toNumber(d.v);
      const time = toNumber(d.T);
      if ((d.S !== 'Buy' && d.S !== 'Sell') || !isPositive(price) || !isPositive(size) || !isPositive(time)) {
        return failed(`publicTrade with bad fields: ${preview(d)}`);
      }
      const tradeId = typeof d.i === 'string' ? d.i : undefined;
      out.push(
        tradeEvent(
          'bybit',
          instrumentKey('bybit', d.s),
          d.S === 'Buy' ? 'buy' : 'sell',
          price,
          sizeFromContracts(spec(d.s), size, price),
          time,
          receiveTime,
          tradeId,
        ),
      );
    }
    return { status: 'events', events: out };
  };

  const ticker = (msg: Record<string, unknown>, receiveTime: number): ParseOutcome => {
    const d = msg.data;
    if (!isRecord(d) || typeof d.symbol !== 'string') return failed(`tickers without symbol: ${preview(msg)}`);
    const symbol = d.symbol;
    const time = toNumber(msg.ts) || receiveTime;
    const prev = msg.type === 'snapshot' ? {} : (tickers.get(symbol) ?? {});
    const next: TickerState = { ...prev };
    const mark = toNumber(d.markPrice);
    if (isPositive(mark)) next.markPrice = mark;
    const index = toNumber(d.indexPrice);
    if (isPositive(index)) next.indexPrice = index;
    const funding = toNumber(d.fundingRate);
    if (Number.isFinite(funding)) next.fundingRate = funding;
    const single = toNumber(d.singleOpenInterest);
    const both = toNumber(d.openInterest);
    const oi = single >= 0 ? single : both >= 0 ? both / 2 : NaN;
    const s = spec(symbol);
    // Inverse OI is in USD contracts: convert at the mark price.
    const oiBase = Number.isFinite(oi)
      ? s.inverse
        ? next.markPrice
          ? (oi * s.contractSize) / next.markPrice
          : NaN
        : oi * s.contractSize * s.baseMultiplier
      : NaN;
    if (Number.isFinite(oiBase)) next.oiBase = oiBase;
    tickers.set(symbol, next);

    const out: MarketEvent[] = [];
    const instrument = instrumentKey('bybit', symbol);
    if (isPositive(mark)) {
      out.push({
        kind: 'markPrice',
        venue: 'bybit',
        instrument,
        markPrice: mark,
        ...(next.indexPrice ? { indexPrice: next.indexPrice } : {}),
        ...(next.fundingRate !== undefined ? { fundingRate: next.fundingRate } : {}),
        exchangeTime: time,
        receiveTime,
      });
    }
    if (Number.isFinite(oiBase)) {
      out.push({
        kind: 'openInterest',
        venue: 'bybit',
        instrument,
        baseQty: oiBase,
        ...(next.markPrice ? { notionalUsd: s.inverse ? oi * s.contractSize : oiBase * next.markPrice } : {}),
        exchangeTime: time,
        receiveTime,
      });
    }
    return out.length ? { status: 'events', events: out } : skipped('tickers delta without mark price or open interest');
  };

  return neverThrows((frame, receiveTime) => {
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg)) return failed(`unknown message: ${preview(frame)}`);
    if (typeof msg.op === 'string') {
      // Replies to subscribe and ping: {"success": true, "op": "subscribe" | "ping" | "pong", …}.
      if (msg.success === false) return failed(`Bybit refused ${msg.op}: ${String(msg.ret_msg ?? '')}`);
      return skipped(`${msg.op} reply`);
    }
    const topic = typeof msg.topic === 'string' ? msg.topic : '';
    if (topic.startsWith('allLiquidation.')) return liquidations(msg.data, receiveTime);
    if (topic.startsWith('publicTrade.')) return trades(msg.data, receiveTime);
    if (topic.startsWith('tickers.')) return ticker(msg, receiveTime);
    // Every other documented public topic (v5 WebSocket "Public" pages) is known but not used: skipped,
    // never an error. The deprecated 1-per-second `liquidation.{symbol}` is among them.
    const family = topic.split('.')[0];
    if (BYBIT_OTHER_PUBLIC_TOPICS.has(family)) return skipped(family);
    return failed(`unknown message: ${preview(frame)}`);
  });
}

/** Documented public topic families LiqLens does not use (kline in recordings counted as errors before). */
const BYBIT_OTHER_PUBLIC_TOPICS = new Set(['orderbook', 'kline', 'liquidation', 'kline_lt', 'tickers_lt', 'lt', 'insurance', 'priceLimit']);

/** `GET /v5/market/instruments-info?category=linear`: symbols with tick size and max leverage. */
function parseInstruments(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  const v = parsed.ok ? parsed.value : undefined;
  const list = isRecord(v) && isRecord(v.result) ? v.result.list : undefined;
  if (!Array.isArray(list)) return { error: `instruments-info without result.list: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const i of list) {
    if (!isRecord(i) || typeof i.symbol !== 'string') continue;
    const tick = isRecord(i.priceFilter) ? toNumber(i.priceFilter.tickSize) : NaN;
    const lev = isRecord(i.leverageFilter) ? toNumber(i.leverageFilter.maxLeverage) : NaN;
    specs.push({
      ...bybitSpec(i.symbol),
      ...(isPositive(tick) ? { tickSize: tick } : {}),
      ...(isPositive(lev) ? { maxLeverage: lev } : {}),
    });
  }
  return specs.length ? specs : { error: 'instruments-info listed no symbols' };
}

/**
 * Backfill: `/v5/market/kline` (newest first, at most 1 000 a request; no taker split, so it is
 * inferred from the candle's direction) and `/v5/market/open-interest` (single side when given;
 * inverse in USD; at most 200 points a request, so the span is asked in windows of 200 steps or
 * fewer instead of following `nextPageCursor`). The last day at 5 minutes; the month before hourly.
 */
function historyRequests(endpoints: VenueEndpoints, symbol: string, since: number, until: number, step: 'fine' | 'coarse'): RestRequest[] {
  const rest = endpoints.rest.replace(/\/+$/, '');
  const category = isInverseSymbol(symbol) ? 'inverse' : 'linear';
  const q = `category=${category}&symbol=${encodeURIComponent(symbol)}`;
  const [interval, intervalTime, stepMs] = step === 'fine' ? ['5', '5min', 300_000] : ['60', '1h', 3_600_000];
  const from = Math.floor(since);
  const to = Math.floor(until);
  const windows: RestRequest[] = [];
  for (let start = from; start < to; start += 200 * stepMs) {
    const end = Math.min(to, start + 199 * stepMs);
    windows.push({ url: `${rest}/v5/market/open-interest?${q}&intervalTime=${intervalTime}&startTime=${start}&endTime=${end}&limit=200` });
  }
  return [{ url: `${rest}/v5/market/kline?${q}&interval=${interval}&start=${from}&end=${to}&limit=1000` }, ...windows];
}

const backfill: BackfillSource = {
  // The fine backfill reaches a day back at most: two windows of 200 five-minute points cover it.
  requests: (endpoints, symbol, since) => historyRequests(endpoints, symbol, since, since + 400 * 300_000, 'fine'),
  parse: (bodies) => parseHistory(bodies, 300_000),
  coarse: {
    intervalMs: 3_600_000,
    depthMs: 30 * 86_400_000 - 3_600_000,
    requests: (endpoints, symbol, since, until) => historyRequests(endpoints, symbol, since, until, 'coarse'),
    parse: (bodies) => parseHistory(bodies, 3_600_000),
  },
};

/** Klines and open-interest pages (newest first within each), at one interval. */
function parseHistory([klineBody, ...oiBodies]: string[], intervalMs: number): BackfillData | { error: string } {
  const list = (body: string | undefined) => {
    const v = parseJson(body ?? '');
    return v.ok && isRecord(v.value) && isRecord(v.value.result) && Array.isArray(v.value.result.list) ? v.value.result.list : undefined;
  };
  const klines = list(klineBody);
  const pages = oiBodies.map((body) => ({ body, list: list(body) }));
  if (!klines) return { error: `kline without result.list: ${preview(klineBody)}` };
  const bad = pages.find((p) => !p.list);
  if (bad) return { error: `open-interest without result.list: ${preview(bad.body)}` };
  const ois = pages.flatMap((p) => p.list ?? []);
  const inverse = /"category":"inverse"/.test(klineBody ?? '') || oiBodies.some((b) => /"category":"inverse"/.test(b ?? ''));
  const candles: Candle[] = [];
  for (const row of klines) {
    if (!Array.isArray(row) || row.length < 7) continue;
    const [time, open, high, low, close, volume, turnover] = row.map(toNumber);
    // Linear: volume in coins, turnover in quote. Inverse: volume in USD contracts, turnover in coins.
    if (isPositive(time) && isPositive(open))
      candles.push({ time, open, high, low, close, volume: inverse ? turnover : volume, quoteVolume: inverse ? volume : turnover });
  }
  const closeAt = (t: number) =>
    candles.reduce((best, c) => (c.time <= t && (!best || c.time > best.time) ? c : best), undefined as Candle | undefined)?.close;
  const openInterest = ois.flatMap((p) => {
    if (!isRecord(p)) return [];
    const single = toNumber(p.singleOpenInterest);
    const one = single >= 0 ? single : toNumber(p.openInterest) / 2;
    const time = toNumber(p.timestamp);
    const price = closeAt(time);
    const coins = inverse ? (price ? one / price : NaN) : one;
    return Number.isFinite(coins) && isPositive(time) ? [{ time, coins }] : [];
  });
  return { candles, openInterest, intervalMs };
}

/**
 * `/v5/market/risk-limit?category=…&symbol=`: public maintenance tiers. `riskLimitValue` is the
 * position limit of the tier (USD for linear USDT contracts and for inverse USD contracts);
 * `maintenanceMargin` and `initialMargin` are percentages (the documented BTCUSD tier 1 has 0.5 and
 * 1 at 100x); `mmDeduction` is the maintenance amount.
 */
const marginTiers: MarginTierSource = {
  request: (endpoints, symbol) => ({
    url: `${endpoints.rest.replace(/\/+$/, '')}/v5/market/risk-limit?category=${isInverseSymbol(symbol) ? 'inverse' : 'linear'}&symbol=${encodeURIComponent(symbol)}`,
  }),
  parse(body, symbol) {
    const v = parseJson(body);
    const list =
      v.ok && isRecord(v.value) && isRecord(v.value.result) && Array.isArray(v.value.result.list) ? v.value.result.list : undefined;
    if (!list) return { error: `risk-limit without result.list: ${preview(body)}` };
    const tiers: MarginTier[] = [];
    for (const r of list) {
      if (!isRecord(r) || (r.symbol !== undefined && r.symbol !== symbol)) continue;
      const limit = toNumber(r.riskLimitValue);
      const maxLeverage = toNumber(r.maxLeverage);
      const initial = toNumber(r.initialMargin);
      // Percent when initial margin × max leverage ≈ 100, a fraction when ≈ 1.
      const scale = initial * maxLeverage > 10 ? 0.01 : 1;
      const mmr = toNumber(r.maintenanceMargin) * scale;
      const cum = toNumber(r.mmDeduction);
      if (!isPositive(limit) || !isPositive(maxLeverage) || !(mmr > 0 && mmr < 1)) continue;
      tiers.push({ maxNotionalUsd: limit, mmr, cum: Number.isFinite(cum) ? cum : NaN, maxLeverage });
    }
    if (!tiers.length) return { error: `risk-limit listed no tier for ${symbol}` };
    tiers.sort((a, b) => a.maxNotionalUsd - b.maxNotionalUsd);
    tiers[tiers.length - 1].maxNotionalUsd = Infinity;
    // Where Bybit leaves mmDeduction empty, derive it from tier continuity.
    return tiers.some((t) => Number.isNaN(t.cum)) ? withCum(tiers) : tiers;
  },
};

export const bybit: VenueAdapter = {
  ...VENUE_INFO.bybit,
  connections,
  liveFrames: (action, symbols) => topicFrames(action, symbols.flatMap(symbolTopics)),
  maxSymbolsPerConnection: SYMBOLS_PER_CONNECTION,
  createParser,
  backfill,
  marginTiers,
  restLimit: '600 requests / 5 s per IP; 403 "access too frequent" means wait 10 minutes',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/v5/market/instruments-info?category=linear&limit=1000` }),
    parse: parseInstruments,
    defaults: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BTCUSD', 'ETHUSD'].map(bybitSpec),
  },
};

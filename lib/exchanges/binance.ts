/**
 * Binance USDⓈ-M futures.
 *
 * Since 2026-04-23 market streams (`forceOrder`, `aggTrade`, `markPrice`) are only delivered on the
 * routed `/market` path; an unrouted `/stream` connection opens fine but stays silent for them.
 * Combined streams wrap every payload as `{"stream": "<name>", "data": <payload>}`.
 *
 * Side: `o.S` is the side of the liquidation *order*: SELL closes a long, BUY closes a short.
 * Units: quantities are in base coin, or in lots of 1000 coins for `1000PEPEUSDT`-style symbols.
 * `forceOrder` is a snapshot stream: at most one liquidation per symbol per second is published,
 * so realized totals from Binance undercount cascades.
 */
import { VENUE_INFO } from './catalog';
import {
  instrumentKey,
  type BackfillData,
  type BackfillSource,
  type Candle,
  type ConnectionPlan,
  type InstrumentSpec,
  type MarketEvent,
  type ParseOutcome,
  type PollPlan,
  type SpecLookup,
  type VenueAdapter,
  type VenueEndpoints,
} from './types';
import { isPositive, isRecord, neverThrows, parseJson, preview, toNumber } from './parse-util';
import { markEvent, tradeEvent } from './events';
import { linearSpec, sizeFromContracts } from './specs';

/** Current docs allow 200 streams per connection: two per symbol, and `!forceOrder@arr` on the first. */
const SYMBOLS_PER_CONNECTION = 99;
/** Binance cuts every connection at 24 h; rotate a little before. */
const MAX_LIFETIME_MS = 24 * 60 * 60 * 1000 - 10 * 60 * 1000;

/** Streams for one symbol; `!forceOrder@arr` (all symbols) is added once per venue. */
export function symbolStreams(symbol: string): string[] {
  const s = symbol.toLowerCase();
  return [`${s}@aggTrade`, `${s}@markPrice@1s`];
}

function connections(endpoints: VenueEndpoints, symbols: string[], { venueWide = true } = {}): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (let i = 0; i < Math.max(1, symbols.length); i += SYMBOLS_PER_CONNECTION) {
    const chunk = symbols.slice(i, i + SYMBOLS_PER_CONNECTION);
    // The all-market liquidations once per venue: on the first connection.
    const streams = [...(i === 0 && venueWide ? ['!forceOrder@arr'] : []), ...chunk.flatMap(symbolStreams)];
    plans.push({
      id: `binance/market-${plans.length}`,
      url: `${endpoints.ws.replace(/\/+$/, '')}/market/stream?streams=${streams.join('/')}`,
      subscribeFrames: [],
      symbols: chunk,
      // Binance counts incoming messages: 10 a second per connection.
      maxMessagesPerSecond: 10,
      // markPrice@1s ticks every second for every subscribed symbol, so 20 s of silence is a dead socket.
      staleAfterMs: 20_000,
      maxLifetimeMs: MAX_LIFETIME_MS,
    });
  }
  return plans;
}

/** Live SUBSCRIBE / UNSUBSCRIBE on an open connection, 50 streams a message. */
function liveFrames(action: 'subscribe' | 'unsubscribe', symbols: string[]): string[] {
  const streams = symbols.flatMap(symbolStreams);
  const frames: string[] = [];
  for (let i = 0; i < streams.length; i += 50)
    frames.push(
      JSON.stringify({
        method: action === 'subscribe' ? 'SUBSCRIBE' : 'UNSUBSCRIBE',
        params: streams.slice(i, i + 50),
        id: action === 'subscribe' ? 1 : 2,
      }),
    );
  return frames;
}

function parseForceOrder(data: Record<string, unknown>, receiveTime: number, specs: SpecLookup): ParseOutcome {
  const o = data.o;
  if (!isRecord(o) || typeof o.s !== 'string') return { status: 'error', error: `forceOrder without order: ${preview(data)}` };
  const filledQty = toNumber(o.z);
  const qty = isPositive(filledQty) ? filledQty : toNumber(o.q);
  const avgPrice = toNumber(o.ap);
  const price = isPositive(avgPrice) ? avgPrice : toNumber(o.p);
  const time = toNumber(o.T) || toNumber(data.E);
  if (o.S !== 'SELL' && o.S !== 'BUY') return { status: 'error', error: `forceOrder with unknown side ${preview(o.S)}` };
  if (!isPositive(qty) || !isPositive(price) || !isPositive(time)) {
    return { status: 'error', error: `forceOrder with bad numbers: ${preview(o)}` };
  }
  const event: MarketEvent = {
    kind: 'liquidation',
    venue: 'binance',
    instrument: instrumentKey('binance', o.s),
    liquidatedSide: o.S === 'SELL' ? 'long' : 'short',
    price,
    ...sizeFromContracts(specFor(specs, o.s), qty, price),
    exchangeTime: time,
    receiveTime,
  };
  return { status: 'events', events: [event] };
}

/** `aggTrade` and the raw `trade` stream share `p`, `q`, `T`, `m` (buyer is maker ⇒ taker sold). */
function parseTrade(data: Record<string, unknown>, receiveTime: number, specs: SpecLookup): ParseOutcome {
  const price = toNumber(data.p);
  const qty = toNumber(data.q);
  const time = toNumber(data.T) || toNumber(data.E);
  if (typeof data.s !== 'string' || typeof data.m !== 'boolean' || !isPositive(price) || !isPositive(qty) || !isPositive(time)) {
    return { status: 'error', error: `${String(data.e)} with bad fields: ${preview(data)}` };
  }
  const id = data.a ?? data.t;
  const size = sizeFromContracts(specFor(specs, data.s), qty, price);
  const event = tradeEvent(
    'binance',
    instrumentKey('binance', data.s),
    data.m ? 'sell' : 'buy',
    price,
    size,
    time,
    receiveTime,
    id === undefined ? undefined : String(id),
  );
  return { status: 'events', events: [event] };
}

function parseMarkPrice(items: unknown[], receiveTime: number): ParseOutcome {
  const events: MarketEvent[] = [];
  for (const item of items) {
    if (!isRecord(item) || typeof item.s !== 'string')
      return { status: 'error', error: `markPriceUpdate without symbol: ${preview(item)}` };
    const markPrice = toNumber(item.p);
    const time = toNumber(item.E);
    if (!isPositive(markPrice) || !isPositive(time))
      return { status: 'error', error: `markPriceUpdate with bad numbers: ${preview(item)}` };
    events.push(markEvent('binance', instrumentKey('binance', item.s), markPrice, time, receiveTime, toNumber(item.i), toNumber(item.r)));
  }
  return { status: 'events', events };
}

/** REST `GET /fapi/v1/openInterest?symbol=` response: one side, in lots (coins, or 1000s for 1000… symbols). */
export function parseOpenInterest(body: string, receiveTime: number, specs: SpecLookup = NO_SPECS, markPrice?: number): ParseOutcome {
  const parsed = parseJson(body);
  if (!parsed.ok) return { status: 'error', error: parsed.error };
  const value = parsed.value;
  if (!isRecord(value) || typeof value.symbol !== 'string')
    return { status: 'error', error: `openInterest without symbol: ${preview(body)}` };
  const qty = toNumber(value.openInterest);
  const time = toNumber(value.time);
  if (!(qty >= 0) || !isPositive(time)) return { status: 'error', error: `openInterest with bad numbers: ${preview(body)}` };
  const multiplier = specFor(specs, value.symbol).baseMultiplier;
  return {
    status: 'events',
    events: [
      {
        kind: 'openInterest',
        venue: 'binance',
        instrument: instrumentKey('binance', value.symbol),
        baseQty: qty * multiplier,
        ...(markPrice && isPositive(markPrice) ? { notionalUsd: qty * markPrice } : {}),
        exchangeTime: time,
        receiveTime,
      },
    ],
  };
}

/** Payload event types that are valid Binance data but carry nothing LiqLens uses. */
const IRRELEVANT_EVENTS = new Set(['bookTicker', 'depthUpdate', 'kline', '24hrTicker', '24hrMiniTicker', 'contractInfo']);

function parsePayload(data: unknown, receiveTime: number, specs: SpecLookup): ParseOutcome {
  if (Array.isArray(data)) {
    // `!markPrice@arr` pushes an array of updates.
    if (data.length > 0 && data.every((d) => isRecord(d) && d.e === 'markPriceUpdate')) return parseMarkPrice(data, receiveTime);
    return { status: 'error', error: `unknown array payload: ${preview(data)}` };
  }
  if (!isRecord(data)) return { status: 'error', error: `unknown payload: ${preview(data)}` };
  switch (data.e) {
    case 'forceOrder':
      return parseForceOrder(data, receiveTime, specs);
    case 'aggTrade':
    case 'trade':
      return parseTrade(data, receiveTime, specs);
    case 'markPriceUpdate':
      return parseMarkPrice([data], receiveTime);
  }
  if (typeof data.e === 'string' && IRRELEVANT_EVENTS.has(data.e)) return { status: 'skipped', reason: data.e };
  if ('lastUpdateId' in data && 'bids' in data) return { status: 'skipped', reason: 'REST depth snapshot' };
  return { status: 'error', error: `unknown message: ${preview(data)}` };
}

/** Streams a recording may hold that LiqLens never uses: recognised from the envelope, not parsed. */
const UNUSED_STREAM = /^\{"stream":"[a-z0-9_]+@(depth|bookTicker)/;

function parseFrame(frame: string, receiveTime: number, specs: SpecLookup): ParseOutcome {
  // Order-book frames are the bulk of busy recordings and carry nothing for LiqLens: skip them
  // before paying for JSON.parse.
  const unused = UNUSED_STREAM.exec(frame);
  if (unused) return { status: 'skipped', reason: unused[1] === 'depth' ? 'depthUpdate' : 'bookTicker' };
  const parsed = parseJson(frame);
  if (!parsed.ok) return { status: 'error', error: parsed.error };
  const msg = parsed.value;
  if (isRecord(msg)) {
    if ('stream' in msg && 'data' in msg) return parsePayload(msg.data, receiveTime, specs);
    // Replies to SUBSCRIBE / LIST_SUBSCRIPTIONS: {"result": …, "id": n}.
    if ('id' in msg && 'result' in msg) return { status: 'skipped', reason: 'request reply' };
    if (isRecord(msg.error)) return { status: 'error', error: `venue error: ${preview(msg.error)}` };
  }
  // Raw (`/ws/<stream>`) connections deliver payloads without the envelope.
  return parsePayload(msg, receiveTime, specs);
}

const NO_SPECS: SpecLookup = { get: () => undefined };

/** Specs derived from the symbol alone, built once per symbol (the regexes are not free per trade). */
const derivedSpecs = new Map<string, InstrumentSpec>();

/** USD-M contracts are all linear with a lot of one quoted unit; the symbol tells the rest. */
function specFor(specs: SpecLookup, symbol: string): InstrumentSpec {
  const loaded = specs.get(symbol);
  if (loaded) return loaded;
  let derived = derivedSpecs.get(symbol);
  if (!derived) {
    const quote = symbol.match(/(USDT|USDC|BUSD)$/)?.[1] ?? 'USDT';
    derived = linearSpec('binance', symbol, symbol.slice(0, symbol.length - quote.length) || symbol, quote);
    if (derivedSpecs.size < 10_000) derivedSpecs.set(symbol, derived);
  }
  return derived;
}

/** A stateless parser; `specs` refine the symbol-derived units where exchangeInfo has loaded. */
export function createParser(specs: SpecLookup = NO_SPECS) {
  return neverThrows((frame, receiveTime) => parseFrame(frame, receiveTime, specs));
}

/** `GET /fapi/v1/exchangeInfo`: every USD-M symbol with its base, quote and tick size. */
function parseExchangeInfo(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  if (!parsed.ok || !isRecord(parsed.value) || !Array.isArray(parsed.value.symbols))
    return { error: `exchangeInfo without symbols: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const s of parsed.value.symbols) {
    if (!isRecord(s) || typeof s.symbol !== 'string' || typeof s.baseAsset !== 'string' || typeof s.quoteAsset !== 'string') continue;
    const priceFilter = Array.isArray(s.filters) ? s.filters.find((f) => isRecord(f) && f.filterType === 'PRICE_FILTER') : undefined;
    const tick = isRecord(priceFilter) ? toNumber(priceFilter.tickSize) : NaN;
    specs.push(linearSpec('binance', s.symbol, s.baseAsset, s.quoteAsset, isPositive(tick) ? { tickSize: tick } : {}));
  }
  return specs.length ? specs : { error: 'exchangeInfo listed no symbols' };
}

/**
 * Open interest is REST-only on Binance. `/fapi/v1/openInterest` costs weight 1 of 2400 per minute;
 * polls are spread so all symbols together use at most a quarter of that budget.
 */
function polls(endpoints: VenueEndpoints, symbols: string[]): PollPlan[] {
  const everyMs = Math.max(10_000, Math.ceil((symbols.length * 60_000) / 600));
  const rest = endpoints.rest.replace(/\/+$/, '');
  return symbols.map((symbol) => ({
    id: `binance/oi/${symbol}`,
    request: { url: `${rest}/fapi/v1/openInterest?symbol=${encodeURIComponent(symbol)}` },
    everyMs,
    // A quiet market (or a silent socket) costs no request: its open interest cannot have moved.
    changesOnlyWithTradesOf: `binance:${symbol}`,
    parse: (body: string, receiveTime: number) => parseOpenInterest(body, receiveTime),
  }));
}

/**
 * Backfill: `/fapi/v1/klines` (5-minute candles with taker-buy volume) and `/futures/data/openInterestHist`
 * (5-minute one-side OI; the last 30 days; 1000 requests / 5 min per IP). Older days at one hour:
 * the same two endpoints with `interval=1h` / `period=1h` (open-interest history: "only the data of
 * the latest 1 month is available", at most 500 points a request, so the month takes two).
 */
const backfill: BackfillSource = {
  requests(endpoints, symbol, since) {
    const rest = endpoints.rest.replace(/\/+$/, '');
    const q = `symbol=${encodeURIComponent(symbol)}&startTime=${Math.floor(since)}`;
    return [
      { url: `${rest}/fapi/v1/klines?${q}&interval=5m&limit=500` },
      { url: `${rest}/futures/data/openInterestHist?${q}&period=5m&limit=500` },
    ];
  },
  parse: (bodies) => parseHistory(bodies, 300_000),
  coarse: {
    intervalMs: 3_600_000,
    depthMs: 30 * 86_400_000 - 3_600_000,
    requests(endpoints, symbol, since, until) {
      const rest = endpoints.rest.replace(/\/+$/, '');
      const s = encodeURIComponent(symbol);
      const from = Math.floor(since);
      const to = Math.floor(until);
      const middle = Math.floor((from + to) / 2 / 3_600_000) * 3_600_000;
      return [
        { url: `${rest}/fapi/v1/klines?symbol=${s}&interval=1h&startTime=${from}&endTime=${to}&limit=1000` },
        { url: `${rest}/futures/data/openInterestHist?symbol=${s}&period=1h&startTime=${from}&endTime=${middle}&limit=500` },
        { url: `${rest}/futures/data/openInterestHist?symbol=${s}&period=1h&startTime=${middle}&endTime=${to}&limit=500` },
      ];
    },
    parse: (bodies) => parseHistory(bodies, 3_600_000),
  },
};

/** Klines and one or more open-interest pages, at one interval. */
function parseHistory([klinesBody, ...oiBodies]: string[], intervalMs: number): BackfillData | { error: string } {
  const k = parseJson(klinesBody ?? '');
  if (!k.ok || !Array.isArray(k.value)) return { error: `klines is not a list: ${preview(klinesBody)}` };
  const pages = oiBodies.map((body) => ({ body, parsed: parseJson(body ?? '') }));
  const bad = pages.find((p) => !p.parsed.ok || !Array.isArray(p.parsed.value));
  if (bad) return { error: `openInterestHist is not a list: ${preview(bad.body)}` };
  const points = pages.flatMap((p) => (p.parsed.ok ? (p.parsed.value as unknown[]) : []));
  const candles: Candle[] = [];
  for (const row of k.value) {
    if (!Array.isArray(row) || row.length < 11) continue;
    const [time, open, high, low, close, volume, , quoteVolume, , takerBuyVolume] = row.map(toNumber);
    if (isPositive(time) && isPositive(open)) candles.push({ time, open, high, low, close, volume, quoteVolume, takerBuyVolume });
  }
  const openInterest = points.flatMap((p) => {
    if (!isRecord(p)) return [];
    const coins = toNumber(p.sumOpenInterest);
    const time = toNumber(p.timestamp);
    return coins >= 0 && isPositive(time) ? [{ time, coins }] : [];
  });
  return { candles, openInterest, intervalMs };
}

export const binance: VenueAdapter = {
  ...VENUE_INFO.binance,
  connections,
  liveFrames,
  maxSymbolsPerConnection: SYMBOLS_PER_CONNECTION,
  createParser,
  polls,
  backfill,
  restLimit: 'REQUEST_WEIGHT 2400 / min per IP; 429 = slow down, 418 = banned for Retry-After seconds',
  specs: {
    request: (endpoints) => ({ url: `${endpoints.rest.replace(/\/+$/, '')}/fapi/v1/exchangeInfo` }),
    parse: parseExchangeInfo,
    defaults: [
      linearSpec('binance', 'BTCUSDT', 'BTC', 'USDT', { tickSize: 0.1 }),
      linearSpec('binance', 'ETHUSDT', 'ETH', 'USDT', { tickSize: 0.01 }),
      linearSpec('binance', 'SOLUSDT', 'SOL', 'USDT', { tickSize: 0.01 }),
    ],
  },
};

/** For tests and replay: a parser with no loaded specs. */
export const parse = createParser();

/**
 * BitMEX perpetuals.
 *
 * Tables: each subscription starts with a `partial` (the full current image), then `insert`,
 * `update`, `delete`. A liquidation `partial` lists liquidation orders still open from before we
 * connected; only `insert`s are new liquidations, and inserts before the table's partial are dropped.
 * Side: `side` is the *order* side: `Sell` closes a long. Liquidation rows carry no timestamp: the
 * receive time is used. The feed is complete (every liquidation order, not a throttled sample).
 * Units: CONTRACTS. XBTUSD is inverse (1 contract = 1 USD); XBTUSDT is linear (1 contract =
 * 1 / underlyingToPositionMultiplier XBT); quanto contracts (ETHUSD) cannot be sized in USD without
 * the XBT price and are skipped with a reason. XBT is shown as BTC.
 * Heartbeat: text `ping` → `pong`.
 */
import { VENUE_INFO } from './catalog';
import { failed, isPositive, isRecord, neverThrows, parseJson, preview, skipped, toNumber, toTime } from './parse-util';
import { normalizeBase, sizeFromContracts } from './specs';
import {
  instrumentKey,
  type ConnectionPlan,
  type InstrumentSpec,
  type MarketEvent,
  type ParseOutcome,
  type SpecLookup,
  type VenueAdapter,
  type VenueEndpoints,
} from './types';

const ARGS_PER_MESSAGE = 10;

function topicFrames(op: 'subscribe' | 'unsubscribe', symbols: string[]): string[] {
  const args = symbols.flatMap((s) => [`liquidation:${s}`, `trade:${s}`, `instrument:${s}`]);
  const frames: string[] = [];
  for (let i = 0; i < args.length; i += ARGS_PER_MESSAGE) frames.push(JSON.stringify({ op, args: args.slice(i, i + ARGS_PER_MESSAGE) }));
  return frames;
}

function connections(endpoints: VenueEndpoints, symbols: string[]): ConnectionPlan[] {
  return [
    {
      id: 'bitmex/realtime',
      url: `${endpoints.ws.replace(/\/+$/, '')}/realtime`,
      subscribeFrames: topicFrames('subscribe', symbols),
      symbols,
      keepalive: { frame: 'ping', everyMs: 20_000 },
      staleAfterMs: 45_000,
    },
  ];
}

/** Spec from an instrument row (REST `instrument/active` or the WebSocket `instrument` partial). */
export function specFromInstrument(i: Record<string, unknown>): InstrumentSpec | undefined {
  if (typeof i.symbol !== 'string') return undefined;
  const inverse = i.isInverse === true;
  const quanto = i.isQuanto === true;
  const utpm = toNumber(i.underlyingToPositionMultiplier);
  const tick = toNumber(i.tickSize);
  const initMargin = toNumber(i.initMargin);
  const base = typeof i.underlying === 'string' ? i.underlying : i.symbol.replace(/(USDT|USD|USDC)$/, '');
  if (!inverse && !quanto && !isPositive(utpm)) return undefined;
  return {
    venue: 'bitmex',
    symbol: i.symbol,
    base: normalizeBase(base),
    quote: typeof i.quoteCurrency === 'string' ? i.quoteCurrency : 'USD',
    inverse,
    quanto,
    contractSize: inverse || quanto ? 1 : 1 / utpm,
    baseMultiplier: 1,
    ...(isPositive(tick) ? { tickSize: tick } : {}),
    ...(isPositive(initMargin) ? { maxLeverage: Math.round(1 / initMargin) } : {}),
  };
}

const DEFAULT_SPECS: InstrumentSpec[] = [
  {
    venue: 'bitmex',
    symbol: 'XBTUSD',
    base: 'BTC',
    quote: 'USD',
    inverse: true,
    contractSize: 1,
    baseMultiplier: 1,
    tickSize: 0.5,
    maxLeverage: 100,
  },
  {
    venue: 'bitmex',
    symbol: 'XBTUSDT',
    base: 'BTC',
    quote: 'USDT',
    inverse: false,
    contractSize: 1e-6,
    baseMultiplier: 1,
    tickSize: 0.5,
    maxLeverage: 100,
  },
  {
    venue: 'bitmex',
    symbol: 'ETHUSD',
    base: 'ETH',
    quote: 'USD',
    inverse: false,
    quanto: true,
    contractSize: 1,
    baseMultiplier: 1,
    tickSize: 0.05,
  },
];

interface InstrumentState {
  markPrice?: number;
  fundingRate?: number;
}

export function createParser(specs: SpecLookup) {
  /** `${table}:${symbol}` (or `${table}:*`) whose partial has arrived on this stream. */
  const partials = new Set<string>();
  /** Specs learnt from this stream's instrument partial win over defaults. */
  const learnt = new Map<string, InstrumentSpec>();
  const instruments = new Map<string, InstrumentState>();
  const spec = (symbol: string) => learnt.get(symbol) ?? specs.get(symbol);
  const afterPartial = (table: string, symbol: string) => partials.has(`${table}:*`) || partials.has(`${table}:${symbol}`);

  const liquidations = (rows: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    let reason = 'liquidation insert before the table partial';
    for (const r of rows) {
      if (!isRecord(r) || typeof r.symbol !== 'string') return failed(`liquidation row malformed: ${preview(r)}`);
      if (!afterPartial('liquidation', r.symbol)) continue;
      const price = toNumber(r.price);
      const qty = toNumber(r.leavesQty);
      if (r.side !== 'Buy' && r.side !== 'Sell') return failed(`liquidation with unknown side ${preview(r.side)}`);
      if (!isPositive(price) || !isPositive(qty)) return failed(`liquidation with bad numbers: ${preview(r)}`);
      const s = spec(r.symbol);
      if (!s) return failed(`no contract spec for BitMEX ${r.symbol} yet (instrument list not loaded)`);
      if (s.quanto) {
        reason = `quanto contract ${r.symbol} not sized`;
        continue;
      }
      out.push({
        kind: 'liquidation',
        venue: 'bitmex',
        instrument: instrumentKey('bitmex', r.symbol),
        ...(typeof r.orderID === 'string' ? { liquidationId: r.orderID } : {}),
        liquidatedSide: r.side === 'Sell' ? 'long' : 'short',
        price,
        ...sizeFromContracts(s, qty, price),
        // Liquidation rows have no timestamp.
        exchangeTime: receiveTime,
        receiveTime,
      });
    }
    return out.length ? { status: 'events', events: out } : skipped(reason);
  };

  const trades = (rows: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const r of rows) {
      if (!isRecord(r) || typeof r.symbol !== 'string') return failed(`trade row malformed: ${preview(r)}`);
      if (!afterPartial('trade', r.symbol)) continue;
      const price = toNumber(r.price);
      const size = toNumber(r.size);
      const time = toTime(r.timestamp);
      if ((r.side !== 'Buy' && r.side !== 'Sell') || !isPositive(price) || !isPositive(size) || !isPositive(time))
        return failed(`trade with bad fields: ${preview(r)}`);
      // homeNotional (coins) and foreignNotional (quote) size every contract type, quanto included.
      const home = toNumber(r.homeNotional);
      const foreign = toNumber(r.foreignNotional);
      const s = spec(r.symbol);
      const sized = isPositive(home)
        ? { baseQty: home, notionalUsd: isPositive(foreign) ? foreign : home * price }
        : s && !s.quanto
          ? sizeFromContracts(s, size, price)
          : undefined;
      if (!sized) return failed(`trade without notional for ${r.symbol}: ${preview(r)}`);
      out.push({
        kind: 'trade',
        venue: 'bitmex',
        instrument: instrumentKey('bitmex', r.symbol),
        takerSide: r.side === 'Buy' ? 'buy' : 'sell',
        ...(typeof r.trdMatchID === 'string' ? { tradeId: r.trdMatchID } : {}),
        price,
        ...sized,
        exchangeTime: time,
        receiveTime,
      });
    }
    return out.length ? { status: 'events', events: out } : skipped('trade insert before the table partial');
  };

  const instrument = (rows: unknown[], action: string, receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const r of rows) {
      if (!isRecord(r) || typeof r.symbol !== 'string') return failed(`instrument row malformed: ${preview(r)}`);
      if (action === 'partial') {
        const s = specFromInstrument(r);
        if (s) learnt.set(r.symbol, s);
      }
      const st = instruments.get(r.symbol) ?? {};
      const time = toTime(r.timestamp) || receiveTime;
      const mark = toNumber(r.markPrice);
      const funding = toNumber(r.fundingRate);
      if (isPositive(mark)) st.markPrice = mark;
      if (Number.isFinite(funding)) st.fundingRate = funding;
      instruments.set(r.symbol, st);
      const instrumentId = instrumentKey('bitmex', r.symbol);
      if (isPositive(mark)) {
        out.push({
          kind: 'markPrice',
          venue: 'bitmex',
          instrument: instrumentId,
          markPrice: mark,
          ...(st.fundingRate !== undefined ? { fundingRate: st.fundingRate } : {}),
          exchangeTime: time,
          receiveTime,
        });
      }
      const oi = toNumber(r.openInterest);
      const s = spec(r.symbol);
      if (oi >= 0 && s && !s.quanto && st.markPrice) {
        const { baseQty, notionalUsd } = sizeFromContracts(s, oi, st.markPrice);
        out.push({
          kind: 'openInterest',
          venue: 'bitmex',
          instrument: instrumentId,
          baseQty,
          notionalUsd,
          exchangeTime: time,
          receiveTime,
        });
      }
    }
    return out.length ? { status: 'events', events: out } : skipped('instrument update without mark price or open interest');
  };

  return neverThrows((frame, receiveTime) => {
    if (frame === 'pong') return skipped('pong');
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg)) return failed(`unknown message: ${preview(frame)}`);
    if (typeof msg.error === 'string') return failed(`BitMEX error: ${msg.error}`);
    if ('info' in msg || 'success' in msg) return skipped('welcome or subscription reply');
    const table = msg.table;
    const action = msg.action;
    if (typeof table !== 'string' || typeof action !== 'string' || !Array.isArray(msg.data))
      return failed(`unknown message: ${preview(frame)}`);
    if (action === 'partial') {
      const filterSymbol = isRecord(msg.filter) && typeof msg.filter.symbol === 'string' ? msg.filter.symbol : '*';
      partials.add(`${table}:${filterSymbol}`);
      // Instrument partials carry the current image we need; other partials are history.
      return table === 'instrument' ? instrument(msg.data, action, receiveTime) : skipped(`${table} partial`);
    }
    if (table === 'liquidation') return action === 'insert' ? liquidations(msg.data, receiveTime) : skipped(`liquidation ${action}`);
    if (table === 'trade') return action === 'insert' ? trades(msg.data, receiveTime) : skipped(`trade ${action}`);
    if (table === 'instrument') return instrument(msg.data, action, receiveTime);
    return skipped(`${table} ${action}`);
  });
}

function parseInstruments(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  if (!parsed.ok || !Array.isArray(parsed.value)) return { error: `instrument/active is not a list: ${preview(body)}` };
  const specs = parsed.value.flatMap((i) => (isRecord(i) ? (specFromInstrument(i) ?? []) : []));
  return specs.length ? specs : { error: 'instrument/active listed no sizable instrument' };
}

export const bitmex: VenueAdapter = {
  ...VENUE_INFO.bitmex,
  connections,
  liveFrames: topicFrames,
  // One connection carries everything (BitMEX limits connections, not topics); stay modest.
  maxSymbolsPerConnection: 100,
  createParser,
  restLimit: '120 requests / min unauthenticated; connections are rate limited: avoid reconnect storms',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/api/v1/instrument/active` }),
    parse: parseInstruments,
    defaults: DEFAULT_SPECS,
  },
};

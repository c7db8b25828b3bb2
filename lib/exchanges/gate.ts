/**
 * Gate USDT-settled perpetual futures (API v4).
 *
 * Side: `futures.public_liquidates` gives a signed `size`: negative is a sell order, which closes a
 * long (the sign convention of Gate's own order sizes; the docs give no side text). `futures.trades`
 * `size` is signed the same way by the taker: negative = taker sold.
 * Units: sizes are CONTRACTS; one contract is `quanto_multiplier` coins (BTC_USDT 0.0001 BTC), from
 * `GET /api/v4/futures/usdt/contracts`; an unknown contract is an error, never treated as coins.
 * `futures.tickers` `total_size` is the open interest in contracts (one side).
 * Completeness: since the 2026-08 change every liquidation is pushed, batched per contract about
 * every second (flushed early at 20); before it, at most one per contract per second.
 * Heartbeat: the server sends protocol pings (answered by the browser); the client's
 * `futures.ping` every 15 s also proves the socket alive, answered with `futures.pong`.
 * Times: `time` fields are seconds, `*_ms` fields milliseconds.
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

/** Contracts per subscribe payload: small requests, and one failing contract fails few others. */
const CONTRACTS_PER_MESSAGE = 20;
/** Gate documents no per-connection cap; keep connections small so one drop costs little. */
const CONTRACTS_PER_CONNECTION = 100;
const CHANNELS = ['futures.trades', 'futures.tickers', 'futures.public_liquidates'] as const;

/**
 * Gate's request envelope: `event` subscribe or unsubscribe, contracts as payload. The documented
 * `time` field is left out, as long-running public clients (aggr) do: public channels do not check it.
 */
export function gateRequest(channel: string, event: 'subscribe' | 'unsubscribe', payload: string[]): string {
  return JSON.stringify({ channel, event, payload });
}

function liveFrames(action: 'subscribe' | 'unsubscribe', contracts: string[]): string[] {
  const frames: string[] = [];
  for (let j = 0; j < contracts.length; j += CONTRACTS_PER_MESSAGE)
    for (const channel of CHANNELS) frames.push(gateRequest(channel, action, contracts.slice(j, j + CONTRACTS_PER_MESSAGE)));
  return frames;
}

function connections(endpoints: VenueEndpoints, symbols: string[]): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (let i = 0; i < Math.max(1, symbols.length); i += CONTRACTS_PER_CONNECTION) {
    const chunk = symbols.slice(i, i + CONTRACTS_PER_CONNECTION);
    plans.push({
      id: `gate/usdt-${plans.length}`,
      url: `${endpoints.ws.replace(/\/+$/, '')}/v4/ws/usdt`,
      subscribeFrames: liveFrames('subscribe', chunk),
      symbols: chunk,
      keepalive: { frame: JSON.stringify({ channel: 'futures.ping' }), everyMs: 15_000 },
      // Pongs arrive every 15 s even on a quiet market.
      staleAfterMs: 40_000,
      maxMessagesPerSecond: 10,
    });
  }
  return plans;
}

/** Built-in multipliers for the majors, used until the contract list arrives. */
const DEFAULT_SPECS: InstrumentSpec[] = [
  ['BTC_USDT', 0.0001, 0.1],
  ['ETH_USDT', 0.01, 0.01],
  ['SOL_USDT', 1, 0.001],
].map(([symbol, contractSize, tickSize]) => gateSpec(symbol as string, contractSize as number, tickSize as number));

function gateSpec(symbol: string, contractSize: number, tickSize?: number, maxLeverage?: number): InstrumentSpec {
  const [base, quote = 'USDT'] = symbol.split('_');
  return {
    venue: 'gate',
    symbol,
    base: normalizeBase(base),
    quote,
    inverse: false,
    contractSize,
    baseMultiplier: 1,
    ...(tickSize && tickSize > 0 ? { tickSize } : {}),
    ...(maxLeverage && maxLeverage > 0 ? { maxLeverage } : {}),
  };
}

export function createParser(specs: SpecLookup) {
  const unsized = (contract: string) =>
    failed(`no contract size for Gate ${contract} yet (contract list not loaded): not sized rather than guessed`);

  const liquidations = (result: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const l of result) {
      if (!isRecord(l) || typeof l.contract !== 'string') return failed(`public_liquidates item malformed: ${preview(l)}`);
      const spec = specs.get(l.contract);
      if (!spec) return unsized(l.contract);
      const price = toNumber(l.price);
      const size = toNumber(l.size);
      const time = toNumber(l.time_ms) || toNumber(l.time) * 1000;
      if (!isPositive(price) || !Number.isFinite(size) || size === 0 || !isPositive(time))
        return failed(`liquidation with bad numbers: ${preview(l)}`);
      out.push({
        kind: 'liquidation',
        venue: 'gate',
        instrument: instrumentKey('gate', l.contract),
        liquidatedSide: size < 0 ? 'long' : 'short',
        price,
        ...sizeFromContracts(spec, Math.abs(size), price),
        exchangeTime: time,
        receiveTime,
      });
    }
    return out.length ? { status: 'events', events: out } : skipped('empty liquidation batch');
  };

  const trades = (result: unknown[], receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const t of result) {
      if (!isRecord(t) || typeof t.contract !== 'string') return failed(`trade malformed: ${preview(t)}`);
      const spec = specs.get(t.contract);
      if (!spec) return unsized(t.contract);
      const price = toNumber(t.price);
      const size = toNumber(t.size);
      const time = toNumber(t.create_time_ms) || toNumber(t.create_time) * 1000;
      if (!isPositive(price) || !Number.isFinite(size) || size === 0 || !isPositive(time))
        return failed(`trade with bad numbers: ${preview(t)}`);
      if (t.is_internal === true) continue; // the liquidation engine's own transfers: not market flow
      const id = typeof t.id === 'number' || typeof t.id === 'string' ? String(t.id) : undefined;
      const instrument = instrumentKey('gate', t.contract);
      out.push(
        tradeEvent(
          'gate',
          instrument,
          size < 0 ? 'sell' : 'buy',
          price,
          sizeFromContracts(spec, Math.abs(size), price),
          time,
          receiveTime,
          id,
        ),
      );
    }
    return out.length ? { status: 'events', events: out } : skipped('internal trades only');
  };

  const tickers = (result: unknown[], frameTime: number, receiveTime: number): ParseOutcome => {
    const out: MarketEvent[] = [];
    for (const t of result) {
      if (!isRecord(t) || typeof t.contract !== 'string') return failed(`ticker malformed: ${preview(t)}`);
      const mark = toNumber(t.mark_price);
      if (!isPositive(mark) || !isPositive(frameTime)) return failed(`ticker with bad numbers: ${preview(t)}`);
      const instrument = instrumentKey('gate', t.contract);
      out.push(markEvent('gate', instrument, mark, frameTime, receiveTime, toNumber(t.index_price), toNumber(t.funding_rate)));
      const oi = toNumber(t.total_size);
      const spec = specs.get(t.contract);
      if (spec && oi >= 0) out.push(openInterestEvent('gate', instrument, spec, oi, mark, frameTime, receiveTime));
    }
    return { status: 'events', events: out };
  };

  return neverThrows((frame, receiveTime) => {
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg) || typeof msg.channel !== 'string') return failed(`unknown message: ${preview(frame)}`);
    if (isRecord(msg.error)) return failed(`Gate error ${String(msg.error.code)} on ${msg.channel}: ${String(msg.error.message)}`);
    if (msg.channel === 'futures.pong') return skipped('pong');
    if (msg.event === 'subscribe' || msg.event === 'unsubscribe') return skipped(`${msg.event} ack`);
    if (msg.event !== 'update' && msg.event !== 'all') return failed(`unknown event ${preview(msg.event)} on ${msg.channel}`);
    if (!Array.isArray(msg.result)) return failed(`${msg.channel} without a result list: ${preview(frame)}`);
    const frameTime = toNumber(msg.time_ms) || toNumber(msg.time) * 1000;
    switch (msg.channel) {
      case 'futures.public_liquidates':
        return liquidations(msg.result, receiveTime);
      case 'futures.trades':
        return trades(msg.result, receiveTime);
      case 'futures.tickers':
        return tickers(msg.result, frameTime, receiveTime);
      case 'futures.order_book':
      case 'futures.book_ticker':
      case 'futures.order_book_update':
      case 'futures.candlesticks':
      case 'futures.contract_stats':
        return skipped(msg.channel);
    }
    return failed(`unknown channel ${preview(msg.channel)}`);
  });
}

/** `GET /api/v4/futures/usdt/contracts`: every USDT perpetual with its multiplier, tick and leverage. */
function parseContracts(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  const v = parsed.ok ? parsed.value : undefined;
  if (!Array.isArray(v)) return { error: `contracts is not a list: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const c of v) {
    if (!isRecord(c) || typeof c.name !== 'string' || c.in_delisting === true) continue;
    const multiplier = toNumber(c.quanto_multiplier);
    // `direct` contracts settle in USDT; `inverse` ones are not offered on the USDT settle.
    if (!isPositive(multiplier) || (c.type !== undefined && c.type !== 'direct')) continue;
    specs.push(gateSpec(c.name, multiplier, toNumber(c.order_price_round), toNumber(c.leverage_max)));
  }
  return specs.length ? specs : { error: 'contracts listed no contract with a multiplier' };
}

/**
 * Backfill: `candlesticks` (5-minute; `v` in contracts, `sum` the quote volume; times in seconds)
 * and `contract_stats` (every 5 minutes: `open_interest` in contracts, `open_interest_usd`,
 * `mark_price`). No taker split: inferred from each candle's direction. Contracts become coins with
 * the contract's multiplier; before the contract list has loaded, from the USD figures instead
 * (volume at the candle's typical price, open interest at the mark).
 */
const backfill: BackfillSource = {
  requests(endpoints, symbol, since) {
    const rest = endpoints.rest.replace(/\/+$/, '');
    const id = encodeURIComponent(symbol);
    const from = Math.floor(since / 1000);
    return [
      { url: `${rest}/api/v4/futures/usdt/candlesticks?contract=${id}&interval=5m&from=${from}` },
      { url: `${rest}/api/v4/futures/usdt/contract_stats?contract=${id}&interval=5m&from=${from}&limit=288` },
    ];
  },
  parse([candleBody, statsBody], spec) {
    const list = (body: string | undefined) => {
      const v = parseJson(body ?? '');
      return v.ok && Array.isArray(v.value) ? (v.value as unknown[]) : undefined;
    };
    const candleRows = list(candleBody);
    const statRows = list(statsBody);
    if (!candleRows) return { error: `candlesticks is not a list: ${preview(candleBody)}` };
    if (!statRows) return { error: `contract_stats is not a list: ${preview(statsBody)}` };
    const perContract = spec ? spec.contractSize * spec.baseMultiplier : undefined;
    const candles = candleRows.flatMap((r) => {
      if (!isRecord(r)) return [];
      const [time, open, high, low, close, v, sum] = [r.t, r.o, r.h, r.l, r.c, r.v, r.sum].map(toNumber);
      if (!isPositive(time) || !isPositive(open) || !isPositive(high) || !isPositive(low) || !isPositive(close)) return [];
      const quoteVolume = sum >= 0 ? sum : undefined;
      const volume = perContract !== undefined && v >= 0 ? v * perContract : (quoteVolume ?? 0) / ((high + low + close) / 3);
      return [{ time: time * 1000, open, high, low, close, volume, quoteVolume }];
    });
    const openInterest = statRows.flatMap((r) => {
      if (!isRecord(r)) return [];
      const time = toNumber(r.time);
      const oi = toNumber(r.open_interest);
      const usd = toNumber(r.open_interest_usd);
      const mark = toNumber(r.mark_price);
      const coins = perContract !== undefined && oi >= 0 ? oi * perContract : isPositive(mark) && usd >= 0 ? usd / mark : NaN;
      return isPositive(time) && coins >= 0 ? [{ time: time * 1000, coins }] : [];
    });
    return { candles, openInterest, intervalMs: 300_000 };
  },
};

export const gate: VenueAdapter = {
  ...VENUE_INFO.gate,
  connections,
  liveFrames,
  maxSymbolsPerConnection: CONTRACTS_PER_CONNECTION,
  createParser,
  backfill,
  restLimit: 'public endpoints: 200 requests / 10 s per IP',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/api/v4/futures/usdt/contracts` }),
    parse: parseContracts,
    defaults: DEFAULT_SPECS,
  },
};

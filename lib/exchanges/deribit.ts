/**
 * Deribit perpetuals, over JSON-RPC 2.0.
 *
 * Liquidations have no channel of their own: public trades carry `liquidation`: "T" (the taker was
 * liquidated), "M" (the maker was), "MT" (both, so one long and one short). `direction` is the
 * taker's side, so a liquidated taker that sold was long; a liquidated maker facing a taker buy
 * had sold, so was long too.
 * Units: `amount` is USD for inverse perpetuals and futures (BTC-PERPETUAL), base coin for linear
 * USDC instruments (BTC_USDC-PERPETUAL). Ticker `open_interest` follows the same rule.
 * The `raw` interval needs a key, so public channels use `100ms`.
 * Heartbeat: after `public/set_heartbeat` the server sends `test_request`s that must be answered
 * with `public/test`, or it closes the connection.
 */
import { VENUE_INFO } from './catalog';
import { failed, isPositive, isRecord, neverThrows, parseJson, preview, skipped, toNumber } from './parse-util';
import { markEvent, openInterestEvent, tradeEvent } from './events';
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

const HEARTBEAT_S = 15;

const symbolChannels = (symbols: string[]) => symbols.flatMap((s) => [`trades.${s}.100ms`, `ticker.${s}.100ms`]);

function liveFrames(action: 'subscribe' | 'unsubscribe', symbols: string[]): string[] {
  return [
    JSON.stringify({
      jsonrpc: '2.0',
      id: action === 'subscribe' ? 3 : 4,
      method: `public/${action}`,
      params: { channels: symbolChannels(symbols) },
    }),
  ];
}

function connections(endpoints: VenueEndpoints, symbols: string[]): ConnectionPlan[] {
  const channels = symbolChannels(symbols);
  return [
    {
      id: 'deribit/ws',
      url: `${endpoints.ws.replace(/\/+$/, '')}/ws/api/v2`,
      subscribeFrames: [
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'public/set_heartbeat', params: { interval: HEARTBEAT_S } }),
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'public/subscribe', params: { channels } }),
      ],
      symbols,
      // The server's heartbeats arrive every HEARTBEAT_S seconds even on a quiet market.
      staleAfterMs: HEARTBEAT_S * 3 * 1000,
    },
  ];
}

/** Inverse unless the instrument is USDC-margined (`BTC_USDC-PERPETUAL`). */
function deribitSpec(symbol: string): InstrumentSpec {
  const linear = /_USDC/.test(symbol);
  const base = normalizeBase(symbol.split(/[-_]/)[0]);
  return { venue: 'deribit', symbol, base, quote: linear ? 'USDC' : 'USD', inverse: !linear, contractSize: 1, baseMultiplier: 1 };
}

export function createParser(specs: SpecLookup) {
  const spec = (symbol: string) => specs.get(symbol) ?? deribitSpec(symbol);
  let testId = 1000;

  const trades = (data: unknown, receiveTime: number): ParseOutcome => {
    if (!Array.isArray(data)) return failed(`trades without data array: ${preview(data)}`);
    const out: MarketEvent[] = [];
    for (const t of data) {
      if (!isRecord(t) || typeof t.instrument_name !== 'string') return failed(`trade malformed: ${preview(t)}`);
      const price = toNumber(t.price);
      const amount = toNumber(t.amount);
      const time = toNumber(t.timestamp);
      if ((t.direction !== 'buy' && t.direction !== 'sell') || !isPositive(price) || !isPositive(amount) || !isPositive(time)) {
        return failed(`trade with bad fields: ${preview(t)}`);
      }
      const instrument = instrumentKey('deribit', t.instrument_name);
      const sized = sizeFromContracts(spec(t.instrument_name), amount, price);
      const tradeId = typeof t.trade_id === 'string' ? t.trade_id : undefined;
      out.push(tradeEvent('deribit', instrument, t.direction, price, sized, time, receiveTime, tradeId));
      if (t.liquidation === undefined) continue;
      if (t.liquidation !== 'T' && t.liquidation !== 'M' && t.liquidation !== 'MT')
        return failed(`unknown liquidation flag ${preview(t.liquidation)}`);
      // The taker sold ⇒ a liquidated taker was long; the maker then bought ⇒ a liquidated maker was short.
      const takerSide: 'long' | 'short' = t.direction === 'sell' ? 'long' : 'short';
      const makerSide: 'long' | 'short' = takerSide === 'long' ? 'short' : 'long';
      const sides = t.liquidation === 'T' ? [takerSide] : t.liquidation === 'M' ? [makerSide] : [takerSide, makerSide];
      for (const liquidatedSide of sides) {
        out.push({
          kind: 'liquidation',
          venue: 'deribit',
          instrument,
          ...(tradeId ? { liquidationId: `${tradeId}:${liquidatedSide}` } : {}),
          liquidatedSide,
          price,
          ...sized,
          exchangeTime: time,
          receiveTime,
        });
      }
    }
    return { status: 'events', events: out };
  };

  const ticker = (d: unknown, receiveTime: number): ParseOutcome => {
    if (!isRecord(d) || typeof d.instrument_name !== 'string') return failed(`ticker malformed: ${preview(d)}`);
    const mark = toNumber(d.mark_price);
    const time = toNumber(d.timestamp);
    if (!isPositive(mark) || !isPositive(time)) return failed(`ticker with bad numbers: ${preview(d)}`);
    const instrument = instrumentKey('deribit', d.instrument_name);
    const s = spec(d.instrument_name);
    const out: MarketEvent[] = [markEvent('deribit', instrument, mark, time, receiveTime, toNumber(d.index_price), toNumber(d.funding_8h))];
    const oi = toNumber(d.open_interest);
    if (oi >= 0) out.push(openInterestEvent('deribit', instrument, s, oi, mark, time, receiveTime));
    return { status: 'events', events: out };
  };

  return neverThrows((frame, receiveTime) => {
    const parsed = parseJson(frame);
    if (!parsed.ok) return failed(parsed.error);
    const msg = parsed.value;
    if (!isRecord(msg)) return failed(`unknown message: ${preview(frame)}`);
    if (isRecord(msg.error)) return failed(`Deribit error ${String(msg.error.code)}: ${String(msg.error.message)}`);
    if ('result' in msg) return skipped('request reply');
    const params = msg.params;
    if (msg.method === 'heartbeat') {
      if (isRecord(params) && params.type === 'test_request') {
        return {
          status: 'skipped',
          reason: 'heartbeat test_request',
          reply: [JSON.stringify({ jsonrpc: '2.0', id: ++testId, method: 'public/test', params: {} })],
        };
      }
      return skipped('heartbeat');
    }
    if (msg.method !== 'subscription' || !isRecord(params) || typeof params.channel !== 'string')
      return failed(`unknown message: ${preview(frame)}`);
    if (params.channel.startsWith('trades.')) return trades(params.data, receiveTime);
    if (params.channel.startsWith('ticker.')) return ticker(params.data, receiveTime);
    return skipped(params.channel.split('.')[0]);
  });
}

/** `public/get_instruments?currency=any&kind=future`: perpetuals and futures with contract size. */
function parseInstruments(body: string): InstrumentSpec[] | { error: string } {
  const parsed = parseJson(body);
  const v = parsed.ok ? parsed.value : undefined;
  if (!isRecord(v) || !Array.isArray(v.result)) return { error: `get_instruments without result: ${preview(body)}` };
  const specs: InstrumentSpec[] = [];
  for (const i of v.result) {
    if (!isRecord(i) || typeof i.instrument_name !== 'string') continue;
    const tick = toNumber(i.tick_size);
    const lev = toNumber(i.max_leverage);
    specs.push({
      ...deribitSpec(i.instrument_name),
      ...(isPositive(tick) ? { tickSize: tick } : {}),
      ...(isPositive(lev) ? { maxLeverage: lev } : {}),
    });
  }
  return specs.length ? specs : { error: 'get_instruments listed nothing' };
}

export const deribit: VenueAdapter = {
  ...VENUE_INFO.deribit,
  connections,
  liveFrames,
  maxSymbolsPerConnection: 100,
  createParser,
  restLimit: '20 requests / s (burst 100) per IP; 32 connections per IP including HTTP',
  specs: {
    request: (e) => ({ url: `${e.rest.replace(/\/+$/, '')}/api/v2/public/get_instruments?currency=any&kind=future` }),
    parse: parseInstruments,
    defaults: ['BTC-PERPETUAL', 'ETH-PERPETUAL', 'BTC_USDC-PERPETUAL', 'ETH_USDC-PERPETUAL'].map(deribitSpec),
  },
};

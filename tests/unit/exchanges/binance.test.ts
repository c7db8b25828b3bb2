import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binance as adapter, parse, parseOpenInterest } from '../../../lib/exchanges/binance';
import type { LiquidationEvent, MarketEvent, ParseOutcome } from '../../../lib/exchanges/types';
import { SHARED_REFERENCE_DIR, sharedOrSkipNotice } from '../../harness/recording';

const RECEIVED = 1_700_000_000_000;
const wrap = (stream: string, data: unknown) => JSON.stringify({ stream, data });

function events(outcome: ParseOutcome): MarketEvent[] {
  if (outcome.status !== 'events') throw new Error(`expected events, got ${JSON.stringify(outcome)}`);
  return outcome.events;
}

const samples: Record<string, { raw: string }> = sharedOrSkipNotice('Binance documented samples')
  ? JSON.parse(readFileSync(`${SHARED_REFERENCE_DIR}exchange-samples.json`, 'utf8'))
  : {};

describe.skipIf(Object.keys(samples).length === 0)('Binance documented and captured samples', () => {
  // Every Binance-shaped forceOrder sample, with what a trader must see for it.
  it.each([
    ['doc_derived.bn_force', 'BTCUSDT', 'long', 9910, 0.014, 138.74],
    ['doc_derived.bn_force_all', 'BTCUSDT', 'long', 9910, 0.014, 138.74],
    // Live capture: BUY order ⇒ a short was liquidated; notional from the average fill price.
    ['live_ai_rates_2026_09_18.binance_buy', 'COTIUSDT', 'short', 0.021912, 288183, 288183 * 0.021912],
    // Aster speaks Binance's format; partial fill l < z: the accumulated z is the liquidated size.
    ['live_ai_rates_2026_09_18.aster_sell', 'PAIRUSDT', 'long', 0.0044461, 28448, 28448 * 0.0044461],
  ])('%s: %s %s liquidated at %f, %f base, $%f', (key, symbol, side, price, qty, usd) => {
    const sample = samples[key];
    expect(sample, `sample ${key} missing from exchange-samples.json`).toBeDefined();
    // Samples are raw payloads; the extension receives them inside the combined-stream envelope.
    for (const frame of [sample.raw, wrap('!forceOrder@arr', JSON.parse(sample.raw))]) {
      const [e] = events(parse(frame, RECEIVED)) as LiquidationEvent[];
      expect(e).toMatchObject({
        kind: 'liquidation',
        venue: 'binance',
        instrument: `binance:${symbol}`,
        liquidatedSide: side,
        receiveTime: RECEIVED,
      });
      expect(e.price).toBeCloseTo(price, 10);
      expect(e.baseQty).toBeCloseTo(qty, 10);
      expect(e.notionalUsd).toBeCloseTo(usd, 6);
    }
  });

  it('aggTrade: buyer is maker ⇒ the taker sold', () => {
    const [t] = events(parse(samples['doc_derived.bn_agg'].raw, RECEIVED));
    expect(t).toMatchObject({
      kind: 'trade',
      instrument: 'binance:BTCUSDT',
      takerSide: 'sell',
      price: 0.001,
      baseQty: 100,
      exchangeTime: 123456785,
    });
    expect((t as { notionalUsd: number }).notionalUsd).toBeCloseTo(0.1, 12);
  });

  it('markPrice single and array forms carry mark, index and funding', () => {
    const [m] = events(parse(samples['doc_derived.bn_mark'].raw, RECEIVED));
    expect(m).toMatchObject({
      kind: 'markPrice',
      instrument: 'binance:BTCUSDT',
      markPrice: 11794.15,
      indexPrice: 11784.62659091,
      fundingRate: 0.00038167,
    });
    const arr = events(parse(wrap('!markPrice@arr@1s', JSON.parse(samples['doc_derived.bn_mark_arr'].raw)), RECEIVED));
    expect(arr).toHaveLength(1);
    expect(arr[0]).toMatchObject({ markPrice: 11185.87786614 });
  });

  it('REST open interest is one side in base coin', () => {
    const [oi] = events(parseOpenInterest(samples['doc_derived.bn_oi'].raw, RECEIVED, undefined, 10_000));
    expect(oi).toMatchObject({ kind: 'openInterest', instrument: 'binance:BTCUSDT', baseQty: 10659.509, exchangeTime: 1589437530011 });
    expect((oi as { notionalUsd: number }).notionalUsd).toBeCloseTo(106595090, 3);
  });
});

describe('Binance units and envelopes', () => {
  const force = (o: Record<string, unknown>) =>
    JSON.stringify({
      e: 'forceOrder',
      E: 1,
      o: { s: 'BTCUSDT', S: 'SELL', o: 'LIMIT', f: 'IOC', q: '1', p: '100', ap: '100', X: 'FILLED', l: '1', z: '1', T: 5, ...o },
    });

  it('1000PEPEUSDT sizes are lots of 1000 coins: base qty scales, USD does not', () => {
    const [e] = events(
      parse(force({ s: '1000PEPEUSDT', q: '50000', z: '50000', p: '0.012', ap: '0.012' }), RECEIVED),
    ) as LiquidationEvent[];
    expect(e.baseQty).toBe(50_000_000);
    expect(e.notionalUsd).toBeCloseTo(600, 9);
    expect(e.price).toBe(0.012);
  });

  it('falls back to the order price and quantity when no fill is reported yet', () => {
    const [e] = events(parse(force({ ap: '0', z: '0', q: '2', p: '99' }), RECEIVED)) as LiquidationEvent[];
    expect(e).toMatchObject({ price: 99, baseQty: 2, notionalUsd: 198 });
  });

  it('skips valid frames LiqLens does not use, and subscription replies', () => {
    expect(parse(wrap('btcusdt@bookTicker', { e: 'bookTicker', s: 'BTCUSDT', b: '1', a: '2' }), RECEIVED).status).toBe('skipped');
    expect(parse(wrap('btcusdt@depth', { e: 'depthUpdate', s: 'BTCUSDT', b: [], a: [] }), RECEIVED).status).toBe('skipped');
    expect(parse('{"result":null,"id":1}', RECEIVED).status).toBe('skipped');
    expect(parse('{"lastUpdateId":1,"E":1,"T":1,"bids":[],"asks":[]}', RECEIVED)).toEqual({
      status: 'skipped',
      reason: 'REST depth snapshot',
    });
  });

  it.each([
    ['not JSON', '{"stream":'],
    ['unknown event', wrap('x', { e: 'mystery' })],
    ['venue error reply', '{"error":{"code":2,"msg":"Invalid request"},"id":1}'],
    ['unknown side', force({ S: 'HOLD' })],
    ['NaN price', force({ p: 'abc', ap: 'abc' })],
    ['absurd size', force({ q: '1e300', z: '1e300' })],
    ['negative price', force({ p: '-5', ap: '-5' })],
    ['order missing', JSON.stringify({ e: 'forceOrder', E: 1 })],
    ['trade without maker flag', wrap('btcusdt@aggTrade', { e: 'aggTrade', s: 'BTCUSDT', p: '1', q: '1', T: 1 })],
    ['array of junk', '[1,2,3]'],
    ['null', 'null'],
  ])('%s is a counted error, not an exception', (_name, frame) => {
    const outcome = parse(frame, RECEIVED);
    expect(outcome.status).toBe('error');
    expect((outcome as { error: string }).error.length).toBeGreaterThan(0);
  });
});

describe('Binance connection plan', () => {
  it('uses the routed /market combined-stream URL with lowercase symbol streams', () => {
    const [plan] = adapter.connections(adapter.defaultEndpoints, ['BTCUSDT', 'ETHUSDT']);
    expect(plan.url).toBe(
      'wss://fstream.binance.com/market/stream?streams=!forceOrder@arr/btcusdt@aggTrade/btcusdt@markPrice@1s/ethusdt@aggTrade/ethusdt@markPrice@1s',
    );
    expect(plan.maxLifetimeMs).toBeLessThan(24 * 3600_000);
  });

  it('splits at 200 streams per connection and subscribes the all-market liquidation stream once', () => {
    const symbols = Array.from({ length: 150 }, (_, i) => `S${i}USDT`);
    const plans = adapter.connections({ ws: 'ws://127.0.0.1:1/', rest: '' }, symbols);
    const streams = plans.map((p) => new URL(p.url).searchParams.get('streams')!.split('/'));
    expect(plans).toHaveLength(2);
    expect(streams.every((s) => s.length <= 200)).toBe(true);
    expect(streams.flat().filter((s) => s === '!forceOrder@arr')).toHaveLength(1);
    expect(streams.flat()).toHaveLength(301);
    expect(plans[0].url.startsWith('ws://127.0.0.1:1/market/stream?')).toBe(true);
  });
});

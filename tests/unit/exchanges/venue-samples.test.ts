/**
 * Every venue's documented and captured samples (../shared/reference/exchange-samples.json) through
 * its parser: side, units and USD pinned per sample. Binance has its own file (binance.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitget } from '../../../lib/exchanges/bitget';
import { bitmex } from '../../../lib/exchanges/bitmex';
import { bybit } from '../../../lib/exchanges/bybit';
import { deribit } from '../../../lib/exchanges/deribit';
import { dydx } from '../../../lib/exchanges/dydx';
import { gate } from '../../../lib/exchanges/gate';
import { hyperliquid } from '../../../lib/exchanges/hyperliquid';
import { kraken } from '../../../lib/exchanges/kraken';
import { okx } from '../../../lib/exchanges/okx';
import { SpecBook } from '../../../lib/exchanges/specs';
import type { InstrumentSpec, MarketEvent, ParseOutcome, VenueAdapter } from '../../../lib/exchanges/types';
import { SHARED_REFERENCE_DIR, sharedOrSkipNotice } from '../../harness/recording';

const T = 1_800_000_000_000;
const samples: Record<string, { raw: string }> = sharedOrSkipNotice('documented venue samples')
  ? JSON.parse(readFileSync(`${SHARED_REFERENCE_DIR}exchange-samples.json`, 'utf8'))
  : {};
const raw = (key: string) => {
  const s = samples[key];
  if (!s) throw new Error(`sample ${key} missing from exchange-samples.json`);
  return s.raw;
};
const parserFor = (adapter: VenueAdapter, extra: InstrumentSpec[] = []) => {
  const book = new SpecBook(adapter.specs.defaults);
  book.set(extra);
  return adapter.createParser(book);
};
function events(outcome: ParseOutcome): MarketEvent[] {
  if (outcome.status !== 'events') throw new Error(`expected events, got ${JSON.stringify(outcome)}`);
  return outcome.events;
}
const one = (outcome: ParseOutcome) => {
  const list = events(outcome);
  expect(list).toHaveLength(1);
  return list[0] as MarketEvent & Record<string, unknown>;
};

describe.skipIf(Object.keys(samples).length === 0)('documented samples', () => {
  describe('Bybit', () => {
    it.each([
      // key, symbol, liquidated side (S is the POSITION side), price, coins, USD
      ['doc.by_allliq', 'ROSEUSDT', 'short', 0.04499, 20000, 899.8],
      ['live_ai_rates_2026_09_18.bybit_buy', 'ICPUSDT', 'long', 2.585, 19.7, 50.9245],
      ['live_ai_rates_2026_09_18.bybit_sell', 'MARSCOINUSDT', 'short', 0.12734, 2380, 303.0692],
      ['tardis_test.bybit_allliq', 'PIPPINUSDT', 'short', 0.02456, 2846, 69.89776],
    ])('%s: %s %s liquidated', (key, symbol, side, price, coins, usd) => {
      const e = one(parserFor(bybit)(raw(key), T));
      expect(e).toMatchObject({ kind: 'liquidation', venue: 'bybit', instrument: `bybit:${symbol}`, liquidatedSide: side, price });
      expect(e.baseQty).toBeCloseTo(coins, 9);
      expect(e.notionalUsd).toBeCloseTo(usd, 6);
    });

    it('inverse allLiquidation sizes are USD contracts', () => {
      const frame = JSON.stringify({
        topic: 'allLiquidation.BTCUSD',
        type: 'snapshot',
        ts: T,
        data: [{ T, s: 'BTCUSD', S: 'Sell', v: '50000', p: '100000' }],
      });
      expect(one(parserFor(bybit)(frame, T))).toMatchObject({ liquidatedSide: 'short', notionalUsd: 50_000, baseQty: 0.5 });
    });

    it('publicTrade: S is the taker side; the trade id is kept', () => {
      const e = one(parserFor(bybit)(raw('doc.by_trade'), T));
      expect(e).toMatchObject({
        kind: 'trade',
        instrument: 'bybit:BTCUSDT',
        takerSide: 'buy',
        price: 16578.5,
        baseQty: 0.001,
        tradeId: '20f43950-d8dd-5b31-9112-a178eb6023af',
      });
      expect(e.notionalUsd).toBeCloseTo(16.5785, 9);
    });

    it('tickers: mark price, and open interest as ONE side (both-sides openInterest halved)', () => {
      const [mark, oi] = events(parserFor(bybit)(raw('doc.by_ticker'), T));
      expect(mark).toMatchObject({ kind: 'markPrice', markPrice: 66666.6, indexPrice: 115418.19, fundingRate: -0.005 });
      expect(oi).toMatchObject({ kind: 'openInterest', baseQty: 492373.72 / 2 });
    });

    it('tickers deltas merge: a delta without markPrice keeps the last one for OI in USD', () => {
      const parse = parserFor(bybit);
      parse(raw('doc.by_ticker'), T);
      const delta = JSON.stringify({
        topic: 'tickers.BTCUSDT',
        type: 'delta',
        data: { symbol: 'BTCUSDT', singleOpenInterest: '1000' },
        ts: T,
      });
      const oi = one(parse(delta, T));
      expect(oi).toMatchObject({ kind: 'openInterest', baseQty: 1000 });
      expect(oi.notionalUsd).toBeCloseTo(66_666_600, 4);
    });

    it.each(['doc.by_liq_old', 'tardis_test.bybit_oldliq_inverse', 'doc.by_pong_linear', 'doc.by_sub_ack_linear'])(
      '%s is skipped, not an error',
      (key) => {
        expect(parserFor(bybit)(raw(key), T).status).toBe('skipped');
      },
    );

    it('a kline frame (a documented topic LiqLens does not use) is skipped, not an error; an unknown topic is an error', () => {
      // The shape of Bybit's v5 "Kline" push, as its docs show it.
      const kline = JSON.stringify({
        topic: 'kline.5.BTCUSDT',
        data: [
          {
            start: 1672324800000,
            end: 1672325099999,
            interval: '5',
            open: '16649.5',
            close: '16677',
            high: '16677',
            low: '16608',
            volume: '2.081',
            turnover: '34666.4005',
            confirm: false,
            timestamp: 1672324988882,
          },
        ],
        ts: 1672324988882,
        type: 'snapshot',
      });
      expect(parserFor(bybit)(kline, T)).toMatchObject({ status: 'skipped', reason: 'kline' });
      expect(parserFor(bybit)(JSON.stringify({ topic: 'nonsense.BTCUSDT', data: [] }), T).status).toBe('error');
    });
  });

  describe('OKX', () => {
    // Contract values as the instrument list gives them (fixture values for these alts).
    const alts: InstrumentSpec[] = [
      { venue: 'okx', symbol: 'IOST-USDT-SWAP', base: 'IOST', quote: 'USDT', inverse: false, contractSize: 1000, baseMultiplier: 1 },
      { venue: 'okx', symbol: 'CNPY-USDT-SWAP', base: 'CNPY', quote: 'USDT', inverse: false, contractSize: 10, baseMultiplier: 1 },
    ];

    it.each([
      ['doc.ok_liq', 'IOST-USDT-SWAP', 'short', 0.007831, 13 * 1000],
      ['live_ai_rates_2026_09_18.okx_short', 'CNPY-USDT-SWAP', 'short', 0.4162, 2137 * 10],
    ])('%s: sz is contracts × ctVal; side buy ⇒ a short was liquidated', (key, symbol, side, price, coins) => {
      const e = one(parserFor(okx, alts)(raw(key), T));
      expect(e).toMatchObject({ kind: 'liquidation', instrument: `okx:${symbol}`, liquidatedSide: side, price });
      expect(e.baseQty).toBeCloseTo(coins, 9);
      expect(e.notionalUsd).toBeCloseTo(coins * price, 9);
    });

    it('never treats contracts as coins: an instrument without ctVal is a counted error', () => {
      const outcome = parserFor(okx)(raw('doc.ok_liq'), T);
      expect(outcome.status).toBe('error');
      expect((outcome as { error: string }).error).toMatch(/no contract size for OKX IOST-USDT-SWAP/);
      // Same for the documented trades sample, which is a spot instrument (no contract value).
      expect(parserFor(okx)(raw('doc.ok_trades'), T).status).toBe('error');
    });

    it('inverse swaps: sz × ctVal is USD', () => {
      const frame = JSON.stringify({
        arg: { channel: 'liquidation-orders', instType: 'SWAP' },
        data: [
          {
            details: [{ side: 'sell', sz: '30', bkPx: '100000', ts: String(T), posSide: 'net' }],
            instId: 'BTC-USD-SWAP',
            instType: 'SWAP',
          },
        ],
      });
      expect(one(parserFor(okx)(frame, T))).toMatchObject({ liquidatedSide: 'long', notionalUsd: 3000, baseQty: 0.03 });
    });

    it('a FUTURES liquidation (not followed) is skipped', () => {
      expect(parserFor(okx)(raw('tardis_test.okx_fut_liq'), T).status).toBe('skipped');
    });

    it('open interest: oiCcy coins and oiUsd', () => {
      const e = one(parserFor(okx)(raw('doc.ok_oi'), T));
      expect(e).toMatchObject({
        kind: 'openInterest',
        instrument: 'okx:BTC-USDT-SWAP',
        baseQty: Number('22161.1301000000309'),
        exchangeTime: 1743041250440,
      });
      expect(e.notionalUsd).toBeCloseTo(Number('1939251795.54769270396321'), 3);
    });

    it('mark price and funding', () => {
      expect(one(parserFor(okx)(raw('doc.ok_mark'), T))).toMatchObject({
        kind: 'markPrice',
        instrument: 'okx:LTC-USD-190628',
        markPrice: 0.1,
      });
      expect(parserFor(okx)(raw('doc.ok_fund'), T).status).toBe('skipped');
      expect(parserFor(okx)('pong', T).status).toBe('skipped');
    });

    it('subscribes the liquidation channel as documented', () => {
      const [plan] = okx.connections(okx.defaultEndpoints, ['BTC-USDT-SWAP']);
      const documented = JSON.parse(raw('doc.ok_liq_sub')).args[0];
      expect(JSON.parse(plan.subscribeFrames[0]).args).toContainEqual(documented);
      expect(plan.url).toBe('wss://ws.okx.com:8443/ws/v5/public');
      expect(plan.keepalive?.frame).toBe('ping');
    });
  });

  describe('BitMEX', () => {
    const partial = (table: string, symbol: string) => JSON.stringify({ table, action: 'partial', keys: [], filter: { symbol }, data: [] });

    it('liquidation insert after the partial: Buy order ⇒ short liquidated; XBTUSD contracts are USD', () => {
      const parse = parserFor(bitmex);
      expect(parse(partial('liquidation', 'XBTUSD'), T).status).toBe('skipped');
      const e = one(parse(raw('tardis_test.bitmex_liq_insert'), T));
      expect(e).toMatchObject({
        kind: 'liquidation',
        instrument: 'bitmex:XBTUSD',
        liquidatedSide: 'short',
        price: 10106,
        notionalUsd: 9214,
        liquidationId: 'dd9cea25-207c-0dab-15b5-b88da776f500',
        exchangeTime: T,
      });
      expect(e.baseQty).toBeCloseTo(9214 / 10106, 12);
    });

    it('drops an insert that arrives before its table partial', () => {
      expect(parserFor(bitmex)(raw('tardis_test.bitmex_liq_insert'), T)).toMatchObject({ status: 'skipped' });
    });

    it('delete rows are not liquidations', () => {
      expect(parserFor(bitmex)(raw('tardis_test.bitmex_liq_delete'), T).status).toBe('skipped');
    });

    it('an instrument without a spec is an error, not a guess', () => {
      const parse = parserFor(bitmex);
      parse(partial('liquidation', 'TRXZ19'), T);
      expect(parse(raw('misc.BITMEX_LIQ_PYPI'), T).status).toBe('error');
    });

    it('trade: homeNotional coins, foreignNotional USD, taker side, ISO time', () => {
      const parse = parserFor(bitmex);
      parse(partial('trade', 'XBTUSD'), T);
      expect(one(parse(raw('misc.BITMEX_TRADE'), T))).toMatchObject({
        kind: 'trade',
        takerSide: 'buy',
        price: 48699.5,
        baseQty: 0.00205341,
        notionalUsd: 100,
        tradeId: 'cfb5f035-ee9b-0a94-4f00-877684dde1e0',
        exchangeTime: Date.parse('2021-12-16T08:29:20.595Z'),
      });
    });

    it('instrument updates give mark price and OI; quanto OI is not sized', () => {
      const parse = parserFor(bitmex);
      expect(parse(raw('tardis_test.bitmex_instr_oi'), T).status).toBe('skipped'); // ETHUSD is quanto
      parse(
        JSON.stringify({
          table: 'instrument',
          action: 'partial',
          filter: { symbol: 'XBTUSDT' },
          data: [
            {
              symbol: 'XBTUSDT',
              isInverse: false,
              isQuanto: false,
              underlyingToPositionMultiplier: 1000000,
              underlying: 'XBT',
              markPrice: 100000,
            },
          ],
        }),
        T,
      );
      const oi = events(
        parse(JSON.stringify({ table: 'instrument', action: 'update', data: [{ symbol: 'XBTUSDT', openInterest: 2500000 }] }), T),
      );
      expect(oi[0]).toMatchObject({ kind: 'openInterest', baseQty: 2.5, notionalUsd: 250000 });
    });
  });

  describe('Deribit', () => {
    const withFlag = (flag?: string, direction = 'sell') => {
      const msg = JSON.parse(raw('misc.DERIBIT_TRADES'));
      msg.params.data[0].direction = direction;
      if (flag) msg.params.data[0].liquidation = flag;
      return JSON.stringify(msg);
    };

    it('a public trade: direction is the taker side, inverse amount is USD', () => {
      const e = one(parserFor(deribit)(raw('misc.DERIBIT_TRADES'), T));
      expect(e).toMatchObject({
        kind: 'trade',
        instrument: 'deribit:BTC-PERPETUAL',
        takerSide: 'sell',
        price: 8950,
        notionalUsd: 10,
        tradeId: '48079269',
      });
      expect(e.baseQty).toBeCloseTo(10 / 8950, 12);
    });

    it.each([
      ['T', 'sell', ['long']],
      ['T', 'buy', ['short']],
      ['M', 'buy', ['long']],
      ['M', 'sell', ['short']],
      ['MT', 'sell', ['long', 'short']],
    ])('liquidation flag %s with taker %s ⇒ %j liquidated', (flag, direction, sides) => {
      const list = events(parserFor(deribit)(withFlag(flag, direction), T));
      expect(list[0].kind).toBe('trade');
      expect(list.slice(1).map((e) => (e as { liquidatedSide: string }).liquidatedSide)).toEqual(sides);
      for (const e of list.slice(1)) expect(e).toMatchObject({ kind: 'liquidation', price: 8950, notionalUsd: 10 });
    });

    it.each([
      ['misc.DERIBIT_TICKER', 3940.06, 0.12759952124659626],
      ['misc.DERIBIT_TICKER_GCT', 36446.51, 502097590],
    ])('%s: mark price, and OI in USD converted to coins', (key, mark, oiUsd) => {
      const [m, oi] = events(parserFor(deribit)(raw(key), T));
      expect(m).toMatchObject({ kind: 'markPrice', instrument: 'deribit:BTC-PERPETUAL', markPrice: mark });
      expect(oi).toMatchObject({ kind: 'openInterest', notionalUsd: oiUsd });
      expect((oi as { baseQty: number }).baseQty).toBeCloseTo(oiUsd / mark, 9);
    });

    it('answers a heartbeat test_request with public/test', () => {
      const outcome = parserFor(deribit)('{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"test_request"}}', T);
      expect(outcome.status).toBe('skipped');
      expect(JSON.parse(outcome.reply![0])).toMatchObject({ method: 'public/test' });
    });
  });

  describe('Hyperliquid', () => {
    it('meta and metaAndAssetCtxs give the perp universe, without delisted coins', () => {
      const fromMeta = hyperliquid.specs.parse(raw('misc.HL_META'));
      expect(Array.isArray(fromMeta) && fromMeta.map((s) => [s.symbol, s.maxLeverage])).toEqual([
        ['BTC', 50],
        ['ETH', 50],
        ['HPOS', 3],
      ]);
      const fromCtx = hyperliquid.specs.parse(raw('misc.HL_CTX'));
      expect(Array.isArray(fromCtx) && fromCtx.map((s) => s.symbol)).toEqual(['BTC', 'ETH', 'HPOS']);
    });

    it('trades: B is a taker buy, A a taker sell; kPEPE sizes are coins ×1000', () => {
      const frame = JSON.stringify({
        channel: 'trades',
        data: [{ coin: 'kPEPE', side: 'A', px: '0.0123', sz: '1000', hash: '0x', time: T, tid: 7, users: ['a', 'b'] }],
      });
      expect(one(parserFor(hyperliquid)(frame, T))).toMatchObject({
        takerSide: 'sell',
        baseQty: 1_000_000,
        notionalUsd: 12.3,
        tradeId: `${T}:7`,
      });
    });

    it('activeAssetCtx: mark price and open interest in coins', () => {
      const frame = JSON.stringify({
        channel: 'activeAssetCtx',
        data: { coin: 'BTC', ctx: { markPx: '100000', openInterest: '231067.2', funding: '0.0000125', oraclePx: '99990' } },
      });
      const [m, oi] = events(parserFor(hyperliquid)(frame, T));
      expect(m).toMatchObject({ markPrice: 100000, indexPrice: 99990, fundingRate: 0.0000125 });
      expect(oi).toMatchObject({ baseQty: 231067.2, notionalUsd: 23106720000 });
    });

    it('says it has no liquidation feed', () => {
      expect(hyperliquid.hasLiquidationFeed).toBe(false);
    });
  });

  describe('Bitget', () => {
    it('liquidation: side is the position (buy = long liquidated); amount is the quote value, coins = amount / price', () => {
      const list = events(parserFor(bitget)(raw('tardis_test.bitget_liq'), T));
      expect(list).toHaveLength(2);
      const [ape, ip] = list as (MarketEvent & Record<string, number | string>)[];
      expect(ape).toMatchObject({ kind: 'liquidation', instrument: 'bitget:APEUSDT', liquidatedSide: 'long', price: 0.1649 });
      expect(ape.notionalUsd).toBeCloseTo(13.70319, 9);
      // A whole lot of 0.1 APE: why `amount` reads as quote, not coins.
      expect(ape.baseQty).toBeCloseTo(83.1, 9);
      expect(ip).toMatchObject({ instrument: 'bitget:IPUSDT', liquidatedSide: 'long', exchangeTime: 1777358876983 });
      expect(ip.baseQty).toBeCloseTo(286.5, 9);
    });

    it('trades: S is the taker side, v coins; the snapshot sent on subscribing is skipped', () => {
      const arg = { instType: 'usdt-futures', topic: 'publicTrade', symbol: 'BTCUSDT' };
      const data = [{ i: '1', p: '97000', v: '0.25', S: 'sell', T: String(T), L: '1' }];
      expect(one(parserFor(bitget)(JSON.stringify({ action: 'update', arg, data, ts: T }), T))).toMatchObject({
        takerSide: 'sell',
        baseQty: 0.25,
        notionalUsd: 24_250,
        tradeId: '1',
      });
      expect(parserFor(bitget)(JSON.stringify({ action: 'snapshot', arg, data, ts: T }), T).status).toBe('skipped');
    });

    it('ticker: mark, index, funding and open interest in coins; pong and acks are skipped', () => {
      const arg = { instType: 'usdt-futures', topic: 'ticker', symbol: 'BTCUSDT' };
      const data = [{ lastPrice: '97001', markPrice: '97000', indexPrice: '96990', fundingRate: '0.0001', openInterest: '12000' }];
      const [m, oi] = events(parserFor(bitget)(JSON.stringify({ action: 'snapshot', arg, data, ts: T }), T));
      expect(m).toMatchObject({ kind: 'markPrice', markPrice: 97_000, indexPrice: 96_990, fundingRate: 0.0001, exchangeTime: T });
      expect(oi).toMatchObject({ kind: 'openInterest', baseQty: 12_000, notionalUsd: 12_000 * 97_000 });
      expect(parserFor(bitget)('pong', T).status).toBe('skipped');
      expect(parserFor(bitget)(JSON.stringify({ event: 'subscribe', arg }), T).status).toBe('skipped');
      expect(parserFor(bitget)(JSON.stringify({ event: 'error', code: 30001, msg: 'instType not exist' }), T)).toMatchObject({
        status: 'error',
        error: expect.stringContaining('30001'),
      });
    });

    it('subscribes on the v3 public socket, the liquidation topic once, within the message rate', () => {
      const [plan] = bitget.connections(bitget.defaultEndpoints, ['BTCUSDT', 'ETHUSDT']);
      expect(plan.url).toBe('wss://ws.bitget.com/v3/ws/public');
      const args = plan.subscribeFrames.flatMap((f) => (JSON.parse(f) as { args: Record<string, string>[] }).args);
      expect(args.filter((a) => a.topic === 'liquidation')).toEqual([{ instType: 'usdt-futures', topic: 'liquidation' }]);
      expect(args.filter((a) => a.topic === 'publicTrade').map((a) => a.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
      expect(plan).toMatchObject({ keepalive: { frame: 'ping' }, maxMessagesPerSecond: 10 });
    });
  });

  describe('Gate', () => {
    it('public_liquidates: negative size is a sell order (long liquidated); sizes are contracts × quanto_multiplier', () => {
      // BTC_USDT: 0.0001 BTC per contract, so 124 contracts are 0.0124 BTC.
      const e = one(parserFor(gate)(raw('doc_derived.gate_pliq'), T));
      expect(e).toMatchObject({
        kind: 'liquidation',
        instrument: 'gate:BTC_USDT',
        liquidatedSide: 'long',
        price: 215.1,
        exchangeTime: 1541486601123,
      });
      expect(e.baseQty).toBeCloseTo(0.0124, 12);
      expect(e.notionalUsd).toBeCloseTo(0.0124 * 215.1, 9);
    });

    it('an unknown contract is an error, never sized as coins', () => {
      const frame = raw('doc_derived.gate_pliq').replace('BTC_USDT', 'NEW_USDT');
      expect(parserFor(gate)(frame, T)).toMatchObject({ status: 'error', error: expect.stringContaining('NEW_USDT') });
    });

    it('trades: the sign of size is the taker side; internal (liquidation engine) trades are not flow', () => {
      const trade = (extra: object) =>
        JSON.stringify({
          channel: 'futures.trades',
          event: 'update',
          time: 1545136464,
          result: [
            {
              id: 27753479,
              create_time: 1545136464,
              create_time_ms: 1545136464123,
              price: '96.4',
              size: -108,
              contract: 'ETH_USDT',
              ...extra,
            },
          ],
        });
      // ETH_USDT: 0.01 ETH per contract.
      expect(one(parserFor(gate)(trade({}), T))).toMatchObject({
        takerSide: 'sell',
        baseQty: 1.08,
        tradeId: '27753479',
        exchangeTime: 1545136464123,
      });
      expect(parserFor(gate)(trade({ is_internal: true }), T).status).toBe('skipped');
    });

    it('tickers: mark, index, funding; total_size is the open interest in contracts', () => {
      const frame = JSON.stringify({
        time: 1_800_000_000,
        time_ms: T,
        channel: 'futures.tickers',
        event: 'update',
        result: [
          {
            contract: 'BTC_USDT',
            last: '97001',
            mark_price: '97000',
            index_price: '96995',
            funding_rate: '0.0001',
            total_size: '100000000',
          },
        ],
      });
      const [m, oi] = events(parserFor(gate)(frame, T));
      expect(m).toMatchObject({ markPrice: 97_000, indexPrice: 96_995, fundingRate: 0.0001, exchangeTime: T });
      expect(oi).toMatchObject({ kind: 'openInterest', baseQty: 10_000, notionalUsd: 970_000_000 });
    });

    it('acks, pongs and errors', () => {
      expect(parserFor(gate)(JSON.stringify({ time: 1, channel: 'futures.pong', event: '', result: null }), T).status).toBe('skipped');
      expect(
        parserFor(gate)(
          JSON.stringify({ time: 1, channel: 'futures.trades', event: 'subscribe', error: null, result: { status: 'success' } }),
          T,
        ).status,
      ).toBe('skipped');
      expect(
        parserFor(gate)(
          JSON.stringify({ time: 1, channel: 'futures.trades', event: 'subscribe', error: { code: 2, message: 'unknown contract X' } }),
          T,
        ),
      ).toMatchObject({ status: 'error', error: expect.stringContaining('unknown contract') });
    });

    it('the contract list gives multipliers; delisting and inverse contracts are left out', () => {
      const specs = gate.specs.parse(
        JSON.stringify([
          {
            name: 'BTC_USDT',
            type: 'direct',
            quanto_multiplier: '0.0001',
            order_price_round: '0.1',
            leverage_max: '125',
            in_delisting: false,
          },
          { name: 'OLD_USDT', type: 'direct', quanto_multiplier: '1', in_delisting: true },
          { name: 'BTC_USD', type: 'inverse', quanto_multiplier: '0' },
        ]),
      );
      expect(specs).toEqual([
        expect.objectContaining({ symbol: 'BTC_USDT', base: 'BTC', contractSize: 0.0001, tickSize: 0.1, maxLeverage: 125 }),
      ]);
    });
  });

  describe('dYdX v4', () => {
    it('a LIQUIDATED trade is a liquidation (SELL = long liquidated) and a trade, sizes in coins', () => {
      const list = events(parserFor(dydx)(raw('live_ai_rates_2026_09_18.dydx_liq'), T));
      expect(list.map((e) => e.kind)).toEqual(['trade', 'liquidation']);
      const liq = list[1] as MarketEvent & Record<string, unknown>;
      expect(liq).toMatchObject({
        instrument: 'dydx:BTC-USD',
        liquidatedSide: 'long',
        price: 75_974,
        baseQty: 0.0004,
        liquidationId: '064e89330000000200000002',
        exchangeTime: Date.parse('2026-09-17T13:39:47.542Z'),
      });
      expect(liq.notionalUsd).toBeCloseTo(30.3896, 9);
    });

    it('a DELEVERAGED trade is neither a liquidation nor taker flow', () => {
      expect(parserFor(dydx)(raw('live_ai_rates_2026_09_18.dydx_delev'), T)).toMatchObject({ status: 'skipped' });
    });

    it('v4_markets: oracle price and open interest of the markets this connection follows only', () => {
      const parse = parserFor(dydx);
      const subscribed = {
        type: 'subscribed',
        connection_id: 'x',
        message_id: 1,
        channel: 'v4_trades',
        id: 'BTC-USD',
        contents: { trades: [] },
      };
      expect(parse(JSON.stringify(subscribed), T).status).toBe('skipped');
      const update = {
        type: 'channel_data',
        connection_id: 'x',
        message_id: 2,
        channel: 'v4_markets',
        version: '1.0.0',
        contents: {
          trading: { 'BTC-USD': { openInterest: '1234.5' }, 'ETH-USD': { openInterest: '99' } },
          oraclePrices: {
            'BTC-USD': { oraclePrice: '97000.5', effectiveAt: '2026-09-17T13:40:00.000Z', effectiveAtHeight: '1', marketId: 0 },
          },
        },
      };
      const list = events(parse(JSON.stringify(update), T));
      expect(list).toEqual([
        expect.objectContaining({
          kind: 'markPrice',
          instrument: 'dydx:BTC-USD',
          markPrice: 97_000.5,
          exchangeTime: Date.parse('2026-09-17T13:40:00.000Z'),
        }),
        expect.objectContaining({ kind: 'openInterest', instrument: 'dydx:BTC-USD', baseQty: 1234.5 }),
      ]);
    });

    it('the market list gives tick size and max leverage (1 / initial margin)', () => {
      const specs = dydx.specs.parse(
        JSON.stringify({
          markets: {
            'BTC-USD': { ticker: 'BTC-USD', status: 'ACTIVE', tickSize: '1', initialMarginFraction: '0.05' },
            'OLD-USD': { ticker: 'OLD-USD', status: 'FINAL_SETTLEMENT' },
          },
        }),
      );
      expect(specs).toEqual([expect.objectContaining({ symbol: 'BTC-USD', base: 'BTC', tickSize: 1, maxLeverage: 20 })]);
    });
  });

  describe('Kraken Futures', () => {
    // The shared samples hold no Kraken frame: these follow Kraken's documented examples field for field.
    const trade = (extra: object) =>
      JSON.stringify({
        feed: 'trade',
        product_id: 'PF_XBTUSD',
        uid: 'u-1',
        side: 'sell',
        type: 'liquidation',
        seq: 655508,
        time: 1612269657781,
        qty: 0.5,
        price: 34893,
        ...extra,
      });

    it('a liquidation-typed trade is a liquidation (taker sell = long liquidated) and a trade; PF_ sizes are coins', () => {
      const list = events(parserFor(kraken)(trade({}), T));
      expect(list.map((e) => e.kind)).toEqual(['trade', 'liquidation']);
      expect(list[1]).toMatchObject({
        instrument: 'kraken:PF_XBTUSD',
        liquidatedSide: 'long',
        baseQty: 0.5,
        notionalUsd: 17_446.5,
        liquidationId: 'u-1',
      });
    });

    it('PI_ (inverse) sizes are USD contracts; termination and block trades are left out', () => {
      const e = events(parserFor(kraken)(trade({ product_id: 'PI_XBTUSD', type: 'fill', side: 'buy', qty: 15_000, price: 30_000 }), T))[0];
      expect(e).toMatchObject({ kind: 'trade', takerSide: 'buy', notionalUsd: 15_000, baseQty: 0.5 });
      expect(parserFor(kraken)(trade({ type: 'termination' }), T).status).toBe('skipped');
      expect(parserFor(kraken)(trade({ type: 'block' }), T).status).toBe('skipped');
    });

    it('trade_snapshot: every trade of it; ticker: mark, index, relative funding, open interest', () => {
      const snapshot = JSON.stringify({
        feed: 'trade_snapshot',
        product_id: 'PF_XBTUSD',
        trades: [JSON.parse(trade({ type: 'fill' })), JSON.parse(trade({ uid: 'u-2', type: 'fill' }))],
      });
      expect(events(parserFor(kraken)(snapshot, T))).toHaveLength(2);
      const ticker = JSON.stringify({
        time: 1612270825253,
        feed: 'ticker',
        product_id: 'PF_XBTUSD',
        index: 34803.45,
        last: 34852,
        markPrice: 34844.25,
        openInterest: 1500,
        funding_rate: 3.891007752e-9,
        relative_funding_rate: 0.000135046879166667,
      });
      const [m, oi] = events(parserFor(kraken)(ticker, T));
      expect(m).toMatchObject({
        markPrice: 34844.25,
        indexPrice: 34803.45,
        fundingRate: 0.000135046879166667,
        exchangeTime: 1612270825253,
      });
      expect(oi).toMatchObject({ kind: 'openInterest', baseQty: 1500 });
    });

    it('info, subscribed and heartbeat are skipped; errors and alerts are errors', () => {
      for (const f of [
        { event: 'info', version: 1 },
        { event: 'subscribed', feed: 'trade', product_ids: ['PF_XBTUSD'] },
        { feed: 'heartbeat', time: 1 },
      ])
        expect(parserFor(kraken)(JSON.stringify(f), T).status).toBe('skipped');
      expect(parserFor(kraken)(JSON.stringify({ event: 'alert', message: 'Bad websocket message' }), T)).toMatchObject({ status: 'error' });
      expect(parserFor(kraken)(JSON.stringify({ event: 'error', message: 'Invalid product id' }), T)).toMatchObject({ status: 'error' });
    });
  });
});

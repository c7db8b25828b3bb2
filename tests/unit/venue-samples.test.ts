/**
 * Every venue's documented and captured samples (../shared/reference/exchange-samples.json) through
 * its parser: side, units and USD pinned per sample. Binance has its own file (binance.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitmex } from '../../lib/exchanges/bitmex';
import { bybit } from '../../lib/exchanges/bybit';
import { deribit } from '../../lib/exchanges/deribit';
import { hyperliquid } from '../../lib/exchanges/hyperliquid';
import { okx } from '../../lib/exchanges/okx';
import { SpecBook } from '../../lib/exchanges/specs';
import type { InstrumentSpec, MarketEvent, ParseOutcome, VenueAdapter } from '../../lib/exchanges/types';
import { SHARED_REFERENCE_DIR, sharedOrSkipNotice } from '../harness/recording';

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
});

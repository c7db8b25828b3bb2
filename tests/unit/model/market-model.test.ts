import { describe, expect, it } from 'vitest';
import type { LiquidationEvent, MarketEvent, TradeEvent } from '../../../lib/exchanges/types';
import { MarketModel } from '../../../lib/model';

function liq(price: number, side: 'long' | 'short', time: number, baseQty = 1): LiquidationEvent {
  return {
    kind: 'liquidation',
    venue: 'binance',
    instrument: 'binance:BTCUSDT',
    liquidatedSide: side,
    price,
    baseQty,
    notionalUsd: price * baseQty,
    exchangeTime: time,
    receiveTime: time + 5,
  };
}

describe('MarketModel: realized liquidations and figures', () => {
  it('keeps realized liquidations newest first, with long and short totals apart', () => {
    const engine = new MarketModel();
    engine.ingest([liq(100, 'long', 1), liq(110, 'short', 2, 2), liq(90, 'long', 3)]);
    const view = engine.summary(100, 0);
    expect(view.liquidations.map((l) => l.price)).toEqual([90, 110, 100]);
    expect(view.instruments['binance:BTCUSDT']).toMatchObject({ liquidations: 3, longLiquidatedUsd: 190, shortLiquidatedUsd: 220 });
  });

  it('drops a liquidation delivered twice (reconnect or snapshot replay)', () => {
    const engine = new MarketModel();
    engine.ingest([liq(100, 'long', 1)]);
    const revision = engine.revision;
    engine.ingest([liq(100, 'long', 1)]);
    expect(engine.summary(100, 0).liquidations).toHaveLength(1);
    expect(engine.instrumentStats()['binance:BTCUSDT'].longLiquidatedUsd).toBe(100);
    expect(engine.duplicatesDropped).toBe(1);
    expect(engine.revision).toBe(revision); // nothing changed, nothing to push
  });

  it('takes an unchanged open-interest reading as no change: a quiet market polled is not saved again and again', () => {
    const engine = new MarketModel();
    const oi = (baseQty: number, time: number): MarketEvent => ({
      kind: 'openInterest',
      venue: 'binance',
      instrument: 'binance:BTCUSDT',
      baseQty,
      exchangeTime: time,
      receiveTime: time,
    });
    engine.ingest([oi(1_000, 1)]);
    const revision = engine.revision;
    engine.ingest([oi(1_000, 10_001), oi(1_000, 20_001)]);
    expect(engine.revision).toBe(revision);
    engine.ingest([oi(1_001, 30_001)]);
    expect(engine.revision).toBe(revision + 1);
    expect(engine.instrumentStats()['binance:BTCUSDT'].openInterest).toBe(1_001);
  });

  it('drops a trade re-sent with the same venue trade id, in a bounded window', () => {
    const engine = new MarketModel();
    const trade = (id: string): TradeEvent => ({
      kind: 'trade',
      venue: 'bybit',
      instrument: 'bybit:BTCUSDT',
      tradeId: id,
      takerSide: 'buy',
      price: 10,
      baseQty: 1,
      notionalUsd: 10,
      exchangeTime: 1,
      receiveTime: 1,
    });
    engine.ingest([trade('a'), trade('b'), trade('a')]);
    expect(engine.instrumentStats()['bybit:BTCUSDT']).toMatchObject({ trades: 2, notionalUsd: 20 });
    expect(engine.duplicatesDropped).toBe(1);
    // Trades without an id (Binance raw stream in old recordings) are never merged.
    engine.ingest([
      { ...trade('x'), tradeId: undefined },
      { ...trade('x'), tradeId: undefined },
    ]);
    expect(engine.instrumentStats()['bybit:BTCUSDT'].trades).toBe(4);
  });

  it('bounds the recent list but keeps the totals', () => {
    const engine = new MarketModel({ maxRecentLiquidations: 3 });
    engine.ingest(Array.from({ length: 10 }, (_, i) => liq(100 + i, 'short', i)));
    expect(engine.summary(100, 0).liquidations.map((l) => l.price)).toEqual([109, 108, 107]);
    expect(engine.instrumentStats()['binance:BTCUSDT'].liquidations).toBe(10);
    // What the snapshot counts as listed is the bound, whatever the list holds between its trims.
    expect(engine.toSnapshot().realized.countedIds).toHaveLength(3);
  });

  it('tracks trades by taker side, mark price and open interest', () => {
    const engine = new MarketModel();
    const base = { venue: 'binance', instrument: 'binance:ETHUSDT', receiveTime: 0 } as const;
    const events: MarketEvent[] = [
      { ...base, kind: 'trade', takerSide: 'buy', price: 10, baseQty: 2, notionalUsd: 20, exchangeTime: 1 },
      { ...base, kind: 'trade', takerSide: 'sell', price: 11, baseQty: 1, notionalUsd: 11, exchangeTime: 2 },
      { ...base, kind: 'markPrice', markPrice: 10.5, exchangeTime: 3 },
      { ...base, kind: 'openInterest', baseQty: 500, exchangeTime: 4 },
    ];
    engine.ingest(events);
    expect(engine.instrumentStats()['binance:ETHUSDT']).toMatchObject({
      trades: 2,
      baseQty: 3,
      notionalUsd: 31,
      takerBuyUsd: 20,
      takerSellUsd: 11,
      markPrices: 1,
      lastMarkPrice: 10.5,
      lastTradePrice: 11,
      openInterest: 500,
      lastEventTime: 4,
    });
  });

  it('resumes exactly from its snapshot and the journal, counting nothing twice', () => {
    const engine = new MarketModel();
    engine.ingest([liq(100, 'long', 1), liq(120, 'short', 2)]);
    const snapshot = JSON.parse(JSON.stringify(engine.toSnapshot()));
    // One more arrives after the snapshot was saved: the journal has all three, the snapshot counts two.
    engine.ingest([liq(90, 'long', 3)]);
    const journal = engine.summary(100, 0).liquidations;
    const restored = MarketModel.fromSnapshot(snapshot);
    expect(restored.restoreRealized(journal)).toBe(3);
    expect(restored.summary(100, 0)).toEqual(engine.summary(100, 0));
    expect(restored.instrumentStats()).toEqual(engine.instrumentStats());
    expect(restored.restoreRealized(journal)).toBe(0); // read twice: nothing new
    restored.ingest([liq(120, 'short', 2)]); // re-delivered by the venue after a worker restart
    expect(restored.summary(100, 0).liquidations).toHaveLength(3);
    expect(restored.instrumentStats()['binance:BTCUSDT'].liquidations).toBe(3);
  });

  it('starts clean from a snapshot it does not understand', () => {
    const restored = MarketModel.fromSnapshot({ version: 99 } as never);
    expect(restored.summary(100, 0)).toEqual({ instruments: {}, liquidations: [], zones: {} });
  });
});

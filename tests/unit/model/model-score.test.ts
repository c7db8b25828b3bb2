/**
 * The live accuracy score: a liquidation is scored against the estimate of its own instrument 60 s
 * before, on its side, within ±10 % of the price then; a hit is a cell in the top quarter by USD.
 */
import { describe, expect, it } from 'vitest';
import type { LiquidationEvent, MarketEvent } from '../../../lib/exchanges/types';
import { MarketModel, type ModelParams } from '../../../lib/model';
import { liquidationPrice } from '../../../lib/model/liquidation-price';
import { isHit, ScoreBook, topQuarterCut } from '../../../lib/model/model-score';
import { DEFAULT_PARAMS } from '../../../lib/model/params';

const T0 = Date.UTC(2026, 10, 1);
const I = 'binance:BTCUSDT';
/** One leverage tier, no decay: every level is where the formula puts it, at full size. */
const TEN_X: ModelParams = { ...DEFAULT_PARAMS, leverage: [{ leverage: 10, weight: 1 }], decayHalfLifeHours: 0 };

const trade = (price: number, usd: number, t: number): MarketEvent => ({
  kind: 'trade',
  venue: 'binance',
  instrument: I,
  takerSide: 'buy',
  price,
  baseQty: usd / price,
  notionalUsd: usd,
  exchangeTime: t,
  receiveTime: t,
});
const oi = (coins: number, t: number): MarketEvent => ({
  kind: 'openInterest',
  venue: 'binance',
  instrument: I,
  baseQty: coins,
  exchangeTime: t,
  receiveTime: t,
});
const liq = (price: number, t: number, usd = 100_000, side: 'long' | 'short' = 'long'): LiquidationEvent => ({
  kind: 'liquidation',
  venue: 'binance',
  instrument: I,
  liquidatedSide: side,
  price,
  baseQty: usd / price,
  notionalUsd: usd,
  exchangeTime: t,
  receiveTime: t,
});

/** Where the model puts a 10x long opened at `entry` (the cell's middle, as the model sees trades). */
function tenXLong(model: MarketModel, entry: number): number {
  const mid = model.grid.priceOf(model.grid.cellOf(entry));
  return model.grid.priceOf(model.grid.cellOf(liquidationPrice('long', mid, 10, 0.004, 0, 10_000 / mid)));
}

/** Quiet trading every 5 s up to `until`, so the model closes its steps (and takes its frames). */
function tick(model: MarketModel, price: number, from: number, until: number): void {
  for (let t = from; t <= until; t += 5_000) model.ingest([trade(price, 1, t)]);
}

describe('score arithmetic', () => {
  it('the top quarter of 8 cells is the 2 largest; ties count in; an empty cell never hits', () => {
    const values = Float32Array.from([0, 5, 1, 9, 0, 5, 2, 0]);
    const cut = topQuarterCut(values);
    expect(cut).toBe(5);
    const side = { first: 100, values, cut };
    expect([101, 103, 105].map((c) => isHit(side, c))).toEqual([true, true, true]); // 5, 9, 5
    expect([100, 102, 106].map((c) => isHit(side, c))).toEqual([false, false, false]);
    expect(isHit({ first: 0, values: new Float32Array(8), cut: topQuarterCut(new Float32Array(8)) }, 3)).toBe(false);
    expect(isHit(side, 99)).toBe(false); // outside the window (beyond ±10 %)
  });

  it('a liquidation in the top cell hits; one in an empty cell or beyond ±10 % misses; share is by USD', () => {
    const model = new MarketModel({ params: TEN_X });
    model.ingest([oi(1_000, T0), trade(100_000, 1_000_000, T0 + 1_000), oi(1_010, T0 + 2_000)]);
    tick(model, 100_000, T0 + 5_000, T0 + 70_000);
    const level = tenXLong(model, 100_000);
    expect(level).toBeGreaterThan(90_000); // 10x with 0.4 % maintenance: ~9.6 % below, within ±10 %
    model.ingest([liq(level, T0 + 70_000, 300_000), liq(95_000, T0 + 70_001, 100_000), liq(85_000, T0 + 70_002, 200_000)]);
    const s = model.scoreOf('coin:BTC', T0 + 70_002)!.h1.reported;
    expect(s).toMatchObject({ liquidations: 3, scored: 3, usd: 600_000 });
    expect(s.default).toBeCloseTo(0.5, 9); // 300k of 600k hit
    expect(s.naive).toBeCloseTo(0.5, 9); // the naive book put the same level there (all flow at one price)
    expect(s.learned).toBeNull(); // nothing learned yet: no learned score, not a zero
  });

  it('the 60 s look-back reads the earlier book: a level born 30 s before the liquidation does not count', () => {
    const model = new MarketModel({ params: TEN_X });
    model.ingest([oi(1_000, T0), trade(100_000, 1_000_000, T0 + 1_000), oi(1_010, T0 + 2_000)]);
    tick(model, 100_000, T0 + 5_000, T0 + 95_000);
    // A second level, far from the first: price at 104 000, new longs.
    model.ingest([trade(104_000, 2_000_000, T0 + 96_000), oi(1_030, T0 + 97_000)]);
    tick(model, 104_000, T0 + 100_000, T0 + 180_000);
    const fresh = tenXLong(model, 104_000);
    model.ingest([liq(fresh, T0 + 130_000)]); // 60 s before: T0 + 70 000, no such level yet
    expect(model.scoreOf(I, T0 + 130_000)!.h1.reported.default).toBe(0);
    model.ingest([liq(fresh * 1.0000001, T0 + 170_000)]); // 60 s before: T0 + 110 000, the level stood
    expect(model.scoreOf(I, T0 + 170_000)!.h1.reported.default).toBeCloseTo(0.5, 9);
  });

  it('a liquidation with no estimate 60 s before is counted, not scored', () => {
    const model = new MarketModel({ params: TEN_X });
    model.ingest([oi(1_000, T0), trade(100_000, 1_000_000, T0 + 1_000), oi(1_010, T0 + 2_000)]);
    model.ingest([liq(90_000, T0 + 20_000)]);
    expect(model.scoreOf('coin:BTC', T0 + 20_000)!.h1.reported).toMatchObject({ liquidations: 1, scored: 0, default: null });
  });

  it('rolls 1 h, 24 h and 7 d windows, and its tallies survive a restart while bad ones are refused', () => {
    const book = new ScoreBook();
    const frame = { time: 0, long: [{ first: 0, values: Float32Array.from([1, 0, 0, 0]), cut: 1 }, null, null], short: [null, null, null] };
    const at = (hoursAgo: number, cell: number) =>
      book.record({ instrument: I, source: 'reported', side: 'long', cell, usd: 100, time: T0 - hoursAgo * 3_600_000 }, frame);
    at(0, 0); // hit, now
    at(5, 1); // miss, 5 h ago
    at(48, 0); // hit, 2 days ago
    at(200, 0); // beyond 7 days: gone
    const w = ScoreBook.fromSnapshot(JSON.parse(JSON.stringify(book.toSnapshot()))).windows(() => true, T0);
    expect([w.h1.reported.default, w.h24.reported.default, w.d7.reported.default]).toEqual([1, 0.5, 2 / 3]);
    expect(w.d7.reported.liquidations).toBe(3);
    expect(w.d7.inferred.liquidations).toBe(0);
    // The snapshot's one-pass summary says the same, per instrument and per coin.
    const all = book.summary(() => 'BTC', T0);
    expect(all[I]).toEqual(book.windows((i) => i === I, T0));
    expect(all.BTC).toEqual(all[I]);
    const bad = ScoreBook.fromSnapshot({ version: 1, tallies: { [`${I}|reported`]: [{ hour: 'x' }], nonsense: [] } });
    expect(bad.instruments()).toEqual([]);
  });
});

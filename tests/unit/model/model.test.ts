/**
 * The estimated-level model, pinned by worked numbers and by behaviour a trader would notice:
 * where a level sits, when it is consumed, what happens when open interest falls, decay,
 * aggregation across venues, zones, history and snapshot round-trips.
 */
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../lib/exchanges/types';
import { PriceGrid } from '../../../lib/model/grid';
import { ColumnRing, decodeUsd, encodeUsd, InstrumentHistory, MINUTE_MS, ROWS } from '../../../lib/model/history';
import { InstrumentModel } from '../../../lib/model/instrument-model';
import { LevelBook } from '../../../lib/model/level-book';
/** A one-column book read as it is. */
const ONE = { long: new Float64Array([1]), short: new Float64Array([1]) };
import { LevelEngine } from '../../../lib/model/level-engine';
import { withCum } from '../../../lib/exchanges/margin-tiers';
import { DEFAULT_TIERS, inverseLiquidationPrice, liquidationPrice, tierFor } from '../../../lib/model/liquidation-price';
import { DEFAULT_PARAMS, paramsError, type ModelParams } from '../../../lib/model/params';
import { findZones } from '../../../lib/model/zones';

const T0 = Date.UTC(2026, 10, 1);
const ONE_TIER: ModelParams = { ...DEFAULT_PARAMS, leverage: [{ leverage: 10, weight: 1 }], decayHalfLifeHours: 0, stepMs: 5_000 };

describe('liquidation price', () => {
  it('matches the worked check: E 100 000, 100x, mmr 0.4 %', () => {
    expect(liquidationPrice('long', 100_000, 100, 0.004)).toBeCloseTo(99_397.59, 2);
    expect(liquidationPrice('short', 100_000, 100, 0.004)).toBeCloseTo(100_597.61, 2);
    // Ignoring mmr would put the level 1.0 % away instead of 0.60 %.
    expect(1 - liquidationPrice('long', 100_000, 100, 0) / 100_000).toBeCloseTo(0.01, 10);
  });

  it('uses the maintenance amount of higher tiers', () => {
    // $1M at 20x, tier mmr 1 %, cum 6 000: the cum term moves the level by cum / Q.
    const tier = tierFor(DEFAULT_TIERS, 1_000_000);
    expect(tier.mmr).toBe(0.01);
    const q = 1_000_000 / 100_000;
    expect(liquidationPrice('long', 100_000, 20, tier.mmr, tier.cum, q)).toBeCloseTo((100_000 * 0.95 - tier.cum / q) / 0.99, 6);
    expect(liquidationPrice('short', 100_000, 20, tier.mmr, tier.cum, q)).toBeCloseTo((100_000 * 1.05 + tier.cum / q) / 1.01, 6);
  });

  it('tier maintenance amounts keep the maintenance margin continuous across tier edges', () => {
    const tiers = withCum([
      { maxNotionalUsd: 50_000, mmr: 0.004, maxLeverage: 125 },
      { maxNotionalUsd: 250_000, mmr: 0.005, maxLeverage: 100 },
      { maxNotionalUsd: Infinity, mmr: 0.01, maxLeverage: 50 },
    ]);
    const mm = (n: number) => n * tierFor(tiers, n).mmr - tierFor(tiers, n).cum;
    for (const edge of [50_000, 250_000]) expect(mm(edge + 1e-6)).toBeCloseTo(mm(edge), 4);
    expect(tiers.map((t) => t.cum)).toEqual([0, 50, 1300]);
  });

  it('inverse contracts: long at E(1+mmr)/(1+1/L), short at E(1−mmr)/(1−1/L)', () => {
    expect(inverseLiquidationPrice('long', 100_000, 100, 0.004)).toBeCloseTo(99_405.94, 2);
    expect(inverseLiquidationPrice('short', 100_000, 100, 0.004)).toBeCloseTo(100_606.06, 2);
    expect(inverseLiquidationPrice('short', 100_000, 1, 0.004)).toBe(Infinity);
  });
});

describe('level book', () => {
  const grid = new PriceGrid(0.001);

  it('sweeps longs the low reached and shorts the high reached, and nothing else', () => {
    const book = new LevelBook(grid, 1);
    book.follow(100_000);
    book.add('long', 99_000, 0, 1_000, T0);
    book.add('long', 98_000, 0, 2_000, T0);
    book.add('short', 101_000, 0, 3_000, T0);
    const sweeps = book.sweep(98_900, 100_500, T0 + 1, ONE);
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]).toMatchObject({ side: 'long', usd: 1_000 });
    expect(sweeps[0].price).toBeCloseTo(99_000, -2);
    expect(book.totals(ONE)).toEqual({ long: 2_000, short: 3_000 });
    expect(book.sweep(99_500, 101_200, T0 + 2, ONE).map((s) => s.side)).toEqual(['short']);
    expect(book.totals(ONE)).toEqual({ long: 2_000, short: 0 });
  });

  it('follows the price far away without losing nearby levels', () => {
    const book = new LevelBook(grid, 1);
    book.follow(100_000);
    book.add('long', 60_000, 0, 500, T0);
    book.follow(59_000); // a 41 % crash: the window moves
    book.add('long', 55_000, 0, 700, T0);
    expect(book.totals(ONE).long).toBe(1_200);
  });

  it('saves as one string and comes back with every column, side and age; a damaged save starts empty', () => {
    const weights = { long: new Float64Array([1, 0.5, 0]), short: new Float64Array([0, 1, 2]) };
    const book = new LevelBook(grid, 3);
    book.follow(100_000);
    book.add('long', 99_000, 0, 1_000, T0);
    book.add('long', 99_000, 2, 250, T0 + 60_000);
    book.add('short', 99_000, 1, 400, T0 + 120_000);
    book.add('short', 130_000, 2, 3_000, T0);
    book.scale(0.5); // stored scaled: the snapshot holds USD
    const saved = JSON.parse(JSON.stringify(book.toSnapshot()));
    expect(typeof saved.packed).toBe('string');
    const back = LevelBook.fromSnapshot(grid, saved);
    const cells = (b: LevelBook) => {
      const out: number[][] = [];
      b.forEachCell((cell, long, short, at, bornAt, scale) =>
        out.push([cell, bornAt, ...[...long.subarray(at, at + b.tiers), ...short.subarray(at, at + b.tiers)].map((v) => v * scale)]),
      );
      return out;
    };
    // USD to 7 digits (32-bit floats), birth times to the second.
    expectNear(back.totals(weights), book.totals(weights));
    expectNear(cells(back), cells(book));
    expect(cells(back).map((c) => c.slice(2).map((v) => v > 0))).toEqual(cells(book).map((c) => c.slice(2).map((v) => v > 0)));
    expect(cells(back)[0][1]).toBeCloseTo(T0 + (250 * 60_000 + 400 * 120_000) / 1_650, -3);
    // Cut short or not base64 at all: nothing restored, nothing thrown.
    expect(cells(LevelBook.fromSnapshot(grid, { ...saved, packed: saved.packed.slice(0, 20) }))).toHaveLength(0);
    expect(cells(LevelBook.fromSnapshot(grid, { ...saved, packed: '%%%' }))).toHaveLength(0);
  });
});

function trade(price: number, side: 'buy' | 'sell', usd: number, t: number): MarketEvent {
  return {
    kind: 'trade',
    venue: 'binance',
    instrument: 'binance:BTCUSDT',
    takerSide: side,
    price,
    baseQty: usd / price,
    notionalUsd: usd,
    exchangeTime: t,
    receiveTime: t,
  };
}
function oi(coins: number, t: number, instrument = 'binance:BTCUSDT'): MarketEvent {
  return {
    kind: 'openInterest',
    venue: instrument.split(':')[0] as 'binance',
    instrument: instrument as 'binance:BTCUSDT',
    baseQty: coins,
    exchangeTime: t,
    receiveTime: t,
  };
}

describe('instrument model', () => {
  it('turns a rise in open interest into levels at the exact prices, split by taker flow', () => {
    const m = new InstrumentModel(ONE_TIER);
    m.ingest(oi(1_000, T0));
    m.ingest(trade(100_000, 'buy', 750_000, T0 + 1_000));
    m.ingest(trade(100_000, 'sell', 250_000, T0 + 1_100));
    m.ingest(oi(1_010, T0 + 2_000)); // +10 BTC = $1M of new positions
    m.advance(T0 + 5_000);
    const { long, short } = m.book.totals(m.weights);
    expect(long).toBeCloseTo(750_000, 0);
    expect(short).toBeCloseTo(250_000, 0);
    const cells: number[] = [];
    m.book.forEachCell((cell, l, _s, at) => l[at] > 0 && cells.push(cell));
    const expected = m.grid.cellOf(liquidationPrice('long', m.grid.priceOf(m.grid.cellOf(100_000)), 10, 0.004, 0, 0.1));
    expect(cells).toEqual([expected]);
  });

  it('adds back the liquidations seen when open interest changes, instead of counting them twice', () => {
    const m = new InstrumentModel(ONE_TIER);
    m.ingest(oi(1_000, T0));
    m.ingest(trade(100_000, 'buy', 1_000_000, T0 + 1_000));
    // 10 BTC opened, 4 BTC liquidated elsewhere in the book: OI shows only +6.
    m.ingest({
      kind: 'liquidation',
      venue: 'binance',
      instrument: 'binance:BTCUSDT',
      liquidatedSide: 'long',
      price: 95_000,
      baseQty: 4,
      notionalUsd: 380_000,
      exchangeTime: T0 + 1_500,
      receiveTime: T0 + 1_500,
    });
    m.ingest(oi(1_006, T0 + 2_000));
    m.advance(T0 + 5_000);
    expect(m.book.totals(m.weights).long).toBeCloseTo(1_000_000, 0);
  });

  it('ΔOI < 0 beyond the liquidations removes that much USD pro rata from both sides', () => {
    const m = new InstrumentModel(ONE_TIER);
    m.ingest(oi(1_000, T0));
    m.ingest(trade(100_000, 'buy', 500_000, T0 + 1_000));
    m.ingest(trade(100_000, 'sell', 500_000, T0 + 1_000));
    m.ingest(oi(1_010, T0 + 2_000));
    m.advance(T0 + 5_000);
    m.ingest(trade(100_000, 'sell', 10, T0 + 6_000));
    m.ingest(oi(1_007.5, T0 + 7_000)); // 2.5 BTC = $250k closed by hand: a quarter of the book
    m.advance(T0 + 10_000);
    const { long, short } = m.book.totals(m.weights);
    expect(long).toBeCloseTo(375_000, -1);
    expect(short).toBeCloseTo(375_000, -1);
  });

  it('decays with the configured half-life', () => {
    const m = new InstrumentModel({ ...ONE_TIER, decayHalfLifeHours: 1 });
    m.ingest(oi(1_000, T0));
    m.ingest(trade(100_000, 'buy', 1_000_000, T0 + 1_000));
    m.ingest(oi(1_010, T0 + 2_000));
    m.advance(T0 + 5_000);
    const before = m.book.totals(m.weights).long;
    for (let t = T0 + 5_000; t <= T0 + 5_000 + 3_600_000; t += 60_000) m.ingest(trade(100_000 + (t % 2), 'buy', 1, t));
    expect(m.book.totals(m.weights).long / before).toBeCloseTo(0.5, 2);
  });

  it('writes one history column per minute with data, and none for a silent minute', () => {
    const m = new InstrumentModel(ONE_TIER);
    m.ingest(oi(1_000, T0));
    for (let i = 0; i < 3; i++) m.ingest(trade(100_000, 'buy', 1_000, T0 + i * MINUTE_MS + 10));
    m.ingest(trade(100_000, 'buy', 1_000, T0 + 60 * MINUTE_MS)); // an hour of silence
    expect(m.history.minutes.length).toBe(3);
  });
});

describe('aggregation, zones and views', () => {
  function feed(engine: LevelEngine, instrument: string, price: number, coins: number, t: number) {
    const venue = instrument.split(':')[0] as 'binance';
    engine.ingest([
      { ...oi(1_000, t, instrument) },
      {
        kind: 'trade',
        venue,
        instrument: instrument as 'binance:BTCUSDT',
        takerSide: 'buy',
        price,
        baseQty: coins,
        notionalUsd: coins * price,
        exchangeTime: t + 1,
        receiveTime: t + 1,
      },
      { ...oi(1_000 + coins, t + 2, instrument) },
    ]);
    engine.advance(t + 10_000);
  }

  it('adds the books of one coin across venues in USD on one grid', () => {
    const engine = new LevelEngine({ ...ONE_TIER });
    feed(engine, 'binance:BTCUSDT', 100_000, 10, T0);
    feed(engine, 'bybit:BTCUSDT', 100_000, 5, T0);
    const coin = engine.cells('coin:BTC');
    const one = engine.cells('binance:BTCUSDT');
    expect(coin.reduce((s, c) => s + c.long, 0)).toBeCloseTo(1_500_000, 0);
    expect(one.reduce((s, c) => s + c.long, 0)).toBeCloseTo(1_000_000, 0);
    expect(coin.find((c) => c.long > 0)!.venues).toEqual(['binance', 'bybit']);
    expect(engine.coins()).toEqual(['BTC']);
  });

  it('zones: bands above the threshold, with USD, split, leverage mix, venues and signed distance', () => {
    const engine = new LevelEngine({ ...DEFAULT_PARAMS, decayHalfLifeHours: 0 });
    feed(engine, 'binance:BTCUSDT', 100_000, 10, T0);
    const zones = engine.zones('coin:BTC', T0 + 60_000);
    expect(zones.length).toBeGreaterThan(0);
    const est = zones.filter((z) => z.kind === 'estimated');
    for (const z of est) {
      expect(z.low).toBeLessThan(z.high);
      expect(z.usd).toBeCloseTo(z.longUsd + z.shortUsd, 6);
      expect(z.distancePct).toBeLessThan(0); // all-long book: everything below the price
      expect(z.leverageMix!.reduce((s, l) => s + l.share, 0)).toBeCloseTo(1, 6);
      expect(z.venues).toEqual(['binance']);
      expect(z.ageMs).toBeGreaterThanOrEqual(0);
    }
    const total = est.reduce((s, z) => s + z.usd, 0);
    expect(total).toBeLessThanOrEqual(1_000_000 + 1e-6);
  });

  it('findZones merges neighbouring cells and drops weak ones', () => {
    const grid = new PriceGrid(0.001);
    const c = (cell: number, long: number) => ({ cell, price: grid.priceOf(cell), long, short: 0, venues: ['x'] });
    const base = grid.cellOf(100_000);
    const zones = findZones('realized', [c(base - 10, 100), c(base - 9, 80), c(base - 5, 5), c(base - 3, 90)], 100_000, grid, T0);
    expect(zones.map((z) => Math.round(z.usd))).toEqual([180, 90]);
    expect(zones[0].kind).toBe('realized');
    expect(zones[0].leverageMix).toBeUndefined();
  });

  it('a zone is the same band with the same USD in a narrow view (popup ±5 %) as in the overlay’s wide one', () => {
    const grid = new PriceGrid(0.001);
    const c = (cell: number, long: number) => ({ cell, price: grid.priceOf(cell), long, short: 0, venues: ['x'] });
    const base = grid.cellOf(100_000);
    // A huge zone 15 % away and a modest one 2 % away, with a weak cell inside it: against the
    // strongest cell of ±5 % alone the weak cell would join (730), against the overlay's ±20 % not (580).
    const cells = [c(base - 150, 1_000), c(base - 20, 300), c(base - 21, 150), c(base - 22, 280)];
    const wide = findZones('estimated', cells, 100_000, grid, T0, [], { withinFraction: 0.2 });
    const narrow = findZones('estimated', cells, 100_000, grid, T0, [], { withinFraction: 0.05 });
    const near = (zs: typeof wide) => zs.find((z) => z.distancePct > -5)!;
    expect(narrow).toHaveLength(1);
    expect(narrow[0]).toEqual(near(wide));
    expect(narrow[0].usd).toBe(580);
  });

  it('a zone the price is inside is 0 % away; others are signed by side', () => {
    const grid = new PriceGrid(0.001);
    const c = (cell: number, long: number) => ({ cell, price: grid.priceOf(cell), long, short: 0, venues: ['x'] });
    const base = grid.cellOf(100_000);
    const zones = findZones(
      'estimated',
      [c(base - 1, 60), c(base, 100), c(base + 1, 70), c(base - 8, 90), c(base + 8, 80)],
      100_000,
      grid,
      T0,
    );
    const at = (cell: number) => zones.find((z) => z.low <= grid.priceOf(cell) && z.high >= grid.priceOf(cell))!;
    expect(at(base).distancePct).toBe(0);
    expect(at(base - 8).distancePct).toBeLessThan(0);
    expect(at(base + 8).distancePct).toBeGreaterThan(0);
  });

  it('the liquidation map gives cumulative curves and max pain per side', () => {
    const engine = new LevelEngine({ ...DEFAULT_PARAMS, decayHalfLifeHours: 0 });
    feed(engine, 'binance:BTCUSDT', 100_000, 10, T0);
    const map = engine.liquidationMap('coin:BTC')!;
    const last = map.cumulativeLong[map.cumulativeLong.length - 1];
    expect(last.usd).toBeCloseTo(
      map.cells.reduce((s, c) => s + c.long, 0),
      6,
    );
    expect(map.maxPain.long).toBeLessThan(100_000);
    expect(map.maxPain.short).toBeUndefined();
    expect(engine.imbalance('coin:BTC', 0.2).net).toBeGreaterThan(0);
  });

  it('the heatmap grid shows columns where data exists and a gap where it does not', () => {
    const engine = new LevelEngine({ ...ONE_TIER });
    feed(engine, 'binance:BTCUSDT', 100_000, 10, T0);
    for (let i = 1; i < 5; i++) engine.ingest([trade(100_000, 'buy', 1_000, T0 + i * MINUTE_MS)]);
    engine.ingest([trade(100_000, 'buy', 1_000, T0 + 9 * MINUTE_MS)]);
    engine.advance(T0 + 10 * MINUTE_MS);
    const g = engine.heatmap('coin:BTC', T0, T0 + 10 * MINUTE_MS, 10, 50, 80_000, 120_000);
    const withData = [...g.price].map((p) => Number.isFinite(p));
    expect(withData.slice(0, 5)).toEqual([true, true, true, true, true]);
    expect(withData.slice(5, 9)).toEqual([false, false, false, false]);
    expect(g.estimated.some((v) => v > 0)).toBe(true);
  });

  it('snapshot round-trip: a restored engine continues like the original, to 7 digits', () => {
    const a = new LevelEngine({ ...DEFAULT_PARAMS });
    feed(a, 'binance:BTCUSDT', 100_000, 10, T0);
    const b = LevelEngine.fromSnapshot(JSON.parse(JSON.stringify(a.toSnapshot())), DEFAULT_PARAMS);
    for (const e of [a, b]) feed(e, 'binance:BTCUSDT', 101_000, 3, T0 + 60_000);
    // Saved USD is a 32-bit float and birth times are whole seconds: equal to a millionth.
    expectNear(b.cells('coin:BTC'), a.cells('coin:BTC'));
    expectNear(b.zones('coin:BTC', T0 + 120_000), a.zones('coin:BTC', T0 + 120_000));
  });

  it('keeps the levels the price swept (drawn on the heatmap) across a snapshot and restore', () => {
    const a = new LevelEngine({ ...DEFAULT_PARAMS });
    feed(a, 'binance:BTCUSDT', 100_000, 10, T0);
    feed(a, 'binance:BTCUSDT', 94_000, 1, T0 + 60_000); // a 6 % drop sweeps the longs above it
    const swept = a.sweeps('coin:BTC');
    expect(swept.filter((w) => w.side === 'long').length).toBeGreaterThanOrEqual(3);
    const b = LevelEngine.fromSnapshot(JSON.parse(JSON.stringify(a.toSnapshot())), DEFAULT_PARAMS);
    expectNear(b.sweeps('coin:BTC'), swept);
  });
});

/** Deep equality, numbers within a millionth (relative). */
function expectNear(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-6 * Math.abs(expected)) expect(actual, path).toBe(expected);
  } else if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null) {
    expect(Object.keys(actual), path).toEqual(Object.keys(expected));
    for (const k of Object.keys(expected)) expectNear((actual as never)[k], (expected as never)[k], `${path}.${k}`);
  } else expect(actual, path).toEqual(expected);
}

describe('history', () => {
  it('encodes USD on a log scale within about 5 %', () => {
    for (const usd of [1, 12.5, 999, 48_000, 2.5e6, 7.7e9]) expect(Math.abs(decodeUsd(encodeUsd(usd)) / usd - 1)).toBeLessThan(0.05);
    expect(encodeUsd(0)).toBe(0);
  });

  it('is a hard-bounded ring: the oldest columns go, the memory does not grow past the bound', () => {
    const ring = new ColumnRing(100, MINUTE_MS);
    const est = new Float64Array(ROWS).fill(1_000);
    const rl = new Float64Array(ROWS);
    rl[5] = 42;
    for (let i = 0; i < 250; i++) ring.push(T0 + i * MINUTE_MS, 1000, 100, est, rl, new Float64Array(ROWS));
    expect(ring.length).toBe(100);
    expect(ring.bytes).toBe(ColumnRing.maxBytes(100));
    expect(ring.get(0).time).toBe(T0 + 150 * MINUTE_MS);
    expect(ring.get(99).realizedLong[5]).toBeCloseTo(42, 4);
    expect(ColumnRing.fromSnapshot(ring.toSnapshot()).get(99)).toEqual(ring.get(99));
  });

  it('allocates as history arrives, and keeps every column and realized entry through each growth', () => {
    const week = new InstrumentHistory();
    expect(week.bytes).toBeLessThan(week.maxBytes / 50); // an empty instrument: about an hour of columns
    const ring = new ColumnRing(1_000, MINUTE_MS);
    const empty = ring.bytes;
    const zero = new Float64Array(ROWS);
    for (let i = 0; i < 700; i++) {
      const est = new Float64Array(ROWS);
      est[i % ROWS] = 1_000 + i;
      const rl = new Float64Array(ROWS);
      // A liquidation-heavy column every 7th minute: the realized pool wraps before the ring does.
      for (let r = 0; r < (i % 7 === 0 ? 40 : 1); r++) rl[(i + r) % ROWS] = 10 + i;
      ring.push(T0 + i * MINUTE_MS, i, 100 + i, est, rl, zero);
    }
    expect(ring.bytes).toBeGreaterThan(empty);
    expect(ring.bytes).toBeLessThanOrEqual(ColumnRing.maxBytes(1_000));
    expect(ring.length).toBe(700);
    for (const i of [0, 63, 64, 65, 255, 256, 511, 699]) {
      const c = ring.get(i);
      expect(c.time).toBe(T0 + i * MINUTE_MS);
      expect(c.price).toBe(100 + i);
      expect(Math.abs(c.estimated[i % ROWS] / (1_000 + i) - 1)).toBeLessThan(0.05); // the byte's log scale
    }
    // The newest columns keep their realized detail (the oldest may lose it when the pool wraps).
    expect(ring.get(699).realizedLong[699 % ROWS]).toBeCloseTo(709, 3);
    expect(ring.get(693).realizedLong[(693 + 39) % ROWS]).toBeCloseTo(703, 3);
    expect(ColumnRing.fromSnapshot(ring.toSnapshot()).get(600)).toEqual(ring.get(600));
    // A periodic save copies only the columns it writes.
    expect(ring.toSnapshot(T0 + 600 * MINUTE_MS).columns.map((c) => c.t)).toEqual(
      Array.from({ length: 100 }, (_, k) => T0 + (600 + k) * MINUTE_MS),
    );
  });

  it('folds minutes into 30-minute columns for long ranges', () => {
    const h = new InstrumentHistory(100, 10);
    const est = new Float64Array(ROWS).fill(10);
    const rl = new Float64Array(ROWS);
    rl[0] = 1;
    for (let i = 0; i < 61; i++) h.push(T0 + i * MINUTE_MS, 1000, 100, est, rl, new Float64Array(ROWS));
    expect(h.coarse.length).toBe(2);
    expect(h.coarse.get(0).realizedLong[0]).toBeCloseTo(30, 4);
  });
});

describe('parameters', () => {
  it('checks that leverage weights sum to 100 %', () => {
    expect(paramsError(DEFAULT_PARAMS)).toBeUndefined();
    expect(paramsError({ ...DEFAULT_PARAMS, leverage: [{ leverage: 10, weight: 0.5 }] })).toMatch(/sum to 100 %/);
    expect(paramsError({ ...DEFAULT_PARAMS, gridStep: 0.5 })).toMatch(/grid step/);
  });
});

describe('the trade-flow window', () => {
  it('closes at every open-interest reading, changed or not: trades between equal readings open nothing', () => {
    const engine = new LevelEngine(ONE_TIER);
    const inst = 'binance:BTCUSDT';
    const trade = (t: number, price: number) =>
      ({
        kind: 'trade',
        venue: 'binance',
        instrument: inst,
        takerSide: 'buy',
        price,
        baseQty: 1,
        notionalUsd: price,
        exchangeTime: t,
        receiveTime: t,
      }) as const;
    const oi = (t: number, baseQty: number) =>
      ({ kind: 'openInterest', venue: 'binance', instrument: inst, baseQty, exchangeTime: t, receiveTime: t }) as const;
    engine.ingest([oi(T0, 100), trade(T0 + 1_000, 95_000), oi(T0 + 2_000, 100)]);
    engine.advance(T0 + 5_000); // a step with an unchanged reading: the 95 000 flow is hand-to-hand
    engine.ingest([trade(T0 + 6_000, 100_000), oi(T0 + 7_000, 101)]);
    engine.advance(T0 + 10_000);
    const entries = new Set(engine.cells(inst).map((c) => c.cell));
    const at = (entry: number) => engine.grid.cellOf(liquidationPrice('long', engine.grid.priceOf(engine.grid.cellOf(entry)), 10, 0.004));
    expect(entries.has(at(100_000))).toBe(true);
    expect(entries.has(at(95_000))).toBe(false);
  });
});

describe('max pain', () => {
  it('ignores noise cells: a few hundred dollars beside a book of millions is no max pain', () => {
    const engine = new LevelEngine(ONE_TIER);
    const inst = 'binance:BTCUSDT';
    engine.ingest([
      { kind: 'openInterest', venue: 'binance', instrument: inst, baseQty: 1_000, exchangeTime: T0, receiveTime: T0 },
      // Sellers open $60M of shorts (levels above the price), one tiny buyer opens a long.
      {
        kind: 'trade',
        venue: 'binance',
        instrument: inst,
        takerSide: 'sell',
        price: 100_000,
        baseQty: 600,
        notionalUsd: 60e6,
        exchangeTime: T0 + 1,
        receiveTime: T0 + 1,
      },
      {
        kind: 'trade',
        venue: 'binance',
        instrument: inst,
        takerSide: 'buy',
        price: 100_000,
        baseQty: 0.009,
        notionalUsd: 900,
        exchangeTime: T0 + 2,
        receiveTime: T0 + 2,
      },
      { kind: 'openInterest', venue: 'binance', instrument: inst, baseQty: 1_600.009, exchangeTime: T0 + 3, receiveTime: T0 + 3 },
    ]);
    engine.advance(T0 + 10_000);
    const map = engine.liquidationMap(inst)!;
    expect(map.cells.some((c) => c.long > 0 && c.long < 2_000)).toBe(true); // the noise is there…
    expect(map.maxPain.long).toBeUndefined(); // …but it is not max pain
    expect(map.maxPain.short).toBeGreaterThan(100_000);
  });
});

/** Open interest 100, one coin bought at 100 000 by a taker, open interest 101: one long opened. */
function oneBtcBought(inst: `bybit:${string}`): MarketEvent[] {
  return [
    { kind: 'openInterest', venue: 'bybit', instrument: inst, baseQty: 100, exchangeTime: T0, receiveTime: T0 },
    {
      kind: 'trade',
      venue: 'bybit',
      instrument: inst,
      takerSide: 'buy',
      price: 100_000,
      baseQty: 1,
      notionalUsd: 100_000,
      exchangeTime: T0 + 1,
      receiveTime: T0 + 1,
    },
    { kind: 'openInterest', venue: 'bybit', instrument: inst, baseQty: 101, exchangeTime: T0 + 2, receiveTime: T0 + 2 },
  ];
}

describe('inverse instruments', () => {
  it('place their levels with the inverse formula', () => {
    const engine = new LevelEngine({ ...ONE_TIER, leverage: [{ leverage: 100, weight: 1 }] });
    const inst = 'bybit:BTCUSD';
    engine.ingest(oneBtcBought(inst));
    engine.advance(T0 + 10_000);
    const [cell] = engine.cells(inst).filter((c) => c.long > 0);
    const entry = engine.grid.priceOf(engine.grid.cellOf(100_000));
    expect(cell.cell).toBe(engine.grid.cellOf(inverseLiquidationPrice('long', entry, 100, 0.004)));
  });

  // Regression: the restore path rebuilt model options by hand and dropped `inverse`, so after every
  // worker restart bybit:BTCUSD, XBTUSD and the other coin-margined contracts used the linear formula.
  it('keep the inverse formula after a snapshot and restore', () => {
    const params = { ...ONE_TIER, leverage: [{ leverage: 10, weight: 1 }] };
    const inst = 'bybit:BTCUSD';
    const before = new LevelEngine(params);
    before.ingest(oneBtcBought(inst).slice(0, 1));
    const engine = LevelEngine.fromSnapshot(structuredClone(before.toSnapshot()), params);
    engine.ingest(oneBtcBought(inst).slice(1));
    engine.advance(T0 + 10_000);
    const [cell] = engine.cells(inst).filter((c) => c.long > 0);
    const entry = engine.grid.priceOf(engine.grid.cellOf(100_000));
    const inverse = engine.grid.cellOf(inverseLiquidationPrice('long', entry, 10, 0.004));
    const linear = engine.grid.cellOf(liquidationPrice('long', entry, 10, 0.004));
    // At 10x the two formulas are about 1 % apart: many cells on the model's grid.
    expect(Math.abs(inverse - linear)).toBeGreaterThan(3);
    expect(cell.cell).toBe(inverse);
  });

  it('keep venue maintenance tiers after a snapshot and restore', () => {
    const params = { ...DEFAULT_PARAMS, leverage: [{ leverage: 20, weight: 1 }] };
    const inst = 'bybit:BTCUSDT';
    const tiers = [{ maxNotionalUsd: Infinity, mmr: 0.03, cum: 0, maxLeverage: 125 }];
    const place = (engine: LevelEngine) => {
      engine.ingest(oneBtcBought(inst));
      engine.advance(T0 + 10_000);
      return engine.cells(inst).filter((c) => c.long > 0)[0].cell;
    };
    const fresh = new LevelEngine(params);
    fresh.setLimits(inst, { tiers });
    const expected = place(fresh);
    const saved = new LevelEngine(params);
    saved.setLimits(inst, { tiers });
    expect(place(LevelEngine.fromSnapshot(structuredClone(saved.toSnapshot()), params))).toBe(expected);
  });
});

describe("an instrument's maximum leverage", () => {
  const params = {
    ...ONE_TIER,
    leverage: [
      { leverage: 10, weight: 0.5 },
      { leverage: 50, weight: 0.5 },
    ],
  };
  const tierUsd = (engine: LevelEngine, inst: string) =>
    engine.cells(inst).reduce((sum, c) => [sum[0] + c.tiers![0], sum[1] + c.tiers![1]], [0, 0]);

  it('removes the levels already placed above it when the venue states a lower one', () => {
    const engine = new LevelEngine(params);
    const inst = 'bybit:BTCUSD';
    engine.ingest(oneBtcBought(inst));
    engine.advance(T0 + 10_000);
    expect(tierUsd(engine, inst)[1]).toBeGreaterThan(0); // placed with the venue's usual 100x cap
    engine.setLimits(inst, { maxLeverage: 20 });
    const [tenX, fiftyX] = tierUsd(engine, inst);
    expect(fiftyX).toBe(0);
    expect(tenX).toBeGreaterThan(0);
  });

  it('survives a snapshot and restore, and a restored inverse instrument still uses the inverse formula', () => {
    const inst = 'bybit:BTCUSD';
    const saved = new LevelEngine(params);
    saved.ingest(oneBtcBought(inst).slice(0, 1));
    saved.setLimits(inst, { maxLeverage: 20 });
    const engine = LevelEngine.fromSnapshot(structuredClone(saved.toSnapshot()), params);
    engine.ingest(oneBtcBought(inst).slice(1));
    engine.advance(T0 + 10_000);
    const [tenX, fiftyX] = tierUsd(engine, inst);
    expect(fiftyX).toBe(0);
    expect(tenX).toBeCloseTo(100_000, 0); // the whole new long, on the one tier allowed
    const [cell] = engine.cells(inst).filter((c) => c.long > 0);
    const entry = engine.grid.priceOf(engine.grid.cellOf(100_000));
    expect(cell.cell).toBe(engine.grid.cellOf(inverseLiquidationPrice('long', entry, 10, 0.004)));
  });
});

describe('venue maintenance tiers', () => {
  it('Bybit risk-limit (percent units) becomes continuous tiers', async () => {
    const { bybit } = await import('../../../lib/exchanges/bybit');
    const body = JSON.stringify({
      retCode: 0,
      result: {
        category: 'linear',
        list: [
          {
            id: 1,
            symbol: 'BTCUSDT',
            riskLimitValue: '2000000',
            maintenanceMargin: '0.5',
            initialMargin: '1',
            maxLeverage: '100.00',
            mmDeduction: '0',
          },
          {
            id: 2,
            symbol: 'BTCUSDT',
            riskLimitValue: '4000000',
            maintenanceMargin: '0.75',
            initialMargin: '1.25',
            maxLeverage: '80.00',
            mmDeduction: '5000',
          },
        ],
      },
    });
    const tiers = bybit.marginTiers!.parse(body, 'BTCUSDT');
    expect(tiers).toEqual([
      { maxNotionalUsd: 2_000_000, mmr: 0.005, cum: 0, maxLeverage: 100 },
      { maxNotionalUsd: Infinity, mmr: 0.0075, cum: 5000, maxLeverage: 80 },
    ]);
    expect(bybit.marginTiers!.parse('{"retCode":10001}', 'BTCUSDT')).toHaveProperty('error');
  });

  it('Hyperliquid margin tables: maintenance is half the initial margin at max leverage', async () => {
    const { hyperliquid } = await import('../../../lib/exchanges/hyperliquid');
    const meta = JSON.stringify({
      universe: [{ name: 'BTC', maxLeverage: 40, marginTableId: 56 }],
      marginTables: [
        [
          56,
          {
            marginTiers: [
              { lowerBound: '0.0', maxLeverage: 40 },
              { lowerBound: '150000000.0', maxLeverage: 20 },
            ],
          },
        ],
      ],
    });
    const tiers = hyperliquid.marginTiers!.parse(meta, 'BTC');
    expect(tiers).toEqual(
      withCum([
        { maxNotionalUsd: 150_000_000, mmr: 1 / 80, maxLeverage: 40 },
        { maxNotionalUsd: Infinity, mmr: 1 / 40, maxLeverage: 20 },
      ]),
    );
  });

  it('a fetched table moves the levels it governs', () => {
    const engine = new LevelEngine({ ...ONE_TIER, leverage: [{ leverage: 100, weight: 1 }] });
    engine.setLimits('binance:BTCUSDT', { tiers: [{ maxNotionalUsd: Infinity, mmr: 0.009, cum: 0, maxLeverage: 100 }] });
    engine.ingest([oi(1_000, T0), trade(100_000, 'buy', 1_000_000, T0 + 1), oi(1_010, T0 + 2)]);
    engine.advance(T0 + 10_000);
    const [cell] = engine.cells('binance:BTCUSDT').filter((c) => c.long > 0);
    const entry = engine.grid.priceOf(engine.grid.cellOf(100_000));
    expect(cell.cell).toBe(engine.grid.cellOf(liquidationPrice('long', entry, 100, 0.009)));
  });
});

/**
 * One binning routine for both modes: a level at a price lands in the same heatmap row and minute
 * column whether it comes from the estimate's minute history or from real positions' minute record.
 */
import { describe, expect, it } from 'vitest';
import { HeatmapBinner } from '../../../lib/model/heatmap-binning';
import { InstrumentHistory, MINUTE_MS, ROWS } from '../../../lib/model/history';
import { LevelEngine } from '../../../lib/model/level-engine';
import { PositionsHistory } from '../../../lib/positions/market-view';
import type { TrueBook } from '../../../lib/positions/true-book';

const T0 = Date.UTC(2026, 11, 1, 12);

describe('heatmap binning', () => {
  it('keeps the strongest level of a bucket and adds realized USD up, rows log-spaced', () => {
    const engine = new LevelEngine();
    const bins = new HeatmapBinner(engine.grid, { from: T0, to: T0 + 10 * MINUTE_MS, columns: 5, rows: 100, low: 90_000, high: 110_000 });
    const cell = engine.grid.cellOf(100_000);
    const col = bins.column(T0 + 3 * MINUTE_MS, 100_000); // minutes 2–3 share the second bucket
    bins.level(col, cell, 5);
    bins.level(col, cell, 3);
    bins.realized(col, cell, 7);
    bins.realized(col, cell, -2);
    bins.realized(col, cell, 4);
    const i = col * 100 + bins.row(cell);
    expect([col, bins.grid.estimated[i], bins.grid.realizedLong[i], bins.grid.realizedShort[i]]).toEqual([1, 5, 11, 2]);
    expect(bins.row(cell)).toBe(Math.floor((Math.log(engine.grid.priceOf(cell) / 90_000) / Math.log(110_000 / 90_000)) * 100));
    expect(bins.column(T0 + 10 * MINUTE_MS, 1)).toBe(-1); // [from, to): the end is outside
    expect(bins.row(engine.grid.cellOf(120_000))).toBe(-1);
  });

  it("adds a coin's venues up, as its zones and map do: one quantity on one scale", () => {
    const engine = new LevelEngine();
    const grid = engine.grid;
    const firstCell = grid.cellOf(100_000) - ROWS / 2;
    const level = grid.cellOf(97_000);
    for (const [instrument, usd] of [
      ['binance:BTCUSDT', 2e6],
      ['bybit:BTCUSDT', 1e6],
    ] as const) {
      const history = new InstrumentHistory();
      const est = new Float64Array(ROWS);
      est[level - firstCell] = usd;
      history.push(T0, firstCell, 100_000, est, new Float64Array(ROWS), new Float64Array(ROWS));
      engine.attachHistory(instrument, history);
    }
    const span = [T0, T0 + MINUTE_MS, 1, ROWS, grid.priceOf(firstCell), grid.priceOf(firstCell + ROWS - 1)] as const;
    const coin = engine.heatmap('coin:BTC', ...span);
    // History stores USD in steps of a few per cent: within 5 %, and not the larger venue alone (2M).
    expect(Math.max(...coin.estimated) / 3e6).toBeCloseTo(1, 1);
    expect(Math.max(...engine.heatmap('bybit:BTCUSDT', ...span).estimated) / 1e6).toBeCloseTo(1, 1);
  });

  it('puts the estimate and real positions at one price in the same row and column', () => {
    const engine = new LevelEngine();
    const grid = engine.grid;
    const price = 100_000;
    const level = grid.cellOf(97_000);
    // The estimate: one minute column whose book holds USD at 97 000.
    const history = new InstrumentHistory();
    const firstCell = grid.cellOf(price) - ROWS / 2;
    const est = new Float64Array(ROWS);
    est[level - firstCell] = 1_000_000;
    history.push(T0, firstCell, price, est, new Float64Array(ROWS), new Float64Array(ROWS));
    engine.attachHistory('hyperliquid:BTC', history);
    // Real positions: the same minute, a position liquidated at 97 000.
    const book = { cells: () => [{ cell: level, price: grid.priceOf(level), long: 500_000, short: 0, wallets: 1 }] } as unknown as TrueBook;
    const positions = new PositionsHistory();
    positions.sample('BTC', book, grid, price, T0);

    const args = [T0 - 30 * MINUTE_MS, T0 + 30 * MINUTE_MS, 60, 200, 90_000, 110_000] as const;
    const hit = (g: { estimated: Float32Array }) => g.estimated.findIndex((v) => v > 0);
    const estimated = engine.heatmap('hyperliquid:BTC', ...args);
    const [from, to, columns, rows, low, high] = args;
    const real = positions.heatmap('BTC', grid, { from, to, columns, rows, low, high });
    expect(hit(estimated)).toBeGreaterThan(0);
    expect(hit(real)).toBe(hit(estimated));
    expect(real.price[30]).toBe(price);
    expect(estimated.price[30]).toBe(price);
  });
});

/**
 * Liquidation distance, learned: the distribution fitted from real positions, the weights an
 * instrument's cap allows, and the book read with it (the same book as the preset, re-weighted).
 */
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../lib/exchanges/types';
import { binOf, DISTANCE_BINS, DISTANCE_EDGES, fitDistances, MarketModel, type PositionDistance } from '../../../lib/model';
import { learnedWeights } from '../../../lib/model/distance-prior';
import { DEFAULT_PARAMS } from '../../../lib/model/params';

const T0 = Date.UTC(2026, 10, 1);

describe('learned liquidation distance', () => {
  it('recovers a known USD-weighted distribution from positions, per side, with its sample size', () => {
    // Longs: $3M at 2.5 % from entry, $5M at 30 %, $2M with no liquidation price. Shorts: all at 8 %.
    const positions: PositionDistance[] = [];
    const long = (distance: number | null, usd: number, n: number) => {
      for (let i = 0; i < n; i++)
        positions.push({
          side: 'long',
          entryPx: 100,
          liquidationPx: distance === null ? null : 100 * (1 - distance),
          positionValue: usd / n,
          wallet: `0x${positions.length}`,
        });
    };
    long(0.025, 3e6, 30);
    long(0.3, 5e6, 50);
    long(null, 2e6, 20);
    for (let i = 0; i < 10; i++) positions.push({ side: 'short', entryPx: 50, liquidationPx: 54, positionValue: 1e5, wallet: '0xshort' });
    const d = fitDistances(positions)!;
    expect(d.long[binOf(0.025)]).toBeCloseTo(0.3, 9);
    expect(d.long[binOf(0.3)]).toBeCloseTo(0.5, 9);
    expect(d.noLiquidation.long).toBeCloseTo(0.2, 9);
    expect(d.short[binOf(0.08)]).toBeCloseTo(1, 9);
    expect(d).toMatchObject({ positions: 110, wallets: 101, usd: 11e6 });
  });

  it('a liquidation price past entry counts as the nearest bin; 100 % or more as none', () => {
    const d = fitDistances([
      { side: 'long', entryPx: 100, liquidationPx: 101, positionValue: 1 },
      { side: 'short', entryPx: 100, liquidationPx: 250, positionValue: 1 },
    ])!;
    expect(d.long[0]).toBe(1);
    expect(d.noLiquidation.short).toBe(1);
    expect(fitDistances([])).toBeNull();
  });

  it("an instrument's cap takes out the bins no position can reach and gives their share to the rest", () => {
    const d = fitDistances([
      { side: 'long', entryPx: 100, liquidationPx: 99.5, positionValue: 1 }, // 0.5 %: only beyond ~150x
      { side: 'long', entryPx: 100, liquidationPx: 89, positionValue: 1 }, // 11 %
      { side: 'long', entryPx: 100, liquidationPx: null, positionValue: 2 },
    ])!;
    const w = learnedWeights(d, 1, 20, 0.004); // 20x: nothing closer than 4.6 %
    const bins = Array.from(w.long.slice(1));
    expect(bins[binOf(0.005)]).toBe(0);
    expect(bins[binOf(0.11)]).toBeCloseTo(0.5, 9); // placed share stays 1 − no-liquidation share
    expect(bins.reduce((a, b) => a + b, 0)).toBeCloseTo(0.5, 9);
  });

  it('the learned prior spreads levels over its bins (no comb) and switching re-weights the same book', () => {
    const inst = 'binance:BTCUSDT';
    const ev = (e: Partial<MarketEvent> & Pick<MarketEvent, 'kind'>, t: number) =>
      ({ venue: 'binance', instrument: inst, exchangeTime: t, receiveTime: t, ...e }) as MarketEvent;
    const model = new MarketModel({ params: { ...DEFAULT_PARAMS, decayHalfLifeHours: 0 } });
    model.ingest([
      ev({ kind: 'openInterest', baseQty: 1_000 }, T0),
      ev({ kind: 'trade', takerSide: 'buy', price: 100_000, baseQty: 10, notionalUsd: 1e6 }, T0 + 1_000),
      ev({ kind: 'openInterest', baseQty: 1_010 }, T0 + 2_000),
    ]);
    model.advance(T0 + 5_000);
    const longCells = () => model.cells(inst).filter((c) => c.long > 0);
    expect(longCells()).toHaveLength(5); // the preset: one cell per leverage tier, a comb
    // Learned: all longs between 6 % and 25 % from entry.
    const d = fitDistances([
      { side: 'long', entryPx: 100, liquidationPx: 92, positionValue: 1 },
      { side: 'long', entryPx: 100, liquidationPx: 80, positionValue: 1 },
    ])!;
    model.setLearned('BTC', d);
    model.setParams({ ...model.params, prior: 'learned' });
    expect(model.activePrior('coin:BTC')).toBe('learned');
    const cells = longCells();
    expect(cells.length).toBe(6); // two bins × three points
    for (const c of cells) expect(1 - c.price / 100_000).toBeGreaterThan(DISTANCE_EDGES[binOf(0.08)] - 0.001);
    expect(cells.reduce((s, c) => s + c.long, 0)).toBeCloseTo(1e6, 0);
    model.setParams({ ...model.params, prior: 'default' });
    expect(longCells()).toHaveLength(5); // nothing rebuilt: the preset's levels are back
    expect(DISTANCE_BINS).toBe(DISTANCE_EDGES.length - 1);
  });
});

import { describe, expect, it } from 'vitest';
import { ladderRange, niceTicks, priceToY, yToPrice } from '../../lib/sites/ladder';

describe('price scale', () => {
  it('maps linear prices to pixels, top = high', () => {
    const scale = { from: 90, to: 110, height: 200, mode: 'linear' as const };
    expect(priceToY(scale, 110)).toBe(0);
    expect(priceToY(scale, 90)).toBe(200);
    expect(priceToY(scale, 100)).toBe(100);
    expect(yToPrice(scale, 50)).toBeCloseTo(105, 10);
  });

  it('maps log prices by ln p: equal ratios, equal distances', () => {
    const scale = { from: 100, to: 400, height: 300, mode: 'log' as const };
    expect(priceToY(scale, 200)).toBeCloseTo(150, 10);
    expect(priceToY(scale, 100) - priceToY(scale, 200)).toBeCloseTo(priceToY(scale, 200) - priceToY(scale, 400), 10);
    expect(yToPrice(scale, priceToY(scale, 321))).toBeCloseTo(321, 9);
  });
});

describe('ladder range and ticks', () => {
  it('centres on the price and widens to show near liquidations, ignoring far outliers', () => {
    const r = ladderRange(100_000, [98_000, 101_000, 10]);
    expect((r.from + r.to) / 2).toBeCloseTo(100_000, 6);
    expect(r.from).toBeLessThan(98_000);
    expect(r.to - r.from).toBeLessThan(10_000);
  });

  it('keeps a minimum span when nothing is near', () => {
    expect(ladderRange(50, [])).toEqual({ from: 49.5, to: 50.5 });
  });

  it('gives round ticks inside the range', () => {
    expect(niceTicks(96_100, 97_900, 4)).toEqual([96_500, 97_000, 97_500]);
    expect(niceTicks(0.0213, 0.0229, 4)).toEqual([0.0215, 0.022, 0.0225]);
    expect(niceTicks(5, 5)).toEqual([]);
  });
});

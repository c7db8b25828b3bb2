/** A trader's own position against the crowd: its liquidation price by hand, distance, USD between, crowding. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIERS } from '../../../lib/model/liquidation-price';
import { formulaLiquidationPrice, myPositionView, type MyPositionInput } from '../../../lib/model/my-positions';
import { estimatedZone } from '../../harness/zones';

const long: MyPositionInput = {
  id: 'p1',
  source: 'typed',
  venue: 'binance',
  coin: 'BTC',
  side: 'long',
  entry: 97_000,
  size: 0.5,
  leverage: 50,
};

const zone = estimatedZone;

describe('my liquidation price', () => {
  it('is the exact formula with the tier its notional falls in (checked by hand)', () => {
    // $48 500 notional: the first tier, mmr 0.4 %, no maintenance amount.
    // LP = 97 000 × (1 − 1/50) / (1 − 0.004) = 95 060 / 0.996 = 95 441.767…
    expect(formulaLiquidationPrice(long, DEFAULT_TIERS, false)!.price).toBeCloseTo(95_441.767_068, 5);
    // The same position given by its margin ($970 = 48 500 / 50) prices the same.
    const byMargin = formulaLiquidationPrice({ ...long, leverage: undefined, marginUsd: 970 }, DEFAULT_TIERS, false)!;
    expect(byMargin.leverage).toBeCloseTo(50, 9);
    expect(byMargin.price).toBeCloseTo(95_441.767_068, 5);
    // A short: LP = 97 000 × (1 + 1/50) / (1 + 0.004) = 98 940 / 1.004 = 98 545.816…
    expect(formulaLiquidationPrice({ ...long, side: 'short' }, DEFAULT_TIERS, false)!.price).toBeCloseTo(98_545.816_733, 5);
    // Coin-margined: LP = E·(1 + mmr) / (1 + 1/L) = 97 000 × 1.004 / 1.02 = 95 478.431…
    expect(formulaLiquidationPrice(long, DEFAULT_TIERS, true)!.price).toBeCloseTo(95_478.431_373, 5);
    expect(formulaLiquidationPrice({ ...long, leverage: undefined }, DEFAULT_TIERS, false)).toBeUndefined();
  });

  it('takes the venue’s own figure over the formula when the trader gives it', () => {
    const v = myPositionView(
      { ...long, liquidationPrice: 95_000 },
      { price: 97_000, cells: [], zones: [], tiers: DEFAULT_TIERS, inverse: false },
    );
    expect(v).toMatchObject({ liquidationPrice: 95_000, liquidationFrom: 'venue' });
    expect(v.distancePct).toBeCloseTo((95_000 / 97_000 - 1) * 100, 9);
  });
});

describe('my position against the crowd', () => {
  const cells = [
    { cell: 1, price: 96_500, long: 2e6, short: 0, venues: [] },
    { cell: 2, price: 95_800, long: 3e6, short: 5e5, venues: [] },
    { cell: 3, price: 95_000, long: 9e6, short: 0, venues: [] }, // beyond my level: not between
    { cell: 4, price: 97_500, long: 0, short: 4e6, venues: [] }, // above the price: the shorts' side
  ];

  it('sums the estimated longs between the price and my level, and calls it crowded inside or just past a big cluster', () => {
    const market = { price: 97_000, cells, tiers: DEFAULT_TIERS, inverse: false };
    const free = myPositionView(long, { ...market, zones: [zone(93_000, 94_000, 20e6)] });
    expect(free.estimatedUsdBetween).toBe(5e6);
    expect(free.crowdedBy).toBeUndefined();
    // My level (95 441.8) inside a $20M cluster…
    expect(myPositionView(long, { ...market, zones: [zone(95_200, 95_900, 20e6)] }).crowdedBy).toEqual({
      low: 95_200,
      high: 95_900,
      usd: 20e6,
    });
    // …or just under it (within 1 %): a cascade through the cluster runs into it.
    expect(myPositionView(long, { ...market, zones: [zone(95_500, 96_000, 20e6)] }).crowdedBy?.usd).toBe(20e6);
    // A small zone there is no crowd (under a quarter of the largest).
    expect(myPositionView(long, { ...market, zones: [zone(95_200, 95_900, 2e6), zone(90_000, 91_000, 40e6)] }).crowdedBy).toBeUndefined();
  });

  it('says when the price is inside a large cluster of longs on the way to my long’s level (being swept)', () => {
    const market = { cells, tiers: DEFAULT_TIERS, inverse: false };
    const zones = [zone(96_500, 97_200, 30e6), zone(93_000, 94_000, 40e6)];
    expect(myPositionView(long, { ...market, price: 96_900, zones }).sweeping).toEqual({ low: 96_500, high: 97_200, usd: 30e6 });
    // Out of the cluster, or a cluster below my level, is no sweep towards me.
    expect(myPositionView(long, { ...market, price: 97_400, zones }).sweeping).toBeUndefined();
    expect(myPositionView(long, { ...market, price: 93_500, zones: [zone(93_000, 94_000, 40e6)] }).sweeping).toBeUndefined();
  });

  it('says nothing of distance before any price', () => {
    const v = myPositionView(long, { price: undefined, cells, zones: [], tiers: DEFAULT_TIERS, inverse: false });
    expect(v.liquidationPrice).toBeCloseTo(95_441.77, 2);
    expect(v.distancePct).toBeUndefined();
  });
});

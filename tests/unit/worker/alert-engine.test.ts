/** Alert rules: what fires, once, within its cooldown, for the right targets. */
import { describe, expect, it } from 'vitest';
import { AlertEngine, targetMatches } from '../../../lib/worker/alert-engine';
import { alertRuleError, DEFAULT_ALERTS, type AlertSettings } from '../../../lib/settings';
import type { MyPositionView, RealizedLiquidation, Zone } from '../../../lib/contract/market';

const T0 = Date.UTC(2026, 10, 23, 12);
let n = 0;
function liq(instrument: RealizedLiquidation['instrument'], usd: number, at = T0, side: 'long' | 'short' = 'long'): RealizedLiquidation {
  return {
    id: `${instrument}|${n++}`,
    venue: 'binance',
    instrument,
    liquidatedSide: side,
    price: 97_000,
    baseQty: usd / 97_000,
    notionalUsd: usd,
    exchangeTime: at,
    receiveTime: at,
  };
}
const settings = (rules: AlertSettings['rules'], cooldownMinutes = 10): AlertSettings => ({
  enabled: true,
  sound: false,
  cooldownMinutes,
  rules,
});

describe('cascade windows', () => {
  it('use one clock: a venue whose clock runs minutes ahead still fills a 60 s window with 60 s of liquidations', () => {
    const a = new AlertEngine(settings([{ id: 'c', kind: 'cascade', enabled: true, target: 'BTC', minUsd: 3_000_000, windowSec: 60 }]));
    const ahead = 5 * 60_000; // the venue stamps its events five minutes in the future
    const skewed = (usd: number, at: number) => ({ ...liq('bybit:BTCUSDT', usd, at + ahead), receiveTime: at + 40 });
    expect(a.onLiquidations([skewed(1_000_000, T0)], T0 + 40)).toEqual([]);
    // 70 s later: the first one has left the window (on the local clock), so 2 × 1M is no cascade yet…
    expect(a.onLiquidations([skewed(1_000_000, T0 + 70_000), skewed(1_000_000, T0 + 71_000)], T0 + 71_040)).toEqual([]);
    // …and a third within the minute makes one: $3M in 60 s, three liquidations, not four.
    const fired = a.onLiquidations([skewed(1_000_000, T0 + 80_000)], T0 + 80_040);
    expect(fired.map((f) => [f.title, f.message])).toEqual([['Cascade: $3.00M liquidated in 60 s', 'BTC, 100 % longs, 3 liquidations']]);
  });

  it('keep a running sum per rule: thousands of liquidations in and out of the window add up exactly', () => {
    const a = new AlertEngine(settings([{ id: 'c', kind: 'cascade', enabled: true, target: '*', minUsd: 1e12, windowSec: 10 }], 0));
    for (let i = 0; i < 5_000; i++) a.onLiquidations([liq('binance:BTCUSDT', 1_000, T0 + i * 100, i % 2 ? 'short' : 'long')], T0 + i * 100);
    a.configure(settings([{ id: 'c', kind: 'cascade', enabled: true, target: '*', minUsd: 100_000, windowSec: 10 }], 0));
    // The window holds the last 10 s: 100 liquidations of $1 000, plus this one (the raised threshold kept the window).
    const fired = a.onLiquidations([liq('binance:BTCUSDT', 1_000, T0 + 500_000)], T0 + 500_000);
    // 50 longs and 50 shorts in the window, and this long one: 51 of 101.
    expect(fired.map((f) => f.message)).toEqual(['All markets across venues, 50 % longs, 101 liquidations']);
  });

  it('say which side a market-wide cascade liquidated, across coins and venues', () => {
    const a = new AlertEngine(settings([{ id: 'm', kind: 'cascade', enabled: true, target: '*', minUsd: 50_000_000, windowSec: 300 }]));
    const burst = [
      liq('binance:BTCUSDT', 20_000_000, T0),
      { ...liq('okx:ETH-USDT-SWAP', 12_000_000, T0 + 60_000), venue: 'okx' as const },
      { ...liq('bybit:SOLUSDT', 10_000_000, T0 + 120_000, 'short'), venue: 'bybit' as const },
      liq('binance:DOGEUSDT', 8_000_000, T0 + 180_000),
    ];
    const fired = a.onLiquidations(burst, T0 + 180_000);
    expect(fired.map((f) => [f.title, f.message])).toEqual([
      ['Cascade: $50.00M liquidated in 300 s', 'All markets across venues, 80 % longs, 4 liquidations'],
    ]);
    // Once within the cooldown, however much more comes.
    expect(a.onLiquidations([liq('binance:BTCUSDT', 30_000_000, T0 + 200_000)], T0 + 200_000)).toEqual([]);
  });
});

describe('alert rules', () => {
  it('match *, a coin across venues, or one instrument', () => {
    expect(targetMatches('*', 'okx:ETH-USDT-SWAP')).toBe(true);
    expect(targetMatches('BTC', 'bybit:BTCUSD')).toBe(true);
    expect(targetMatches('BTC', 'bitmex:XBTUSD')).toBe(true);
    expect(targetMatches('BTC', 'binance:ETHUSDT')).toBe(false);
    expect(targetMatches('binance:BTCUSDT', 'bybit:BTCUSDT')).toBe(false);
    expect(alertRuleError({ id: 'x', kind: 'cascade', enabled: true, target: 'BTC', minUsd: 1, windowSec: 1 })).toMatch(/window/);
    expect(alertRuleError({ id: 'x', kind: 'zone', enabled: true, target: '<b>', minUsd: 1, withinPct: 1 })).toMatch(/target/);
    expect(DEFAULT_ALERTS.rules.every((r) => alertRuleError(r) === undefined && !r.enabled)).toBe(true);
  });

  it('fire on a big liquidation once, not for small ones, not again for a re-delivery, not within the cooldown', () => {
    const a = new AlertEngine(settings([{ id: 'big', kind: 'liquidation', enabled: true, target: 'BTC', minUsd: 1_000_000 }]));
    expect(a.onLiquidations([liq('binance:BTCUSDT', 900_000)], T0)).toEqual([]);
    const big = liq('bybit:BTCUSDT', 2_500_000);
    const fired = a.onLiquidations([big, liq('binance:ETHUSDT', 5_000_000)], T0);
    expect(fired).toHaveLength(1);
    expect(fired[0].title).toBe('$2.50M long liquidated');
    expect(fired[0].message).toContain('bybit:BTCUSDT');
    expect(a.onLiquidations([big], T0 + 1_000)).toEqual([]); // the same liquidation again (reconnect replay)
    expect(a.onLiquidations([liq('binance:BTCUSDT', 3_000_000)], T0 + 60_000)).toEqual([]); // cooldown
    expect(a.onLiquidations([liq('binance:BTCUSDT', 3_000_000, T0 + 11 * 60_000)], T0 + 11 * 60_000)).toHaveLength(1);
    expect(a.history.map((h) => h.ruleId)).toEqual(['big', 'big']);
  });

  it('fire on a cascade: realized USD over the window, across venues for a coin', () => {
    const a = new AlertEngine(
      settings([{ id: 'cascade', kind: 'cascade', enabled: true, target: 'BTC', minUsd: 5_000_000, windowSec: 30 }]),
    );
    expect(a.onLiquidations([liq('binance:BTCUSDT', 2_000_000, T0)], T0)).toEqual([]);
    expect(a.onLiquidations([liq('bybit:BTCUSDT', 2_000_000, T0 + 10_000)], T0 + 10_000)).toEqual([]);
    // At 40 s the first has left the 30 s window: 2M + 2M is not enough.
    expect(a.onLiquidations([liq('okx:BTC-USDT-SWAP', 2_000_000, T0 + 40_000)], T0 + 40_000)).toEqual([]);
    const fired = a.onLiquidations([liq('okx:BTC-USDT-SWAP', 3_000_000, T0 + 41_000)], T0 + 41_000);
    expect(fired).toHaveLength(1);
    expect(fired[0].title).toMatch(/Cascade: \$5\.00M liquidated in 30 s/);
  });

  it('fire when the price is near a big enough estimated zone: the nearest, once per cooldown', () => {
    const zone = (price: number, usd: number, distancePct: number): Zone => ({
      kind: 'estimated',
      low: price - 50,
      high: price + 50,
      price,
      usd,
      longUsd: usd * 0.7,
      shortUsd: usd * 0.3,
      venues: ['binance'],
      distancePct,
    });
    const a = new AlertEngine(settings([{ id: 'zone', kind: 'zone', enabled: true, target: 'BTC', minUsd: 10_000_000, withinPct: 0.5 }]));
    const asked: string[] = [];
    const zones = (target: string) => (
      asked.push(target),
      [zone(96_600, 20_000_000, -0.4), zone(97_300, 30_000_000, 0.3), zone(99_000, 90_000_000, 2), zone(97_100, 1_000_000, 0.1)]
    );
    const fired = a.onZones(zones, T0);
    expect(asked).toEqual(['BTC']);
    // The nearest qualifying zone (0.30 %), not every zone in range; the small one at 0.10 % does not qualify.
    expect(fired.map((f) => f.title)).toEqual(['BTC within 0.30 % of a $30.00M zone']);
    expect(a.onZones(zones, T0 + 5_000)).toEqual([]);
    expect(new AlertEngine({ ...settings([]), enabled: false }).onZones(zones, T0)).toEqual([]);
  });
});

describe('my positions', () => {
  const mine = (over: Partial<MyPositionView> = {}): MyPositionView => ({
    id: 'p1',
    source: 'typed',
    venue: 'binance',
    coin: 'BTC',
    side: 'long',
    entry: 97_000,
    size: 0.5,
    liquidationPrice: 95_441.77,
    price: 96_100,
    distancePct: -0.7,
    estimatedUsdBetween: 4e6,
    ...over,
  });

  it('fire once as the price nears my liquidation price, and once per cluster being swept on the way', () => {
    const a = new AlertEngine(settings([]));
    expect(a.onMyPositions([mine({ price: 97_000, distancePct: -1.6 })], 1, T0)).toEqual([]);
    const near = a.onMyPositions([mine()], 1, T0 + 1_000);
    expect(near.map((f) => f.title)).toEqual(['BTC 0.70 % from your long liquidation']);
    expect(near[0].message).toMatch(
      /Liquidation at 95,441\.8 \(binance, entry 97,000(\.0)?\); price 96,100(\.0)?, \$4\.00M of estimated longs liquidate before it/,
    );
    expect(a.onMyPositions([mine()], 1, T0 + 2_000)).toEqual([]); // within the cooldown
    const sweep = a.onMyPositions(
      [mine({ price: 97_000, distancePct: -1.6, sweeping: { low: 96_500, high: 97_200, usd: 30e6 } })],
      1,
      T0 + 3_000,
    );
    expect(sweep.map((f) => f.title)).toEqual(['BTC: a $30.00M cluster of longs is being swept']);
    expect(a.onMyPositions([mine()], 0, T0 + 3_600_000)).toEqual([]); // 0 %: off
  });
});

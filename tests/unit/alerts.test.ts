/** Alert rules: what fires, once, within its cooldown, for the right targets. */
import { describe, expect, it } from 'vitest';
import { AlertEngine, DEFAULT_ALERTS, alertRuleError, targetMatches, type AlertSettings } from '../../lib/alerts';
import type { RealizedLiquidation } from '../../lib/model/engine';
import type { Zone } from '../../lib/model/zones';

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

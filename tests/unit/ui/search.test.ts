/** The popup's symbol search: a coin finds every venue's instrument of it, however the venue spells it. */
import { describe, expect, it } from 'vitest';
import { coinOf } from '../../../lib/exchanges/specs';
import { searchInstruments } from '../../../lib/ui/search';

const list = [
  'binance:BTCUSDT',
  'binance:BTCDOMUSDT',
  'bybit:BTCUSD',
  'okx:BTC-USDT-SWAP',
  'bitmex:XBTUSD',
  'deribit:BTC-PERPETUAL',
  'hyperliquid:BTC',
  'binance:ETHUSDT',
].map((key) => {
  const [venue, symbol] = key.split(':');
  return { venue, symbol, coin: coinOf(key), followed: !key.includes('DOM') };
});

describe('symbol search', () => {
  it('finds every venue’s instrument of a coin, whatever the venue calls it', () => {
    const values = searchInstruments(list, 'btc').map((m) => m.value);
    expect(values[0]).toBe('BTC');
    for (const v of ['bitmex:XBTUSD', 'deribit:BTC-PERPETUAL', 'okx:BTC-USDT-SWAP', 'bybit:BTCUSD', 'hyperliquid:BTC', 'binance:BTCUSDT'])
      expect(values).toContain(v);
    expect(values).not.toContain('binance:ETHUSDT');
  });

  it('still finds a venue symbol by a fragment, and says which are not followed', () => {
    expect(searchInstruments(list, 'xbt').map((m) => m.value)).toEqual(['bitmex:XBTUSD']);
    expect(searchInstruments(list, 'dom').find((m) => m.value === 'binance:BTCDOMUSDT')?.label).toBe('binance:BTCDOMUSDT (not followed)');
    expect(searchInstruments(list, '  ')).toEqual([]);
  });
});

describe('number formats', () => {
  it('axis ticks, bands and percentages carry the decimals their spacing needs', async () => {
    const { formatTicks, formatRange, formatPct } = await import('../../../lib/ui/format');
    expect(formatTicks([100_000, 102_000, 104_000])).toEqual(['100,000', '102,000', '104,000']);
    expect(formatTicks([3_400, 3_402.5, 3_405])).toEqual(['3,400.0', '3,402.5', '3,405.0']);
    expect(formatTicks([0.021, 0.022])).toEqual(['0.021', '0.022']);
    expect(formatRange(97_368.5, 97_563.3)).toBe('97,369–97,563');
    expect(formatRange(0.4012, 0.4047)).toBe('0.4012–0.4047');
    // Bands of one coin alike, however wide: by its price level, not each band's width.
    expect([formatRange(3_418.4, 3_421.8), formatRange(3_374, 3_388)]).toEqual(['3,418–3,422', '3,374–3,388']);
    expect(formatPct(-0.4)).toBe('−0.40 %');
    expect(formatPct(0)).toBe('0.00 %');
  });

  it("writes prices in the instrument's tick, as the venue shows them", async () => {
    const { formatPrice, formatRange } = await import('../../../lib/ui/format');
    expect(formatPrice(97_123.44, 0.1)).toBe('97,123.4');
    expect(formatPrice(97_123.5, 0.5)).toBe('97,123.5');
    expect(formatPrice(97_123, 1)).toBe('97,123');
    expect(formatPrice(3_412.251, 0.01)).toBe('3,412.25');
    expect(formatPrice(0.321914, 0.00001)).toBe('0.32191');
    // No tick known yet: decimals by size.
    expect(formatPrice(97_123.44)).toBe('97,123.4');
    // A zone band never finer than the tick (a 0.3-wide DOGE band at tick 0.001 keeps 3 decimals, not 4).
    expect(formatRange(0.4012, 0.4047, 0.001)).toBe('0.401–0.405');
    expect(formatPrice(Number.NaN, 0.1)).toBe('—');
  });
});

describe('USD axes', () => {
  it('end on a round value at or above the largest bar, in at most three steps', async () => {
    const { usdAxisTicks, formatUsdTick } = await import('../../../lib/ui/format');
    expect(usdAxisTicks(8_550_000)).toEqual([0, 5e6, 10e6]);
    expect(usdAxisTicks(122_490_000).map(formatUsdTick)).toEqual(['$0', '$50M', '$100M', '$150M']);
    expect([2_500_000, 250_000, 1_250].map(formatUsdTick)).toEqual(['$2.5M', '$250K', '$1.3K']);
    expect(usdAxisTicks(3_000)).toEqual([0, 1_000, 2_000, 3_000]);
    expect(usdAxisTicks(0)).toEqual([0]);
  });
});

describe('time axis labels', () => {
  const sec = (...a: [number, number, number, number, number?]) => new Date(2026, a[0], a[1], a[2], a[3] ?? 0).getTime() / 1000;

  it('reads 18:00, with the day under the first tick of each day (never 12/5/26)', async () => {
    const { formatTimeTicks } = await import('../../../lib/ui/format');
    expect(formatTimeTicks([sec(11, 5, 18, 0), sec(11, 5, 21, 0), sec(11, 6, 0, 0), sec(11, 6, 3, 0)])).toEqual([
      '18:00\nDec 5',
      '21:00',
      '00:00\nDec 6',
      '03:00',
    ]);
    expect(formatTimeTicks([sec(11, 5, 9, 30), sec(11, 5, 9, 45)])).toEqual(['09:30\nDec 5', '09:45']);
  });

  it('names days alone on a range of days', async () => {
    const { formatTimeTicks } = await import('../../../lib/ui/format');
    expect(formatTimeTicks([sec(11, 1, 0, 0), sec(11, 2, 12, 0), sec(11, 4, 0, 0)])).toEqual(['Dec 1', '12:00\nDec 2', 'Dec 4']);
  });
});

describe('USD as a trader types it', () => {
  it('reads 50M, 1.5b, 250k, $2.5M and 50,000,000, and refuses words and negatives', async () => {
    const { parseUsd, usdInputText } = await import('../../../lib/ui/format');
    expect(parseUsd('50M')).toBe(50_000_000);
    expect(parseUsd('1.5b')).toBe(1_500_000_000);
    expect(parseUsd(' 250k ')).toBe(250_000);
    expect(parseUsd('$2.5M')).toBe(2_500_000);
    expect(parseUsd('50,000,000')).toBe(50_000_000);
    expect(parseUsd('50 000 000')).toBe(50_000_000);
    for (const bad of ['', 'fifty', '-5M', '5MM', '1.2.3']) expect(parseUsd(bad)).toBeNull();
    expect(usdInputText(50_000_000)).toBe('50M');
    expect(usdInputText(1_500_000_000)).toBe('1.5B');
    expect(usdInputText(1_234)).toBe('1.234K');
    expect(usdInputText(999)).toBe('999');
  });
});

/** Which instrument a coin means on each venue, when a page shows a coin nobody streams. */
import { describe, expect, it } from 'vitest';
import type { InstrumentSpec } from '../../../lib/exchanges/types';
import { bestInstrument } from '../../../lib/worker/coin-follow';

const spec = (symbol: string, base: string, quote: string, extra: Partial<InstrumentSpec> = {}): InstrumentSpec => ({
  venue: 'bybit',
  symbol,
  base,
  quote,
  inverse: false,
  contractSize: 1,
  baseMultiplier: 1,
  ...extra,
});

describe('bestInstrument', () => {
  it('takes the linear USDT perpetual before USDC, inverse and dated contracts', () => {
    const specs = [
      spec('BTCUSD', 'BTC', 'USD', { inverse: true }),
      spec('BTCUSDT-26DEC25', 'BTC', 'USDT'),
      spec('BTCPERP', 'BTC', 'USDC'),
      spec('BTCUSDT', 'BTC', 'USDT'),
    ];
    expect(bestInstrument('BTC', specs)).toBe('BTCUSDT');
    expect(bestInstrument('BTC', specs.slice(0, 3))).toBe('BTCPERP');
    expect(bestInstrument('BTC', specs.slice(0, 2))).toBe('BTCUSD');
  });

  it('reads every venue’s spelling through the normalized coin, and never a quanto contract', () => {
    expect(bestInstrument('PEPE', [spec('1000PEPEUSDT', 'PEPE', 'USDT', { baseMultiplier: 1000 })])).toBe('1000PEPEUSDT');
    expect(bestInstrument('BTC', [spec('PF_XBTUSD', 'BTC', 'USD'), spec('PI_XBTUSD', 'BTC', 'USD', { inverse: true })])).toBe('PF_XBTUSD');
    expect(
      bestInstrument('BTC', [spec('BTC-PERPETUAL', 'BTC', 'USD', { inverse: true }), spec('BTC-27DEC26', 'BTC', 'USD', { inverse: true })]),
    ).toBe('BTC-PERPETUAL');
    expect(bestInstrument('ETH', [spec('ETHUSD', 'ETH', 'USD', { quanto: true })])).toBeUndefined();
    expect(bestInstrument('DOGE', [spec('BTCUSDT', 'BTC', 'USDT')])).toBeUndefined();
  });
});

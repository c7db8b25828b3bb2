/** An estimated zone of longs on Binance, `usd` between `low` and `high`, for tests that place zones by hand. */
import type { Zone } from '../../lib/contract/market';

export const estimatedZone = (low: number, high: number, usd: number): Zone => ({
  kind: 'estimated',
  low,
  high,
  price: (low + high) / 2,
  usd,
  longUsd: usd,
  shortUsd: 0,
  venues: ['binance'],
  distancePct: 0,
});

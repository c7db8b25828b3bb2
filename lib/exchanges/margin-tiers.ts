/** Venues' maintenance-margin tables, as LiqLens keeps them (the model prices with them: lib/model/liquidation-price.ts). */
import type { MarginTier } from './types';

/** cum_i = cum_{i−1} + floor_i × (mmr_i − mmr_{i−1}): the venues' own continuity rule. */
export function withCum(tiers: Omit<MarginTier, 'cum'>[]): MarginTier[] {
  let cum = 0;
  let prevMmr = tiers[0]?.mmr ?? 0;
  let floor = 0;
  return tiers.map((t) => {
    cum += floor * (t.mmr - prevMmr);
    prevMmr = t.mmr;
    floor = t.maxNotionalUsd;
    return { ...t, cum };
  });
}

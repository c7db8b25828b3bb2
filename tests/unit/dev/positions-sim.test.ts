/**
 * The whole real-positions chain offline (lib/dev/positions-chain.ts), on a simulated Hyperliquid
 * whose traders do NOT use the model's leverage prior. Figures are printed (docs/model.md quotes
 * them); the test asserts what a user relies on: the budget holds, wallets are found and read,
 * coverage is measured, and the fit finds the traders' real mix where the default does not.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../../lib/model/params';
import { runPositionsChain } from '../../../lib/dev/positions-chain';

describe('real positions on a simulated Hyperliquid', () => {
  it('discovers, reads within budget, and measures the estimate against the truth', { timeout: 120_000 }, async () => {
    const r = await runPositionsChain({ seed: 2026, minutes: 30 });
    expect(r.highestWeightPerMinute).toBeLessThanOrEqual(r.budgetPerMinute);
    expect(r.walletsRead).toBeGreaterThan(r.wallets * 0.9);
    expect(r.coverageAfter10Min).toBeGreaterThan(0);
    const distance = (a: { weight: number }[], b: { weight: number }[]) => a.reduce((s, x, k) => s + Math.abs(x.weight - b[k].weight), 0);
    expect(distance(r.fittedMix, r.trueMixOnTiers)).toBeLessThan(0.25);
    expect(distance(r.fittedMix, r.trueMixOnTiers)).toBeLessThan(distance(DEFAULT_PARAMS.leverage, r.trueMixOnTiers));
    for (const w of r.windows) for (const c of [w.default, w.fitted]) expect(c === null || (c >= -1 && c <= 1)).toBe(true);
    console.log(`positions chain: ${JSON.stringify(r)}`);
  });
});

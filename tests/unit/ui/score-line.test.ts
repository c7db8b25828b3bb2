import { describe, expect, it } from 'vitest';
import type { ModelCheck, ScoreFigures, ScoreWindows } from '../../../lib/contract/market';
import { scoreLine } from '../../../lib/ui/score-line';

const none: ScoreFigures = { liquidations: 0, scored: 0, usd: 0, default: null, learned: null, naive: null };
const windows = (reported: ScoreFigures): ScoreWindows => ({
  h1: { reported: none, inferred: none },
  h24: { reported, inferred: none },
  d7: { reported, inferred: none },
});
const check = (reported: ScoreFigures, drawn: 'default' | 'learned' = 'default'): ModelCheck => ({
  chosen: drawn,
  drawn: { BTC: drawn },
  learned: {},
  edges: [],
  scores: { BTC: windows(reported) },
});

describe('the popup score line', () => {
  it('says the hit share, the naive baseline, chance and how many liquidations, as the trader reads it', () => {
    const s = { liquidations: 1_300, scored: 1_240, usd: 5e7, default: 0.412, learned: null, naive: 0.281 };
    expect(scoreLine(check(s), 'BTC')).toBe(
      'Model check, BTC 24 h: 41 % of liquidated USD hit the brightest quarter · naive 28 % · chance 25 % · 1\u2009240 liquidations',
    );
  });

  it('leads with the learned prior when it draws, the preset beside it', () => {
    const s = { liquidations: 10, scored: 10, usd: 1e6, default: 0.3, learned: 0.45, naive: 0.2 };
    expect(scoreLine(check(s, 'learned'), 'BTC')).toMatch(/^Model check, BTC 24 h: 45 % of liquidated USD .* · preset 30 % · naive 20 %/);
    expect(scoreLine(check(s), 'BTC')).toContain('30 % of liquidated USD hit the brightest quarter · learned 45 %');
  });

  it('is honest before there is anything to score', () => {
    expect(scoreLine(undefined, 'ETH')).toMatch(/^Model check, ETH 24 h: no liquidation reported yet/);
    expect(scoreLine(check({ ...none, liquidations: 3 }), 'BTC')).toBe(
      'Model check, BTC 24 h: 3 liquidations, none with a map a minute before it yet.',
    );
  });
});

/** The Imbalance tab says the split in percent and calls a pull only when there is one. */
import { describe, expect, it } from 'vitest';
import { imbalanceVerdict } from '../../../lib/ui/imbalance';

describe('the imbalance verdict', () => {
  it('calls a pull only when one side clearly outweighs the other, and gives the shares', () => {
    expect(imbalanceVerdict(49, 51)).toEqual({ longPct: 49, verdict: 'about balanced: neither side pulls much' });
    expect(imbalanceVerdict(70, 30)).toMatchObject({ longPct: 70, verdict: expect.stringMatching(/pull down/) });
    expect(imbalanceVerdict(20, 80)).toMatchObject({ longPct: 20, verdict: expect.stringMatching(/pull up/) });
    expect(imbalanceVerdict(0, 0).verdict).toBe('no estimated levels nearby');
  });
});

/** The Imbalance tab's reading of the long − short split near the price. */
import { t } from '../i18n';

/** Below this many points from an even split, no side is called a pull: 49/51 is balance, not a magnet. */
export const PULL_POINTS = 10;

/** The longs' share in whole percent and what it means, in the words the tab shows. */
export function imbalanceVerdict(longUsd: number, shortUsd: number): { longPct: number; verdict: string } {
  const total = longUsd + shortUsd;
  if (!(total > 0)) return { longPct: 50, verdict: t('verdictNone') };
  const longPct = Math.round((longUsd / total) * 100);
  if (Math.abs(longPct - 50) < PULL_POINTS) return { longPct, verdict: t('verdictBalanced') };
  return { longPct, verdict: t(longPct > 50 ? 'verdictPullDown' : 'verdictPullUp') };
}

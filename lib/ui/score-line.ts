/**
 * The model check as one line (the popup, under the heatmap) and as rows (Options → Model): what the
 * live score says, honest in every state (nothing liquidated yet, nothing scored yet, no learned
 * prior yet). Pure: the components only lay it out.
 */
import type { ModelCheck, ScoreFigures, ScoreWindows } from '../contract/market';
import { t, tn } from '../i18n';

/** The score's windows, each with its name in the browser's language. */
export const SCORE_WINDOWS: { key: keyof ScoreWindows; label(): string }[] = [
  { key: 'h1', label: () => t('hoursShort', { hours: 1 }) },
  { key: 'h24', label: () => t('hoursShort', { hours: 24 }) },
  { key: 'd7', label: () => t('daysShort', { days: 7 }) },
];

/** `41 %`, or `—` when nothing was scored with that book. */
export function scorePct(x: number | null): string {
  return x === null ? '—' : `${Math.round(x * 100)} %`;
}

function count(n: number): string {
  // A thin space groups thousands as the example writes them (1 240), in every locale.
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/**
 * The popup's line for a coin over 24 h: the drawn prior's hit share first, the other prior when
 * there is one, the naive baseline and chance beside it, and how many liquidations it rests on.
 */
export function scoreLine(check: ModelCheck | undefined, coin: string): string {
  const head = t('scoreHead', { coin });
  const s: ScoreFigures | undefined = check?.scores[coin]?.h24.reported;
  if (!check || !s || s.liquidations === 0) return `${head} ${t('scoreNone')}`;
  if (s.scored === 0) return `${head} ${tn('scoreUnscored', s.liquidations, { count: count(s.liquidations) })}`;
  const drawn = check.drawn[coin] ?? 'default';
  const main = drawn === 'learned' ? s.learned : s.default;
  const other =
    drawn === 'learned'
      ? t('scorePreset', { pct: scorePct(s.default) })
      : s.learned !== null
        ? t('scoreLearned', { pct: scorePct(s.learned) })
        : null;
  return [
    `${head} ${t('scoreHit', { pct: scorePct(main) })}`,
    ...(other ? [other] : []),
    t('scoreNaive', { pct: scorePct(s.naive) }),
    t('scoreChance'),
    tn('scoreLiquidations', s.scored, { count: count(s.scored) }),
  ].join(' · ');
}

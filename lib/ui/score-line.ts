/**
 * The model check as one line (the popup, under the heatmap) and as rows (Options → Model): what the
 * live score says, honest in every state (nothing liquidated yet, nothing scored yet, no learned
 * prior yet). Pure: the components only lay it out.
 */
import type { ModelCheck, ScoreFigures, ScoreWindows } from '../contract/market';

export const SCORE_WINDOWS: { key: keyof ScoreWindows; label: string }[] = [
  { key: 'h1', label: '1 h' },
  { key: 'h24', label: '24 h' },
  { key: 'd7', label: '7 d' },
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
  const head = `Model check, ${coin} 24 h:`;
  const s: ScoreFigures | undefined = check?.scores[coin]?.h24.reported;
  if (!check || !s || s.liquidations === 0)
    return `${head} no liquidation reported yet; each one is scored against the map a minute before it.`;
  if (s.scored === 0)
    return `${head} ${count(s.liquidations)} ${s.liquidations === 1 ? 'liquidation' : 'liquidations'}, none with a map a minute before it yet.`;
  const drawn = check.drawn[coin] ?? 'default';
  const main = drawn === 'learned' ? s.learned : s.default;
  const other = drawn === 'learned' ? `preset ${scorePct(s.default)}` : s.learned !== null ? `learned ${scorePct(s.learned)}` : null;
  return [
    `${head} ${scorePct(main)} of liquidated USD hit the brightest quarter`,
    ...(other ? [other] : []),
    `naive ${scorePct(s.naive)}`,
    'chance 25 %',
    `${count(s.scored)} ${s.scored === 1 ? 'liquidation' : 'liquidations'}`,
  ].join(' · ');
}

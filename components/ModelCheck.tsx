/**
 * Options → Model → the model check: which prior places new exposure (the preset's leverage tiers
 * or the liquidation distances learned from real Hyperliquid positions, for every venue), the
 * learned distribution itself with its sample, and the live score per coin and venue over 1 h,
 * 24 h and 7 d, beside the naive baseline and chance.
 */
import { instrumentLabel } from '@/lib/exchanges/catalog';
import { useState } from 'preact/hooks';
import type { DistanceDistribution, ModelCheck as Check, ScoreFigures } from '@/lib/contract/market';
import { formatUsd } from '@/lib/ui/format';
import { SCORE_WINDOWS, scorePct } from '@/lib/ui/score-line';
import { formatCount, numberFormat, t } from '@/lib/i18n';

type Prior = 'default' | 'learned';

export function PriorChoice({ prior, onChange, check }: { prior: Prior; onChange(p: Prior): void; check?: Check }) {
  const learnedAny = Object.keys(check?.learned ?? {}).length > 0;
  return (
    <div class="field prior" role="radiogroup" aria-label={t('priorName')}>
      <span>{t('priorName')}</span>
      <label>
        <input type="radio" name="prior" checked={prior === 'default'} onChange={() => onChange('default')} /> {t('priorTiers')}
      </label>
      <label>
        <input type="radio" name="prior" checked={prior === 'learned'} onChange={() => onChange('learned')} /> {t('priorLearned')}
      </label>
      {prior === 'learned' && !learnedAny && (
        <p class="hint" data-testid="prior-fallback">
          {t('priorFallback')}
        </p>
      )}
    </div>
  );
}

const pctOf = (x: number) => `${numberFormat(x < 0.1 ? 1 : 0, x < 0.1 ? 1 : 0).format(x * 100)} %`;
const edge = (x: number) => `${numberFormat(0, 1).format(x * 100)} %`;

function LearnedTable({ d, edges }: { d: DistanceDistribution; edges: number[] }) {
  return (
    <table class="learned" data-testid="learned-distribution">
      <thead>
        <tr>
          <th>{t('colDistanceFromEntry')}</th>
          <th>{t('colLongs')}</th>
          <th>{t('colShorts')}</th>
        </tr>
      </thead>
      <tbody>
        {d.long.map((l, b) => (
          <tr key={b}>
            <td>
              {edge(edges[b])} – {edge(edges[b + 1])}
            </td>
            <td>{pctOf(l)}</td>
            <td>{pctOf(d.short[b])}</td>
          </tr>
        ))}
        <tr>
          <td>{t('noLiquidationPrice')}</td>
          <td>{pctOf(d.noLiquidation.long)}</td>
          <td>{pctOf(d.noLiquidation.short)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function ScoreRow({ name, s }: { name: string; s: ScoreFigures }) {
  return (
    <tr>
      <td>{name}</td>
      <td>{formatCount(s.liquidations)}</td>
      <td>{formatCount(s.scored)}</td>
      <td>{formatUsd(s.usd)}</td>
      <td>{scorePct(s.default)}</td>
      <td>{scorePct(s.learned)}</td>
      <td>{scorePct(s.naive)}</td>
      <td>{scorePct(0.25)}</td>
    </tr>
  );
}

export function ModelCheck({ check }: { check?: Check }) {
  const [windowKey, setWindow] = useState<(typeof SCORE_WINDOWS)[number]['key']>('h24');
  const learnedKeys = Object.keys(check?.learned ?? {}).sort((a, b) => (a === '*' ? 1 : b === '*' ? -1 : a.localeCompare(b)));
  const [shown, setShown] = useState<string | null>(null);
  const learnedKey = shown && check?.learned[shown] ? shown : learnedKeys[0];
  const learned = learnedKey ? check?.learned[learnedKey] : undefined;
  // Coins first, each followed by its venues; inferred (Hyperliquid) rows apart.
  const keys = Object.keys(check?.scores ?? {}).sort((a, b) => {
    const coin = (k: string) => (k.includes(':') ? k.split(':')[1].replace(/USDT?$|-.*$/, '') : k);
    return coin(a).localeCompare(coin(b)) || Number(a.includes(':')) - Number(b.includes(':')) || a.localeCompare(b);
  });
  return (
    <div class="model-check" data-testid="model-check">
      <h3>{t('liveScore')}</h3>
      <details class="advanced">
        <summary>{t('howScored')}</summary>
        <p class="hint">{t('howScoredText')}</p>
      </details>
      <div class="ranges" role="group" aria-label={t('scoreWindow')}>
        {SCORE_WINDOWS.map((w) => (
          <button type="button" key={w.key} aria-pressed={w.key === windowKey} onClick={() => setWindow(w.key)}>
            {w.label()}
          </button>
        ))}
      </div>
      {keys.length === 0 ? (
        <p class="hint">{t('scoreNoneSeen')}</p>
      ) : (
        <table class="scores" data-testid="score-table">
          <thead>
            <tr>
              <th>{t('colMarket')}</th>
              <th>{t('colLiquidations')}</th>
              <th>{t('colScored')}</th>
              <th>USD</th>
              <th>{t('colTiers')}</th>
              <th>{t('colLearned')}</th>
              <th>{t('colNaive')}</th>
              <th>{t('colChance')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.flatMap((k) => {
              const w = check!.scores[k][windowKey];
              const name = k.includes(':') ? `  ${instrumentLabel(k)}` : k;
              return [
                ...(w.reported.liquidations ? [<ScoreRow key={k} name={name} s={w.reported} />] : []),
                ...(w.inferred.liquidations ? [<ScoreRow key={`${k}|i`} name={t('scoreInferredRow', { name })} s={w.inferred} />] : []),
              ];
            })}
          </tbody>
        </table>
      )}
      <h3>{t('learnedTitle')}</h3>
      {!learned ? (
        <p class="hint" data-testid="learned-none">
          {t('learnedNone')}
        </p>
      ) : (
        <>
          <p class="hint">
            <select value={learnedKey} onChange={(e) => setShown((e.target as HTMLSelectElement).value)} aria-label={t('learnedFor')}>
              {learnedKeys.map((k) => (
                <option key={k} value={k}>
                  {k === '*' ? t('learnedAllCoins') : k}
                </option>
              ))}
            </select>{' '}
            {t('learnedFrom', {
              positions: formatCount(learned.positions),
              wallets: formatCount(learned.wallets),
              usd: formatUsd(learned.usd),
            })}
          </p>
          <LearnedTable d={learned} edges={check!.edges} />
        </>
      )}
    </div>
  );
}

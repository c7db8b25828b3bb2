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

type Prior = 'default' | 'learned';

export function PriorChoice({ prior, onChange, check }: { prior: Prior; onChange(p: Prior): void; check?: Check }) {
  const learnedAny = Object.keys(check?.learned ?? {}).length > 0;
  return (
    <div class="field prior" role="radiogroup" aria-label="Liquidation distance">
      <span>Liquidation distance</span>
      <label>
        <input type="radio" name="prior" checked={prior === 'default'} onChange={() => onChange('default')} /> Leverage tiers (the preset
        below)
      </label>
      <label>
        <input type="radio" name="prior" checked={prior === 'learned'} onChange={() => onChange('learned')} /> Learned from real positions
        (Hyperliquid), for every venue
      </label>
      {prior === 'learned' && !learnedAny && (
        <p class="hint" data-testid="prior-fallback">
          Nothing learned yet: the leverage tiers draw until LiqLens has read 30 positions from 10 wallets (Options → Positions on, and
          Hyperliquid streaming).
        </p>
      )}
    </div>
  );
}

const pctOf = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
const edge = (x: number) => `${+(x * 100).toFixed(1)} %`;

function LearnedTable({ d, edges }: { d: DistanceDistribution; edges: number[] }) {
  return (
    <table class="learned" data-testid="learned-distribution">
      <thead>
        <tr>
          <th>Distance from entry</th>
          <th>Longs</th>
          <th>Shorts</th>
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
          <td>no liquidation price</td>
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
      <td>{s.liquidations.toLocaleString('en-US')}</td>
      <td>{s.scored.toLocaleString('en-US')}</td>
      <td>{formatUsd(s.usd)}</td>
      <td>{scorePct(s.default)}</td>
      <td>{scorePct(s.learned)}</td>
      <td>{scorePct(s.naive)}</td>
      <td>25 %</td>
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
      <h3>Live score</h3>
      <details class="advanced">
        <summary>How it is scored</summary>
        <p class="hint">
          Each liquidation a venue reports is checked against the estimate of its own instrument 60 s before: of the cells within ±10 % of
          the price then, on its side, a hit is one in the brightest quarter. The score is the share of liquidated USD that hit; chance is
          25 %. The same liquidations are scored with the leverage tiers, the learned distances and a naive map (no taker flow: new
          positions at the price, half long, half short). Binance, OKX and Bitget publish only a sample of their liquidations; Hyperliquid
          publishes none, so its rows are liquidations inferred from the positions LiqLens reads, scored apart.
        </p>
      </details>
      <div class="ranges" role="group" aria-label="Score window">
        {SCORE_WINDOWS.map((w) => (
          <button type="button" key={w.key} aria-pressed={w.key === windowKey} onClick={() => setWindow(w.key)}>
            {w.label}
          </button>
        ))}
      </div>
      {keys.length === 0 ? (
        <p class="hint">No liquidation seen yet: the score starts with the first one a venue reports.</p>
      ) : (
        <table class="scores" data-testid="score-table">
          <thead>
            <tr>
              <th>Market</th>
              <th>Liquidations</th>
              <th>Scored</th>
              <th>USD</th>
              <th>Tiers</th>
              <th>Learned</th>
              <th>Naive</th>
              <th>Chance</th>
            </tr>
          </thead>
          <tbody>
            {keys.flatMap((k) => {
              const w = check!.scores[k][windowKey];
              const name = k.includes(':') ? `  ${instrumentLabel(k)}` : k;
              return [
                ...(w.reported.liquidations ? [<ScoreRow key={k} name={name} s={w.reported} />] : []),
                ...(w.inferred.liquidations ? [<ScoreRow key={`${k}|i`} name={`${name} (inferred)`} s={w.inferred} />] : []),
              ];
            })}
          </tbody>
        </table>
      )}
      <h3>Learned liquidation distance</h3>
      {!learned ? (
        <p class="hint" data-testid="learned-none">
          Not learned yet: once LiqLens has read 30 positions from 10 wallets on Hyperliquid (Options → Positions), the distances of their
          liquidation prices from entry show here, USD-weighted, and can place new exposure on every venue.
        </p>
      ) : (
        <>
          <p class="hint">
            <select value={learnedKey} onChange={(e) => setShown((e.target as HTMLSelectElement).value)} aria-label="Learned for">
              {learnedKeys.map((k) => (
                <option key={k} value={k}>
                  {k === '*' ? 'All coins read' : k}
                </option>
              ))}
            </select>{' '}
            fitted from {learned.positions.toLocaleString('en-US')} positions of {learned.wallets.toLocaleString('en-US')} wallets (
            {formatUsd(learned.usd)}). Cross margin counts the whole account, so real distances are usually far wider than 1 ÷ leverage.
          </p>
          <LearnedTable d={learned} edges={check!.edges} />
        </>
      )}
    </div>
  );
}

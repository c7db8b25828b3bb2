/**
 * Options → Model → "Measured against real positions": for each Hyperliquid coin whose positions
 * LiqLens has read, how close the estimate is to the true book (correlation per price cell within
 * ±10 % and ±20 % of the price, with the model's leverage mix and with the mix those positions show),
 * and a button that makes the measured mix the model's, for every venue.
 */
import { formatUsd } from '@/lib/ui/format';
import type { LeverageWeight } from '@/lib/model/params';
import type { CoinCalibration } from '@/lib/contract/positions';

const r = (x: number | null) => (x === null ? '—' : x.toFixed(2));

export function ModelCalibration({ calibration, onUseMix }: { calibration: CoinCalibration[]; onUseMix(mix: LeverageWeight[]): void }) {
  if (!calibration.length)
    return (
      <p class="hint" data-testid="model-calibration">
        Not measured yet: once LiqLens has read real positions on Hyperliquid (Options → Positions), this shows how close the estimate is to
        them.
      </p>
    );
  const best = calibration.reduce((a, b) => (b.positions > a.positions ? b : a));
  return (
    <div data-testid="model-calibration">
      {calibration.map((c) => {
        const wide = c.windows.find((w) => w.withinPct === 20) ?? c.windows[0];
        const who = `Hyperliquid ${c.coin}: measured against ${c.positions.toLocaleString('en-US')} real positions (${c.wallets.toLocaleString('en-US')} wallets)`;
        const mix = `Measured mix: ${c.fittedMix.map((l) => `${l.leverage}× ${Math.round(l.weight * 100)} %`).join(', ')}.`;
        if (wide.default.correlation === null)
          return (
            <p key={c.coin} class="hint">
              <strong>{who}</strong>: the estimate has no levels within ±20 % of the price yet, so there is nothing to compare. {mix}
            </p>
          );
        return (
          <p key={c.coin} class="hint">
            <strong>
              {who}: r = {r(wide.default.correlation)} default, {r(wide.fitted.correlation)} fitted
            </strong>{' '}
            (correlation of USD per price cell within ±20 %; ±10 %: {r(c.windows[0].default.correlation)} default,{' '}
            {r(c.windows[0].fitted.correlation)} fitted).{' '}
            {wide.default.shareInZones !== null &&
              `${Math.round(wide.default.shareInZones * 100)} % of the ${formatUsd(wide.default.trueUsd)} of real positions lie inside the estimated zones. `}
            {mix}
          </p>
        );
      })}
      <button type="button" onClick={() => onUseMix(best.fittedMix)} data-testid="use-measured-mix">
        Use the leverage mix measured on Hyperliquid ({best.coin}) for every venue
      </button>
      <p class="hint">
        Positions read are a sample of wallets seen trading; the fitted mix puts each position's USD on the nearest of the model's leverage
        tiers. It applies to every venue's estimate, which rebuilds from the venues' history.
      </p>
    </div>
  );
}

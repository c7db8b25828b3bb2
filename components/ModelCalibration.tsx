/**
 * Options → Model → "Measured against real positions": for each Hyperliquid coin whose positions
 * LiqLens has read, how close the estimate is to the true book (correlation per price cell within
 * ±10 % and ±20 % of the price, with the model's leverage mix and with the mix those positions show),
 * and a button that makes the measured mix the model's, for every venue.
 */
import { formatUsd } from '@/lib/ui/format';
import { formatCount, formatList, numberFormat, t, tn } from '@/lib/i18n';
import type { LeverageWeight } from '@/lib/model/params';
import type { CoinCalibration } from '@/lib/contract/positions';

const r = (x: number | null) => (x === null ? '—' : numberFormat(2, 2).format(x));

export function ModelCalibration({ calibration, onUseMix }: { calibration: CoinCalibration[]; onUseMix(mix: LeverageWeight[]): void }) {
  if (!calibration.length)
    return (
      <p class="hint" data-testid="model-calibration">
        {t('calibrationNone')}
      </p>
    );
  const best = calibration.reduce((a, b) => (b.positions > a.positions ? b : a));
  return (
    <div data-testid="model-calibration">
      {calibration.map((c) => {
        const wide = c.windows.find((w) => w.withinPct === 20) ?? c.windows[0];
        const who = t('calibrationWho', { coin: c.coin, positions: formatCount(c.positions), wallets: tn('walletCount', c.wallets) });
        const mix = t('calibrationMix', {
          mix: formatList(
            c.fittedMix.map((l) => `${l.leverage}× ${formatCount(Math.round(l.weight * 100))} %`),
            'unit',
          ),
        });
        if (wide.default.correlation === null)
          return (
            <p key={c.coin} class="hint">
              <strong>{who}</strong>: {t('calibrationNothingToCompare')} {mix}
            </p>
          );
        return (
          <p key={c.coin} class="hint">
            <strong>
              {who}: {t('calibrationR', { def: r(wide.default.correlation), fitted: r(wide.fitted.correlation) })}
            </strong>{' '}
            {t('calibrationRDetail', { def: r(c.windows[0].default.correlation), fitted: r(c.windows[0].fitted.correlation) })}{' '}
            {wide.default.shareInZones !== null &&
              `${t('calibrationInZones', { pct: formatCount(Math.round(wide.default.shareInZones * 100)), usd: formatUsd(wide.default.trueUsd) })} `}
            {mix}
          </p>
        );
      })}
      <button type="button" onClick={() => onUseMix(best.fittedMix)} data-testid="use-measured-mix">
        {t('useMeasuredMix', { coin: best.coin })}
      </button>
      <p class="hint">{t('calibrationHint')}</p>
    </div>
  );
}

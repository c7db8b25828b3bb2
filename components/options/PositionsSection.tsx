/** Options → Positions: read real Hyperliquid positions, and the share of Hyperliquid's request budget it may spend. */
import { HYPERLIQUID_WEIGHT_PER_MINUTE, POSITIONS_BUDGET_SHARE } from '@/lib/settings';
import { formatCount, t } from '@/lib/i18n';
import { CheckField } from './fields';
import { value, type SectionProps } from './section';

export function PositionsSection({ draft, update }: SectionProps) {
  const weight = Math.floor(HYPERLIQUID_WEIGHT_PER_MINUTE * draft.positions.budgetShare);
  return (
    <fieldset id="sec-positions" data-testid="positions-settings">
      <legend>{t('secPositions')}</legend>
      <CheckField
        id="positions-enabled"
        label={t('positionsEnabled')}
        checked={draft.positions.enabled}
        onChange={(on) => update((s) => (s.positions.enabled = on))}
      />
      <div class="field">
        <label for="positions-budget">
          {t('positionsBudget', {
            pct: formatCount(Math.round(draft.positions.budgetShare * 100)),
            weight: formatCount(weight),
            limit: formatCount(HYPERLIQUID_WEIGHT_PER_MINUTE),
            wallets: formatCount(Math.floor(weight / 2)),
          })}
        </label>
        <input
          id="positions-budget"
          type="range"
          min={POSITIONS_BUDGET_SHARE.min}
          max={POSITIONS_BUDGET_SHARE.max}
          step="0.05"
          value={draft.positions.budgetShare}
          onInput={(e) => update((s) => (s.positions.budgetShare = Number(value(e))))}
        />
      </div>
      <details class="advanced">
        <summary>{t('positionsHowTitle')}</summary>
        <p class="hint">{t('positionsHow', { limit: formatCount(HYPERLIQUID_WEIGHT_PER_MINUTE) })}</p>
      </details>
    </fieldset>
  );
}

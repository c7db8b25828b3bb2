/** Options → Positions: read real Hyperliquid positions, and the share of Hyperliquid's request budget it may spend. */
import { HYPERLIQUID_WEIGHT_PER_MINUTE, POSITIONS_BUDGET_SHARE } from '@/lib/settings';
import { CheckField } from './fields';
import { value, type SectionProps } from './section';

export function PositionsSection({ draft, update }: SectionProps) {
  const weight = Math.floor(HYPERLIQUID_WEIGHT_PER_MINUTE * draft.positions.budgetShare);
  return (
    <fieldset id="sec-positions" data-testid="positions-settings">
      <legend>Positions</legend>
      <CheckField
        id="positions-enabled"
        label="Read real positions on Hyperliquid"
        checked={draft.positions.enabled}
        onChange={(on) => update((s) => (s.positions.enabled = on))}
      />
      <div class="field">
        <label for="positions-budget">
          Share of Hyperliquid's request budget: {Math.round(draft.positions.budgetShare * 100)} % = {weight} of{' '}
          {HYPERLIQUID_WEIGHT_PER_MINUTE} weight a minute (about {Math.floor(weight / 2)} wallets read a minute)
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
        <summary>How positions are read, and the budget</summary>
        <p class="hint">
          Hyperliquid's trades name both wallets, and each wallet's positions, with the exchange's own liquidation price, are public.
          LiqLens reads the wallets it sees trading, largest first, and shows what it has read as a sample with its coverage. Hyperliquid
          allows {HYPERLIQUID_WEIGHT_PER_MINUTE} request weight a minute per IP address, and your own Hyperliquid tab spends from the same
          budget: keep LiqLens's share small if you trade there. A "too many requests" answer stops every LiqLens request to Hyperliquid at
          once.
        </p>
      </details>
    </fieldset>
  );
}

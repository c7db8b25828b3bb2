/**
 * Options → Model: the estimate's assumptions, with a live preview (where each leverage tier's longs
 * and shorts opened at a sample price would be liquidated, by the exact formula) and a check that
 * the leverage weights add up to 100 % before anything can be saved.
 */
import { formatPrice } from '@/lib/ui/format';
import { numberFormat, t } from '@/lib/i18n';
import { NumberField } from './options/fields';
import { DEFAULT_TIERS, liquidationPrice, tierFor } from '@/lib/model/liquidation-price';
import { DEFAULT_PARAMS, paramsError, type ModelParams } from '@/lib/model/params';

const SAMPLE_PRICE = 100_000;

export function ModelSettings({
  model,
  onChange,
  children,
}: {
  model: ModelParams;
  onChange(m: ModelParams): void;
  /** Shown under the parameters (the calibration against real positions). */
  children?: preact.ComponentChildren;
}) {
  const set = (patch: Partial<ModelParams>) => onChange({ ...model, ...patch });
  return (
    <fieldset id="sec-model" data-testid="model-settings">
      <legend>{t('secModel')}</legend>
      <div class="model-columns">
        <div>
          <NumberField
            id="grid-step"
            label={t('gridStep')}
            min="0.02"
            max="1"
            step="0.01"
            value={+(model.gridStep * 100).toFixed(3)}
            onValue={(v) => set({ gridStep: v / 100 })}
          />
          <NumberField
            id="step-ms"
            label={t('stepLength')}
            min="1"
            max="60"
            step="1"
            value={model.stepMs / 1000}
            onValue={(v) => set({ stepMs: v * 1000 })}
          />
          <NumberField
            id="decay"
            label={t('decayHalfLife')}
            min="0"
            max="2000"
            step="1"
            value={model.decayHalfLifeHours}
            onValue={(v) => set({ decayHalfLifeHours: v })}
          />
          <NumberField
            id="position"
            label={t('typicalPosition')}
            min="1"
            step="1000"
            value={model.typicalPositionUsd}
            onValue={(v) => set({ typicalPositionUsd: v })}
          />
          <LeverageTiers model={model} onChange={onChange} />
          <p class="hint">{t('modelRebuildHint')}</p>
        </div>
        {/* The prior's choice and the live score beside the parameters on a wide page. */}
        <div>{children}</div>
      </div>
    </fieldset>
  );
}

/**
 * The leverage tiers: each one's weight, and where its longs and shorts opened at a sample price
 * would be liquidated (the exact formula, the built-in maintenance tier for the typical position);
 * the weights must add up to 100 % before anything is saved.
 */
function LeverageTiers({ model, onChange }: { model: ModelParams; onChange(m: ModelParams): void }) {
  const error = paramsError(model);
  const sum = model.leverage.reduce((s, l) => s + l.weight, 0);
  const set = (patch: Partial<ModelParams>) => onChange({ ...model, ...patch });
  const tier = tierFor(DEFAULT_TIERS, model.typicalPositionUsd);
  const qty = Math.max(1e-9, model.typicalPositionUsd / SAMPLE_PRICE);
  return (
    <>
      <p class="hint">{t('maintenanceHint', { pct: numberFormat(2, 2).format(tier.mmr * 100) })}</p>
      <table class="tiers">
        <thead>
          <tr>
            <th>{t('colLeverage')}</th>
            <th>{t('colWeight')}</th>
            <th class="num">{t('colLongLiqAt', { price: formatPrice(SAMPLE_PRICE) })}</th>
            <th class="num">{t('colShortLiq')}</th>
          </tr>
        </thead>
        <tbody>
          {model.leverage.map((l, i) => (
            <tr key={i}>
              <td>
                <input
                  aria-label={t('tierLeverageName', { n: i + 1 })}
                  type="number"
                  min="1"
                  max="200"
                  value={l.leverage}
                  onInput={(e) =>
                    set({
                      leverage: model.leverage.map((x, k) =>
                        k === i ? { ...x, leverage: Number((e.target as HTMLInputElement).value) } : x,
                      ),
                    })
                  }
                />
                ×
              </td>
              <td>
                <input
                  aria-label={t('tierWeightName', { leverage: l.leverage })}
                  type="number"
                  min="0"
                  max="100"
                  step="1"
                  value={+(l.weight * 100).toFixed(2)}
                  onInput={(e) =>
                    set({
                      leverage: model.leverage.map((x, k) =>
                        k === i ? { ...x, weight: Number((e.target as HTMLInputElement).value) / 100 } : x,
                      ),
                    })
                  }
                />
              </td>
              <td class="num long">
                {l.leverage >= 1 ? formatPrice(liquidationPrice('long', SAMPLE_PRICE, l.leverage, tier.mmr, tier.cum, qty)) : '—'}
              </td>
              <td class="num short">
                {l.leverage >= 1 ? formatPrice(liquidationPrice('short', SAMPLE_PRICE, l.leverage, tier.mmr, tier.cum, qty)) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class={Math.abs(sum - 1) > 0.001 ? 'error-text' : 'hint'} data-testid="weights-sum" role="status">
        {t(Math.abs(sum - 1) > 0.001 ? 'weightsSumWrong' : 'weightsSum', { pct: numberFormat(1, 1).format(sum * 100) })}
      </p>
      {error && Math.abs(sum - 1) <= 0.001 && <p class="error-text">{error}</p>}
      <div class="row">
        <button
          type="button"
          onClick={() => set({ leverage: [...model.leverage, { leverage: 20, weight: 0 }] })}
          disabled={model.leverage.length >= 8}
        >
          {t('addTier')}
        </button>
        <button type="button" onClick={() => set({ leverage: model.leverage.slice(0, -1) })} disabled={model.leverage.length <= 1}>
          {t('removeLastTier')}
        </button>
        <button type="button" onClick={() => onChange(structuredClone(DEFAULT_PARAMS))}>
          {t('resetModel')}
        </button>
      </div>
    </>
  );
}

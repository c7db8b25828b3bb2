/** Model parameters: the assumptions behind the estimated levels, all user-settable (docs/model.md). */
import { numberFormat, t } from '../i18n';

export interface LeverageWeight {
  leverage: number;
  /** Share of new exposure opened at this leverage; weights sum to 1. */
  weight: number;
}

export interface ModelParams {
  /** Relative grid step: 0.001 = 0.1 % per cell. */
  gridStep: number;
  /** Length of one model step Δt (ms): trades and ΔOI are summed over it. */
  stepMs: number;
  /** The leverage prior. A published starting point: 5x 15 %, 10x 30 %, 25x 25 %, 50x 20 %, 100x 10 %. */
  leverage: LeverageWeight[];
  /** Positions closed by hand: levels fade with this half-life (hours); 0 = no decay. */
  decayHalfLifeHours: number;
  /** Position size assumed when choosing a maintenance tier (USD). */
  typicalPositionUsd: number;
  /**
   * Which prior the book is read with: `default`, the leverage tiers above; `learned`, the distance
   * distribution fitted from real Hyperliquid positions (the tiers until one exists). Switching
   * re-weights the same book; it never rebuilds it (docs/model.md#distance).
   */
  prior?: 'default' | 'learned';
}

export const DEFAULT_PARAMS: ModelParams = {
  gridStep: 0.001,
  stepMs: 5_000,
  leverage: [
    { leverage: 5, weight: 0.15 },
    { leverage: 10, weight: 0.3 },
    { leverage: 25, weight: 0.25 },
    { leverage: 50, weight: 0.2 },
    { leverage: 100, weight: 0.1 },
  ],
  decayHalfLifeHours: 72,
  typicalPositionUsd: 10_000,
  prior: 'default',
};

/** Why these parameters cannot be used, or undefined. */
export function paramsError(p: ModelParams): string | undefined {
  if (!(p.gridStep >= 0.0002 && p.gridStep <= 0.01)) return t('paramsGridStep');
  if (!(p.stepMs >= 1_000 && p.stepMs <= 60_000)) return t('paramsStepLength');
  if (p.leverage.length === 0 || p.leverage.length > 8) return t('paramsTierCount');
  if (p.leverage.some((l) => !(l.leverage >= 1 && l.leverage <= 200) || !(l.weight >= 0))) return t('paramsTierRange');
  const sum = p.leverage.reduce((s, l) => s + l.weight, 0);
  if (Math.abs(sum - 1) > 0.001) return t('paramsWeightSum', { sum: numberFormat(1, 1).format(sum * 100) });
  if (!(p.decayHalfLifeHours >= 0)) return t('paramsHalfLife');
  if (p.prior !== undefined && p.prior !== 'default' && p.prior !== 'learned') return t('paramsPrior');
  return undefined;
}

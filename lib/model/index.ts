/**
 * The model's front door: `MarketModel` (events in, figures out) and the few pure pieces other parts
 * share with it. Code outside lib/model/ imports from here (or the public leaves `params` and
 * `liquidation-price`, which the options page uses alone); ESLint holds that line.
 */
export { currentPrice, MarketModel } from './market-model';
export type { EventSource, InstrumentStats, MarketModelOptions, MarketModelSnapshot } from './market-model';
export type { InstrumentLimits } from './instrument-model';
export { backfillEvents, backfillSince } from './backfill';
export { COARSE_CAPACITY, COARSE_PERIOD_MS, InstrumentHistory } from './history';
export { PriceGrid } from './grid';
export { findZones, type CellLevel } from './zones';
export { liquidationMapOf } from './level-engine';
export { HeatmapBinner } from './heatmap-binning';
export { buildView, type ViewSource } from './market-view';
export { DEFAULT_PARAMS, paramsError, type LeverageWeight, type ModelParams } from './params';
export type { InferredForScore } from './market-model';
export { ALL_COINS } from './level-engine';
export {
  binOf,
  DISTANCE_BINS,
  DISTANCE_EDGES,
  fitDistances,
  type DistanceDistribution,
  type PositionDistance,
  type PriorName,
} from './distance-prior';
export { SCORE_LOOKBACK_MS, TOP_SHARE, type ScoreBookSnapshot } from './model-score';
export { liquidationId } from './realized-ledger';
export { formulaLiquidationPrice, type MyPositionInput } from './my-positions';

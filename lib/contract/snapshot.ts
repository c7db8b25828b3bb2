/** What the background pushes to the popup and overlays: everything a view needs, nothing it must derive. */
import { coinOf } from '../exchanges/specs';
import type { BackfillProgress, FollowState, VenueHealth } from './health';
import type { MarketView, MarketWide, ModelCheck, MyPositionView, RealizedLiquidation } from './market';
import type { PositionsStatus, PositionsView } from './positions';

export interface LiqSnapshot {
  generatedAt: number;
  /** Engine revision; equal revisions carry equal market data. */
  revision: number;
  feeds: VenueHealth[];
  market: MarketView;
  /** Things the user should know that are not a feed's state (storage pruned, history reset). */
  notices: string[];
  /** History backfill from the venues' REST, at install and after downtime. */
  backfill?: BackfillProgress;
  /** Coins followed because a page or the popup shows them (lib/worker/coin-follow.ts). */
  follow?: FollowState;
  /**
   * Real positions (Hyperliquid's public wallets), a third kind of data: never mixed with realized
   * or estimated figures. Absent while the reader is off.
   */
  positions?: { status: PositionsStatus; coins: PositionsView[] };
  /** The estimate's prior and its live accuracy score (docs/model.md#score). */
  model?: ModelCheck;
  /** Every coin's realized liquidations, 1–24 h (the popup's Market view); not sent to chart tabs. */
  marketWide?: MarketWide;
  /** The trader's own positions against the estimate (absent: none set); a chart tab gets its coin's. */
  my?: MyPositionView[];
}

export const EMPTY_SNAPSHOT: LiqSnapshot = {
  generatedAt: 0,
  revision: 0,
  feeds: [],
  market: { instruments: {}, liquidations: [], zones: {} },
  notices: [],
};

/** How often a viewer (a chart tab, the popup) repeats `watchCoin` while it shows a coin. */
export const VIEWER_HEARTBEAT_MS = 60_000;

/** Snapshot pushes to the popup are capped at this rate (≤ 4 Hz) whatever the feed rate. */
export const SNAPSHOT_PUSH_INTERVAL_MS = 250;
/**
 * Chart tabs get a snapshot at most once a second: their zones and heatmap inputs do not change
 * visibly faster, and each push costs the page a structured clone and a redraw. Realized
 * liquidations reach them at once in their own push.
 */
export const TAB_SNAPSHOT_INTERVAL_MS = 1_000;

/**
 * A chart tab's share of a snapshot: the market data of the one coin its page shows (instruments,
 * liquidations, zones, positions), with everything else (feed health, notices, follow state) whole.
 * A tab draws one coin; the other coins' data only cost it a bigger message and a redraw.
 */
export function snapshotForCoin(snapshot: LiqSnapshot, coin: string): LiqSnapshot {
  const ofCoin = (key: string) => (key.includes(':') ? coinOf(key) === coin : key === coin);
  const { market, positions, model, marketWide: _everyCoin, my, ...rest } = snapshot;
  return {
    ...rest,
    ...(my ? { my: my.filter((p) => p.coin === coin) } : {}),
    market: {
      instruments: Object.fromEntries(Object.entries(market.instruments).filter(([key]) => ofCoin(key))),
      liquidations: liquidationsOfCoin(market.liquidations, coin),
      zones: Object.fromEntries(Object.entries(market.zones).filter(([key]) => ofCoin(key))),
    },
    ...(positions ? { positions: { ...positions, coins: positions.coins.filter((c) => c.coin === coin) } } : {}),
    ...(model
      ? {
          model: {
            ...model,
            drawn: Object.fromEntries(Object.entries(model.drawn).filter(([key]) => ofCoin(key))),
            learned: {},
            scores: Object.fromEntries(Object.entries(model.scores).filter(([key]) => ofCoin(key))),
          },
        }
      : {}),
  };
}

export function liquidationsOfCoin(liquidations: readonly RealizedLiquidation[], coin: string): RealizedLiquidation[] {
  return liquidations.filter((l) => coinOf(l.instrument) === coin);
}

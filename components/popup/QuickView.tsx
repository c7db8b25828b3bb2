/**
 * The popup's quick view: symbol picker (search over every instrument the venues list), all venues
 * or one, time range, the heatmap with its legend, and tabs for zones, liquidation map, imbalance,
 * realized liquidations, alerts, feeds and this page. The first paint uses the last view this popup
 * saw (kept in its own localStorage); live data replaces it within a second and refreshes every 5 s.
 */
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { VIEW_RANGES, type MarketViewReply, type ViewRange, type ViewRequest } from '@/lib/contract/view';
import { t } from '@/lib/i18n';
import { formatUsd } from '@/lib/ui/format';
import type { GradientPreset } from '@/lib/ui/gradients';
import type { HeatmapScale } from '@/lib/ui/heatmap-scale';
import { Imbalance, LiquidationMapChart, ZonesTable } from '../MarketTabs';
import { useWatchCoin } from '../use-watch-coin';
import { FollowNotes } from './FollowNotes';
import { HeatmapPanel } from './HeatmapPanel';
import { SymbolPicker } from './SymbolPicker';
import type { InstrumentChoice, RealizedScope, ViewKind } from './types';
import { loadLastView, useMarketView } from './use-market-view';
import { ViewExports } from './ViewExports';
import { ViewTabs } from './ViewTabs';
import { ScoreLine } from './ScoreLine';
import type { ModelCheck, MyPositionView } from '@/lib/contract/market';
import { MyPositionsLines } from './MyPositionsLines';

export type { InstrumentChoice, RealizedScope } from './types';

export interface QuickViewProps {
  fetchView(request: ViewRequest): Promise<MarketViewReply | { error: string }>;
  instruments: InstrumentChoice[];
  aggregate: boolean;
  gradient: GradientPreset;
  /** The heatmap's colour scale (settings.appearance.heatmapScale). */
  heatmapScale?: HeatmapScale;
  onAggregate(on: boolean): void;
  onGradient(g: GradientPreset): void;
  onHeatmapScale?(scale: HeatmapScale): void;
  /** Follow an instrument the venues list but settings do not stream yet. */
  onFollow(choice: InstrumentChoice): void;
  /** Tell the background which coin the popup shows: a coin no venue streams is followed while it does. */
  watchCoin?(coin: string | null): void;
  /** Coins followed for open pages and the popup (the snapshot's), and why some are not. */
  follow?: LiqSnapshot['follow'];
  /** Keep a followed coin: its instruments become settings. */
  onPin?(coin: string): void;
  /** No exchange is reachable (lib/ui/health.ts): empty views say why instead of waiting. */
  offline?: boolean;
  tabs: Record<'positions' | 'alerts' | 'feeds' | 'page', ComponentChildren> & {
    /** The Realized tab, for what the view shows: its coin (or instrument) and range. */
    realized(scope: RealizedScope): ComponentChildren;
    /** The Market tab (every coin); `showCoin` opens a coin's heatmap here. */
    market(showCoin: (coin: string) => void): ComponentChildren;
  };
  /**
   * Changes when a realized liquidation arrives (the newest one's identity): the view is fetched
   * again (at most once a second), so its totals agree with the rows listed under them.
   */
  realizedVersion?: string;
  /** Coins with real positions read (Hyperliquid): the heatmap, zones and map can show those instead. */
  positionsCoins?: string[];
  /** The model's prior and live score (the snapshot's): one line under the heatmap. */
  modelCheck?: ModelCheck;
  /** The trader's own positions against the estimate: shown over the zones of their coin. */
  my?: MyPositionView[];
  width?: number;
}

export function QuickView(props: QuickViewProps) {
  const width = props.width ?? 536;
  // Read once: an argument to useRef would parse the stored view (a whole heatmap) at every render.
  const [last] = useState(loadLastView);
  const [selection, setSelection] = useState(last?.selection ?? 'BTC');
  const [range, setRange] = useState<ViewRange>(last?.range ?? '24h');
  const [withinPct, setWithinPct] = useState(5);
  const [kind, setKind] = useState<ViewKind>('estimated');
  /** The drawn heatmap's canvas, for the PNG export (set once it is drawn). */
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);

  // The selection is a coin (`BTC`) or an instrument (`binance:BTCUSDT`); the target follows the toggle.
  const chosen = props.instruments.find((i) => `${i.venue}:${i.symbol}` === selection);
  const coin = selection.includes(':') ? (chosen?.coin ?? selection.split(':')[1]) : selection;
  const followed = props.instruments.find((x) => x.coin === coin && x.followed);
  const instrument = selection.includes(':') ? selection : followed && `${followed.venue}:${followed.symbol}`;
  const hasPositions = props.positionsCoins?.includes(coin) ?? false;
  useWatchCoin(props.watchCoin, coin);
  const shownKind = hasPositions ? kind : 'estimated';
  const target = shownKind === 'positions' ? `hyperliquid:${coin}` : props.aggregate || !instrument ? `coin:${coin}` : instrument;
  // While a new target loads, the previous view stays (a blank chart flickers).
  const { view, error } = useMarketView(
    props.fetchView,
    { target, range, withinPct, kind: shownKind, selection, realizedVersion: props.realizedVersion },
    last?.view ?? null,
  );

  return (
    <section class="quick" aria-label={t('quickViewName')}>
      <div class="controls-row">
        <SymbolPicker selection={selection} instruments={props.instruments} onSelect={setSelection} />
        <label class="check">
          <input type="checkbox" checked={props.aggregate} onChange={(e) => props.onAggregate((e.target as HTMLInputElement).checked)} />
          {t('allVenues')}
        </label>
        <div class="ranges" role="group" aria-label={t('timeRange')}>
          {(Object.keys(VIEW_RANGES) as ViewRange[]).map((r) => (
            <button type="button" key={r} aria-pressed={r === range} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </div>
      <FollowNotes coin={coin} selection={selection} follow={props.follow} chosen={chosen} onPin={props.onPin} onFollow={props.onFollow} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {hasPositions && <KindSwitch kind={shownKind} onKind={setKind} />}
      <HeatmapPanel
        view={view}
        coin={coin}
        target={target}
        range={range}
        kind={shownKind}
        width={width}
        gradient={props.gradient}
        heatmapScale={props.heatmapScale}
        onGradient={props.onGradient}
        onHeatmapScale={props.onHeatmapScale}
        offline={props.offline}
        onCanvas={setCanvas}
      />
      {shownKind === 'estimated' && <ScoreLine check={props.modelCheck} coin={coin} />}
      <ViewExports view={view} coin={coin} range={range} canvas={canvas} withinPct={withinPct} onWithin={setWithinPct} />
      <ViewTabs
        panels={(tab) => {
          if (tab === 'zones')
            return (
              <>
                <MyPositionsLines my={props.my?.filter((m) => m.coin === coin)} />
                {view && <ZonesTable zones={view.zones} price={view.price} tickSize={view.tickSize} />}
              </>
            );
          if (tab === 'map')
            return <LiquidationMapChart map={view?.map ?? null} width={width} tickSize={view?.tickSize} cellStep={view?.cellStep} />;
          if (tab === 'imbalance') return view && <Imbalance view={view} withinPct={withinPct} />;
          if (tab === 'realized')
            return props.tabs.realized({
              coin,
              ...(target.startsWith('coin:') ? {} : { instrument: target }),
              range,
              ...(view?.realized ? { totals: view.realized } : {}),
            });
          if (tab === 'market')
            return props.tabs.market((c) => {
              setSelection(c);
              window.scrollTo({ top: 0 });
            });
          return props.tabs[tab];
        }}
      />
      {view && view.heatmap.maxUsd === 0 && view.price !== null && (
        <p class="muted">{t(shownKind === 'positions' ? 'noPositionsInRange' : 'noEstimatesInRange')}</p>
      )}
      <p class="sr-only">{view ? t('strongestCell', { usd: formatUsd(view.heatmap.maxUsd) }) : ''}</p>
    </section>
  );
}

/** Estimated levels or real positions, where a coin has both (Hyperliquid). */
function KindSwitch({ kind, onKind }: { kind: ViewKind; onKind(kind: ViewKind): void }) {
  return (
    <div class="ranges" role="group" aria-label={t('dataShown')} data-testid="data-kind">
      <button type="button" aria-pressed={kind === 'estimated'} onClick={() => onKind('estimated')} title={t('kindEstimatedTitle')}>
        {t('kindEstimated')}
      </button>
      <button type="button" aria-pressed={kind === 'positions'} onClick={() => onKind('positions')} title={t('kindPositionsTitle')}>
        {t('kindPositions')}
      </button>
    </div>
  );
}

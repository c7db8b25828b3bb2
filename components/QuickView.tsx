/**
 * The popup's quick view: symbol picker (search over every instrument the venues list), all venues
 * or one, time range, the heatmap with its legend, and tabs for zones, liquidation map, imbalance,
 * realized liquidations, alerts, feeds and this page. The first paint uses the last view this popup
 * saw (kept in its own localStorage); live data replaces it within a second and refreshes every 5 s.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { formatPrice, formatTime, formatUsd } from '@/lib/ui/format';
import { GRADIENT_LABELS, type GradientPreset } from '@/lib/ui/gradients';
import { VIEW_RANGES, type MarketViewReply, type ViewRange, type ViewRequest } from '@/lib/contract/view';
import { download, heatmapCsv, zonesCsv } from './export';
import { searchInstruments } from '@/lib/ui/search';
import { venueLabels } from '@/lib/exchanges/catalog';
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { FOLLOW_PER_VENUE } from '@/lib/settings';
import { useWatchCoin } from './use-watch-coin';
import { HeatmapChart, HeatmapLegend } from './HeatmapChart';
import { HeatmapScaleControl } from './HeatmapScaleControl';
import { DEFAULT_HEATMAP_SCALE, type HeatmapScale } from '@/lib/ui/heatmap-scale';
import { Imbalance, LiquidationMapChart, ZonesTable } from './MarketTabs';

export interface InstrumentChoice {
  venue: string;
  symbol: string;
  coin: string;
  followed: boolean;
}

/** What the Realized tab is about: the view's coin, or one instrument, over the view's range. */
export interface RealizedScope {
  coin: string;
  /** Set when the view is one venue's instrument (All venues off). */
  instrument?: string;
  range: ViewRange;
  totals?: MarketViewReply['realized'];
}

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
  };
  /**
   * Changes when a realized liquidation arrives (the newest one's identity): the view is fetched
   * again (at most once a second), so its totals agree with the rows listed under them.
   */
  realizedVersion?: string;
  /** Coins with real positions read (Hyperliquid): the heatmap, zones and map can show those instead. */
  positionsCoins?: string[];
  width?: number;
}

const COLUMNS: Record<ViewRange, number> = { '12h': 720, '24h': 720, '3d': 864, '7d': 672, '30d': 720 };
const WITHIN = [2, 5, 10, 20];
const LAST_VIEW_KEY = 'liqlens:lastView';
const TABS = [
  ['zones', 'Zones'],
  ['map', 'Liquidation map'],
  ['imbalance', 'Imbalance'],
  ['realized', 'Realized'],
  ['positions', 'Positions'],
  ['alerts', 'Alerts'],
  ['feeds', 'Feeds'],
  ['page', 'This page'],
] as const;
type Tab = (typeof TABS)[number][0];

function loadLastView(): { selection: string; range: ViewRange; view: MarketViewReply } | null {
  try {
    return JSON.parse(localStorage.getItem(LAST_VIEW_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function QuickView(props: QuickViewProps) {
  const width = props.width ?? 536;
  // Read once: an argument to useRef would parse the stored view (a whole heatmap) at every render.
  const [last] = useState(loadLastView);
  const [selection, setSelection] = useState(last?.selection ?? 'BTC');
  const [query, setQuery] = useState('');
  /** The search result ↑/↓ highlight, taken by Enter. */
  const [active, setActive] = useState(0);
  const [range, setRange] = useState<ViewRange>(last?.range ?? '24h');
  const [withinPct, setWithinPct] = useState(5);
  /** Estimated (the model) or positions (real, sampled: Hyperliquid only). */
  const [kind, setKind] = useState<'estimated' | 'positions'>('estimated');
  const [view, setView] = useState<MarketViewReply | null>(last?.view ?? null);
  const [error, setError] = useState('');
  // `?view=feeds` (etc.) opens that tab: links from notifications, and tests.
  const [tab, setTab] = useState<Tab>(() => {
    const asked = new URLSearchParams(location.search).get('view');
    return TABS.some(([id]) => id === asked) ? (asked as Tab) : 'zones';
  });
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [drawMs, setDrawMs] = useState(0);
  const reload = useRef<(() => Promise<void>) | null>(null);
  const lastViewKey = useRef('');
  const lastCells = useRef('');
  const lastReload = useRef(0);
  // The scale while the slider is dragged; the stored one otherwise.
  const [previewScale, setPreviewScale] = useState<HeatmapScale | null>(null);
  const heatmapScale = previewScale ?? props.heatmapScale ?? DEFAULT_HEATMAP_SCALE;
  useEffect(() => setPreviewScale(null), [props.heatmapScale]);

  // The selection is a coin (`BTC`) or an instrument (`binance:BTCUSDT`); the target follows the toggle.
  const coin = selection.includes(':')
    ? (props.instruments.find((i) => `${i.venue}:${i.symbol}` === selection)?.coin ?? selection.split(':')[1])
    : selection;
  const instrument = selection.includes(':')
    ? selection
    : (() => {
        const i = props.instruments.find((x) => x.coin === coin && x.followed);
        return i ? `${i.venue}:${i.symbol}` : undefined;
      })();
  const hasPositions = props.positionsCoins?.includes(coin) ?? false;
  useWatchCoin(props.watchCoin, coin);
  const followedNow = props.follow?.followed.find((f) => f.coin === coin);
  const cappedNow = props.follow?.capped.find((c) => c.coin === coin);
  const shownKind = hasPositions ? kind : 'estimated';
  const target = shownKind === 'positions' ? `hyperliquid:${coin}` : props.aggregate || !instrument ? `coin:${coin}` : instrument;

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const reply = await props.fetchView({
          target,
          range,
          columns: COLUMNS[range],
          rows: 240,
          withinFraction: withinPct / 100,
          ...(shownKind === 'positions' ? { kind: 'positions' as const } : {}),
        });
        if (stopped) return;
        if ('error' in reply) return setError(reply.error);
        setError('');
        // The same view again (a still market): keep the one drawn, so nothing is re-planned or repainted.
        // The cells (most of the reply, a long string) are compared as they are, not serialized again.
        const key = JSON.stringify({ ...reply, heatmap: { ...reply.heatmap, estimated: '' } });
        if (key === lastViewKey.current && reply.heatmap.estimated === lastCells.current) return;
        lastViewKey.current = key;
        lastCells.current = reply.heatmap.estimated;
        setView(reply);
        try {
          localStorage.setItem(LAST_VIEW_KEY, JSON.stringify({ selection, range, view: reply }));
        } catch {
          // Full or unavailable: the next popup simply starts without a first paint.
        }
      } catch (err) {
        if (!stopped) setError(`Background not reachable: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    void load();
    reload.current = load;
    const t = setInterval(() => void load(), 5_000);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [target, range, withinPct, shownKind]);

  // A realized liquidation arrived: refresh now rather than at the next 5 s tick (at most once a second).
  useEffect(() => {
    if (props.realizedVersion === undefined) return;
    const wait = Math.max(0, lastReload.current + 1_000 - Date.now());
    const t = setTimeout(() => {
      lastReload.current = Date.now();
      void reload.current?.();
    }, wait);
    return () => clearTimeout(t);
  }, [props.realizedVersion]);

  const matches = searchInstruments(props.instruments, query);
  const chosen = props.instruments.find((i) => `${i.venue}:${i.symbol}` === selection);
  // While a new target loads, the previous view stays (a blank chart flickers).
  const shownView = view;
  const historyFrom = shownView
    ? shownView.positionsSince !== undefined
      ? sinceWithinRange(shownView.positionsSince, shownView.heatmap)
      : historyStart(shownView.heatmap)
    : undefined;

  return (
    <section class="quick" aria-label="Quick view">
      <div class="controls-row">
        <div class="picker">
          <label for="symbol-search" class="sr-only">
            Symbol
          </label>
          <input
            id="symbol-search"
            type="search"
            placeholder={`${selection} — search symbols`}
            value={query}
            onInput={(e) => {
              setQuery((e.target as HTMLInputElement).value);
              setActive(0);
            }}
            onKeyDown={(e) => {
              // ↑/↓ move through the results, Enter takes the highlighted one (the first by default).
              if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && matches.length) {
                e.preventDefault();
                const step = e.key === 'ArrowDown' ? 1 : -1;
                setActive((a) => (a + step + matches.length) % matches.length);
              }
              if (e.key === 'Enter' && matches[active]) {
                setSelection(matches[active].value);
                setQuery('');
                setActive(0);
              }
              if (e.key === 'Escape') setQuery('');
            }}
            aria-activedescendant={matches.length ? `result-${active}` : undefined}
            aria-controls="symbol-results"
            aria-expanded={matches.length > 0}
            role="combobox"
            list={undefined}
          />
          {matches.length > 0 && (
            <ul id="symbol-results" role="listbox" class="results">
              {matches.map((m, i) => (
                <li key={m.value} id={`result-${i}`} role="option" aria-selected={i === active} class={i === active ? 'active' : undefined}>
                  <button
                    type="button"
                    onClick={() => {
                      setSelection(m.value);
                      setQuery('');
                    }}
                  >
                    {m.label}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <label class="check">
          <input type="checkbox" checked={props.aggregate} onChange={(e) => props.onAggregate((e.target as HTMLInputElement).checked)} />
          All venues
        </label>
        <div class="ranges" role="group" aria-label="Time range">
          {(Object.keys(VIEW_RANGES) as ViewRange[]).map((r) => (
            <button type="button" key={r} aria-pressed={r === range} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </div>
      {followedNow && (
        <p class="notice" data-testid="follow-note">
          {coin} is followed while you look at it ({venueLabels(followedNow.instruments.map((i) => i.split(':')[0]))}).{' '}
          {props.onPin && (
            <button type="button" class="link" data-testid="pin-coin" onClick={() => props.onPin?.(coin)}>
              Pin {coin}
            </button>
          )}
        </p>
      )}
      {cappedNow && (
        <p class="notice" data-testid="follow-note">
          {coin} waits: LiqLens follows at most {FOLLOW_PER_VENUE} coins a venue for open pages ({venueLabels(cappedNow.venues)}).
        </p>
      )}
      {props.follow?.unlisted.includes(coin) && (
        <p class="notice" data-testid="follow-note">
          No enabled venue lists {coin} (or their instrument lists are still loading).
        </p>
      )}
      {chosen && !chosen.followed && !followedNow && (
        <p class="notice">
          {selection} is not streamed yet.{' '}
          <button type="button" class="link" onClick={() => props.onFollow(chosen)}>
            Follow it
          </button>
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {hasPositions && (
        <div class="ranges" role="group" aria-label="Data shown" data-testid="data-kind">
          <button
            type="button"
            aria-pressed={shownKind === 'estimated'}
            onClick={() => setKind('estimated')}
            title="The model's estimated liquidation levels"
          >
            Estimated
          </button>
          <button
            type="button"
            aria-pressed={shownKind === 'positions'}
            onClick={() => setKind('positions')}
            title="Real liquidation prices of public Hyperliquid positions: a sample, with its coverage in the Positions tab"
          >
            Positions (Hyperliquid)
          </button>
        </div>
      )}
      <p class="target" data-testid="view-target">
        {shownKind === 'positions'
          ? `Positions · Hyperliquid ${coin} (real, sampled)`
          : target.startsWith('coin:')
            ? `${coin} · all venues`
            : target}{' '}
        · {range}
        {shownView?.price ? ` · ${formatPrice(shownView.price, shownView.tickSize)}` : ''}
      </p>
      {historyFrom !== undefined && (
        <p class="muted" data-testid="history-coverage">
          {shownKind === 'positions'
            ? `Real positions read since ${formatTime(historyFrom)}: the heatmap shows what was known each minute, so earlier in this range it is empty.`
            : `History since ${formatTime(historyFrom)}: the range is longer than what LiqLens has seen (it keeps what the feeds bring, and fetches the venues’ last day at start).`}
        </p>
      )}
      {shownView && shownView.price === null && shownView.heatmap.maxUsd === 0 ? (
        // No price and no history: an axis of 1–2 and "$0 per cell" would look like data.
        <div class="heatmap placeholder" style={{ width: `${width}px`, height: '240px' }} data-testid="heatmap-empty">
          {props.offline
            ? `Nothing to show for ${coin} yet: no exchange is reachable (Feeds has details).`
            : `No data for ${coin} yet: it appears as soon as a venue streams it.`}
        </div>
      ) : shownView ? (
        <HeatmapChart
          view={shownView}
          gradient={props.gradient}
          scale={heatmapScale}
          width={width}
          height={240}
          onDrawn={(c, ms) => {
            canvas.current = c;
            setDrawMs(ms);
          }}
        />
      ) : (
        <div class="heatmap placeholder" style={{ width: `${width}px`, height: '240px' }}>
          Loading the heatmap…
        </div>
      )}
      <div class="legend-row">
        {shownView && shownView.heatmap.maxUsd > 0 && (
          <HeatmapLegend maxUsd={shownView.heatmap.maxUsd} gradient={props.gradient} scale={heatmapScale} />
        )}
        <label>
          <span class="sr-only">Gradient</span>
          <select
            value={props.gradient}
            onChange={(e) => props.onGradient((e.target as HTMLSelectElement).value as GradientPreset)}
            aria-label="Gradient"
          >
            {(Object.keys(GRADIENT_LABELS) as GradientPreset[]).map((g) => (
              <option key={g} value={g}>
                {GRADIENT_LABELS[g]}
              </option>
            ))}
          </select>
        </label>
        {shownView && shownView.heatmap.maxUsd > 0 && (
          <HeatmapScaleControl
            scale={heatmapScale}
            maxUsd={shownView.heatmap.maxUsd}
            onPreview={setPreviewScale}
            onCommit={(s) => {
              setPreviewScale(s);
              props.onHeatmapScale?.(s);
            }}
          />
        )}
        {/* The paint time is for tests and profiling, not for the trader. */}
        <span hidden data-testid="draw-ms">
          {drawMs.toFixed(1)} ms
        </span>
      </div>
      <div class="exports">
        <button
          type="button"
          disabled={!canvas.current}
          onClick={() => canvas.current && download(`liqlens-${coin}-${range}.png`, canvas.current.toDataURL('image/png'))}
        >
          Export PNG
        </button>
        <button
          type="button"
          disabled={!shownView}
          onClick={() => shownView && download(`liqlens-${coin}-zones.csv`, new Blob([zonesCsv(shownView)], { type: 'text/csv' }))}
        >
          Zones CSV
        </button>
        <button
          type="button"
          disabled={!shownView}
          onClick={() =>
            shownView && download(`liqlens-${coin}-${range}-heatmap.csv`, new Blob([heatmapCsv(shownView)], { type: 'text/csv' }))
          }
        >
          Heatmap CSV
        </button>
        <label>
          Zones and imbalance within{' '}
          <select value={withinPct} onChange={(e) => setWithinPct(Number((e.target as HTMLSelectElement).value))}>
            {WITHIN.map((w) => (
              <option key={w} value={w}>
                ±{w} %
              </option>
            ))}
          </select>
        </label>
      </div>
      <div role="tablist" class="tabs" aria-label="Views">
        {TABS.map(([id, label]) => (
          <button
            type="button"
            role="tab"
            id={`tab-${id}`}
            key={id}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
            onKeyDown={(e) => {
              const i = TABS.findIndex(([t]) => t === tab);
              const next =
                e.key === 'ArrowRight'
                  ? i + 1
                  : e.key === 'ArrowLeft'
                    ? i - 1
                    : e.key === 'Home'
                      ? 0
                      : e.key === 'End'
                        ? TABS.length - 1
                        : null;
              if (next === null) return;
              e.preventDefault();
              const t = TABS[(next + TABS.length) % TABS.length][0];
              setTab(t);
              (e.currentTarget.parentElement?.querySelector(`#tab-${t}`) as HTMLElement | null)?.focus();
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel" data-testid={`panel-${tab}`}>
        {tab === 'zones' &&
          (shownView ? <ZonesTable zones={shownView.zones} price={shownView.price} tickSize={shownView.tickSize} /> : null)}
        {tab === 'map' && <LiquidationMapChart map={shownView?.map ?? null} width={width} tickSize={shownView?.tickSize} />}
        {tab === 'imbalance' && shownView && <Imbalance view={shownView} withinPct={withinPct} />}
        {tab === 'realized' &&
          props.tabs.realized({
            coin,
            ...(target.startsWith('coin:') ? {} : { instrument: target }),
            range,
            ...(shownView?.realized ? { totals: shownView.realized } : {}),
          })}
        {tab === 'positions' && props.tabs.positions}
        {tab === 'alerts' && props.tabs.alerts}
        {tab === 'feeds' && props.tabs.feeds}
        {tab === 'page' && props.tabs.page}
      </div>
      {shownView && shownView.heatmap.maxUsd === 0 && shownView.price !== null && (
        <p class="muted">
          {shownKind === 'positions'
            ? 'No real positions recorded in this range yet: the positions heatmap fills minute by minute as wallets are read.'
            : "No estimated levels in this range yet: history fills as the feeds run (and from the venues' history at start)."}
        </p>
      )}
      <p class="sr-only">{shownView ? `Strongest cell ${formatUsd(shownView.heatmap.maxUsd)}` : ''}</p>
    </section>
  );
}

/** When the heatmap's data starts, if later than its range's first hour (a short history in a long range). */
function historyStart(wire: MarketViewReply['heatmap']): number | undefined {
  const colMs = (wire.to - wire.from) / wire.columns;
  const first = wire.price.findIndex((p) => p !== null && Number.isFinite(p));
  if (first < 0) return undefined;
  return sinceWithinRange(wire.from + first * colMs, wire);
}

/** A start of data worth saying: more than an hour into the range. */
function sinceWithinRange(at: number, wire: MarketViewReply['heatmap']): number | undefined {
  return at - wire.from > 3_600_000 ? at : undefined;
}

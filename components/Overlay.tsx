/**
 * What the overlay content script renders. On a page whose chart the bridge reads: bands, markers and
 * the heatmap on that chart's own scale. On a page calibrated by two clicks: the same, on the
 * calibrated scale. Elsewhere: the docked price ladder, with a button to calibrate. The instrument
 * follows the page's symbol (chart API, else URL); a page on a coin LiqLens does not follow shows a
 * note instead of some other coin's levels.
 */
import { useEffect, useState } from 'preact/hooks';
import { coinOf } from '@/lib/exchanges/specs';
import { venueLabels } from '@/lib/exchanges/catalog';
import { t } from '@/lib/i18n';
import type { PageInfo } from '@/lib/contract/protocol';
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { type Calibration, FOLLOW_PER_VENUE, type SettingsPatch } from '@/lib/settings';
import { useWatchCoin } from './use-watch-coin';
import { overallHealth } from '@/lib/ui/health';
import { calibratedReport } from '@/lib/sites/ladder';
import { matchByPrice, parseChartSymbol, pickInstrument, type PageSymbol } from '@/lib/sites/symbols';
import { Calibrator } from './Calibrator';
import type { ShowPrices } from '@/lib/sites/bridge';
import { ChartBands } from './ChartBands';
import { OverlayControls } from './OverlayControls';
import { PriceLadder } from './PriceLadder';
import { useHeatmap, type FetchHeatmap } from './use-heatmap';
import { useLive, type LiveStore } from './live-store';

export interface OverlayPage {
  siteId: string;
  host: string;
  /** The symbol the page's URL names, if any. */
  urlSymbol?: PageSymbol;
}

export interface OverlayProps {
  store: LiveStore;
  page: OverlayPage;
  fetchHeatmap: FetchHeatmap;
  /** Send a change of the overlay settings (the background merges and writes it). */
  saveOverlay(patch: NonNullable<SettingsPatch['overlay']>): void;
  /** Written on every render: what the popup's `pageInfo` answers. */
  info?: { current: Omit<PageInfo, 'siteId' | 'label' | 'host'> };
  /** Tell the background which coin this page shows (null: none), so a coin nobody streams is followed. */
  watchCoin?(coin: string | null): void;
  /** Ask the page's chart (through the bridge) to show this price range: a zone arrow was clicked. */
  showPrices?(range: ShowPrices): void;
}

export function Overlay(props: OverlayProps) {
  const { store, page } = props;
  const market = useLive(store, (s) => s.snapshot.market);
  const positionsByCoin = useLive(store, (s) => s.snapshot.positions?.coins);
  const myPositions = useLive(store, (s) => s.snapshot.my);
  const follow = useLive(store, (s) => s.snapshot.follow);
  const feeds = useLive(store, (s) => s.snapshot.feeds);
  const receivedAt = useLive(store, (s) => s.receivedAt);
  const health = overallHealth(feeds, receivedAt || Date.now());
  const settings = useLive(store, (s) => s.settings);
  const chart = useLive(store, (s) => s.chart ?? null);
  const chartSeen = useLive(store, (s) => s.chartSeen ?? false);
  const [chosen, setChosen] = useState<string | null>(null);
  const [calibrating, setCalibrating] = useState(false);
  const viewportHeight = useViewportHeight();

  const configured = settings
    ? Object.entries(settings.venues).flatMap(([venue, v]) => (v?.enabled ? v.symbols.map((s) => `${venue}:${s}`) : []))
    : [];
  const temporary = follow?.followed.flatMap((f) => f.instruments) ?? [];
  const instruments = [...new Set([...configured, ...temporary, ...Object.keys(market.instruments)])];
  const pageSymbol = (chart?.symbol ? parseChartSymbol(chart.symbol, page.urlSymbol?.venue) : undefined) ?? page.urlSymbol;
  useWatchCoin(props.watchCoin, settings ? (pageSymbol?.coin ?? null) : null);
  const followed = pickInstrument(pageSymbol, instruments);
  // A page that names no symbol: the user's choice for this host; else the one streamed coin trading
  // at the chart's last price, said in the handle; else it asks, never a coin picked silently (the
  // docked ladder, which names its instrument and has a selector, starts on the first one).
  const remembered = chosen ?? settings?.overlay.pageInstruments[page.host];
  const picked = remembered && instruments.includes(remembered) ? remembered : undefined;
  const priceMatch = !pageSymbol && !picked ? matchedInstrument(chart?.lastPrice, instruments, market.instruments) : undefined;
  const instrument = pageSymbol ? followed : (picked ?? priceMatch ?? (chart ? undefined : instruments[0]));
  const choose = (i: string) => {
    setChosen(i);
    props.saveOverlay({ pageInstruments: { [page.host]: i } });
  };
  const aggregate = settings?.display.aggregateVenues ?? true;
  const coin = instrument ? coinOf(instrument) : undefined;
  const calibration: Calibration | undefined = settings?.overlay.calibrations[page.host];
  const report = chart ?? (calibration && !calibrating ? calibratedReport(calibration, viewportHeight) : null);
  const heatmapTarget = instrument ? (aggregate ? `coin:${coin}` : instrument) : undefined;
  const heatmap = useHeatmap(
    props.fetchHeatmap,
    heatmapTarget,
    report,
    !!settings?.overlay.layers.heatmap && !!chart,
    settings?.model.gridStep,
  );

  // A chart that was read and is now gone (display:none, another tab of the page): nothing is drawn
  // over the empty page, no ladder either, until the chart returns.
  const hidden = !chart && chartSeen && !calibration;
  const mode: PageInfo['mode'] = !settings ? 'off' : chart ? 'chart' : hidden ? 'hidden' : report ? 'calibrated' : 'ladder';
  if (props.info) props.info.current = { mode, ...(instrument ? { instrument } : {}) };
  if (!settings || hidden) return null;

  const unnamed = !pageSymbol && !instrument && instruments.length > 0;
  const followedForPage = coin !== undefined && follow?.followed.some((f) => f.coin === coin);
  const following = !instrument
    ? pageSymbol
      ? notFollowedText(pageSymbol.coin, settings.follow.enabled, follow)
      : unnamed
        ? t('followingUnnamed')
        : t('followingNoInstruments')
    : [
        aggregate && coin ? t('coinAllVenues', { coin }) : instrument,
        chart ? '' : t('followingCalibratedScale'),
        pageSymbol ? '' : priceMatch ? t('followingMatchedByPrice') : t('followingChosenForSite'),
        followedForPage ? t('followingFollowedForPage') : '',
      ]
        .filter(Boolean)
        .join(' · ');
  /** One instrument per followed coin (the first configured), for the one-click choice. */
  const coinChoices = [...new Map(instruments.map((i) => [coinOf(i), i])).values()];

  if (calibrating) {
    return (
      <Calibrator
        onCancel={() => setCalibrating(false)}
        onDone={(c) => {
          setCalibrating(false);
          props.saveOverlay({ calibrations: { [page.host]: c } });
        }}
      />
    );
  }

  if (report) {
    const zones = instrument ? (market.zones[aggregate ? coinOf(instrument) : instrument] ?? []) : [];
    const liquidations = instrument
      ? market.liquidations.filter((l) => (aggregate ? coinOf(l.instrument) === coin : l.instrument === instrument))
      : [];
    return (
      <>
        <ChartBands
          report={report}
          zones={zones}
          liquidations={liquidations}
          heatmap={heatmap}
          layers={settings.overlay.layers}
          opacity={settings.overlay.opacity}
          threshold={settings.overlay.threshold}
          gradient={settings.appearance.gradient}
          positions={coin ? positionsByCoin?.find((v) => v.coin === coin)?.levels : undefined}
          showPrices={report.canShowPrices ? props.showPrices : undefined}
          my={coin ? myPositions?.filter((m) => m.coin === coin) : undefined}
        />
        <OverlayControls
          pane={report.pane}
          place={settings.overlay.handlePositions[page.host]}
          onPlace={(place) => props.saveOverlay({ handlePositions: { [page.host]: place } })}
          settings={settings}
          following={following}
          attention={unnamed ? t('handleChooseCoin') : undefined}
          note={priceMatch && coin ? t('handleMatchedByPrice', { coin }) : undefined}
          heatmapScale={heatmap ? { maxUsd: heatmap.maxUsd, cellStep: settings.model.gridStep } : null}
          hasPositions={!!coin && (positionsByCoin?.find((v) => v.coin === coin)?.levels.length ?? 0) > 0}
          health={health}
          onChange={props.saveOverlay}
        >
          {!pageSymbol && (
            <div class="row" role="group" aria-label={t('coinChoicesName')} data-testid="coin-choices">
              {coinChoices.map((i) => (
                <button type="button" key={i} aria-pressed={i === instrument} onClick={() => choose(i)}>
                  {coinOf(i)}
                </button>
              ))}
            </div>
          )}
          {!chart && (
            <div class="row">
              <button type="button" onClick={() => setCalibrating(true)}>
                {t('recalibrate')}
              </button>
              <button type="button" onClick={() => props.saveOverlay({ calibrations: { [page.host]: null } })}>
                {t('forgetCalibration')}
              </button>
            </div>
          )}
        </OverlayControls>
      </>
    );
  }

  if (!instrument) return null;
  const stats = market.instruments[instrument];
  return (
    <PriceLadder
      instrument={instrument}
      instruments={instruments}
      onInstrument={choose}
      price={stats?.lastMarkPrice ?? stats?.lastTradePrice}
      liquidations={market.liquidations}
      opacity={settings.overlay.opacity}
      onCalibrate={() => setCalibrating(true)}
      notice={health.state === 'down' || health.state === 'none' ? health.message : undefined}
    />
  );
}

/** The instrument of the one coin trading at the chart's last price (symbols.ts `matchByPrice`), if exactly one does. */
function matchedInstrument(
  lastPrice: number | undefined,
  instruments: readonly string[],
  stats: LiqSnapshot['market']['instruments'],
): string | undefined {
  if (lastPrice === undefined) return undefined;
  const prices = new Map<string, number>();
  const first = new Map<string, string>();
  for (const i of instruments) {
    const price = stats[i]?.lastMarkPrice ?? stats[i]?.lastTradePrice;
    const coin = coinOf(i);
    if (price === undefined || prices.has(coin)) continue;
    prices.set(coin, price);
    first.set(coin, i);
  }
  const coin = matchByPrice(lastPrice, prices);
  return coin === undefined ? undefined : first.get(coin);
}

/** Why a page's coin has no instrument: following is off, the venue's share is full, or no venue lists it. */
function notFollowedText(coin: string, enabled: boolean, follow: LiqSnapshot['follow']): string {
  if (!enabled) return t('notFollowedOff', { coin });
  const capped = follow?.capped.find((c) => c.coin === coin);
  if (capped) return t('notFollowedCapped', { coin, max: FOLLOW_PER_VENUE, venues: venueLabels(capped.venues) });
  if (follow?.unlisted.includes(coin)) return t('notFollowedUnlisted', { coin });
  return t('notFollowedSubscribing', { coin });
}

function useViewportHeight(): number {
  const [height, setHeight] = useState(() => window.innerHeight);
  useEffect(() => {
    const on = () => setHeight(window.innerHeight);
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return height;
}

/**
 * What the overlay content script renders. On a page whose chart the bridge reads: bands, markers and
 * the heatmap on that chart's own scale. On a page calibrated by two clicks: the same, on the
 * calibrated scale. Elsewhere: the docked price ladder, with a button to calibrate. The instrument
 * follows the page's symbol (chart API, else URL); a page on a coin LiqLens does not follow shows a
 * note instead of some other coin's levels.
 */
import { useEffect, useState } from 'preact/hooks';
import { coinOf } from '@/lib/exchanges/specs';
import type { PageInfo } from '@/lib/protocol';
import type { Calibration, SettingsPatch } from '@/lib/settings';
import { calibratedReport } from '@/lib/sites/ladder';
import { parseChartSymbol, pickInstrument, type PageSymbol } from '@/lib/sites/symbols';
import { Calibrator } from './Calibrator';
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
}

export function Overlay(props: OverlayProps) {
  const { store, page } = props;
  const market = useLive(store, (s) => s.snapshot.market);
  const positionsByCoin = useLive(store, (s) => s.snapshot.positions?.coins);
  const settings = useLive(store, (s) => s.settings);
  const chart = useLive(store, (s) => s.chart ?? null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [calibrating, setCalibrating] = useState(false);
  const viewportHeight = useViewportHeight();

  const configured = settings
    ? Object.entries(settings.venues).flatMap(([venue, v]) => (v?.enabled ? v.symbols.map((s) => `${venue}:${s}`) : []))
    : [];
  const instruments = [...new Set([...configured, ...Object.keys(market.instruments)])];
  const pageSymbol = (chart?.symbol ? parseChartSymbol(chart.symbol, page.urlSymbol?.venue) : undefined) ?? page.urlSymbol;
  const followed = pickInstrument(pageSymbol, instruments);
  const instrument = pageSymbol ? followed : chosen && instruments.includes(chosen) ? chosen : instruments[0];
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

  const mode: PageInfo['mode'] = !settings ? 'off' : chart ? 'chart' : report ? 'calibrated' : 'ladder';
  if (props.info) props.info.current = { mode, ...(instrument ? { instrument } : {}) };
  if (!settings) return null;

  const following = !instrument
    ? pageSymbol
      ? `LiqLens follows no ${pageSymbol.coin} instrument: add one under Options → Venues.`
      : 'No instruments: turn on a venue under Options → Venues.'
    : `${aggregate ? `${coin} · all venues` : instrument}${chart ? '' : ' · calibrated scale'}`;

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
        />
        <OverlayControls x={report.pane.x} y={report.pane.y} settings={settings} following={following} onChange={props.saveOverlay}>
          {!chart && (
            <div class="row">
              <button type="button" onClick={() => setCalibrating(true)}>
                Recalibrate
              </button>
              <button type="button" onClick={() => props.saveOverlay({ calibrations: { [page.host]: null } })}>
                Forget calibration
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
      onInstrument={setChosen}
      price={stats?.lastMarkPrice ?? stats?.lastTradePrice}
      liquidations={market.liquidations}
      opacity={settings.overlay.opacity}
      onCalibrate={() => setCalibrating(true)}
    />
  );
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

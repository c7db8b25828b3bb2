import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { FeedHealth } from '@/components/FeedHealth';
import type { VenueHealth } from '@/lib/contract/health';
import { LiquidationList } from '@/components/LiquidationList';
import { PositionsPanel } from '@/components/PositionsPanel';
import { useLive, useNow, useOverallHealth, type LiveStore } from '@/components/live-store';
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { PageSiteToggle, usePageInfo } from '@/components/PageSiteToggle';
import { QuickView, type InstrumentChoice, type RealizedScope } from '@/components/popup/QuickView';
import { MarketWideTab } from '@/components/popup/MarketWideTab';
import { marketLine, windowOf } from '@/lib/ui/market-wide';
import type { FiredAlert, MarketWide, RealizedLiquidation } from '@/lib/contract/market';
import { VIEW_RANGES } from '@/lib/contract/view';
import { coinOf } from '@/lib/exchanges/specs';
import { formatClock, formatTime, formatUsd } from '@/lib/ui/format';
import { formatCount, t, tn } from '@/lib/i18n';
import { changeSettings, sendMessage } from '@/lib/contract/protocol';
import type { Settings, SettingsPatch } from '@/lib/settings';

/**
 * The tab the popup is about: the active tab of its window. Opened as a tab itself (tests, or a user
 * who pinned it), `?tab=<id>` names the page instead.
 */
async function activeTabId(): Promise<number | undefined> {
  const param = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(param) && param > 0) return param;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

export function App({ store }: { store: LiveStore }) {
  const snapshot = useLive(store, (s) => s.snapshot);
  const error = useLive(store, (s) => s.error);
  const settings = useLive(store, (s) => s.settings);
  // Staleness in the header needs no second-by-second clock (a feed is stale after tens of seconds),
  // and re-renders the popup only when it changed; the tabs that show ages tick on their own.
  const health = useOverallHealth(snapshot.feeds);
  const { inTab, width } = usePopupWidth();
  const page = usePageInfo(activeTabId, (tabId) => sendMessage('pageInfo', undefined, tabId));
  const [instruments, setInstruments] = useState<InstrumentChoice[]>([]);
  const [alerts, setAlerts] = useState<FiredAlert[]>([]);
  const { liquidations } = snapshot.market;

  useEffect(() => {
    // Asked every 5 s; a reply equal to the last one changes nothing (no re-render at rest).
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const load = () => {
      sendMessage('listInstruments').then(
        (next) => setInstruments((prev) => (same(prev, next) ? prev : next)),
        () => {},
      );
      sendMessage('getAlertHistory').then(
        (next) => setAlerts((prev) => (same(prev, next) ? prev : next)),
        () => {},
      );
    };
    load();
    const t = setInterval(load, 5_000);
    return () => clearInterval(t);
  }, []);

  /** Settings changes go to the background as patches; the storage watch (main.tsx) brings them back. */
  const save = async (patch: SettingsPatch) => void (await changeSettings(patch));

  return (
    <main class={`popup${inTab ? ' in-tab' : ''}`}>
      <header class="bar">
        <h1>LiqLens</h1>
        <MarketLine wide={snapshot.marketWide} />
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('popupOptions')}
        </button>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {health.state !== 'live' && (
        <p
          class={`health health-${health.state}`}
          role={health.state === 'down' ? 'alert' : 'status'}
          data-testid="overall-health"
          data-state={health.state}
        >
          <span class={`dot dot-${health.state}`} aria-hidden="true" /> {health.message}
        </p>
      )}
      {snapshot.notices.map((n) => (
        <p class="notice" role="status" key={n}>
          {n}
        </p>
      ))}
      {snapshot.backfill?.state === 'running' && (
        <p class="notice" role="status" data-testid="backfill">
          {t('backfillLoading', { done: formatCount(snapshot.backfill.done), total: formatCount(snapshot.backfill.total) })}
        </p>
      )}
      {snapshot.backfill?.state === 'done' && snapshot.backfill.failed.length > 0 && (
        <div class="notice" role="status" data-testid="backfill-failed">
          {tn('backfillFailed', snapshot.backfill.failed.length)}
          <ul>
            {snapshot.backfill.failed.slice(0, 5).map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
          <button type="button" class="link" data-testid="retry-backfill" onClick={() => void sendMessage('retryBackfill').catch(() => {})}>
            {t('retry')}
          </button>
        </div>
      )}
      <QuickView
        fetchView={(request) => sendMessage('getView', request)}
        instruments={instruments}
        positionsCoins={snapshot.positions?.coins.filter((c) => c.positions > 0).map((c) => c.coin)}
        aggregate={settings?.display.aggregateVenues ?? true}
        gradient={settings?.appearance.gradient ?? 'classic'}
        onAggregate={(on) => void save({ display: { aggregateVenues: on } })}
        onGradient={(g) => void save({ appearance: { gradient: g } })}
        heatmapScale={settings?.appearance.heatmapScale}
        realizedVersion={liquidations[0]?.id ?? ''}
        onHeatmapScale={(heatmapScale) => void save({ appearance: { heatmapScale } })}
        follow={snapshot.follow}
        modelCheck={snapshot.model}
        my={snapshot.my}
        width={width}
        offline={health.state === 'down'}
        watchCoin={watchCoin}
        onPin={(coin) =>
          void sendMessage('pinCoin', { coin }).then(
            (r) => 'error' in r && store.setState({ error: r.error }),
            () => {},
          )
        }
        onFollow={(c) => {
          const v = settings?.venues[c.venue as keyof Settings['venues']];
          if (v) void save({ venues: { [c.venue]: { enabled: true, symbols: [...new Set([...v.symbols, c.symbol])] } } });
        }}
        tabs={{
          realized: (scope) => <RealizedTab scope={scope} liquidations={liquidations} feeds={snapshot.feeds} />,
          market: (showCoin) => (
            <MarketWideTab wide={snapshot.marketWide} feeds={snapshot.feeds} now={snapshot.generatedAt || Date.now()} onCoin={showCoin} />
          ),
          positions: <LivePositionsPanel positions={snapshot.positions} />,
          alerts: <AlertHistory alerts={alerts} enabled={!!settings?.alerts.rules.some((r) => r.enabled)} />,
          feeds: <LiveFeedHealth feeds={snapshot.feeds} />,
          page: <PageSiteToggle settings={settings} page={page} save={save} />,
        }}
      />
    </main>
  );
}

/**
 * The toolbar popup is 560 px wide (Chrome sizes it to its content). Opened as a tab or a window
 * (pinned by the user, or on a narrow screen), it follows the window's width instead, down to 360 px.
 */
function usePopupWidth(): { inTab: boolean; width: number } {
  const inTab = useState(() => {
    try {
      return !browser.extension.getViews({ type: 'popup' }).includes(window);
    } catch {
      return false;
    }
  })[0];
  const [viewport, setViewport] = useState(() => window.innerWidth);
  useEffect(() => {
    if (!inTab) return;
    const on = () => setViewport(window.innerWidth);
    addEventListener('resize', on);
    return () => removeEventListener('resize', on);
  }, [inTab]);
  return { inTab, width: inTab ? Math.max(320, Math.min(776, viewport - 24)) : 536 };
}

/** The popup says which coin it shows; one function for the component's lifetime (an effect dependency). */
const watchCoin = (coin: string | null) => void sendMessage('watchCoin', { coin }).catch(() => {});

/**
 * Realized liquidations of what the view shows: totals over its range (or since the kept history
 * starts), the venues' completeness, and the latest events of that coin or instrument.
 */
function RealizedTab({ scope, liquidations, feeds }: { scope: RealizedScope; liquidations: RealizedLiquidation[]; feeds: VenueHealth[] }) {
  const rows = liquidations.filter((l) => (scope.instrument ? l.instrument === scope.instrument : coinOf(l.instrument) === scope.coin));
  // The view's totals over its range; until the view arrives, the events listed (and it says so).
  const sum = (side: 'long' | 'short') => rows.filter((l) => l.liquidatedSide === side).reduce((s, l) => s + l.notionalUsd, 0);
  const totals =
    scope.totals ??
    (rows.length
      ? { longUsd: sum('long'), shortUsd: sum('short'), since: NaN, venues: [...new Set(rows.map((l) => l.venue))] }
      : undefined);
  const from = totals ? feeds.filter((f) => totals.venues.includes(f.venue)) : [];
  const sampled = sampledFeeds(from);
  const what = scope.instrument ?? t('coinAllVenues', { coin: scope.coin });
  const rangeMs = VIEW_RANGES[scope.range] * 3_600_000;
  const window = !scope.totals
    ? tn('realizedLatest', rows.length)
    : scope.totals.since > Date.now() - rangeMs + 60_000
      ? t('realizedSince', { time: formatTime(scope.totals.since) })
      : t('realizedLast', { range: scope.range });
  return (
    <>
      {totals && (
        <p class="summary" title={completenessTitle(from)} data-testid="realized-totals">
          {t('realizedScope', { what, window })} <span class="long">{t('longsUsd', { usd: formatUsd(totals.longUsd) })}</span> ·{' '}
          <span class="short">{t('shortsUsd', { usd: formatUsd(totals.shortUsd) })}</span>
          {sampled.length > 0 && <span class="muted"> · {t('realizedSampled')}</span>}
        </p>
      )}
      {rows.length ? <LiquidationList liquidations={rows} /> : <p class="muted">{t('realizedNone', { what })}</p>}
      {sampled.map((f) => (
        <p class="footnote" key={f.venue} data-testid="sampled-note">
          {f.label}: {f.liquidationCompleteness.note}.
        </p>
      ))}
    </>
  );
}

/** The whole market's last 24 h in one line of the header (the Market tab has the rest). */
function MarketLine({ wide }: { wide: MarketWide | undefined }) {
  const line = marketLine(windowOf(wide, 24));
  if (!line) return null;
  return (
    <span class="market-line" data-testid="market-line" title={t('marketLineTitle')}>
      {t('marketLine', { line })}
    </span>
  );
}

/** Venues whose liquidation feed is a sample (their totals undercount). */
function sampledFeeds(feeds: VenueHealth[]): VenueHealth[] {
  return feeds.filter((f) => f.hasLiquidationFeed && f.liquidationCompleteness.kind === 'sampled');
}

/** Per venue: whether its realized figures are complete or a sample, and why. */
function completenessTitle(feeds: VenueHealth[]): string {
  return feeds
    .map(
      (f) =>
        `${f.label}: ${t(f.liquidationCompleteness.kind === 'complete' ? 'completenessComplete' : f.liquidationCompleteness.kind === 'sampled' ? 'completenessSampled' : 'completenessNone')} (${f.liquidationCompleteness.note})`,
    )
    .join('\n');
}

function AlertHistory({ alerts, enabled }: { alerts: FiredAlert[]; enabled: boolean }) {
  if (!alerts.length) return <p class="muted">{t(enabled ? 'alertsNoneFired' : 'alertsNoRule')}</p>;
  return (
    <ul class="alert-list" data-testid="alert-history">
      {alerts.map((a) => (
        <li key={a.id}>
          <time dateTime={new Date(a.at).toISOString()}>{formatClock(a.at)}</time> <strong>{a.title}</strong>
          <div class="muted">{a.message}</div>
        </li>
      ))}
    </ul>
  );
}

/** Feeds with their ages, ticking every second while the tab is shown. */
function LiveFeedHealth({ feeds }: { feeds: LiqSnapshot['feeds'] }) {
  return <FeedHealth feeds={feeds} now={useNow()} />;
}

function LivePositionsPanel({ positions }: { positions: LiqSnapshot['positions'] }) {
  return <PositionsPanel positions={positions} now={useNow()} />;
}

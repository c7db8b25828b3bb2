import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { FeedHealth } from '@/components/FeedHealth';
import type { VenueHealth } from '@/lib/net/feed-manager';
import { LiquidationList } from '@/components/LiquidationList';
import { PositionsPanel } from '@/components/PositionsPanel';
import { useLive, useNow, type LiveStore } from '@/components/live-store';
import { PageSiteToggle, usePageInfo } from '@/components/PageSiteToggle';
import { QuickView, type InstrumentChoice } from '@/components/QuickView';
import type { FiredAlert } from '@/lib/alerts';
import { formatUsd } from '@/lib/format';
import { changeSettings, sendMessage } from '@/lib/protocol';
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
  const now = useNow();
  const page = usePageInfo(activeTabId, (tabId) => sendMessage('pageInfo', undefined, tabId));
  const [instruments, setInstruments] = useState<InstrumentChoice[]>([]);
  const [alerts, setAlerts] = useState<FiredAlert[]>([]);
  const { liquidations } = snapshot.market;
  const longUsd = liquidations.filter((l) => l.liquidatedSide === 'long').reduce((s, l) => s + l.notionalUsd, 0);
  const shortUsd = liquidations.filter((l) => l.liquidatedSide === 'short').reduce((s, l) => s + l.notionalUsd, 0);

  useEffect(() => {
    const load = () => {
      sendMessage('listInstruments').then(setInstruments, () => {});
      sendMessage('getAlertHistory').then(setAlerts, () => {});
    };
    load();
    const t = setInterval(load, 5_000);
    return () => clearInterval(t);
  }, []);

  /** Settings changes go to the background as patches; the storage watch (main.tsx) brings them back. */
  const save = async (patch: SettingsPatch) => void (await changeSettings(patch));

  return (
    <main class="popup">
      <header class="bar">
        <h1>LiqLens</h1>
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {snapshot.notices.map((n) => (
        <p class="notice" role="status" key={n}>
          {n}
        </p>
      ))}
      {snapshot.backfill?.state === 'running' && (
        <p class="notice" role="status" data-testid="backfill">
          Loading history from the venues: {snapshot.backfill.done} / {snapshot.backfill.total}
        </p>
      )}
      <QuickView
        fetchView={(request) => sendMessage('getView', request)}
        instruments={instruments}
        positionsCoins={snapshot.positions?.coins.filter((c) => c.positions > 0).map((c) => c.coin)}
        aggregate={settings?.display.aggregateVenues ?? true}
        gradient={settings?.appearance.gradient ?? 'classic'}
        onAggregate={(on) => void save({ display: { aggregateVenues: on } })}
        onGradient={(g) => void save({ appearance: { gradient: g } })}
        follow={snapshot.follow}
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
          realized: (
            <>
              {liquidations.length > 0 && (
                <p class="summary" title={completenessTitle(snapshot.feeds)} data-testid="realized-totals">
                  <span class="long">Longs {formatUsd(longUsd)}</span> · <span class="short">Shorts {formatUsd(shortUsd)}</span>
                  {sampledFeeds(snapshot.feeds).length > 0 && <span class="muted"> · includes sampled feeds: a lower bound</span>}
                </p>
              )}
              <LiquidationList liquidations={liquidations} />
              {sampledFeeds(snapshot.feeds).map((f) => (
                <p class="footnote" key={f.venue} data-testid="sampled-note">
                  {f.label}: {f.liquidationCompleteness.note}.
                </p>
              ))}
            </>
          ),
          positions: <PositionsPanel positions={snapshot.positions} now={now} />,
          alerts: <AlertHistory alerts={alerts} enabled={!!settings?.alerts.rules.some((r) => r.enabled)} />,
          feeds: <FeedHealth feeds={snapshot.feeds} now={now} />,
          page: <PageSiteToggle settings={settings} page={page} save={save} />,
        }}
      />
    </main>
  );
}

/** The popup says which coin it shows; one function for the component's lifetime (an effect dependency). */
const watchCoin = (coin: string | null) => void sendMessage('watchCoin', { coin }).catch(() => {});

/** Venues whose liquidation feed is a sample (their totals undercount). */
function sampledFeeds(feeds: VenueHealth[]): VenueHealth[] {
  return feeds.filter((f) => f.hasLiquidationFeed && f.liquidationCompleteness.kind === 'sampled');
}

/** Per venue: whether its realized figures are complete or a sample, and why. */
function completenessTitle(feeds: VenueHealth[]): string {
  return feeds
    .map(
      (f) =>
        `${f.label}: ${f.liquidationCompleteness.kind === 'complete' ? 'complete' : f.liquidationCompleteness.kind === 'sampled' ? 'a sample' : 'none'} (${f.liquidationCompleteness.note})`,
    )
    .join('\n');
}

function AlertHistory({ alerts, enabled }: { alerts: FiredAlert[]; enabled: boolean }) {
  if (!alerts.length)
    return <p class="muted">{enabled ? 'No alert has fired yet.' : 'No alert rule is on: set them under Options → Alerts.'}</p>;
  return (
    <ul class="alert-list" data-testid="alert-history">
      {alerts.map((a) => (
        <li key={a.id}>
          <time dateTime={new Date(a.at).toISOString()}>{new Date(a.at).toLocaleTimeString()}</time> <strong>{a.title}</strong>
          <div class="muted">{a.message}</div>
        </li>
      ))}
    </ul>
  );
}

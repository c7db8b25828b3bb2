import { FeedHealth } from '@/components/FeedHealth';
import { LiquidationList } from '@/components/LiquidationList';
import { useLive, useNow, type LiveStore } from '@/components/live-store';
import { formatUsd } from '@/lib/format';
import { browser } from 'wxt/browser';
import { PageSiteToggle, usePageInfo } from '@/components/PageSiteToggle';
import { sendMessage } from '@/lib/protocol';
import { settingsItem } from '@/lib/settings';

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
  const page = usePageInfo(activeTabId, (tabId) => sendMessage('pageInfo', undefined, tabId));
  const now = useNow();
  const { liquidations } = snapshot.market;
  const longUsd = liquidations.filter((l) => l.liquidatedSide === 'long').reduce((s, l) => s + l.notionalUsd, 0);
  const shortUsd = liquidations.filter((l) => l.liquidatedSide === 'short').reduce((s, l) => s + l.notionalUsd, 0);

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
      <section aria-labelledby="page-h">
        <h2 id="page-h">This page</h2>
        <PageSiteToggle
          settings={settings}
          page={page}
          save={async (next) => {
            await settingsItem.setValue(next);
            store.setState({ settings: next });
          }}
        />
      </section>
      <section aria-labelledby="feeds-h">
        <h2 id="feeds-h">Feeds</h2>
        <FeedHealth feeds={snapshot.feeds} now={now} />
      </section>
      <section aria-labelledby="liqs-h">
        <h2 id="liqs-h">
          Realized liquidations
          {liquidations.length > 0 && (
            <span class="summary">
              <span class="long">Longs {formatUsd(longUsd)}</span> · <span class="short">Shorts {formatUsd(shortUsd)}</span>
            </span>
          )}
        </h2>
        <LiquidationList liquidations={liquidations} />
        {snapshot.feeds.some((f) => f.venue === 'binance') && (
          <p class="footnote">Binance publishes at most one liquidation per symbol per second, so its totals undercount cascades.</p>
        )}
      </section>
    </main>
  );
}

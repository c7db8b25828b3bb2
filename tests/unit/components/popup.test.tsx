// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveStore } from '../../../components/live-store';
import { App } from '../../../entrypoints/popup/App';
import type { LiqSnapshot } from '../../../lib/contract/snapshot';
import type { VenueHealth } from '../../../lib/contract/health';

const now = Date.now();
const feed: VenueHealth = {
  venue: 'binance',
  label: 'Binance USD-M',
  state: 'down',
  hasLiquidationFeed: true,
  symbols: ['BTCUSDT'],
  liquidationCompleteness: {
    kind: 'sampled',
    note: 'at most the latest liquidation per symbol per second is published: totals undercount cascades',
  },
  unlisted: [],
  frames: 120,
  events: 118,
  skipped: 1,
  errors: 1,
  connectionErrors: 3,
  recentErrors: ['not JSON: {"stream":'],
  messagesPerSec: 3.2,
  lastMessageAt: now - 12_000,
  lastError: 'connection error (venue down, blocked in your region, or wrong endpoint)',
  nextRetryAt: now + 4_000,
  reconnects: 2,
  gaps: [{ from: now - 12_000, reason: 'closed with code 1006' }],
  connections: [],
  rest: [],
  specs: { count: 2 },
};
const snapshot: LiqSnapshot = {
  generatedAt: now,
  revision: 3,
  feeds: [feed],
  notices: ['12:00:00 Browser storage is full: the oldest quarter of the heatmap history was removed to make room.'],
  market: {
    zones: {},
    instruments: {},
    liquidations: [
      {
        id: 'a',
        venue: 'binance',
        instrument: 'binance:BTCUSDT',
        liquidatedSide: 'short',
        price: 97650,
        baseQty: 0.8,
        notionalUsd: 78_120,
        exchangeTime: now,
        receiveTime: now,
      },
      {
        id: 'b',
        venue: 'binance',
        instrument: 'binance:BTCUSDT',
        liquidatedSide: 'long',
        price: 96420.5,
        baseQty: 2.5,
        notionalUsd: 241_051.25,
        exchangeTime: now - 1000,
        receiveTime: now,
      },
    ],
  },
};

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

function mount(state: Parameters<typeof createLiveStore>[0]) {
  root = document.createElement('div');
  document.body.append(root);
  const store = createLiveStore(state);
  act(() => render(<App store={store} />, root));
  return store;
}

/** Open one of the quick view's tabs, as a click would. */
function openTab(label: string) {
  const tab = [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')].find((t) => t.textContent === label);
  if (!tab) throw new Error(`no tab ${label}`);
  act(() => tab.click());
}

describe('popup', () => {
  it('lists liquidations newest first with side, price and USD, and the totals per side', () => {
    mount({ snapshot, receivedAt: now });
    openTab('Realized');
    const rows = [...root.querySelectorAll('[data-testid=liq-row]')].map((r) => r.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Short liq.');
    expect(rows[0]).toContain('97,650.0');
    expect(rows[0]).toContain('$78.1K');
    expect(rows[1]).toContain('Long liq.');
    expect(root.textContent).toContain('Longs $241.1K');
    expect(root.textContent).toContain('Shorts $78.1K');
    expect(root.textContent).toContain('undercount cascades');
    // The totals say they include a sampled feed, and their tooltip names each venue's completeness.
    const totals = root.querySelector('[data-testid=realized-totals]')!;
    expect(totals.textContent).toContain('includes sampled feeds: a lower bound');
    expect(totals.getAttribute('title')).toBe(
      'Binance USD-M: a sample (at most the latest liquidation per symbol per second is published: totals undercount cascades)',
    );
    // Storage trouble is said, not hidden.
    expect(root.querySelector('.notice')?.textContent).toContain('oldest quarter of the heatmap history was removed');
  });

  it('shows a venue that is down with the reason, the retry, errors and gaps', () => {
    mount({ snapshot, receivedAt: now });
    openTab('Feeds');
    const row = root.querySelector('[data-testid=feed-row]')!;
    expect(row.getAttribute('data-state')).toBe('down');
    expect(row.textContent).toContain('Disconnected');
    expect(row.textContent).toContain('blocked in your region');
    expect(row.textContent).toMatch(/retry in \d s/);
    expect(row.textContent).toContain('3.2');
    expect(row.textContent).toContain('12 s');
  });

  it('updates when a new snapshot arrives, and says when the background is unreachable', () => {
    const store = mount({});
    openTab('Feeds');
    expect(root.textContent).toContain('No venue enabled');
    openTab('Realized');
    expect(root.textContent).toContain('No liquidations of BTC · all venues received yet');
    act(() => store.setState({ snapshot, receivedAt: Date.now() }));
    expect(root.querySelectorAll('[data-testid=liq-row]')).toHaveLength(2);
    act(() => store.setState({ error: 'Background not reachable: boom' }));
    expect(root.querySelector('[role=alert]')?.textContent).toContain('Background not reachable');
  });
});

describe('popup positions tab', () => {
  it('says where real positions come from when the reader is off, and shows the coverage line when on', () => {
    const store = mount({ snapshot, receivedAt: now });
    openTab('Positions');
    expect(root.textContent).toContain('Real positions are read from Hyperliquid only');
    const positions: LiqSnapshot['positions'] = {
      status: {
        wallets: 1500,
        read: 1240,
        readings: 2000,
        errors: 0,
        budget: {
          host: 'api.hyperliquid.xyz',
          limitPerMinute: 300,
          usedLastMinute: 120,
          highestPerMinute: 300,
          requests: 2000,
          rateLimited: 0,
        },
      },
      coins: [
        {
          coin: 'BTC',
          instrument: 'hyperliquid:BTC',
          price: 97_000,
          wallets: 1240,
          positions: 1300,
          longUsd: 40e6,
          shortUsd: 35e6,
          noLiquidationUsd: 5e6,
          coverage: 0.38,
          oldestReadingAt: now - 6 * 60_000,
          largest: [
            {
              wallet: '0xab12…cd34',
              side: 'long',
              usd: 2.5e6,
              leverage: 20,
              margin: 'cross',
              liquidationPx: 93_500,
              distance: -0.036,
              readAt: now,
            },
          ],
          inferred: { count: 2, usd: 300_000 },
          levels: [{ price: 93_500, long: 2.5e6, short: 0, wallets: 1 }],
          zones: [],
        },
      ],
    };
    act(() => store.setState({ snapshot: { ...snapshot, positions }, receivedAt: now }));
    expect(root.querySelector('[data-testid=positions-coverage]')?.textContent).toBe(
      'Hyperliquid BTC · 1,240 wallets · 38 % of open interest · read ≤ 6 min ago',
    );
    expect(root.querySelector('[data-testid=position-row]')?.textContent).toMatch(
      /0xab12…cd34.*Long.*\$2\.50M.*20× cross.*93,500\.0.*−3\.60 %/,
    );
    expect(root.textContent).toContain('2 inferred liquidations ($300.0K)');
  });
});

describe('popup tabs', () => {
  it('move with the arrow keys, and each names its panel', () => {
    mount({ snapshot, receivedAt: now });
    const tabs = () => [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')];
    expect(tabs().map((t) => t.textContent)).toEqual([
      'Zones',
      'Liq. map',
      'Imbalance',
      'Realized',
      'Market',
      'Positions',
      'Alerts',
      'Feeds',
      'This page',
    ]);
    act(() => void tabs()[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })));
    expect(tabs()[1].getAttribute('aria-selected')).toBe('true');
    expect(root.querySelector('[role=tabpanel]')?.getAttribute('aria-labelledby')).toBe('tab-map');
    act(() => void tabs()[1].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })));
    act(() => void tabs()[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })));
    expect(tabs().at(-1)!.getAttribute('aria-selected')).toBe('true'); // wraps around
    expect(tabs().filter((t) => t.tabIndex === 0)).toHaveLength(1); // one tab stop for the whole list
  });
});

describe('popup keyboard', () => {
  it('↑/↓ move through the search results and Enter takes the highlighted one; Home/End jump along the tabs', async () => {
    const { QuickView } = await import('../../../components/popup/QuickView');
    root = document.createElement('div');
    document.body.append(root);
    const instruments = [
      { venue: 'binance', symbol: 'BTCUSDT', coin: 'BTC', followed: true },
      { venue: 'binance', symbol: 'ETHUSDT', coin: 'ETH', followed: true },
      { venue: 'okx', symbol: 'ETH-USDT-SWAP', coin: 'ETH', followed: true },
    ];
    const asked: string[] = [];
    act(() =>
      render(
        <QuickView
          fetchView={(r) => (asked.push(r.target), new Promise(() => {}))}
          instruments={instruments}
          aggregate={false}
          gradient="classic"
          onAggregate={() => {}}
          onGradient={() => {}}
          onFollow={() => {}}
          tabs={{ realized: () => null, market: () => null, positions: null, alerts: null, feeds: null, page: null }}
        />,
        root,
      ),
    );
    const search = root.querySelector<HTMLInputElement>('#symbol-search')!;
    const key = (el: Element, k: string) => act(() => void el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));
    act(() => {
      search.value = 'ETH';
      search.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const options = () => [...root.querySelectorAll('[role=option]')];
    expect(options().length).toBeGreaterThan(1);
    key(search, 'ArrowDown');
    expect(options()[1].getAttribute('aria-selected')).toBe('true');
    const second = options()[1].textContent;
    key(search, 'Enter');
    // The second result, not the first: one venue's instrument, shown as itself (All venues is off).
    expect(second).toContain('binance:ETHUSDT');
    expect(root.querySelector('[data-testid=view-target]')!.textContent).toContain('binance:ETHUSDT');
    const first = root.querySelector<HTMLElement>('[role=tab]')!;
    act(() => first.focus());
    key(first, 'End');
    expect(document.activeElement?.textContent).toBe('This page');
    key(document.activeElement!, 'Home');
    expect(document.activeElement?.textContent).toBe('Zones');
  });
});

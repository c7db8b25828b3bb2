/**
 * The worker core in Node on memory ports and a fake clock: one settings writer, restarts that
 * resume exactly (the inverse-formula regression), the persistence schedule, snapshots only while
 * someone listens, alerts. Frames are fed through scripted sockets into the real parsers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PriceGrid } from '../../../lib/model/grid';
import { DEFAULT_TIERS, inverseLiquidationPrice, liquidationPrice, tierFor } from '../../../lib/model/liquidation-price';
import { DEFAULT_PARAMS } from '../../../lib/model/params';
import { defaultSettings, type Settings } from '../../../lib/settings';
import type { FetchLike } from '../../../lib/net/rest-poller';
import { WorkerCore } from '../../../lib/worker/core';
import { KEYS } from '../../../lib/worker/persistence';
import { JOURNAL_CHUNK, JOURNAL_HEAD_KEY, journalSlotKey, storedEntries } from '../../../lib/worker/realized-journal';
import { FakeClock, nextTurn } from '../../harness/fake-clock';
import { FakeHyperliquidInfo } from '../../harness/fake-hyperliquid-info';
import { memoryPorts, MemoryStore, onlyVenues, type MemoryPorts } from '../../harness/memory-ports';
import { dialects } from '../../harness/dialects';

const cores: WorkerCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

async function startCore(m: MemoryPorts): Promise<WorkerCore> {
  const core = new WorkerCore(m.ports);
  cores.push(core);
  await core.start();
  return core;
}

const json = JSON.stringify;
/** Bybit v5 frames as the venue documents them (tickers snapshot, publicTrade, allLiquidation). */
const bybit = {
  ticker: (symbol: string, mark: number, openInterest: number, ts: number) =>
    json({
      topic: `tickers.${symbol}`,
      type: 'snapshot',
      data: { symbol, markPrice: String(mark), openInterest: String(openInterest) },
      cs: 1,
      ts,
    }),
  trade: (symbol: string, side: 'Buy' | 'Sell', price: number, qty: number, id: string, T: number) =>
    json({
      topic: `publicTrade.${symbol}`,
      type: 'snapshot',
      ts: T,
      data: [{ T, s: symbol, S: side, v: String(qty), p: String(price), L: 'PlusTick', i: id, BT: false }],
    }),
  liquidation: (symbol: string, positionSide: 'Buy' | 'Sell', price: number, qty: number, T: number) =>
    json({
      topic: `allLiquidation.${symbol}`,
      type: 'snapshot',
      ts: T,
      data: [{ T, s: symbol, S: positionSide, v: String(qty), p: String(price) }],
    }),
};

describe('one settings writer', () => {
  it('merges a patch into what is stored, so nothing another UI saved meanwhile is undone', async () => {
    const m = memoryPorts({ settings: onlyVenues({}) });
    const core = await startCore(m);
    // The popup switches a site off; the keyboard command hides the overlay everywhere.
    await core.changeSettings({ overlay: { sites: { tradingview: false } } });
    expect(await core.toggleOverlay()).toBe(false);
    // Then the options page, opened before both, moves its opacity slider: it sends only that.
    await core.changeSettings({ overlay: { opacity: 0.35 } });
    expect(m.stored().overlay).toMatchObject({ enabled: false, opacity: 0.35, sites: expect.objectContaining({ tradingview: false }) });
  });

  it('refuses a patch that does not validate and writes nothing', async () => {
    const m = memoryPorts({ settings: onlyVenues({}) });
    const core = await startCore(m);
    const writes = m.settingsWrites;
    const result = await core.changeSettings({ overlay: { opacity: 7 }, model: { leverage: [{ leverage: 10, weight: 0.2 }] } });
    expect(result).toEqual({ error: expect.stringMatching(/model: .*100 %/) });
    expect(m.settingsWrites).toBe(writes);
    expect(m.stored().overlay.opacity).toBe(defaultSettings().overlay.opacity);
    expect(await core.changeSettings('nonsense')).toEqual({ error: expect.stringMatching(/must be an object/) });
    expect(await core.changeSettings({ ['__proto__']: { polluted: true } } as never)).toHaveProperty('settings');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('removes a calibration with null and runs concurrent writes one after another', async () => {
    const m = memoryPorts({ settings: onlyVenues({}) });
    const core = await startCore(m);
    const c = { y1: 100, price1: 101_000, y2: 500, price2: 99_000, axisX: 900, mode: 'linear' as const };
    await core.changeSettings({ overlay: { calibrations: { 'a.example.com': c, 'b.example.com': c } } });
    await Promise.all([
      core.changeSettings({ overlay: { calibrations: { 'a.example.com': null } } }),
      core.changeSettings({ overlay: { threshold: 0.3 } }),
      core.toggleOverlay(),
    ]);
    expect(Object.keys(m.stored().overlay.calibrations)).toEqual(['b.example.com']);
    expect(m.stored().overlay).toMatchObject({ threshold: 0.3, enabled: false });
  });

  it('applies what it wrote: a venue turned on connects at once', async () => {
    const m = memoryPorts({ settings: onlyVenues({}) });
    const core = await startCore(m);
    expect(m.sockets).toHaveLength(0);
    await core.changeSettings({ venues: { bybit: { enabled: true, symbols: ['BTCUSDT'] } } });
    expect(m.socket('/v5/public/linear')).toBeDefined();
    expect(core.health().map((h) => h.venue)).toEqual(['bybit']);
  });
});

describe('views', () => {
  it('carry the price step of their instrument, or the finest of a coin’s, so prices read as on the venue', async () => {
    const clock = new FakeClock();
    const m = memoryPorts({ settings: onlyVenues({ binance: ['BTCUSDT', 'ETHUSDT'] }), clock });
    const core = await startCore(m);
    const ws = m.socket('/market/stream');
    ws.open();
    ws.receive(dialects.binance.mark('BTCUSDT', 97_000.1, clock.now()).frame);
    ws.receive(dialects.binance.mark('ETHUSDT', 3_400.12, clock.now()).frame);
    await clock.advance(1_000);
    const view = (target: string) => {
      const v = core.view({ target, range: '24h', columns: 10, rows: 10, withinFraction: 0.05 });
      if ('error' in v) throw new Error(v.error);
      return v;
    };
    // Binance's BTCUSDT ticks in 0.1 and ETHUSDT in 0.01 (its exchangeInfo PRICE_FILTER).
    expect(view('coin:BTC').tickSize).toBe(0.1);
    expect(view('binance:ETHUSDT').tickSize).toBe(0.01);
    expect(view('coin:DOGE').tickSize).toBeUndefined(); // not streamed: no step claimed
  });
});

describe('instrument limits', () => {
  // Regression: every adapter parsed InstrumentSpec.maxLeverage and none of it reached the model (a
  // hard-coded table per venue did), so an altcoin capped at 20× still got 25×, 50× and 100× levels:
  // prices where no position can exist.
  it("place no level beyond the instrument's maximum leverage from its venue's list", async () => {
    const clock = new FakeClock();
    const local = new MemoryStore();
    const wif = { venue: 'bybit', symbol: 'WIFUSDT', base: 'WIF', quote: 'USDT', inverse: false, contractSize: 1, baseMultiplier: 1 };
    await local.set(KEYS.specs('bybit'), { at: clock.now(), specs: [{ ...wif, maxLeverage: 20 }] });
    const m = memoryPorts({ settings: onlyVenues({ bybit: ['WIFUSDT'] }), local, clock });
    const core = await startCore(m);
    for (let i = 0; i < 5; i++) await nextTurn(); // the cached instrument list is read
    const ws = m.socket('/v5/public/linear');
    ws.open();
    const t = clock.now();
    ws.receive(bybit.ticker('WIFUSDT', 2, 10_000_000, t));
    ws.receive(bybit.trade('WIFUSDT', 'Buy', 2, 100_000, 'w1', t + 1));
    ws.receive(bybit.trade('WIFUSDT', 'Sell', 2, 100_000, 'w2', t + 2));
    ws.receive(bybit.ticker('WIFUSDT', 2, 10_200_000, t + 3));
    await clock.advance(10_000);

    const view = core.view({ target: 'bybit:WIFUSDT', range: '24h', columns: 10, rows: 10, withinFraction: 0.5 });
    if ('error' in view) throw new Error(view.error);
    const map = view.map!;
    const usdAt = (leverage: number) => map.cells.reduce((sum, c) => sum + c.tiers[map.leverages.indexOf(leverage)], 0);
    const total = map.cells.reduce((sum, c) => sum + c.long + c.short, 0);
    expect(map.leverages).toEqual([5, 10, 25, 50, 100]);
    expect(total).toBeGreaterThan(50_000);
    expect([usdAt(25), usdAt(50), usdAt(100)]).toEqual([0, 0, 0]);
    expect(usdAt(5) + usdAt(10)).toBeCloseTo(total, 6); // the prior's weight moves to the tiers allowed
  });
});

describe('restart', () => {
  const settings = (): Settings => {
    const s = onlyVenues({ bybit: ['BTCUSD'] });
    s.model = { ...DEFAULT_PARAMS, leverage: [{ leverage: 10, weight: 1 }] };
    return s;
  };

  it('an inverse instrument keeps the inverse formula after the worker restarts', async () => {
    const clock = new FakeClock();
    const session = new MemoryStore();
    const first = memoryPorts({ settings: settings(), clock, session });
    const before = await startCore(first);
    const ws = first.socket('/v5/public/inverse');
    ws.open();
    ws.receive(bybit.ticker('BTCUSD', 100_000, 10_000_000, clock.now()));
    await clock.advance(16_000); // the engine snapshot is saved every 15 s
    expect(session.data.has(KEYS.model)).toBe(true);
    before.stop(); // the browser unloads the worker

    const second = memoryPorts({ settings: settings(), clock, session });
    const core = await startCore(second);
    const ws2 = second.socket('/v5/public/inverse');
    ws2.open();
    const t = clock.now();
    ws2.receive(bybit.trade('BTCUSD', 'Buy', 100_000, 100_000, 't1', t));
    ws2.receive(bybit.ticker('BTCUSD', 100_000, 10_100_000, t + 1));
    await clock.advance(10_000);

    const view = core.view({ target: 'bybit:BTCUSD', range: '24h', columns: 10, rows: 10, withinFraction: 0.5 });
    if ('error' in view) throw new Error(view.error);
    const longCells = view.map!.cells.filter((c) => c.long > 0);
    expect(longCells).toHaveLength(1);
    const grid = new PriceGrid(DEFAULT_PARAMS.gridStep);
    const entry = grid.priceOf(grid.cellOf(100_000));
    const mmr = tierFor(DEFAULT_TIERS, DEFAULT_PARAMS.typicalPositionUsd).mmr;
    const inverse = grid.cellOf(inverseLiquidationPrice('long', entry, 10, mmr));
    expect(grid.cellOf(longCells[0].price)).toBe(inverse);
    expect(inverse).not.toBe(grid.cellOf(liquidationPrice('long', entry, 10, mmr)));
  });

  it('keeps realized liquidations that arrived after the last full snapshot', async () => {
    const clock = new FakeClock();
    const session = new MemoryStore();
    const first = memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }), clock, session });
    const before = await startCore(first);
    const ws = first.socket('/v5/public/linear');
    ws.open();
    await clock.advance(5_000); // a snapshot without them
    ws.receive(bybit.liquidation('BTCUSDT', 'Buy', 97_000, 2, clock.now()));
    ws.receive(bybit.liquidation('BTCUSDT', 'Sell', 97_100, 1, clock.now() + 1));
    await clock.advance(250); // journaled within 200 ms, before the next full snapshot
    expect(storedEntries((session.data.get(journalSlotKey(0)) as { entries: unknown }).entries)).toHaveLength(2);
    before.stop();

    const core = await startCore(memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }), clock, session }));
    const market = core.snapshot().market;
    expect(market.liquidations.map((l) => l.liquidatedSide).sort()).toEqual(['long', 'short']);
    expect(market.instruments['bybit:BTCUSDT']).toMatchObject({ liquidations: 2, longLiquidatedUsd: 194_000 });
  });

  it('journals a liquidation burst by appending: no write holds more than one chunk, and a restart gets them all back', async () => {
    const clock = new FakeClock();
    const session = new MemoryStore();
    const sizes: number[] = [];
    session.onWrite = (key, value) => {
      if (key.startsWith('realized:') && key !== JOURNAL_HEAD_KEY)
        sizes.push(storedEntries((value as { entries: unknown }).entries)!.length);
    };
    const first = memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }), clock, session });
    const before = await startCore(first);
    const ws = first.socket('/v5/public/linear');
    ws.open();
    for (let i = 0; i < 300; i++) {
      ws.receive(bybit.liquidation('BTCUSDT', i % 3 ? 'Buy' : 'Sell', 97_000 - i, 0.1, clock.now() + i));
      if (i % 20 === 19) await clock.advance(100); // 300 in 1.5 s
    }
    await clock.advance(300);
    // The old way rewrote the whole recent list every 200 ms (up to 300 entries a write here).
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(JOURNAL_CHUNK);
    // The model's own snapshot (every 15 s) carries their count, not the list: the journal does.
    await clock.advance(16_000);
    const saved = session.data.get(KEYS.model) as { realized: { countedIds: string[] } } & Record<string, unknown>;
    expect(saved.realized.countedIds).toHaveLength(300);
    expect(JSON.stringify(saved)).not.toContain('liquidatedSide');
    before.stop();
    const core = await startCore(memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }), clock, session }));
    expect(core.snapshot().market.instruments['bybit:BTCUSDT']?.liquidations).toBe(300);
  });

  it('starts clean, with a word, when the saved state is unreadable', async () => {
    const session = new MemoryStore();
    session.data.set(KEYS.model, { version: 99, garbage: true });
    session.data.set(JOURNAL_HEAD_KEY, { index: 0 });
    session.data.set(journalSlotKey(0), { index: 0, entries: [{ id: 7 }, null, 'x', ['a', 'bybit']] });
    const core = await startCore(memoryPorts({ session }));
    expect(core.snapshot().market.liquidations).toEqual([]);
    expect(core.snapshot().notices.some((n) => /history is not available/.test(n))).toBe(true);
  });
});

describe('snapshots', () => {
  it('are never built while nobody listens, and at most 4 a second to the popup and 1 a second to a chart tab', async () => {
    const m = memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }) });
    const core = await startCore(m);
    const ws = m.socket('/v5/public/linear');
    ws.open();
    const feed = async (seconds: number) => {
      for (let i = 0; i < seconds * 20; i++) {
        ws.receive(bybit.trade('BTCUSDT', i % 2 ? 'Buy' : 'Sell', 97_000 + i, 0.01, `${seconds}-${i}`, m.clock.now()));
        await m.clock.advance(50);
      }
    };
    await feed(10);
    expect(core.stats.snapshotsBuilt).toBe(0);
    expect(m.published).toHaveLength(0);

    core.listen('page');
    const built = core.stats.snapshotsBuilt;
    await feed(10);
    const pushes = m.published.filter((p) => p.listener === 'page').length;
    expect(pushes).toBeGreaterThanOrEqual(38);
    expect(pushes).toBeLessThanOrEqual(41);
    expect(core.stats.snapshotsBuilt - built).toBe(pushes);

    // A chart tab as well: it gets one a second, the popup still four.
    core.listen('tab:7');
    const page = m.published.filter((p) => p.listener === 'page').length;
    await feed(10);
    const tab = m.published.filter((p) => p.listener === 'tab:7').length;
    expect(tab).toBeGreaterThanOrEqual(9);
    expect(tab).toBeLessThanOrEqual(11);
    expect(m.published.filter((p) => p.listener === 'page').length - page).toBeGreaterThanOrEqual(38);
    m.refusing.add('page'); // the popup closes

    // The tab navigated away: its next delivery is refused and it is dropped; the work stops.
    m.refusing.add('tab:7');
    await feed(1);
    const after = core.stats.snapshotsBuilt;
    await feed(5);
    expect(core.stats.snapshotsBuilt).toBe(after);
    expect(core.listening).toBe(false);
  });
});

describe('realized liquidations', () => {
  it('reach listeners within a frame, batched, without waiting for the next snapshot; nobody listening, nothing is sent', async () => {
    const m = memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }) });
    const core = await startCore(m);
    const ws = m.socket('/v5/public/linear');
    ws.open();
    ws.receive(bybit.liquidation('BTCUSDT', 'Buy', 97_000, 1, m.clock.now()));
    await m.clock.advance(100);
    expect(m.realizedPushes).toHaveLength(0);

    core.listen('tab:3');
    await m.clock.advance(300); // past the throttle's window: the next snapshot would go at once
    const before = m.published.length;
    const t = m.clock.now();
    ws.receive(bybit.liquidation('BTCUSDT', 'Buy', 97_100, 1, t));
    ws.receive(bybit.liquidation('BTCUSDT', 'Sell', 97_200, 2, t));
    await m.clock.advance(16);
    expect(m.realizedPushes).toEqual([
      {
        listener: 'tab:3',
        at: t + 16,
        liquidations: [expect.objectContaining({ price: 97_100 }), expect.objectContaining({ price: 97_200, liquidatedSide: 'short' })],
      },
    ]);
    expect(m.published.length - before).toBeLessThanOrEqual(1); // snapshots stay throttled
  });

  it('reach a chart tab for the coin it shows only, in snapshots and pushes; the popup gets every coin', async () => {
    const m = memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT', 'ETHUSDT'] }) });
    const core = await startCore(m);
    const ws = m.socket('/v5/public/linear');
    ws.open();
    const t = m.clock.now();
    ws.receive(bybit.liquidation('BTCUSDT', 'Buy', 97_000, 1, t));
    ws.receive(bybit.liquidation('ETHUSDT', 'Buy', 3_400, 10, t));
    core.listen('page');
    core.watchCoin('tab:5', { coin: 'BTC' });
    const first = core.listen('tab:5');
    expect(Object.keys(first.market.instruments)).toEqual(['bybit:BTCUSDT']);
    expect(first.market.liquidations.map((l) => l.instrument)).toEqual(['bybit:BTCUSDT']);
    await m.clock.advance(1_500);
    ws.receive(bybit.liquidation('ETHUSDT', 'Sell', 3_410, 10, m.clock.now()));
    ws.receive(bybit.liquidation('BTCUSDT', 'Sell', 97_100, 1, m.clock.now()));
    await m.clock.advance(1_500);
    const pushed = (listener: string) => m.realizedPushes.filter((p) => p.listener === listener).flatMap((p) => p.liquidations);
    expect(pushed('tab:5').map((l) => l.instrument)).toEqual(['bybit:BTCUSDT']);
    expect(
      pushed('page')
        .map((l) => l.instrument)
        .sort(),
    ).toEqual(['bybit:BTCUSDT', 'bybit:ETHUSDT']);
    const tabSnapshot = m.published.filter((p) => p.listener === 'tab:5').at(-1)!.snapshot;
    expect(tabSnapshot.market.liquidations.every((l) => l.instrument === 'bybit:BTCUSDT')).toBe(true);
    expect(tabSnapshot.market.liquidations).toHaveLength(2);
    expect(Object.keys(tabSnapshot.market.zones).every((k) => k === 'BTC' || k === 'bybit:BTCUSDT')).toBe(true);
    expect(tabSnapshot.feeds).toEqual(core.snapshot().feeds); // feed health whole: the tab shows it
    const pageSnapshot = m.published.filter((p) => p.listener === 'page').at(-1)!.snapshot;
    expect(Object.keys(pageSnapshot.market.instruments).sort()).toEqual(['bybit:BTCUSDT', 'bybit:ETHUSDT']);
  });
});

/**
 * Binance whose open-interest REST answers 503 to its first `failFirst` requests and a reading after
 * (every other REST down); `asked` holds when each open-interest request came.
 */
function binanceWithOpenInterest(failFirst = 0) {
  const asked: number[] = [];
  const clock = new FakeClock();
  const fetch: FetchLike = async (url) => {
    const oi = String(url).includes('/fapi/v1/openInterest');
    if (oi) asked.push(clock.now());
    const ok = oi && asked.length > failFirst;
    const body = ok ? JSON.stringify({ openInterest: '81234.567', symbol: 'BTCUSDT', time: clock.now() }) : '{"error":"down"}';
    return { status: ok ? 200 : 503, headers: { get: () => null }, text: async () => body };
  };
  return { asked, m: memoryPorts({ settings: onlyVenues({ binance: ['BTCUSDT'] }), fetch, clock }) };
}

describe('open interest polls', () => {
  it('ask nothing for a market without trades (its open interest cannot move), and ask again once it trades', async () => {
    const { asked, m } = binanceWithOpenInterest();
    await startCore(m);
    const ws = m.socket('fstream');
    ws.open();
    for (let s = 0; s < 60; s++) {
      ws.receive(dialects.binance.mark('BTCUSDT', 97_000, m.clock.now()).frame); // mark prices, no trade
      await m.clock.advance(1_000);
    }
    expect(asked).toHaveLength(1); // a minute without trades: the first reading only
    let id = 1;
    for (let s = 0; s < 30; s++) {
      ws.receive(
        dialects.binance.trade({ symbol: 'BTCUSDT', price: 97_000 + s, qty: 0.1, takerSide: 'buy', id: String(id++), time: m.clock.now() })
          .frame,
      );
      await m.clock.advance(1_000);
    }
    expect(asked.length).toBeGreaterThanOrEqual(3); // every round while it trades, 10 s apart
  });
});

describe('open interest polls after a failure', () => {
  it('retry a reading that failed, trades or not: a quiet market still gets its open interest', async () => {
    const { asked, m } = binanceWithOpenInterest(1); // the first reading fails
    const core = await startCore(m);
    const ws = m.socket('fstream');
    ws.open();
    for (let s = 0; s < 90; s++) {
      ws.receive(dialects.binance.mark('BTCUSDT', 97_000, m.clock.now()).frame);
      await m.clock.advance(1_000);
    }
    expect(asked).toHaveLength(2); // the failure, its retry, and then nothing more without trades
    expect(core.snapshot().market.instruments['binance:BTCUSDT']?.openInterest).toBe(81234.567);
  });
});

describe('the tick', () => {
  it('saves the engine only when it changed and closes model steps on a quiet market', async () => {
    const m = memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }) });
    await startCore(m);
    const ws = m.socket('/v5/public/linear');
    ws.open();
    ws.receive(bybit.ticker('BTCUSDT', 97_000, 100_000, m.clock.now()));
    await m.clock.advance(15_000);
    const writes = m.session.writes;
    await m.clock.advance(60_000); // nothing new arrives
    expect(m.session.writes).toBe(writes);
  });

  it('writes heatmap history when a minute column was added, not at every 15 s save', async () => {
    const saves: number[] = [];
    const history = async () => ({
      loadAll: async () => ({ histories: new Map(), skipped: 0 }),
      save: async (_instrument: string, _history: unknown, since: number) => void saves.push(since),
      pruneBefore: async () => {},
      clear: async () => {},
    });
    const m = memoryPorts({ settings: onlyVenues({ bybit: ['BTCUSDT'] }), history });
    await startCore(m);
    const ws = m.socket('/v5/public/linear');
    ws.open();
    // A trade a second for three minutes: three minute columns, twelve 15 s saves.
    for (let i = 0; i < 180; i++) {
      ws.receive(bybit.trade('BTCUSDT', i % 2 ? 'Buy' : 'Sell', 97_000 + (i % 7), 0.01, `t${i}`, m.clock.now()));
      ws.receive(bybit.ticker('BTCUSDT', 97_000, 100_000 + i, m.clock.now()));
      await m.clock.advance(1_000);
    }
    expect(saves.length).toBeGreaterThanOrEqual(2);
    expect(saves.length).toBeLessThanOrEqual(4);
  });

  it('fires a realized alert as the liquidation arrives, once however often it is re-delivered, and keeps its history', async () => {
    const s = onlyVenues({ bybit: ['BTCUSDT'] });
    s.alerts = {
      enabled: true,
      sound: false,
      cooldownMinutes: 10,
      rules: [{ id: 'big', kind: 'liquidation', enabled: true, target: 'BTC', minUsd: 100_000 }],
    };
    const m = memoryPorts({ settings: s });
    const core = await startCore(m);
    const ws = m.socket('/v5/public/linear');
    ws.open();
    const frame = bybit.liquidation('BTCUSDT', 'Buy', 97_000, 3, m.clock.now());
    ws.receive(frame);
    ws.receive(frame); // re-delivered after a reconnect
    expect(m.notified.map((a) => a.title)).toEqual(['$291.0K long liquidated']);
    expect(core.alertHistory()).toHaveLength(1);
    await m.clock.advance(300);
    expect((m.local.data.get(KEYS.alertHistory) as unknown[]).length).toBe(1);
    // Journaled once too: the engine drops the copy, and only what it kept goes on.
    const journaled = [...m.session.data]
      .filter(([key]) => key.startsWith('realized:') && key !== JOURNAL_HEAD_KEY)
      .flatMap(([, chunk]) => storedEntries((chunk as { entries: unknown }).entries)!);
    expect(journaled).toHaveLength(1);
  });
});

describe('real positions (Hyperliquid)', () => {
  const wallet = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;
  const hlTrades = (coin: string, price: number, t: number, pairs: [number, number][]) =>
    json({
      channel: 'trades',
      data: pairs.map(([buyer, seller], i) => ({
        coin,
        side: i % 2 ? 'A' : 'B',
        px: String(price),
        sz: '0.5',
        hash: '0x0',
        time: t,
        tid: t + i,
        users: [wallet(buyer), wallet(seller)],
      })),
    });
  const ctx = (coin: string, mark: number, oi: number) =>
    json({
      channel: 'activeAssetCtx',
      data: {
        coin,
        ctx: {
          markPx: String(mark),
          oraclePx: String(mark),
          funding: '0.00001',
          openInterest: String(oi),
          dayNtlVlm: '1',
          prevDayPx: String(mark),
          midPx: String(mark),
        },
      },
    });

  it('discovers wallets from trades, reads them within the budget, and shows the true book with its coverage', async () => {
    const clock = new FakeClock();
    const info = await FakeHyperliquidInfo.start(clock.now);
    try {
      for (let i = 1; i <= 40; i++) {
        info.world.set(wallet(i), [
          {
            coin: 'BTC',
            szi: i % 2 ? 0.5 : -0.5,
            entryPx: 97_000,
            leverage: 10,
            margin: i % 3 ? 'cross' : 'isolated',
            liquidationPx: i % 2 ? 90_000 + i * 10 : 104_000 - i * 10,
            leverageAsString: i % 4 === 0,
          },
        ]);
      }
      info.world.set(wallet(41), [{ coin: 'BTC', szi: 2, entryPx: 97_000, leverage: 2, margin: 'cross', liquidationPx: null }]);
      // A wallet that traded just before LiqLens started: only recentTrades names it.
      info.world.set(wallet(99), [{ coin: 'BTC', szi: 0.1, entryPx: 97_000, leverage: 40, margin: 'isolated', liquidationPx: 95_000 }]);
      info.recentTrades = [
        { coin: 'BTC', side: 'B', px: '97000', sz: '0.1', time: clock.now() - 5_000, hash: '0x0', tid: 1, users: [wallet(99), wallet(1)] },
      ];
      const s = onlyVenues({ hyperliquid: ['BTC'] });
      s.venues.hyperliquid!.endpoints.rest = info.url;
      s.recording.enabled = true;
      const m = memoryPorts({ settings: s, clock, fetch: (url, init) => fetch(url, init) });
      const core = await startCore(m);
      const ws = m.socket('/ws');
      ws.open();
      ws.receive(ctx('BTC', 97_000, 100));
      ws.receive(
        hlTrades(
          'BTC',
          97_000,
          clock.now(),
          Array.from({ length: 21 }, (_, i) => [2 * i + 1, 2 * i + 2]),
        ),
      );
      const settle = async () => {
        for (let i = 0; i < 5_000 && info.log.length < 46; i++) await nextTurn(); // the loopback server's answers
        await nextTurn();
      };
      await clock.advance(60_000, settle);
      const view = core.snapshot().positions!;
      expect(view.status).toMatchObject({ wallets: 43, errors: 0 });
      expect(view.status.budget.limitPerMinute).toBe(300);
      // One budget for everything LiqLens asks of the host: instrument list, margin table, recent trades, positions.
      expect(info.log.filter((r) => r.type === 'meta')).toHaveLength(2);
      expect(info.log.filter((r) => r.type === 'recentTrades')).toHaveLength(1);
      expect(info.log.filter((r) => r.user === wallet(99))).toHaveLength(1);
      expect(info.highestWeightPerMinute()).toBeLessThanOrEqual(300);
      expect(view.status.budget.highestPerMinute).toBe(info.highestWeightPerMinute());
      const btc = view.coins.find((c) => c.coin === 'BTC')!;
      expect(btc).toMatchObject({
        instrument: 'hyperliquid:BTC',
        wallets: 42,
        positions: 42,
        longUsd: 20 * 48_500 + 9_700,
        shortUsd: 20 * 48_500,
        noLiquidationUsd: 194_000,
      });
      // 100 BTC open a side at 97 000: both sides are $19.4M; 42 wallets hold $2.1437M of it.
      expect(btc.coverage).toBeCloseTo(2_143_700 / 19_400_000, 6);
      expect(btc.largest[0]).toMatchObject({ wallet: expect.stringMatching(/^0x0000…00[0-9a-f]{2}$/), usd: 48_500 });
      // Recorded with the request that asked for it: the reply names no wallet.
      const lines = core
        .exportRecording(10)
        .jsonl.split('\n')
        .filter((l) => l.includes('clearinghouseState'));
      expect(lines.length).toBeGreaterThan(40);
      expect(JSON.parse(lines[0])).toMatchObject({
        venue: 'hyperliquid',
        rest: '/info',
        request: expect.stringMatching(/"user":"0x0{30}/),
      });
    } finally {
      await info.close();
    }
  });

  it('stays off while positions are switched off, and keeps its budget share as set', async () => {
    const s = onlyVenues({ hyperliquid: ['BTC'] });
    s.positions.enabled = false;
    const m = memoryPorts({ settings: s });
    const core = await startCore(m);
    expect(core.snapshot().positions).toBeUndefined();
    await core.changeSettings({ positions: { enabled: true, budgetShare: 0.1 } });
    expect(core.snapshot().positions!.status.budget.limitPerMinute).toBe(120);
  });
});

describe("following the page's coin", () => {
  const spec = (symbol: string, base: string) => ({
    venue: 'bybit' as const,
    symbol,
    base,
    quote: 'USDT',
    inverse: false,
    contractSize: 1,
    baseMultiplier: 1,
  });
  const listed = ['BTC', 'DOGE', 'PEPE', 'WIF', 'SUI', 'TON', 'ARB'].map((c) => spec(`${c}USDT`, c));
  /** A core streaming bybit:BTCUSDT whose instrument list (from the cache) also names six more coins. */
  async function setup(follow: Partial<Settings['follow']> = {}) {
    const local = new MemoryStore();
    const clock = new FakeClock(Date.UTC(2026, 11, 1, 12));
    await local.set(KEYS.specs('bybit'), { at: clock.now(), specs: listed });
    const settings = onlyVenues({ bybit: ['BTCUSDT'] });
    settings.follow = { ...settings.follow, ...follow };
    const m = memoryPorts({ settings, local, clock });
    const core = await startCore(m);
    for (let i = 0; i < 5; i++) await nextTurn(); // the cached instrument list is read
    const socket = m.socket('/v5/public/linear');
    socket.open();
    const sent = () => socket.sent.map((f) => JSON.parse(f) as { op: string; args: string[] }).filter((f) => f.op !== 'ping');
    /** Time passes on a live market: BTC ticks every 20 s, so the socket never looks stale. */
    const live = async (ms: number) => {
      for (let t = 0; t < ms; t += 20_000) {
        socket.receive(bybit.ticker('BTCUSDT', 97_000, 50_000, clock.now()));
        await clock.advance(Math.min(20_000, ms - t));
      }
    };
    return { m, core, socket, sent, clock, live };
  }

  it('subscribes a coin no venue streams on the open socket, and drops it after the grace period', async () => {
    const { m, core, socket, sent, clock, live } = await setup();
    expect(core.watchCoin('tab:1', { coin: 'DOGE' })).toEqual({ coin: 'DOGE', followed: ['bybit:DOGEUSDT'], capped: [], unlisted: false });
    expect(sent().at(-1)).toEqual({ op: 'subscribe', args: ['allLiquidation.DOGEUSDT', 'publicTrade.DOGEUSDT', 'tickers.DOGEUSDT'] });
    socket.receive(bybit.trade('DOGEUSDT', 'Buy', 0.4, 1000, 'd1', clock.now()));
    expect(core.snapshot().market.instruments['bybit:DOGEUSDT']).toBeDefined();
    expect(core.snapshot().follow?.followed).toEqual([{ coin: 'DOGE', instruments: ['bybit:DOGEUSDT'], shown: true }]);
    // The page moves on to BTC: DOGE stays for the grace period, then goes.
    core.watchCoin('tab:1', { coin: 'BTC' });
    expect(core.snapshot().follow?.followed).toEqual([
      { coin: 'DOGE', instruments: ['bybit:DOGEUSDT'], shown: false, until: clock.now() + 5 * 60_000 },
    ]);
    await live(5 * 60_000 + 5_000);
    expect(sent().at(-1)).toEqual({ op: 'unsubscribe', args: ['allLiquidation.DOGEUSDT', 'publicTrade.DOGEUSDT', 'tickers.DOGEUSDT'] });
    expect(core.snapshot().follow?.followed).toEqual([]);
    // BTC kept its socket the whole time.
    expect(m.sockets.filter((s) => s.url.includes('linear'))).toHaveLength(1);
    expect(core.health()[0]).toMatchObject({ reconnects: 0, symbols: ['BTCUSDT'] });
  });

  it('a closed tab stops counting once it stops repeating what it shows', async () => {
    const { core, live } = await setup({ graceMinutes: 0 });
    core.watchCoin('tab:1', { coin: 'DOGE' });
    await live(60_000);
    expect(core.snapshot().follow?.followed).toHaveLength(1);
    await live(120_000); // no heartbeat for 2.5 minutes: the tab is gone
    expect(core.snapshot().follow?.followed).toEqual([]);
  });

  it('pins a followed coin: it becomes a setting, and its subscription is not touched', async () => {
    const { m, core, sent } = await setup();
    core.watchCoin('page', { coin: 'PEPE' });
    const frames = sent().length;
    expect(await core.pinCoin({ coin: 'PEPE' })).toHaveProperty('settings');
    expect(m.stored().venues.bybit?.symbols).toEqual(['BTCUSDT', 'PEPEUSDT']);
    expect(core.snapshot().follow?.followed).toEqual([]);
    expect(sent()).toHaveLength(frames);
    expect(await core.pinCoin({ coin: 'WIF' })).toEqual({ error: expect.stringMatching(/not followed/) });
  });

  it('follows at most five coins a venue for open pages and says which one did not fit', async () => {
    const { core } = await setup();
    const coins = ['DOGE', 'PEPE', 'WIF', 'SUI', 'TON', 'ARB'];
    coins.forEach((coin, i) => core.watchCoin(`tab:${i}`, { coin }));
    expect(core.snapshot().follow?.followed.map((f) => f.coin)).toEqual(coins.slice(0, 5));
    expect(core.watchCoin('tab:5', { coin: 'ARB' })).toMatchObject({ followed: [], capped: ['bybit'] });
    // A coin no enabled venue lists is said so, not guessed.
    expect(core.watchCoin('tab:9', { coin: 'NOPE' })).toMatchObject({ followed: [], capped: [], unlisted: true });
    expect(core.watchCoin('tab:9', { coin: 'lower-case' })).toEqual({
      error: expect.stringMatching(/the coin is letters and digits, like BTC/),
    });
  });

  it('does nothing when following is off in the settings', async () => {
    const { core, sent } = await setup({ enabled: false });
    const frames = sent().length;
    expect(core.watchCoin('tab:1', { coin: 'DOGE' })).toMatchObject({ followed: [] });
    expect(sent()).toHaveLength(frames);
  });
});

describe('backfill', () => {
  it('starts over from the new endpoint when the settings change one while it runs', async () => {
    const asked: string[] = [];
    const fetch = (url: string) => {
      asked.push(url);
      // The first REST host never answers; the second says 503 (what matters is that it is asked).
      if (url.startsWith('https://stuck.example')) return new Promise<never>(() => {});
      return Promise.resolve({ status: 503, headers: { get: () => null }, text: async () => '{}' });
    };
    const settings = onlyVenues({ binance: ['BTCUSDT'] });
    settings.venues.binance!.endpoints.rest = 'https://stuck.example';
    const m = memoryPorts({ settings, fetch });
    const core = await startCore(m);
    await nextTurn();
    expect(asked.some((u) => u.startsWith('https://stuck.example/fapi/v1/klines'))).toBe(true);
    await core.changeSettings({ venues: { binance: { endpoints: { rest: 'https://fixed.example' } } } });
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(asked.some((u) => u.startsWith('https://fixed.example/fapi/v1/klines'))).toBe(true);
  });

  it('forgets failures of settings that no longer apply: a venue turned off is no longer listed as failed', async () => {
    const settings = onlyVenues({ binance: ['BTCUSDT'], bybit: ['BTCUSDT'] });
    settings.venues.bybit!.endpoints.rest = 'https://stuck.example';
    // Binance's REST says 503 (fails fast); Bybit's never answers (its run is still going when the settings change).
    const fetch = (url: string) =>
      url.startsWith('https://stuck.example')
        ? new Promise<never>(() => {})
        : Promise.resolve({ status: 503, headers: { get: () => null }, text: async () => '{}' });
    const m = memoryPorts({ settings, fetch });
    const core = await startCore(m);
    for (let i = 0; i < 10; i++) await nextTurn();
    expect(core.snapshot().backfill!.failed.some((f) => f.startsWith('binance:BTCUSDT'))).toBe(true);
    await core.changeSettings({ venues: { binance: { enabled: false } } });
    for (let i = 0; i < 10; i++) await nextTurn();
    expect(core.snapshot().backfill!.failed).toEqual([]);
  });
});

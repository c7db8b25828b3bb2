/**
 * Backfill from the venues' REST history (served by the fake venue servers in each venue's format)
 * through the same model as live data: the heatmap has a day of history and zones at once.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { binance } from '../../../lib/exchanges/binance';
import { gate } from '../../../lib/exchanges/gate';
import type { VenueId } from '../../../lib/exchanges/types';
import { backfillSince, BACKFILL_DEPTH_MS } from '../../../lib/model/backfill';
import { MarketModel } from '../../../lib/model';
import { runBackfill } from '../../../lib/net/backfill-runner';
import type { BackfillProgress } from '../../../lib/contract/health';
import type { FetchLike } from '../../../lib/net/rest-poller';
import { dialects } from '../../harness/dialects';
import { FakeVenueServer } from '../../harness/fake-venue';
import { SHARED_REFERENCE_DIR, sharedOrSkipNotice } from '../../harness/recording';

const fetchImpl: FetchLike = (url, init) => fetch(url, init);
const servers: FakeVenueServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('backfill', () => {
  it.each([
    ['binance', 'BTCUSDT'],
    ['bybit', 'BTCUSDT'],
    ['okx', 'BTC-USDT-SWAP'],
    ['gate', 'BTC_USDT'],
    ['dydx', 'BTC-USD'],
  ] as [VenueId, string][])('%s: a day of candles and open interest becomes history and zones', async (venue, symbol) => {
    const server = await FakeVenueServer.start(dialects[venue]);
    servers.push(server);
    const engine = new MarketModel();
    const progress: BackfillProgress[] = [];
    const now = Date.now();
    const result = await runBackfill({
      fetch: fetchImpl,
      configs: [{ venue, symbols: [symbol], endpoints: { ws: server.url, rest: server.restUrl } }],
      since: (i) => backfillSince(engine.historyOf(i)?.minutes.lastTime(), now),
      onEvents: (e) => engine.ingest(e, 'backfill'),
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ state: 'done', total: 1, done: 1, failed: [] });
    expect(progress[0]).toMatchObject({ state: 'running', total: 1, done: 0 });
    const history = engine.historyOf(`${venue}:${symbol}`)!;
    // A day of 5-minute candles becomes minute columns: the heatmap is not empty on first open.
    expect(history.minutes.length).toBeGreaterThan(1_300);
    expect(engine.zones('coin:BTC', now).filter((z) => z.kind === 'estimated').length).toBeGreaterThan(0);
    // Backfill is an estimate: no realized liquidation is invented.
    expect(engine.summary(100, 0).liquidations).toEqual([]);
  });

  it.each([
    ['bitget', 'BTCUSDT'],
    ['kraken', 'PF_XBTUSD'],
  ] as [VenueId, string][])('%s: candles only (no public open-interest history) fill the day of price columns', async (venue, symbol) => {
    const server = await FakeVenueServer.start(dialects[venue]);
    servers.push(server);
    const engine = new MarketModel();
    const result = await runBackfill({
      fetch: fetchImpl,
      configs: [{ venue, symbols: [symbol], endpoints: { ws: server.url, rest: server.restUrl } }],
      since: () => Date.now() - 86_400_000,
      onEvents: (e) => engine.ingest(e, 'backfill'),
    });
    expect(result).toMatchObject({ state: 'done', done: 1, failed: [] });
    expect(engine.historyOf(`${venue}:${symbol}`)!.minutes.length).toBeGreaterThan(1_300);
  });

  it('Gate counts contracts: with the contract spec, volume and open interest are contracts × multiplier', () => {
    const candles = JSON.stringify([{ t: 1_800_000_000, v: 10_000, c: '97100', h: '97200', l: '96900', o: '97000', sum: '97050' }]);
    const stats = JSON.stringify([{ time: 1_800_000_300, open_interest: 500_000, open_interest_usd: 4_855_000, mark_price: 97_100 }]);
    const spec = gate.specs.defaults.find((s) => s.symbol === 'BTC_USDT')!;
    const data = gate.backfill!.parse([candles, stats], spec);
    if ('error' in data) throw new Error(data.error);
    expect(data.candles[0]).toMatchObject({ time: 1_800_000_000_000, volume: 1, quoteVolume: 97_050 });
    expect(data.openInterest).toEqual([{ time: 1_800_000_300_000, coins: 50 }]);
    // Before the contract list loads: the same coins from the USD figures.
    const unsized = gate.backfill!.parse([candles, stats]);
    if ('error' in unsized) throw new Error(unsized.error);
    expect(unsized.openInterest[0].coins).toBeCloseTo(50, 6);
  });

  it('after downtime it fetches only from the last column; fresh history needs none', () => {
    const now = Date.UTC(2026, 10, 23, 12);
    expect(backfillSince(undefined, now)).toBe(now - BACKFILL_DEPTH_MS);
    expect(backfillSince(now - 3_600_000, now)).toBe(now - 3_600_000);
    expect(backfillSince(now - 60_000, now)).toBeUndefined();
  });

  it('a venue that refuses is reported and does not stop the others', async () => {
    const good = await FakeVenueServer.start(dialects.binance);
    const bad = await FakeVenueServer.start(dialects.bybit);
    servers.push(good, bad);
    bad.restFailures.push({ status: 451 }, { status: 451 });
    const engine = new MarketModel();
    const result = await runBackfill({
      fetch: fetchImpl,
      configs: [
        { venue: 'bybit', symbols: ['BTCUSDT'], endpoints: { ws: bad.url, rest: bad.restUrl } },
        { venue: 'binance', symbols: ['BTCUSDT'], endpoints: { ws: good.url, rest: good.restUrl } },
      ],
      since: () => Date.now() - 3_600_000,
      onEvents: (e) => engine.ingest(e, 'backfill'),
    });
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatch(/bybit:BTCUSDT: .*451.*blocked in your region/);
    expect(engine.historyOf('binance:BTCUSDT')!.minutes.length).toBeGreaterThan(50);
  });

  it('delivers nothing once aborted (live data must never be followed by older events)', async () => {
    const server = await FakeVenueServer.start(dialects.binance);
    servers.push(server);
    const controller = new AbortController();
    controller.abort();
    const got: unknown[] = [];
    await runBackfill({
      fetch: fetchImpl,
      configs: [{ venue: 'binance', symbols: ['BTCUSDT', 'ETHUSDT'], endpoints: { ws: server.url, rest: server.restUrl } }],
      since: () => Date.now() - 3_600_000,
      onEvents: (e) => got.push(e),
      signal: controller.signal,
    });
    expect(got).toEqual([]);
  });

  it.skipIf(!sharedOrSkipNotice('documented openInterestHist sample'))('parses the documented openInterestHist sample', () => {
    const samples = JSON.parse(readFileSync(`${SHARED_REFERENCE_DIR}exchange-samples.json`, 'utf8'));
    const kline = JSON.stringify([
      [1583127600000, '8800', '8850', '8790', '8830', '100', 1583127899999, '883000', 500, '60', '529800', '0'],
    ]);
    const data = binance.backfill!.parse([kline, samples['doc_derived.bn_oih'].raw]);
    expect('error' in data).toBe(false);
    if ('error' in data) return;
    expect(data.openInterest).toEqual([
      { time: 1583127900000, coins: 20403.637 },
      { time: 1583128200000, coins: 20401.367 },
    ]);
    expect(data.candles[0]).toMatchObject({ open: 8800, volume: 100, takerBuyVolume: 60, quoteVolume: 883000 });
  });
});

describe('live events during backfill', () => {
  it('wait in the level model and are replayed after the backfilled history, in time order', async () => {
    const server = await FakeVenueServer.start(dialects.binance);
    servers.push(server);
    const engine = new MarketModel();
    const inst = 'binance:BTCUSDT';
    engine.awaitBackfill(inst);
    const now = Date.now();
    // A live trade arrives before the backfill: realized stats see it at once, the model waits.
    engine.ingest([
      {
        kind: 'trade',
        venue: 'binance',
        instrument: inst,
        takerSide: 'buy',
        price: 97_000,
        baseQty: 1,
        notionalUsd: 97_000,
        exchangeTime: now,
        receiveTime: now,
      },
    ]);
    expect(engine.instrumentStats()[inst].trades).toBe(1);
    expect(engine.historyOf(inst)).toBeUndefined();
    await runBackfill({
      fetch: fetchImpl,
      configs: [{ venue: 'binance', symbols: ['BTCUSDT'], endpoints: { ws: server.url, rest: server.restUrl } }],
      since: () => now - 3 * 3_600_000,
      onEvents: (e) => engine.ingest(e, 'backfill'),
      onInstrumentDone: (i) => engine.backfillDone(i),
    });
    engine.advance(now + 120_000);
    const history = engine.historyOf(inst)!;
    // Three hours of columns, then the live minute: nothing was dropped as "in the past".
    expect(history.minutes.length).toBeGreaterThan(170);
    expect(history.minutes.lastTime()).toBe(Math.floor(now / 60_000) * 60_000);
  });

  it('live open interest after the backfill is a new baseline: the backfilled book is not wiped by the first live reading', async () => {
    const server = await FakeVenueServer.start(dialects.binance);
    servers.push(server);
    const engine = new MarketModel();
    const inst = 'binance:BTCUSDT';
    const now = Date.now();
    engine.awaitBackfill(inst);
    await runBackfill({
      fetch: fetchImpl,
      configs: [{ venue: 'binance', symbols: ['BTCUSDT'], endpoints: { ws: server.url, rest: server.restUrl } }],
      since: () => now - 3 * 3_600_000,
      onEvents: (e) => engine.ingest(e, 'backfill'),
      onInstrumentDone: (i) => engine.backfillDone(i),
    });
    const usd = () => engine.cells(inst).reduce((s, c) => s + c.long + c.short, 0);
    const backfilled = usd();
    expect(backfilled).toBeGreaterThan(1e6);
    // The live endpoint reports far less than the history's last value (~50 000 BTC there): before,
    // that difference closed every level "by hand" in the first live step.
    const live = (t: number, coins: number) =>
      engine.ingest([
        {
          kind: 'trade',
          venue: 'binance',
          instrument: inst,
          takerSide: 'buy',
          price: 97_000,
          baseQty: 1,
          notionalUsd: 97_000,
          exchangeTime: t,
          receiveTime: t,
        },
        { kind: 'openInterest', venue: 'binance', instrument: inst, baseQty: coins, exchangeTime: t, receiveTime: t },
      ]);
    live(now + 1_000, 120);
    engine.advance(now + 10_000);
    // (Levels between the history's last price and the live one are swept: a little, not all.)
    const afterFirst = usd();
    expect(afterFirst).toBeGreaterThan(backfilled * 0.8);
    // The next live change is new exposure on top.
    live(now + 11_000, 130);
    engine.advance(now + 20_000);
    expect(usd() - afterFirst).toBeGreaterThan(0.5 * 10 * 97_000);
  });

  it.each([
    [
      'binance',
      [
        '/fapi/v1/klines 1h',
        '/futures/data/openInterestHist 1h',
        '/futures/data/openInterestHist 1h',
        '/fapi/v1/klines 5m',
        '/futures/data/openInterestHist 5m',
      ],
    ],
    [
      'bybit',
      [
        '/v5/market/kline 60',
        ...Array<string>(4).fill('/v5/market/open-interest 1h'), // 696 hours, 200 a request
        '/v5/market/kline 5',
        // 288 five-minute points: two requests (one of 200 used to leave the day's first 7 h without open interest)
        '/v5/market/open-interest 5min',
        '/v5/market/open-interest 5min',
      ],
    ],
  ] as [VenueId, string[]][])(
    '%s: the month before the last day comes hourly, so 7-day and 30-day views are filled, in time order',
    async (venue, expected) => {
      const server = await FakeVenueServer.start(dialects[venue]);
      servers.push(server);
      const engine = new MarketModel();
      const inst = `${venue}:BTCUSDT`;
      const now = Date.now();
      engine.awaitBackfill(inst);
      const urls: string[] = [];
      let last = 0;
      let ordered = true;
      const progress = await runBackfill({
        fetch: (url, init) => (urls.push(url), fetchImpl(url, init)),
        configs: [{ venue, symbols: ['BTCUSDT'], endpoints: { ws: server.url, rest: server.restUrl } }],
        since: () => backfillSince(undefined, now),
        historyEnd: () => 0,
        onEvents: (events) => {
          for (const e of events) {
            if (e.exchangeTime < last) ordered = false;
            last = e.exchangeTime;
          }
          engine.ingest(events, 'backfill');
        },
        onInstrumentDone: (i) => engine.backfillDone(i),
      });
      expect(progress.failed).toEqual([]);
      expect(ordered).toBe(true);
      const step = (u: URL) => ['interval', 'period', 'intervalTime'].map((k) => u.searchParams.get(k)).find((v) => v !== null);
      expect(urls.map((u) => new URL(u)).map((u) => `${u.pathname} ${step(u)}`)).toEqual(expected);
      engine.advance(now);
      const filled = (range: '7d' | '30d') => {
        const view = engine.view({ target: 'coin:BTC', range, columns: 200, rows: 100, withinFraction: 0.05 }, now);
        return { share: view.heatmap.price.filter((p) => p !== null).length / view.heatmap.columns, since: view.historySince };
      };
      expect(filled('7d').share).toBeGreaterThan(0.95);
      expect(filled('7d').since).toBeUndefined();
      // The venue keeps a month: the 30-day view is (almost) whole.
      expect(filled('30d').share).toBeGreaterThan(0.9);
      // The coarse month and the fine day meet without a jump in open interest: the book was not wiped there.
      expect(engine.zones('coin:BTC', now).some((z) => z.kind === 'estimated')).toBe(true);
    },
  );

  it('a range longer than the history starts where the history does, and says so', async () => {
    const server = await FakeVenueServer.start(dialects.binance);
    servers.push(server);
    const engine = new MarketModel();
    const now = Date.now();
    await runBackfill({
      fetch: fetchImpl,
      configs: [{ venue: 'binance', symbols: ['BTCUSDT'], endpoints: { ws: server.url, rest: server.restUrl } }],
      since: () => now - 36 * 3_600_000, // no coarse pass asked for: a day and a half only
      onEvents: (e) => engine.ingest(e, 'backfill'),
    });
    engine.advance(now);
    const view = engine.view({ target: 'coin:BTC', range: '7d', columns: 100, rows: 50, withinFraction: 0.05 }, now);
    expect(view.historySince).toBeGreaterThan(now - 36 * 3_600_000 - 600_000);
    expect(view.heatmap.from).toBe(view.historySince);
    // What exists is drawn across the whole width.
    expect(view.heatmap.price.filter((p) => p !== null).length).toBeGreaterThan(95);
  });
});

describe('realized totals count from when LiqLens began listening', () => {
  const trade = (t: number, price: number) => ({
    kind: 'trade' as const,
    venue: 'binance' as const,
    instrument: 'binance:BTCUSDT' as const,
    takerSide: 'buy' as const,
    price,
    baseQty: 1,
    notionalUsd: price,
    exchangeTime: t,
    receiveTime: t,
  });

  it('says "since" the first live minute, not the whole backfilled range (the venues’ history has no liquidations)', () => {
    const engine = new MarketModel();
    const now = Date.UTC(2026, 11, 6, 12, 0, 30);
    const view = () => engine.view({ target: 'coin:BTC', range: '24h', columns: 100, rows: 50, withinFraction: 0.05 }, now).realized!;
    // Two hours of history from the venue's REST API, then nothing live yet.
    for (let m = 120; m > 2; m--) engine.ingest([trade(now - m * 60_000, 97_000 + m)], 'backfill');
    engine.advance(now - 2 * 60_000);
    expect(view().since).toBe(now); // not listening yet: nothing is claimed
    // Live from 11:58:40 on, with one forced order.
    const liveFrom = now - 110_000;
    engine.ingest([trade(liveFrom, 97_010)]);
    engine.ingest([
      {
        kind: 'liquidation',
        venue: 'binance',
        instrument: 'binance:BTCUSDT',
        liquidatedSide: 'long',
        price: 96_990,
        baseQty: 2,
        notionalUsd: 193_980,
        exchangeTime: now - 50_000,
        receiveTime: now - 50_000,
      },
    ]);
    engine.advance(now);
    const totals = view();
    expect(totals.since).toBe(Math.floor(liveFrom / 60_000) * 60_000);
    expect(totals.longUsd).toBeCloseTo(193_980, 0);
  });

  it('keeps which minutes were live across a save and a restore', async () => {
    const { ColumnRing, ROWS } = await import('../../../lib/model/history');
    const ring = new ColumnRing(100, 60_000);
    const zero = new Float64Array(ROWS);
    ring.push(0, 0, 1, zero, zero, zero); // backfilled
    ring.push(60_000, 0, 1, zero, zero, zero, true);
    expect(ring.firstLiveTime()).toBe(60_000);
    const back = ColumnRing.fromSnapshot(structuredClone(ring.toSnapshot()));
    expect(back.firstLiveTime()).toBe(60_000);
    expect(back.toSnapshot().columns.map((c) => c.l)).toEqual([undefined, 1]);
  });
});

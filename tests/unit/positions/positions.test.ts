/**
 * Real positions from Hyperliquid: the clearinghouseState reply (shapes from the docs, and the
 * variants real clients see), the true book with its coverage, inferred liquidations, wallet
 * discovery, and the scanner under its weight budget against a loopback /info server on a fake clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createParser } from '../../../lib/exchanges/hyperliquid';
import { SpecBook } from '../../../lib/exchanges/specs';
import { PriceGrid } from '../../../lib/model/grid';
import type { FetchLike } from '../../../lib/net/rest-poller';
import { WeightBudget } from '../../../lib/net/weight-budget';
import { decodeEstimated } from '../../../lib/contract/heatmap-wire';
import { parseClearinghouseState } from '../../../lib/positions/clearinghouse';
import { PositionsHistory, positionsMarketView } from '../../../lib/positions/market-view';
import { PositionScanner, scanPriority } from '../../../lib/positions/scanner';
import { TrueBook } from '../../../lib/positions/true-book';
import { WalletTable } from '../../../lib/positions/wallets';
import { FakeClock, nextTurn } from '../../harness/fake-clock';
import { FakeHyperliquidInfo, type FakePosition } from '../../harness/fake-hyperliquid-info';

const wallet = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;
const servers: FakeHyperliquidInfo[] = [];
const scanners: PositionScanner[] = [];
afterEach(async () => {
  for (const s of scanners.splice(0)) s.stop();
  for (const s of servers.splice(0)) await s.close();
});

/** A reply in the documented shape. */
function reply(positions: Record<string, unknown>[]): string {
  return JSON.stringify({
    marginSummary: { accountValue: '1000.0', totalNtlPos: '0.0', totalRawUsd: '0.0', totalMarginUsed: '0.0' },
    crossMarginSummary: { accountValue: '1000.0', totalNtlPos: '0.0', totalRawUsd: '0.0', totalMarginUsed: '0.0' },
    crossMaintenanceMarginUsed: '0.0',
    withdrawable: '0.0',
    assetPositions: positions.map((position) => ({ type: 'oneWay', position })),
    time: 1_764_000_000_000,
  });
}

const position = (extra: Record<string, unknown> = {}) => ({
  coin: 'BTC',
  szi: '0.5',
  leverage: { type: 'cross', value: 20 },
  entryPx: '97000.0',
  positionValue: '48600.0',
  unrealizedPnl: '100.0',
  returnOnEquity: '0.04',
  liquidationPx: '93120.5',
  marginUsed: '2430.0',
  maxLeverage: 40,
  cumFunding: { allTime: '1.2', sinceOpen: '0.3', sinceChange: '0.3' },
  ...extra,
});

describe('clearinghouseState', () => {
  it('reads side, size, value, leverage and the exchange’s liquidation price', () => {
    const r = parseClearinghouseState(
      reply([
        position(),
        position({
          coin: 'ETH',
          szi: '-12.0',
          leverage: { type: 'isolated', value: '5', rawUsd: '7000' },
          liquidationPx: '4100.2',
          positionValue: '42000',
        }),
      ]),
    );
    if ('error' in r) throw new Error(r.error);
    expect(r.positions).toEqual([
      {
        coin: 'BTC',
        side: 'long',
        size: 0.5,
        entryPx: 97_000,
        positionValue: 48_600,
        leverage: 20,
        margin: 'cross',
        liquidationPx: 93_120.5,
      },
      {
        coin: 'ETH',
        side: 'short',
        size: 12,
        entryPx: 97_000,
        positionValue: 42_000,
        leverage: 5,
        margin: 'isolated',
        liquidationPx: 4_100.2,
      },
    ]);
    expect(r.accountValue).toBe(1000);
  });

  it('keeps a position that cannot be liquidated (null) apart, and skips a closed leg', () => {
    const r = parseClearinghouseState(reply([position({ liquidationPx: null }), position({ coin: 'SOL', szi: '0.0' })]));
    if ('error' in r) throw new Error(r.error);
    expect(r.positions).toHaveLength(1);
    expect(r.positions[0].liquidationPx).toBeNull();
  });

  it('says what is wrong with a malformed reply instead of throwing', () => {
    expect(parseClearinghouseState('null')).toHaveProperty('error');
    expect(parseClearinghouseState('{"assetPositions":"x"}')).toHaveProperty('error');
    expect(parseClearinghouseState(reply([position({ leverage: { type: 'cross', value: 'lots' } })]))).toHaveProperty('error');
    expect(parseClearinghouseState(reply([position({ liquidationPx: 'NaN' })]))).toHaveProperty('error');
    expect(parseClearinghouseState(reply([position({ coin: '<img src=x>' })]))).toHaveProperty('error');
  });
});

describe('wallet discovery', () => {
  it('takes both wallets of each public trade, and ignores anything that is not an address', () => {
    const parse = createParser(new SpecBook([]));
    const outcome = parse(
      JSON.stringify({
        channel: 'trades',
        data: [
          {
            coin: 'BTC',
            side: 'B',
            px: '97000',
            sz: '0.1',
            hash: '0x0',
            time: 1,
            tid: 5,
            users: [wallet(1).toUpperCase().replace('0X', '0x'), wallet(2)],
          },
          { coin: 'BTC', side: 'A', px: '97000', sz: '0.1', hash: '0x0', time: 2, tid: 6, users: ['<script>', wallet(3)] },
        ],
      }),
      3,
    );
    if (outcome.status !== 'events') throw new Error(outcome.status);
    expect(outcome.events.map((e) => (e.kind === 'trade' ? e.wallets : undefined))).toEqual([[wallet(1), wallet(2)], undefined]);
  });

  it('stays within its capacity, keeping wallets with positions and the largest traders', () => {
    const table = new WalletTable(1_000);
    for (let i = 0; i < 1_000; i++) table.observe(wallet(i), i, i);
    table.noteReading(wallet(5), 10, 1e6, 0.01, true); // small trader, big open position
    for (let i = 1_000; i < 3_200; i++) table.observe(wallet(i), i, i);
    expect(table.size).toBeLessThanOrEqual(1_050);
    expect(table.get(wallet(5))).toBeDefined();
    expect(table.get(wallet(3_199))).toBeDefined();
    expect(table.get(wallet(10))).toBeUndefined();
    const restored = WalletTable.fromSnapshot(structuredClone(table.toSnapshot()), 1_000);
    expect(restored.get(wallet(5))).toMatchObject({ positionsUsd: 1e6, nearestLiquidation: 0.01, hasCross: true });
  });
});

describe('the true book', () => {
  const read = (positions: Record<string, unknown>[]) => {
    const r = parseClearinghouseState(reply(positions));
    if ('error' in r) throw new Error(r.error);
    return r;
  };

  it('puts each position’s value at its liquidation price, per side, with coverage against open interest', () => {
    const book = new TrueBook();
    book.update(wallet(1), read([position()]), 1_000);
    book.update(wallet(2), read([position({ szi: '-1', positionValue: '97000', liquidationPx: '101000' })]), 2_000);
    book.update(wallet(3), read([position({ liquidationPx: null, positionValue: '10000' })]), 3_000);
    // Open interest 10 BTC a side at 97 000: both sides together are 1 940 000 USD.
    expect(book.summary('BTC', { coins: 10, price: 97_000 })).toEqual({
      coin: 'BTC',
      wallets: 3,
      positions: 3,
      longUsd: 48_600,
      shortUsd: 97_000,
      noLiquidationUsd: 10_000,
      coverage: (48_600 + 97_000 + 10_000) / 1_940_000,
      oldestReadingAt: 1_000,
    });
    const grid = new PriceGrid(0.001);
    const cells = book.cells('BTC', grid);
    expect(cells.map((c) => [c.cell, c.long, c.short])).toEqual([
      [grid.cellOf(93_120.5), 48_600, 0],
      [grid.cellOf(101_000), 0, 97_000],
    ]);
    expect(book.largestNear('BTC', 97_000, 0.05).map((p) => p.wallet)).toEqual([wallet(2), wallet(1)]);
  });

  it('shows a reading on the positions heatmap at once, in the minute it was made, before the next sample', () => {
    const grid = new PriceGrid(0.001);
    const book = new TrueBook();
    const history = new PositionsHistory();
    const now = Date.UTC(2026, 11, 1, 12, 0, 30);
    const request = { target: 'coin:BTC', range: '12h', columns: 144, rows: 100, withinFraction: 0.05, kind: 'positions' } as const;
    // Sampled at 12:00:05 with nothing read yet; the first reply arrives 25 s later.
    history.sample('BTC', book, grid, 97_000, now - 25_000);
    book.update(wallet(1), read([position()]), now);
    const view = positionsMarketView(request, 'BTC', book, history, grid, [5, 10, 25, 50, 100], 97_000, now);
    const wire = view.heatmap;
    const cells = decodeEstimated(wire);
    expect(wire.maxUsd).toBe(48_600);
    const last = wire.columns - 1;
    const row = Math.floor((Math.log(grid.priceOf(grid.cellOf(93_120.5)) / wire.low) / Math.log(wire.high / wire.low)) * wire.rows);
    expect(cells[last * wire.rows + row]).toBe(1);
    expect(wire.price[last]).toBe(97_000);
    expect(view.positionsSince).toBe(Date.UTC(2026, 11, 1, 12, 0));
    // Nothing before the reading: the earlier columns stay empty.
    expect(cells.slice(0, last * wire.rows).every((v) => v === 0)).toBe(true);
  });

  it('infers a liquidation when the price crossed a tracked level and the position is gone; not otherwise', () => {
    const book = new TrueBook();
    book.update(wallet(1), read([position()]), 60_000);
    book.update(wallet(2), read([position({ liquidationPx: '90000' })]), 60_000);
    for (const [t, p] of [
      [90_000, 96_000],
      [150_000, 93_000],
      [210_000, 95_000],
    ])
      book.notePrice('BTC', p, t);
    // Wallet 1's level (93 120.5) was crossed and its position is gone; wallet 2's (90 000) was not.
    expect(book.update(wallet(1), read([]), 240_000)).toEqual([
      expect.objectContaining({ coin: 'BTC', liquidatedSide: 'long', price: 93_120.5, usd: 0.5 * 93_120.5, at: 240_000, since: 60_000 }),
    ]);
    expect(book.update(wallet(2), read([]), 240_000)).toEqual([]);
    expect(book.inferred('BTC')).toHaveLength(1);
    const restored = TrueBook.fromSnapshot(structuredClone(book.toSnapshot()));
    expect(restored.inferred('BTC')).toHaveLength(1);
  });
});

describe('the weight budget', () => {
  it('never lets more than its limit out in any 60 s, and a 429 stops everything at once', () => {
    const clock = new FakeClock();
    const budget = new WeightBudget('api.hyperliquid.xyz', 300, clock);
    const sent: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (budget.tryTake(2)) sent.push(clock.now());
      clock.advanceSync(37);
    }
    for (let i = 0, j = 0; i < sent.length; i++) {
      while (sent[i] - sent[j] >= 60_000) j++;
      expect((i - j + 1) * 2).toBeLessThanOrEqual(300);
    }
    expect(budget.status().highestPerMinute).toBe(300);

    const fresh = new WeightBudget('api.hyperliquid.xyz', 300, clock);
    expect(fresh.tryTake(2)).toBe(true);
    fresh.rateLimit(45_000);
    clock.advanceSync(44_999);
    expect(fresh.tryTake(2)).toBe(false);
    expect(fresh.waitFor(2)).toBe(1);
    clock.advanceSync(1);
    expect(fresh.tryTake(2)).toBe(true);
    // Without Retry-After the pause doubles: 30 s, then 60 s.
    fresh.rateLimit();
    expect(fresh.status().pausedUntil! - clock.now()).toBe(60_000);
  });
});

describe('the position scanner', () => {
  async function world(wallets: number, limit: number, fetchImpl?: FetchLike) {
    const clock = new FakeClock();
    const info = await FakeHyperliquidInfo.start(clock.now);
    servers.push(info);
    const table = new WalletTable();
    const book = new TrueBook();
    for (let i = 1; i <= wallets; i++) {
      table.observe(wallet(i), i * 1_000, clock.now());
      const p: FakePosition = {
        coin: 'BTC',
        szi: i % 2 ? 0.1 : -0.1,
        entryPx: 97_000,
        leverage: 10,
        margin: 'cross',
        liquidationPx: i % 2 ? 88_000 + i : 106_000 - i,
      };
      info.world.set(wallet(i), [p]);
    }
    const budget = new WeightBudget('127.0.0.1', limit, clock);
    const scanner = new PositionScanner({
      fetch: fetchImpl ?? ((url, init) => fetch(url, init)),
      clock,
      budget,
      infoUrl: () => `${info.url}/info`,
      wallets: table,
      book,
      priceOf: () => 97_000,
    });
    scanners.push(scanner);
    scanner.start();
    // Between timers, let each answer arrive before time moves on.
    const settle = async () => {
      await nextTurn();
      while (scanner.busy) await nextTurn();
    };
    return { clock, info, table, book, budget, scanner, settle };
  }

  it.each([200, 5_000])('keeps to a quarter of Hyperliquid’s budget with %i wallets, reading the largest first', async (n) => {
    const { clock, info, scanner, book, settle } = await world(n, 300);
    await clock.advance(3 * 60_000, settle);
    expect(info.highestWeightPerMinute()).toBeLessThanOrEqual(300);
    const reads = info.log.filter((r) => r.type === 'clearinghouseState' && r.status === 200);
    expect(reads.length).toBeGreaterThan(Math.min(n, 3 * 150) * 0.9);
    // Discovery order: the largest traders first.
    if (n > 450) expect(reads[0].user).toBe(wallet(n));
    expect(scanner.status()).toMatchObject({ errors: 0, read: Math.min(n, reads.length) });
    expect(book.wallets).toBe(Math.min(n, reads.length));
  });

  it('stops asking at once on a 429, waits Retry-After, then resumes', async () => {
    const { clock, info, budget, settle } = await world(500, 300);
    await clock.advance(10_000, settle);
    info.forceRateLimit = 1;
    info.retryAfterS = 30;
    const before = info.log.length;
    await clock.advance(29_000, settle);
    const during = info.log.slice(before);
    expect(during.filter((r) => r.status === 429)).toHaveLength(1);
    expect(during.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1); // the one already in flight
    expect(budget.status().rateLimited).toBe(1);
    await clock.advance(10_000, settle);
    expect(info.log.slice(before).filter((r) => r.status === 200).length).toBeGreaterThan(5);
  });

  it('reads a wallet whose cross-margin level is near the price again before far ones', () => {
    const now = 10 * 60_000;
    const base = { seenUsd: 1e6, lastSeenAt: 0, readAt: now - 3 * 60_000, positionsUsd: 50_000, hasCross: false };
    const near = scanPriority({ ...base, address: wallet(1), nearestLiquidation: 0.01, hasCross: true }, now);
    const far = scanPriority({ ...base, address: wallet(2), nearestLiquidation: 0.3 }, now);
    const fresh = scanPriority({ ...base, address: wallet(3), readAt: 0, nearestLiquidation: Infinity }, now);
    expect(near).toBeGreaterThan(1);
    expect(far).toBe(0); // not due yet
    expect(fresh).toBeGreaterThan(near);
  });
});

describe('calibration', () => {
  it('compares the estimated and the true book cell by cell within the window', async () => {
    const { compareBooks } = await import('../../../lib/positions/calibration');
    const truth = [
      { cell: 95, price: 0, long: 100, short: 0, wallets: 1 },
      { cell: 105, price: 0, long: 0, short: 300, wallets: 2 },
      { cell: 300, price: 0, long: 1e9, short: 0, wallets: 1 }, // outside ±window: ignored
    ];
    const same = compareBooks(
      truth.map((t) => ({ cell: t.cell, long: t.long * 2, short: t.short * 2 })),
      truth,
      { priceCell: 100, spanCells: 20, withinFraction: 0.1, zones: [{ lowCell: 104, highCell: 106 }] },
    );
    expect(same).toMatchObject({ cells: 41, trueUsd: 400, estimatedUsd: 800, shareInZones: 0.75, longShareError: 0 });
    expect(same.correlation).toBeCloseTo(1, 9);
    const wrongSide = compareBooks(
      [
        { cell: 95, long: 0, short: 100 },
        { cell: 105, long: 300, short: 0 },
      ],
      truth,
      { priceCell: 100, spanCells: 20, withinFraction: 0.1 },
    );
    expect(wrongSide.longShareError).toBeCloseTo(0.75 - 0.25, 9);
    expect(compareBooks([], truth, { priceCell: 100, spanCells: 20, withinFraction: 0.1 }).correlation).toBeNull();
  });

  it('fits the leverage mix from real positions, USD-weighted onto the model’s tiers', async () => {
    const { fitLeverageMix } = await import('../../../lib/positions/calibration');
    const mix = fitLeverageMix(
      [
        { leverage: 3, positionValue: 100 },
        { leverage: 15, positionValue: 600 }, // nearer 20x than 10x on a log scale
        { leverage: 50, positionValue: 300 },
      ],
      [5, 10, 20, 50, 100],
      0,
    );
    expect(mix).toEqual([
      { leverage: 5, weight: 0.1 },
      { leverage: 10, weight: 0 },
      { leverage: 20, weight: 0.6 },
      { leverage: 50, weight: 0.3 },
      { leverage: 100, weight: 0 },
    ]);
    expect(fitLeverageMix([], [10, 20])).toBeNull();
  });
});

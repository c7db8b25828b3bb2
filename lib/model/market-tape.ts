/**
 * The whole market's realized liquidations over the last day: every liquidation the venues publish
 * market-wide (Binance `!forceOrder@arr`, OKX `liquidation-orders`, BitMEX, Bybit's all-symbol
 * topics…), followed coin or not, summed per coin and venue in 5-minute buckets. What a trader asks
 * first on a liquidation site: in the last 1 / 4 / 12 / 24 h, how much, longs against shorts, which
 * coins, which venues, the largest single one.
 *
 * Fed by the ledger as it counts (so a re-sent liquidation, or one the journal gives back after a
 * restart, is counted once), kept in the model's snapshot (compact tuples), bounded: buckets older
 * than a day go, and a bucket holds at most MAX_KEYS_PER_BUCKET coin × venue cells (past the cap,
 * the rest of that bucket is summed under `OTHER`, in the totals but not listed). The bound: a day of
 * 300 coins on four venues, each liquidated every minute (432 000 liquidations), keeps 58 752 cells,
 * 7.0 MB of heap and a 2.5 MB snapshot, and its four windows take ~10 ms (Node 20, this machine).
 */
import { MARKET_WIDE_HOURS, type MarketWide, type MarketWideWindow, type RealizedLiquidation } from '../contract/market';
import { coinOf } from '../exchanges/specs';
import type { VenueId } from '../exchanges/types';

export const TAPE_BUCKET_MS = 5 * 60_000;
export const TAPE_KEEP_MS = 24 * 3_600_000;
/** Coins listed per window (the rest are in the totals). */
export const TOP_COINS = 20;
const MAX_KEYS_PER_BUCKET = 200;
/** The coin a bucket's cells past the cap are summed under. */
export const OTHER_COINS = 'OTHER';

/** Long USD, short USD, long count, short count. */
type Cell = [number, number, number, number];

interface Bucket {
  start: number;
  /** Coin × venue (an index into the tape's `pairs`) → cell. */
  cells: Map<number, Cell>;
  largest: MarketWideWindow['largest'];
}

/** `[bucket start, coin, venue, longUsd, shortUsd, longs, shorts]`, and each bucket's largest. */
export interface MarketTapeSnapshot {
  version: 1;
  cells: [number, string, string, number, number, number, number][];
  largest: NonNullable<MarketWideWindow['largest']>[];
}

export class MarketTape {
  /** Oldest first. */
  private buckets: Bucket[] = [];
  /** Every coin × venue seen, once: buckets refer to them by index (no string work per liquidation or window). */
  private pairs: { coin: string; venue: string }[] = [];
  private pairIds = new Map<string, number>();
  /** Each instrument's pair (an instrument key names one coin of one venue): one lookup per liquidation, no key built. */
  private pairByInstrument = new Map<string, number>();
  /** The newest liquidation time seen: windows end here when no clock is given. */
  private newest = 0;
  revision = 0;

  record(l: RealizedLiquidation): void {
    const usd = l.notionalUsd;
    if (!(usd >= 0) || !Number.isFinite(usd) || !Number.isFinite(l.exchangeTime)) return;
    const bucket = this.bucketAt(l.exchangeTime);
    if (!bucket) return; // older than the day kept
    let pair = this.pairOfInstrument(l);
    let cell = bucket.cells.get(pair);
    if (!cell && bucket.cells.size >= MAX_KEYS_PER_BUCKET) cell = bucket.cells.get((pair = this.pairOf(OTHER_COINS, l.venue)));
    if (!cell) bucket.cells.set(pair, (cell = [0, 0, 0, 0]));
    const long = l.liquidatedSide === 'long';
    cell[long ? 0 : 1] += usd;
    cell[long ? 2 : 3] += 1;
    if (!bucket.largest || usd > bucket.largest.usd)
      bucket.largest = { instrument: l.instrument, venue: l.venue, side: l.liquidatedSide, price: l.price, usd, time: l.exchangeTime };
    this.newest = Math.max(this.newest, l.exchangeTime);
    this.revision += 1;
  }

  /** The four windows ending at `now`: totals, top coins, venues, the largest single liquidation. */
  windows(now: number): MarketWide {
    this.prune(now);
    const out = MARKET_WIDE_HOURS.map((hours) => ({ hours, from: now - hours * 3_600_000, acc: newAcc(this.pairs.length) }));
    for (const b of this.buckets) {
      for (const w of out) {
        // A bucket counts in a window when it ends after the window starts (the edge bucket whole).
        if (b.start + TAPE_BUCKET_MS <= w.from || b.start > now) continue;
        addBucket(w.acc, b);
      }
    }
    return {
      since: this.buckets[0]?.start,
      windows: out.map(({ hours, acc }) => finish(hours, acc, this.pairs)),
    };
  }

  toSnapshot(): MarketTapeSnapshot {
    const cells: MarketTapeSnapshot['cells'] = [];
    const largest: MarketTapeSnapshot['largest'] = [];
    for (const b of this.buckets) {
      for (const [pair, c] of b.cells) cells.push([b.start, this.pairs[pair].coin, this.pairs[pair].venue, c[0], c[1], c[2], c[3]]);
      if (b.largest) largest.push(b.largest);
    }
    return { version: 1, cells, largest };
  }

  /** A snapshot back; anything malformed is skipped (storage is outside the code's control). */
  static fromSnapshot(snapshot: unknown): MarketTape {
    const tape = new MarketTape();
    const s = snapshot as Partial<MarketTapeSnapshot> | undefined;
    if (s?.version !== 1 || !Array.isArray(s.cells)) return tape;
    for (const row of s.cells) {
      if (!Array.isArray(row) || row.length !== 7) continue;
      const [start, coin, venue, ...figures] = row;
      if (
        !Number.isFinite(start) ||
        typeof coin !== 'string' ||
        typeof venue !== 'string' ||
        !figures.every((v) => Number.isFinite(v) && v >= 0)
      )
        continue;
      const bucket = tape.bucketFor(start);
      bucket.cells.set(tape.pairOf(coin, venue), figures as Cell);
      tape.newest = Math.max(tape.newest, start);
    }
    for (const l of Array.isArray(s.largest) ? s.largest : []) {
      const valid = l && typeof l.instrument === 'string' && typeof l.venue === 'string' && (l.side === 'long' || l.side === 'short');
      if (!valid || !Number.isFinite(l.time) || !Number.isFinite(l.usd) || !Number.isFinite(l.price)) continue;
      const bucket = tape.bucketFor(Math.floor(l.time / TAPE_BUCKET_MS) * TAPE_BUCKET_MS);
      if (!bucket.largest || l.usd > bucket.largest.usd) bucket.largest = { ...l };
    }
    return tape;
  }

  /** Cells held (for the memory bound's measurement). */
  get size(): number {
    return this.buckets.reduce((n, b) => n + b.cells.size, 0);
  }

  private pairOfInstrument(l: RealizedLiquidation): number {
    let pair = this.pairByInstrument.get(l.instrument);
    if (pair === undefined || this.pairs[pair].venue !== l.venue) {
      pair = this.pairOf(coinOf(l.instrument), l.venue);
      if (this.pairByInstrument.size >= 4_096) this.pairByInstrument.clear();
      this.pairByInstrument.set(l.instrument, pair);
    }
    return pair;
  }

  private pairOf(coin: string, venue: string): number {
    const key = `${coin}|${venue}`;
    let id = this.pairIds.get(key);
    if (id === undefined) {
      this.pairIds.set(key, (id = this.pairs.length));
      this.pairs.push({ coin, venue });
    }
    return id;
  }

  private bucketAt(time: number): Bucket | undefined {
    const start = Math.floor(time / TAPE_BUCKET_MS) * TAPE_BUCKET_MS;
    if (start + TAPE_BUCKET_MS <= Math.max(this.newest, time) - TAPE_KEEP_MS) return undefined;
    return this.bucketFor(start);
  }

  /** The bucket starting at `start`, made in order (liquidations arrive nearly in time order). */
  private bucketFor(start: number): Bucket {
    let i = this.buckets.length;
    while (i > 0 && this.buckets[i - 1].start > start) i--;
    if (i > 0 && this.buckets[i - 1].start === start) return this.buckets[i - 1];
    const bucket: Bucket = { start, cells: new Map(), largest: undefined };
    this.buckets.splice(i, 0, bucket);
    return bucket;
  }

  private prune(now: number): void {
    const keepFrom = now - TAPE_KEEP_MS;
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop].start + TAPE_BUCKET_MS <= keepFrom) drop++;
    if (drop) this.buckets.splice(0, drop);
  }
}

interface Acc {
  long: number;
  short: number;
  longs: number;
  shorts: number;
  /** Per coin × venue pair, four figures each (a cell's). */
  byPair: Float64Array;
  largest: MarketWideWindow['largest'];
}

const newAcc = (pairs: number): Acc => ({
  long: 0,
  short: 0,
  longs: 0,
  shorts: 0,
  byPair: new Float64Array(pairs * 4),
  largest: undefined,
});

function addBucket(acc: Acc, b: Bucket): void {
  for (const [pair, c] of b.cells) {
    acc.long += c[0];
    acc.short += c[1];
    acc.longs += c[2];
    acc.shorts += c[3];
    const at = pair * 4;
    for (let i = 0; i < 4; i++) acc.byPair[at + i] += c[i];
  }
  if (b.largest && (!acc.largest || b.largest.usd > acc.largest.usd)) acc.largest = b.largest;
}

/** The pairs' figures summed by coin or by venue. */
function sumBy(acc: Acc, pairs: readonly { coin: string; venue: string }[], by: 'coin' | 'venue'): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (let p = 0; p < pairs.length; p++) {
    const at = p * 4;
    if (!(acc.byPair[at + 2] + acc.byPair[at + 3] > 0)) continue;
    const key = pairs[p][by];
    const t = out.get(key);
    if (t) for (let i = 0; i < 4; i++) t[i] += acc.byPair[at + i];
    else out.set(key, [acc.byPair[at], acc.byPair[at + 1], acc.byPair[at + 2], acc.byPair[at + 3]]);
  }
  return out;
}

const row = ([longUsd, shortUsd, longs, shorts]: Cell) => ({ longUsd, shortUsd, liquidations: longs + shorts });

function finish(hours: number, acc: Acc, pairs: readonly { coin: string; venue: string }[]): MarketWideWindow {
  // OTHER (a bucket's cells past its cap) is in the totals, not listed as a coin.
  const coins = [...sumBy(acc, pairs, 'coin')]
    .filter(([coin]) => coin !== OTHER_COINS)
    .map(([coin, c]) => ({ coin, ...row(c) }))
    .sort((a, b) => b.longUsd + b.shortUsd - (a.longUsd + a.shortUsd));
  return {
    hours,
    longUsd: acc.long,
    shortUsd: acc.short,
    liquidations: acc.longs + acc.shorts,
    coinCount: coins.length,
    coins: coins.slice(0, TOP_COINS),
    venues: [...sumBy(acc, pairs, 'venue')]
      .map(([venue, c]) => ({ venue: venue as VenueId, ...row(c) }))
      .sort((a, b) => b.longUsd + b.shortUsd - (a.longUsd + a.shortUsd)),
    ...(acc.largest ? { largest: acc.largest } : {}),
  };
}

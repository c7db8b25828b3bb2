/**
 * The live accuracy score (docs/model.md#score). Every realized liquidation is scored against the
 * estimate that stood 60 s before on its own instrument: of the cells within ±10 % of the price
 * then, on the liquidated side, ranked by USD, a hit is a liquidation whose cell is in the top
 * quarter (and holds any USD at all). Score = share of liquidated USD that hit; chance is 25 %.
 * The same liquidations are scored with the preset prior, the learned one and the naive baseline.
 *
 * Frames (what the estimate looked like) are kept per step for the last ~100 s and per minute for
 * the last 16 minutes (inferred liquidations are found between two position readings, minutes
 * apart). Tallies are hourly buckets for 7 days per instrument and source, kept across restarts.
 */
import type { ScoreFigures, ScoreSource, ScoreWindows } from '../contract/market';

export const SCORE_LOOKBACK_MS = 60_000;
export const SCORE_WITHIN = 0.1;
export const TOP_SHARE = 0.25;
/** The books scored side by side, in this order everywhere. */
export const SCORED_BOOKS = ['default', 'learned', 'naive'] as const;
export type ScoredBook = (typeof SCORED_BOOKS)[number];

const HOUR_MS = 3_600_000;
const KEEP_HOURS = 7 * 24;
const STEP_FRAMES = 20;
const MINUTE_FRAMES = 16;

/** One side of one book at a moment: USD per cell from `first`, and the value the top quarter starts at. */
export interface FrameSide {
  first: number;
  values: Float32Array;
  /** A cell with at least this USD (and more than none) is in the top quarter. */
  cut: number;
}

/** The estimate at one moment as the score reads it; a book without weights (no learned prior yet) is null. */
export interface ScoreFrame {
  time: number;
  long: (FrameSide | null)[];
  short: (FrameSide | null)[];
}

/** The USD a cell needs to rank in the top quarter of these cells (ties count in). */
export function topQuarterCut(values: Float32Array): number {
  const k = Math.ceil(values.length * TOP_SHARE);
  if (k === 0) return Infinity;
  const sorted = Float32Array.from(values).sort();
  return sorted[sorted.length - k];
}

/** Hit (true), miss (false) for a liquidation at `cell` on this frame side. */
export function isHit(side: FrameSide, cell: number): boolean {
  const row = cell - side.first;
  if (row < 0 || row >= side.values.length) return false; // beyond ±10 %: the estimate did not see it coming
  const usd = side.values[row];
  return usd > 0 && usd >= side.cut;
}

/**
 * The frames of one instrument: the newest few (taken as the book changes, up to every step), and
 * one per minute for longer look-backs (inferred liquidations lie between readings minutes apart).
 */
export class ScoreFrames {
  private steps: ScoreFrame[] = [];
  private minutes: ScoreFrame[] = [];

  push(frame: ScoreFrame): void {
    this.steps.push(frame);
    if (this.steps.length > STEP_FRAMES) this.steps.shift();
  }

  /** A minute closed: the frame standing now is kept as that minute's. */
  markMinute(): void {
    const newest = this.steps.at(-1);
    if (!newest || this.minutes.at(-1) === newest) return;
    this.minutes.push(newest);
    if (this.minutes.length > MINUTE_FRAMES) this.minutes.shift();
  }

  /** The frame that stood at `time`: the newest taken at or before it, if one is kept. */
  at(time: number): ScoreFrame | undefined {
    // Frames dropped from the step ring are older than every frame kept in it. (Called for every
    // liquidation of a burst: plain loops, nothing allocated.)
    return newestAtOrBefore(this.steps, time) ?? newestAtOrBefore(this.minutes, time);
  }
}

function newestAtOrBefore(list: ScoreFrame[], time: number): ScoreFrame | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].time <= time) return list[i];
  return undefined;
}

/** One hour's tally of one instrument and source. */
interface Bucket {
  hour: number;
  liquidations: number;
  scored: number;
  /** Scored USD, and the part of it scored while a learned prior existed. */
  usd: number;
  learnedUsd: number;
  hitUsd: [number, number, number];
}

export interface ScoreBookSnapshot {
  version: 1;
  /** `instrument|source` → buckets. */
  tallies: Record<string, Bucket[]>;
}

export interface ScoredLiquidation {
  instrument: string;
  source: ScoreSource;
  side: 'long' | 'short';
  cell: number;
  usd: number;
  time: number;
}

/** The 1 h, 24 h and 7 d windows, in `ScoreWindows`' order. */
const WINDOW_SPANS = [HOUR_MS, 24 * HOUR_MS, KEEP_HOURS * HOUR_MS];

/** A running sum of buckets. */
type Acc = { liquidations: number; scored: number; usd: number; learnedUsd: number; hit: number[] };

function add(a: Acc, b: Bucket): void {
  a.liquidations += b.liquidations;
  a.scored += b.scored;
  a.usd += b.usd;
  a.learnedUsd += b.learnedUsd;
  for (let i = 0; i < 3; i++) a.hit[i] += b.hitUsd[i];
}

/** Windows from the sums of each source and window (`w`: index into WINDOW_SPANS). */
function windowsOf(accOf: (source: ScoreSource, w: number) => Acc | undefined): ScoreWindows {
  const both = (w: number) => ({ reported: finish(accOf('reported', w)), inferred: finish(accOf('inferred', w)) });
  return { h1: both(0), h24: both(1), d7: both(2) };
}

/** Sums of tallies as figures: each book's share of scored USD that hit (null: nothing scored with it). */
function finish(t: Acc | undefined): ScoreFigures {
  if (!t) return { liquidations: 0, scored: 0, usd: 0, default: null, learned: null, naive: null };
  return {
    liquidations: t.liquidations,
    scored: t.scored,
    usd: t.usd,
    default: t.usd > 0 ? t.hit[0] / t.usd : null,
    learned: t.learnedUsd > 0 ? t.hit[1] / t.learnedUsd : null,
    naive: t.usd > 0 ? t.hit[2] / t.usd : null,
  };
}

/** Every instrument's tallies. */
export class ScoreBook {
  private tallies = new Map<string, Bucket[]>();
  /** Increases on every change (saves skip an unchanged book). */
  revision = 0;

  /** Score one liquidation against `frame` (the estimate 60 s before), or count it unscored without one. */
  record(l: ScoredLiquidation, frame: ScoreFrame | undefined): void {
    const b = this.bucket(this.keyOf(l.instrument, l.source), Math.floor(l.time / HOUR_MS) * HOUR_MS);
    b.liquidations += 1;
    this.revision += 1;
    if (!frame || !(l.usd > 0)) return;
    const sides = l.side === 'long' ? frame.long : frame.short;
    if (!sides[0]) return;
    b.scored += 1;
    b.usd += l.usd;
    if (sides[1]) b.learnedUsd += l.usd;
    for (let i = 0; i < SCORED_BOOKS.length; i++) {
      const side = sides[i];
      if (side && isHit(side, l.cell)) b.hitUsd[i] += l.usd;
    }
  }

  /** Score figures for the instruments `covers` accepts, per source, over the last 1 h, 24 h and 7 d. */
  windows(covers: (instrument: string) => boolean, now: number): ScoreWindows {
    return this.windowsBy((instrument) => (covers(instrument) ? ['covered'] : []), now).covered ?? windowsOf(() => undefined);
  }

  /**
   * Every instrument's and every coin's windows (`coinOf` names an instrument's coin) in one pass
   * over the tallies: what the snapshot carries, up to a few times a second.
   */
  summary(coinOf: (instrument: string) => string, now: number): Record<string, ScoreWindows> {
    return this.windowsBy((instrument) => [instrument, coinOf(instrument)], now);
  }

  /** One pass over the tallies: each instrument's buckets added to the groups it belongs to, per window and source. */
  private windowsBy(groupsOf: (instrument: string) => string[], now: number): Record<string, ScoreWindows> {
    const since = WINDOW_SPANS.map((span) => Math.floor((now - span) / HOUR_MS) * HOUR_MS + HOUR_MS);
    const accs = new Map<string, Acc[]>(); // group|source → one per window
    const accOf = (key: string) => {
      let a = accs.get(key);
      if (!a) accs.set(key, (a = WINDOW_SPANS.map(() => ({ liquidations: 0, scored: 0, usd: 0, learnedUsd: 0, hit: [0, 0, 0] }))));
      return a;
    };
    const groups = new Set<string>();
    for (const [tally, buckets] of this.tallies) {
      const cut = tally.lastIndexOf('|');
      const source = tally.slice(cut + 1);
      const targets = groupsOf(tally.slice(0, cut)).map((group) => (groups.add(group), accOf(`${group}|${source}`)));
      for (const b of buckets)
        since.forEach((from, w) => {
          if (b.hour < from) return;
          for (const t of targets) add(t[w], b);
        });
    }
    const out: Record<string, ScoreWindows> = {};
    for (const group of groups) out[group] = windowsOf((source, w) => accs.get(`${group}|${source}`)?.[w]);
    return out;
  }

  /** Every instrument with a tally. */
  instruments(): string[] {
    return [...new Set([...this.tallies.keys()].map((k) => k.slice(0, k.lastIndexOf('|'))))];
  }

  /** Score figures of one source since an hour's start (`since` rounds down to it). */
  sum(covers: (instrument: string) => boolean, source: ScoreSource, since: number): ScoreFigures {
    const t = { liquidations: 0, scored: 0, usd: 0, learnedUsd: 0, hit: [0, 0, 0] };
    for (const [key, buckets] of this.tallies) {
      const cut = key.lastIndexOf('|');
      if (key.slice(cut + 1) !== source || !covers(key.slice(0, cut))) continue;
      for (const b of buckets) if (b.hour >= since) add(t, b);
    }
    return finish(t);
  }

  /** `instrument|source`, made once per instrument (a burst records hundreds a second). */
  private keyOf(instrument: string, source: ScoreSource): string {
    let keys = this.keys.get(instrument);
    if (!keys) this.keys.set(instrument, (keys = { reported: `${instrument}|reported`, inferred: `${instrument}|inferred` }));
    return keys[source];
  }

  private keys = new Map<string, Record<ScoreSource, string>>();

  private bucket(key: string, hour: number): Bucket {
    let list = this.tallies.get(key);
    if (!list) this.tallies.set(key, (list = []));
    const newest = list[list.length - 1];
    if (newest?.hour === hour) return newest;
    let b = list.find((x) => x.hour === hour);
    if (!b) {
      b = { hour, liquidations: 0, scored: 0, usd: 0, learnedUsd: 0, hitUsd: [0, 0, 0] };
      list.push(b);
      list.sort((x, y) => x.hour - y.hour);
      while (list.length && list[0].hour <= hour - KEEP_HOURS * HOUR_MS) list.shift();
    }
    return b;
  }

  toSnapshot(): ScoreBookSnapshot {
    return {
      version: 1,
      tallies: Object.fromEntries([...this.tallies].map(([k, v]) => [k, v.map((b) => ({ ...b, hitUsd: [...b.hitUsd] }))])),
    };
  }

  /** Tallies from storage: anything malformed is left out, never trusted. */
  static fromSnapshot(s: unknown): ScoreBook {
    const book = new ScoreBook();
    const snap = s as ScoreBookSnapshot | null;
    if (snap?.version !== 1 || typeof snap.tallies !== 'object' || !snap.tallies) return book;
    const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    for (const [key, list] of Object.entries(snap.tallies)) {
      if (!/^[^|]+\|(reported|inferred)$/.test(key) || !Array.isArray(list)) continue;
      const ok = list.filter(
        (b: Bucket) =>
          num(b?.hour) &&
          num(b.liquidations) &&
          num(b.scored) &&
          num(b.usd) &&
          num(b.learnedUsd) &&
          Array.isArray(b.hitUsd) &&
          b.hitUsd.length === 3 &&
          b.hitUsd.every(num),
      );
      if (ok.length)
        book.tallies.set(
          key,
          ok.slice(-KEEP_HOURS).map((b: Bucket) => ({ ...b, hitUsd: [b.hitUsd[0], b.hitUsd[1], b.hitUsd[2]] })),
        );
    }
    return book;
  }
}

/**
 * The true book: real positions of the wallets read so far, per Hyperliquid coin, at the exchange's
 * own liquidation prices. It is a sample, never the whole market: every figure comes with its
 * coverage (tracked notional ÷ open interest) and the age of the oldest reading used.
 *
 * Inferred liquidations: a tracked position whose liquidation price the price crossed between two
 * readings, and that is gone or smaller at the second, was (almost surely) liquidated. Public data
 * cannot confirm it (Hyperliquid's trades carry no liquidation flag; the per-user fill stream that
 * does is limited to 10 users), so these are labelled "inferred" everywhere and kept apart from what
 * venues report. The backstop-liquidator address some tools watch is not used: it is an unchecked
 * claim in public code, and market liquidations do not trade against it anyway.
 */
import type { PriceGrid } from '../model';
import type { ClearinghouseReading, WalletPosition } from './clearinghouse';
import type { PositionsSummary } from '../contract/positions';

export interface TrackedPosition extends WalletPosition {
  wallet: string;
  readAt: number;
}

export interface InferredLiquidation {
  id: string;
  coin: string;
  wallet: string;
  liquidatedSide: 'long' | 'short';
  /** The liquidation price the position had. */
  price: number;
  /** USD value of the part that disappeared (at that price). */
  usd: number;
  /** The reading that found it gone. */
  at: number;
  /** Between these two readings the price crossed the level. */
  since: number;
}

export interface PositionCell {
  cell: number;
  price: number;
  long: number;
  short: number;
  wallets: number;
}

const PATH_MINUTES = 24 * 60;
const MAX_INFERRED = 500;

/** Per coin: the low and high of each minute, for "did the price cross this level between two readings". */
class PricePath {
  private minutes = new Map<number, { low: number; high: number }>();

  note(price: number, time: number): void {
    const m = Math.floor(time / 60_000);
    const b = this.minutes.get(m);
    if (b) {
      b.low = Math.min(b.low, price);
      b.high = Math.max(b.high, price);
    } else {
      this.minutes.set(m, { low: price, high: price });
      if (this.minutes.size > PATH_MINUTES) this.minutes.delete(this.minutes.keys().next().value!);
    }
  }

  /** Low and high between two times (whole minutes), or undefined without data. */
  range(from: number, to: number): { low: number; high: number } | undefined {
    let low = Infinity;
    let high = -Infinity;
    for (let m = Math.floor(from / 60_000); m <= Math.floor(to / 60_000); m++) {
      const b = this.minutes.get(m);
      if (!b) continue;
      low = Math.min(low, b.low);
      high = Math.max(high, b.high);
    }
    return Number.isFinite(low) ? { low, high } : undefined;
  }
}

export class TrueBook {
  private byWallet = new Map<string, { readAt: number; positions: WalletPosition[] }>();
  private paths = new Map<string, PricePath>();
  private readonly inferredList: InferredLiquidation[] = [];
  /** Increases on every change. */
  revision = 0;

  /** A price seen for a coin (trades, mark): the path inferred liquidations are checked against. */
  notePrice(coin: string, price: number, time: number): void {
    let p = this.paths.get(coin);
    if (!p) this.paths.set(coin, (p = new PricePath()));
    p.note(price, time);
  }

  /** A wallet's new reading replaces its last one; returns the liquidations it implies. */
  update(wallet: string, reading: ClearinghouseReading, readAt: number): InferredLiquidation[] {
    const before = this.byWallet.get(wallet);
    this.byWallet.set(wallet, { readAt, positions: reading.positions });
    this.revision += 1;
    if (!before) return [];
    const found: InferredLiquidation[] = [];
    for (const p of before.positions) {
      if (p.liquidationPx === null) continue;
      const range = this.paths.get(p.coin)?.range(before.readAt, readAt);
      if (!range) continue;
      const crossed = p.side === 'long' ? range.low <= p.liquidationPx : range.high >= p.liquidationPx;
      if (!crossed) continue;
      const now = reading.positions.find((q) => q.coin === p.coin && q.side === p.side);
      const gone = p.size - (now?.size ?? 0);
      if (gone <= p.size * 1e-6) continue;
      found.push({
        id: `${wallet}|${p.coin}|${p.side}|${before.readAt}`,
        coin: p.coin,
        wallet,
        liquidatedSide: p.side,
        price: p.liquidationPx,
        usd: gone * p.liquidationPx,
        at: readAt,
        since: before.readAt,
      });
    }
    this.inferredList.push(...found);
    if (this.inferredList.length > MAX_INFERRED) this.inferredList.splice(0, this.inferredList.length - MAX_INFERRED);
    return found;
  }

  /** Forget a wallet (evicted from discovery). */
  remove(wallet: string): void {
    if (this.byWallet.delete(wallet)) this.revision += 1;
  }

  get wallets(): number {
    return this.byWallet.size;
  }

  inferred(coin?: string): readonly InferredLiquidation[] {
    return coin ? this.inferredList.filter((l) => l.coin === coin) : this.inferredList;
  }

  /** Every tracked position of a coin (each wallet's latest reading). */
  positions(coin: string): TrackedPosition[] {
    const out: TrackedPosition[] = [];
    for (const [wallet, r] of this.byWallet) for (const p of r.positions) if (p.coin === coin) out.push({ ...p, wallet, readAt: r.readAt });
    return out;
  }

  coins(): string[] {
    const set = new Set<string>();
    for (const r of this.byWallet.values()) for (const p of r.positions) set.add(p.coin);
    return [...set].sort();
  }

  /**
   * `openInterestCoins`: the coin's open interest as Hyperliquid reports it (`activeAssetCtx`, one
   * side, in coins) and its mark price; coverage compares it with both tracked sides.
   */
  summary(coin: string, openInterest?: { coins: number; price: number }): PositionsSummary {
    const list = this.positions(coin);
    const s: PositionsSummary = {
      coin,
      wallets: new Set(list.map((p) => p.wallet)).size,
      positions: list.length,
      longUsd: 0,
      shortUsd: 0,
      noLiquidationUsd: 0,
    };
    for (const p of list) {
      if (p.liquidationPx === null) s.noLiquidationUsd += p.positionValue;
      else if (p.side === 'long') s.longUsd += p.positionValue;
      else s.shortUsd += p.positionValue;
      s.oldestReadingAt = Math.min(s.oldestReadingAt ?? Infinity, p.readAt);
    }
    if (openInterest && openInterest.coins > 0 && openInterest.price > 0) {
      s.coverage = (s.longUsd + s.shortUsd + s.noLiquidationUsd) / (2 * openInterest.coins * openInterest.price);
    }
    return s;
  }

  /** USD (positionValue) at each position's liquidation price, on the model's price grid. */
  cells(coin: string, grid: PriceGrid): PositionCell[] {
    const byCell = new Map<number, PositionCell & { walletSet: Set<string> }>();
    for (const p of this.positions(coin)) {
      if (p.liquidationPx === null) continue;
      const cell = grid.cellOf(p.liquidationPx);
      let c = byCell.get(cell);
      if (!c) byCell.set(cell, (c = { cell, price: grid.priceOf(cell), long: 0, short: 0, wallets: 0, walletSet: new Set() }));
      c[p.side] += p.positionValue;
      c.walletSet.add(p.wallet);
    }
    return [...byCell.values()].map(({ walletSet, ...c }) => ({ ...c, wallets: walletSet.size })).sort((a, b) => a.cell - b.cell);
  }

  /** The largest positions with a liquidation price within ±`withinFraction` of `price`. */
  largestNear(coin: string, price: number, withinFraction = 0.1, limit = 10): (TrackedPosition & { distance: number })[] {
    return this.positions(coin)
      .filter((p) => p.liquidationPx !== null && Math.abs(p.liquidationPx / price - 1) <= withinFraction)
      .map((p) => ({ ...p, distance: p.liquidationPx! / price - 1 }))
      .sort((a, b) => b.positionValue - a.positionValue)
      .slice(0, limit);
  }

  toSnapshot(): { wallets: [string, number, WalletPosition[]][]; inferred: InferredLiquidation[] } {
    return { wallets: [...this.byWallet].map(([w, r]) => [w, r.readAt, r.positions]), inferred: [...this.inferredList] };
  }

  static fromSnapshot(s: unknown): TrueBook {
    const book = new TrueBook();
    const snap = s as { wallets?: unknown; inferred?: unknown } | null;
    if (Array.isArray(snap?.wallets)) {
      for (const row of snap.wallets) {
        if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'number' || !Array.isArray(row[2])) continue;
        book.byWallet.set(row[0], { readAt: row[1], positions: row[2].filter(isPosition) });
      }
    }
    if (Array.isArray(snap?.inferred))
      book.inferredList.push(...(snap.inferred as InferredLiquidation[]).filter((l) => typeof l?.id === 'string').slice(-MAX_INFERRED));
    return book;
  }
}

function isPosition(p: unknown): p is WalletPosition {
  const q = p as WalletPosition;
  return (
    typeof q?.coin === 'string' &&
    (q.side === 'long' || q.side === 'short') &&
    Number.isFinite(q.size) &&
    Number.isFinite(q.positionValue) &&
    (q.liquidationPx === null || Number.isFinite(q.liquidationPx))
  );
}

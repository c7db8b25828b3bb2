/**
 * Wallets discovered from Hyperliquid's public trades (`users: [buyer, seller]`), with the notional
 * each was seen trading, and what the scanner last learnt of it. Bounded: past `capacity` the least
 * useful are evicted (no open position, least notional seen, seen longest ago), in batches so a busy
 * trade feed never pays for a scan per trade. Serializable, so discovery survives worker restarts.
 */
import { isWallet } from '../exchanges/hyperliquid';

export interface WalletEntry {
  address: string;
  /** USD notional seen trading since discovery. */
  seenUsd: number;
  lastSeenAt: number;
  /** When its positions were last read (0: never). */
  readAt: number;
  /** USD value of its open positions at that reading. */
  positionsUsd: number;
  /**
   * Smallest distance (fraction of price) between the price and one of its liquidation prices at the
   * last reading; Infinity when none. Cross-margin levels move with the account: near ones are read first.
   */
  nearestLiquidation: number;
  hasCross: boolean;
}

export const DEFAULT_WALLET_CAPACITY = 20_000;

export class WalletTable {
  private wallets = new Map<string, WalletEntry>();

  constructor(readonly capacity = DEFAULT_WALLET_CAPACITY) {}

  get size(): number {
    return this.wallets.size;
  }

  get(address: string): WalletEntry | undefined {
    return this.wallets.get(address);
  }

  values(): IterableIterator<WalletEntry> {
    return this.wallets.values();
  }

  /** One side of a trade: `address` traded `usd` at `time`. Addresses are validated by the parser. */
  observe(address: string, usd: number, time: number): void {
    let w = this.wallets.get(address);
    if (!w) {
      w = { address, seenUsd: 0, lastSeenAt: time, readAt: 0, positionsUsd: 0, nearestLiquidation: Infinity, hasCross: false };
      this.wallets.set(address, w);
    }
    w.seenUsd += usd;
    w.lastSeenAt = Math.max(w.lastSeenAt, time);
    // 5 % slack so eviction runs once per thousand new wallets, not on every one.
    if (this.wallets.size > this.capacity * 1.05) this.evict();
  }

  /** What a reading found: open USD, nearest liquidation distance, whether any leg is cross-margined. */
  noteReading(address: string, at: number, positionsUsd: number, nearestLiquidation: number, hasCross: boolean): void {
    const w = this.wallets.get(address);
    if (!w) return;
    w.readAt = at;
    w.positionsUsd = positionsUsd;
    w.nearestLiquidation = nearestLiquidation;
    w.hasCross = hasCross;
  }

  /** Down to capacity: wallets with open positions are kept first, then by notional seen, then recency. */
  private evict(): void {
    const ranked = [...this.wallets.values()].sort(
      (a, b) => b.positionsUsd - a.positionsUsd || b.seenUsd - a.seenUsd || b.lastSeenAt - a.lastSeenAt,
    );
    for (const w of ranked.slice(this.capacity)) this.wallets.delete(w.address);
  }

  toSnapshot(): WalletEntry[] {
    return [...this.wallets.values()].map((w) => ({
      ...w,
      nearestLiquidation: Number.isFinite(w.nearestLiquidation) ? w.nearestLiquidation : -1,
    }));
  }

  static fromSnapshot(list: unknown, capacity = DEFAULT_WALLET_CAPACITY): WalletTable {
    const table = new WalletTable(capacity);
    if (!Array.isArray(list)) return table;
    for (const raw of list.slice(0, capacity)) {
      const w = raw as Partial<WalletEntry>;
      // Stored lowercase by discovery: anything else is not ours.
      if (!isWallet(w?.address) || w.address !== w.address.toLowerCase() || !Number.isFinite(w.seenUsd)) continue;
      table.wallets.set(w.address, {
        address: w.address,
        seenUsd: w.seenUsd!,
        lastSeenAt: Number(w.lastSeenAt) || 0,
        readAt: Number(w.readAt) || 0,
        positionsUsd: Number(w.positionsUsd) || 0,
        nearestLiquidation: typeof w.nearestLiquidation === 'number' && w.nearestLiquidation >= 0 ? w.nearestLiquidation : Infinity,
        hasCross: w.hasCross === true,
      });
    }
    return table;
  }
}

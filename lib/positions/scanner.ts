/**
 * Reads discovered wallets' positions (`clearinghouseState`) under the host's weight budget, most
 * useful first:
 * - wallets never read, largest notional seen first (discovery);
 * - wallets with a liquidation price near the price, cross-margin ones first (their level moves with
 *   the whole account, so it goes stale fastest): every minute within 2 %, every 5 minutes within 10 %;
 * - other wallets with positions every 15 minutes, wallets without any every hour.
 * A wallet is read again only once it is due; among due wallets the most overdue (weighted by size)
 * goes first. A 429 pauses every request to the host at once (WeightBudget).
 */
import type { Clock, TimerHandle } from '../clock';
import { request, type FetchLike } from '../net/rest-poller';
import type { WeightBudget } from '../net/weight-budget';
import { CLEARINGHOUSE_WEIGHT, clearinghouseRequest, parseClearinghouseState } from './clearinghouse';
import type { InferredLiquidation, TrueBook } from './true-book';
import type { WalletEntry, WalletTable } from './wallets';
import type { ScannerStatus } from '../contract/positions';
import { t } from '../i18n';

/** How often the scanner looks for budget to spend; the budget, not this, sets the pace. */
const PUMP_MS = 250;
/** Requests in flight at once (a slow answer must not stall the scan, nor a burst overrun it). */
const MAX_IN_FLIGHT = 2;

export interface ScannerOptions {
  fetch: FetchLike;
  clock: Clock;
  budget: WeightBudget;
  /** `https://api.hyperliquid.xyz/info` or an override. */
  infoUrl(): string;
  wallets: WalletTable;
  book: TrueBook;
  /** The coin's current price, for "how near is this wallet's liquidation". */
  priceOf(coin: string): number | undefined;
  /** Every reply as received (the recorder keeps it with its request body). */
  onReply?(body: string, requestBody: string, receiveTime: number): void;
  onInferred?(liquidations: InferredLiquidation[]): void;
}

/** When a wallet should be read again, from what its last reading found. */
export function refreshInterval(w: WalletEntry): number {
  if (w.nearestLiquidation < 0.02) return w.hasCross ? 60_000 : 120_000;
  if (w.nearestLiquidation < 0.1) return 5 * 60_000;
  if (w.positionsUsd > 0) return 15 * 60_000;
  return 60 * 60_000;
}

/** Higher first; 0: not due. */
export function scanPriority(w: WalletEntry, now: number): number {
  if (w.readAt === 0) return 1_000 + Math.log10(1 + w.seenUsd);
  const overdue = (now - w.readAt) / refreshInterval(w);
  return overdue >= 1 ? overdue + Math.log10(1 + w.positionsUsd) / 10 : 0;
}

export class PositionScanner {
  private timer: TimerHandle | null = null;
  private inFlight = 0;
  private readonly st: Omit<ScannerStatus, 'wallets' | 'read'> = { readings: 0, errors: 0 };
  private readonly pending = new Set<string>();

  constructor(private readonly o: ScannerOptions) {}

  start(): void {
    if (!this.timer) this.timer = this.o.clock.setInterval(() => this.pump(), PUMP_MS);
  }

  stop(): void {
    this.o.clock.clearInterval(this.timer);
    this.timer = null;
  }

  /** Requests waiting for an answer. */
  get busy(): number {
    return this.inFlight;
  }

  status(): ScannerStatus {
    let read = 0;
    for (const w of this.o.wallets.values()) if (w.readAt > 0) read += 1;
    return { wallets: this.o.wallets.size, read, ...this.st };
  }

  /** Send what the budget allows now (also called by tests). */
  pump(): void {
    // The budget first: picking a wallet looks at all of them, and most pumps have nothing to spend.
    while (this.inFlight < MAX_IN_FLIGHT && this.o.budget.waitFor(CLEARINGHOUSE_WEIGHT) === 0) {
      const wallet = this.next(this.o.clock.now());
      if (!wallet || !this.o.budget.tryTake(CLEARINGHOUSE_WEIGHT)) return;
      void this.read(wallet);
    }
  }

  private next(now: number): WalletEntry | undefined {
    let best: WalletEntry | undefined;
    let bestScore = 0;
    for (const w of this.o.wallets.values()) {
      if (this.pending.has(w.address)) continue;
      const score = scanPriority(w, now);
      if (score > bestScore) [best, bestScore] = [w, score];
    }
    return best;
  }

  private async read(wallet: WalletEntry): Promise<void> {
    const body = clearinghouseRequest(wallet.address);
    this.inFlight += 1;
    this.pending.add(wallet.address);
    try {
      const res = await request(this.o.fetch, { url: this.o.infoUrl(), method: 'POST', body }, this.o.clock);
      const now = this.o.clock.now();
      if (res.status === 429) {
        this.o.budget.rateLimit(res.retryAfterMs);
        return this.fail(res.error ?? t('rateLimited'));
      }
      // Any other failure: this wallet waits its usual interval before it is asked again.
      const later = () => this.o.wallets.noteReading(wallet.address, now, wallet.positionsUsd, wallet.nearestLiquidation, wallet.hasCross);
      if (!res.ok) return (later(), this.fail(res.error ?? `HTTP ${res.status}`));
      this.o.budget.ok();
      this.o.onReply?.(res.body ?? '', body, now);
      const reading = parseClearinghouseState(res.body ?? '');
      if ('error' in reading) return (later(), this.fail(`clearinghouseState: ${reading.error}`));
      let nearest = Infinity;
      let hasCross = false;
      let usd = 0;
      for (const p of reading.positions) {
        usd += p.positionValue;
        if (p.margin === 'cross') hasCross = true;
        const price = this.o.priceOf(p.coin);
        if (p.liquidationPx !== null && price) nearest = Math.min(nearest, Math.abs(p.liquidationPx / price - 1));
      }
      this.o.wallets.noteReading(wallet.address, now, usd, nearest, hasCross);
      const inferred = this.o.book.update(wallet.address, reading, now);
      if (inferred.length) this.o.onInferred?.(inferred);
      this.st.readings += 1;
      this.st.lastReadingAt = now;
    } finally {
      this.inFlight -= 1;
      this.pending.delete(wallet.address);
    }
  }

  private fail(error: string): void {
    this.st.errors += 1;
    this.st.lastError = error;
  }
}

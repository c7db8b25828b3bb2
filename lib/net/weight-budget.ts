/**
 * A request-weight budget for one host, over a sliding minute. Hyperliquid limits REST to 1 200
 * weight a minute per IP, and the trader's own Hyperliquid tab spends from the same IP: LiqLens keeps
 * to a share of it (a quarter by default, set in Options) for everything it asks of that host.
 * A 429 stops all requests to the host at once, for the venue's Retry-After or an exponential pause.
 *
 * Every request takes its weight before it is sent; nothing is sent when the weight does not fit.
 * The highest weight spent in any 60 s window is kept, so the budget can be checked from outside.
 */
import type { Clock } from '../clock';
import type { BudgetStatus } from '../contract/positions';

const WINDOW_MS = 60_000;
const FIRST_PAUSE_MS = 30_000;
const MAX_PAUSE_MS = 10 * 60_000;

export class WeightBudget {
  private spent: { at: number; weight: number }[] = [];
  private used = 0;
  private highest = 0;
  private requests = 0;
  private rateLimited = 0;
  private pausedUntil = 0;
  private pauses = 0;

  constructor(
    readonly host: string,
    private limit: number,
    private readonly clock: Clock,
  ) {}

  setLimit(perMinute: number): void {
    this.limit = Math.max(0, perMinute);
  }

  private prune(now: number): void {
    while (this.spent.length && this.spent[0].at <= now - WINDOW_MS) this.used -= this.spent.shift()!.weight;
  }

  /** Take `weight` now if it fits (and the host is not paused); false: do not send. */
  tryTake(weight: number): boolean {
    const now = this.clock.now();
    if (now < this.pausedUntil) return false;
    this.prune(now);
    if (this.used + weight > this.limit) return false;
    this.spent.push({ at: now, weight });
    this.used += weight;
    this.requests += 1;
    this.highest = Math.max(this.highest, this.used);
    return true;
  }

  /** Milliseconds until `weight` could be taken (0: now). */
  waitFor(weight: number): number {
    const now = this.clock.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.prune(now);
    if (weight > this.limit) return WINDOW_MS;
    let free = this.limit - this.used;
    for (const s of this.spent) {
      if (free >= weight) break;
      free += s.weight;
      if (free >= weight) return s.at + WINDOW_MS - now + 1;
    }
    return free >= weight ? 0 : WINDOW_MS;
  }

  /** The host answered 429: nothing more until `retryAfterMs`, else a pause that doubles each time. */
  rateLimit(retryAfterMs?: number): void {
    this.rateLimited += 1;
    const pause = retryAfterMs ?? Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** this.pauses);
    this.pauses += 1;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + pause);
  }

  /** A request succeeded after a pause: the next 429 starts from the first pause again. */
  ok(): void {
    if (this.clock.now() >= this.pausedUntil) this.pauses = 0;
  }

  status(): BudgetStatus {
    const now = this.clock.now();
    this.prune(now);
    return {
      host: this.host,
      limitPerMinute: this.limit,
      usedLastMinute: this.used,
      highestPerMinute: this.highest,
      requests: this.requests,
      rateLimited: this.rateLimited,
      ...(now < this.pausedUntil ? { pausedUntil: this.pausedUntil } : {}),
    };
  }
}

/**
 * REST requests within published rate limits. One poller per resource (a venue's instrument list,
 * Binance open interest per symbol): it runs on its interval, and on trouble it backs off instead of
 * hammering the venue:
 * - 429 (rate limit) and 418 (Binance's IP ban after ignoring 429s): wait `Retry-After` seconds when
 *   given, else an exponential backoff, before the next request;
 * - 403 / 451 (WAF, geo-block): a long pause and a message that says what it probably is;
 * - 5xx and network errors: exponential backoff.
 * The `fetch` function is injected, so this runs unchanged in the worker and in Node tests.
 */
import type { RestRequest } from '../exchanges/types';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { formatCount, t } from '../i18n';
import type { WeightBudget } from './weight-budget';
import type { PollerStatus } from '../contract/health';

export type FetchLike = (
  url: string,
  init?: { method?: string; body?: string; headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface RestResult {
  ok: boolean;
  status: number;
  body?: string;
  error?: string;
  /** How long the caller should wait before asking this venue again, when it told us. */
  retryAfterMs?: number;
}

const TIMEOUT_MS = 15_000;

/** One request; never throws. The timeout runs on `clock`. */
export async function request(fetchImpl: FetchLike, req: RestRequest, clock: Clock = systemClock): Promise<RestResult> {
  const controller = new AbortController();
  const timer = clock.setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const res = await fetchImpl(req.url, {
      method: req.method ?? 'GET',
      ...(req.body !== undefined ? { body: req.body, headers: { 'content-type': 'application/json' } } : {}),
      signal: controller.signal,
    });
    const retryAfter = Number(res.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, body: await res.text() };
    return { ok: false, status: res.status, retryAfterMs, error: httpError(res.status, req.url) };
  } catch {
    const aborted = controller.signal.aborted;
    return {
      ok: false,
      status: 0,
      error: aborted
        ? t('restNoAnswer', { host: hostOf(req.url), seconds: formatCount(TIMEOUT_MS / 1000) })
        : t('restUnreachable', { host: hostOf(req.url) }),
    };
  } finally {
    clock.clearTimeout(timer);
  }
}

/** The host (with port) of a URL, or the text itself when it is no URL: for messages and per-host budgets. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function httpError(status: number, url: string): string {
  const h = hostOf(url);
  if (status === 429) return t('restRateLimited', { host: h });
  if (status === 418) return t('restBanned', { host: h });
  if (status === 403 || status === 451) return t('restBlocked', { host: h, status });
  if (status >= 500) return t('restServerError', { host: h, status });
  return t('restHttpStatus', { host: h, status });
}

export interface PollerOptions {
  id: string;
  request: RestRequest;
  everyMs: number;
  fetch: FetchLike;
  onBody(body: string, receiveTime: number): void;
  onStatus?(status: PollerStatus): void;
  /** Backoff for failures without Retry-After. */
  backoff?: { initialMs: number; maxMs: number };
  /** Pause after a 403/451: those do not clear in seconds. */
  refusedPauseMs?: number;
  /** Stop after the first success (instrument lists are fetched once per start). */
  once?: boolean;
  clock?: Clock;
  /** The host's weight budget: a weighed request waits until it fits, and a 429 pauses the whole host. */
  budget?: WeightBudget;
  /**
   * Asked when a round is due: false skips it, no request, and the poller parks (no timer) until
   * `resumeIfWanted` finds it wanted again: a quiet worker keeps no timer per resource.
   */
  wanted?(): boolean;
}

export class Poller {
  private timer: TimerHandle | null = null;
  private stopped = false;
  /** Its last round was not wanted: no timer until resumeIfWanted. */
  private parked = false;
  private resumed = false;
  private failuresInRow = 0;
  private st: PollerStatus;

  private readonly clock: Clock;

  constructor(private readonly o: PollerOptions) {
    this.st = { id: o.id, requests: 0, failures: 0 };
    this.clock = o.clock ?? systemClock;
  }

  get status(): PollerStatus {
    return { ...this.st };
  }

  start(delayMs = 0): void {
    this.schedule(delayMs);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * A parked poller asks again now if it is wanted (called from the worker's tick: its round was
   * skipped at least `everyMs` after its last request, so this never polls faster than that).
   */
  resumeIfWanted(): void {
    if (!this.parked || this.stopped || !this.o.wanted?.()) return;
    this.parked = false;
    this.resumed = true; // `wanted` said yes just now: the round asks without asking again
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.st.nextAt = this.clock.now() + ms;
    this.timer = this.clock.setTimeout(() => void this.run(), ms);
  }

  private async run(): Promise<void> {
    const resumed = this.resumed;
    this.resumed = false;
    if (!resumed && this.o.wanted && !this.o.wanted()) {
      this.st.skipped = (this.st.skipped ?? 0) + 1;
      this.parked = true;
      this.st.nextAt = undefined;
      return;
    }
    const weight = this.o.request.weight;
    if (this.o.budget && weight !== undefined && !this.o.budget.tryTake(weight))
      return this.schedule(Math.max(250, this.o.budget.waitFor(weight)));
    this.st.requests += 1;
    const result = await request(this.o.fetch, this.o.request, this.clock);
    if (this.stopped) return;
    if (result.ok) {
      this.failuresInRow = 0;
      this.st.lastOkAt = this.clock.now();
      this.st.lastError = undefined;
      this.o.onBody(result.body ?? '', this.clock.now());
      this.o.onStatus?.(this.status);
      if (!this.o.once) this.schedule(this.o.everyMs);
      return;
    }
    this.failuresInRow += 1;
    this.st.failures += 1;
    this.st.lastError = result.error;
    if (result.status === 429) this.o.budget?.rateLimit(result.retryAfterMs);
    const { initialMs, maxMs } = this.o.backoff ?? { initialMs: 5_000, maxMs: 5 * 60_000 };
    const backoff = Math.min(maxMs, initialMs * 2 ** (this.failuresInRow - 1));
    const refused = result.status === 403 || result.status === 451;
    const wait = refused ? (this.o.refusedPauseMs ?? 10 * 60_000) : Math.max(this.o.everyMs, result.retryAfterMs ?? backoff);
    this.schedule(wait);
    this.o.onStatus?.(this.status);
  }
}

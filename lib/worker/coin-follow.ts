/**
 * Following the coin a trader looks at. Chart pages and the popup say which coin they show
 * (`watch`); a coin that no enabled venue streams is then subscribed, for as long as something shows
 * it and a grace period after, on every enabled venue whose instrument list has it. Pure and on the
 * caller's clock: the worker core asks for the plan on every watch and tick and hands it to the feeds.
 *
 * Bounded: at most FOLLOW_PER_VENUE coins per venue (and never more than the venue's own
 * per-connection cap); a coin over the cap is reported, never silently dropped.
 */
import { coinOf } from '../exchanges/specs';
import type { InstrumentSpec, VenueFeedConfig, VenueId } from '../exchanges/types';
import type { FollowState } from '../contract/health';
import { VIEWER_HEARTBEAT_MS } from '../contract/snapshot';

/** A viewer that stopped saying what it shows for this long is gone (a closed tab, a closed popup). */
export const VIEWER_STALE_MS = 2.5 * VIEWER_HEARTBEAT_MS;

export interface FollowPlan extends FollowState {
  /** The settings' feeds plus the followed coins' instruments. */
  configs: VenueFeedConfig[];
}

export interface FollowOptions {
  enabled: boolean;
  graceMs: number;
  /** Followed coins per venue at most. */
  perVenue: (venue: VenueId) => number;
}

export class CoinFollower {
  private readonly viewers = new Map<string, { coin: string; at: number }>();
  /** When each coin was last shown by any viewer. */
  private readonly lastShown = new Map<string, number>();

  /**
   * A viewer (`tab:12`, `page`) shows `coin` now, or nothing (`null`). Coins are normalized by the
   * caller (coinOf / parseChartSymbol): `BTC`, `PEPE`.
   */
  watch(viewer: string, coin: string | null, now: number): void {
    const before = this.viewers.get(viewer);
    if (before && before.coin !== coin) this.lastShown.set(before.coin, now);
    if (coin === null) this.viewers.delete(viewer);
    else {
      this.viewers.set(viewer, { coin, at: now });
      this.lastShown.set(coin, now);
    }
  }

  /** No viewer shows a coin and none is in its grace period: the plan is the settings' own feeds. */
  get idle(): boolean {
    return this.viewers.size === 0 && this.lastShown.size === 0;
  }

  /** The coin a viewer last said it shows, while it is not stale. */
  shownBy(viewer: string, now: number): string | undefined {
    const v = this.viewers.get(viewer);
    return v && now - v.at <= VIEWER_STALE_MS ? v.coin : undefined;
  }

  /** Coins shown now, and those still within their grace period, with the time each is dropped. */
  private wanted(now: number, graceMs: number): Map<string, number | undefined> {
    for (const [viewer, v] of this.viewers) if (now - v.at > VIEWER_STALE_MS) this.viewers.delete(viewer);
    const shown = new Set([...this.viewers.values()].map((v) => v.coin));
    const out = new Map<string, number | undefined>();
    for (const coin of shown) out.set(coin, undefined);
    for (const [coin, at] of this.lastShown) {
      if (shown.has(coin)) continue;
      if (now - at < graceMs) out.set(coin, at + graceMs);
      else this.lastShown.delete(coin);
    }
    return out;
  }

  /**
   * The feeds to run: `base` (the settings' symbols) plus, for each coin wanted and streamed by no
   * enabled venue, the best instrument of that coin on every enabled venue that lists it.
   */
  plan(base: VenueFeedConfig[], listed: (venue: VenueId) => readonly InstrumentSpec[], options: FollowOptions, now: number): FollowPlan {
    const wanted = this.wanted(now, options.graceMs);
    const result: FollowPlan = { configs: base.map((c) => ({ ...c, symbols: [...c.symbols] })), followed: [], capped: [], unlisted: [] };
    if (!options.enabled || !wanted.size) return result;
    const streamed = new Set(base.flatMap((c) => c.symbols.map((s) => coinOf(`${c.venue}:${s}`))));
    const added = new Map<VenueId, number>();
    // Coins shown now first, then those in their grace period: a cap never drops what is on screen.
    const order = [...wanted].sort(([, a], [, b]) => (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1));
    for (const [coin, until] of order) {
      if (streamed.has(coin)) continue;
      const instruments: string[] = [];
      const cappedOn: VenueId[] = [];
      for (const config of result.configs) {
        const symbol = bestInstrument(coin, listed(config.venue));
        if (!symbol) continue;
        const n = added.get(config.venue) ?? 0;
        if (n >= options.perVenue(config.venue)) {
          cappedOn.push(config.venue);
          continue;
        }
        added.set(config.venue, n + 1);
        config.symbols.push(symbol);
        instruments.push(`${config.venue}:${symbol}`);
      }
      if (instruments.length)
        result.followed.push({ coin, instruments, shown: until === undefined, ...(until !== undefined ? { until } : {}) });
      if (cappedOn.length && until === undefined) result.capped.push({ coin, venues: cappedOn });
      if (!instruments.length && !cappedOn.length && until === undefined) result.unlisted.push(coin);
    }
    return result;
  }
}

/** A dated future (`BTCUSDT-26DEC25`, `XBTZ25`, `BTC-27DEC24`, `BTC_USDT_20251226`): followed only as a last resort. */
const DATED = /\d{6,8}$|\d{1,2}[A-Z]{3}\d{2}$|[FGHJKMNQUVXZ]\d\d$/;

/**
 * The instrument a trader means by a coin on one venue: a perpetual, linear, quoted in USDT (then
 * USDC, then USD), before inverse and dated contracts. Quanto contracts cannot be sized: never.
 */
export function bestInstrument(coin: string, specs: readonly InstrumentSpec[]): string | undefined {
  let best: { symbol: string; score: number } | undefined;
  for (const s of specs) {
    if (s.base !== coin || s.quanto) continue;
    let score = { USDT: 3, USDC: 2, USD: 1 }[s.quote] ?? 0;
    if (s.inverse) score -= 2;
    if (DATED.test(s.symbol) && !/PERP/.test(s.symbol)) score -= 10;
    if (!best || score > best.score || (score === best.score && s.symbol.length < best.symbol.length)) best = { symbol: s.symbol, score };
  }
  return best?.symbol;
}

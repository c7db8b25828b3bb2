/**
 * Backfill: turn public REST history (candles with taker volume where the venue gives it, and the
 * open-interest series) into the same events the live feed produces, so the heatmap is useful in
 * the first minute instead of after a day, and so the one model code path builds it.
 *
 * Each 5-minute candle becomes: the open, the extreme first reached (high on a down candle is
 * assumed first, and vice versa), taker buys and sells at the candle's VWAP, the other extreme, the
 * close, and the open-interest reading at the candle's end; one event per minute, so the history gets
 * its minute columns.
 */
import type { BackfillData, InstrumentKey, MarketEvent, VenueId } from '../exchanges/types';

export function backfillEvents(venue: VenueId, instrument: InstrumentKey, data: BackfillData): MarketEvent[] {
  const candles = [...data.candles].sort((a, b) => a.time - b.time);
  const oi = [...data.openInterest].sort((a, b) => a.time - b.time);
  const events: MarketEvent[] = [];
  const base = { venue, instrument } as const;
  const mark = (price: number, t: number): MarketEvent => ({
    ...base,
    kind: 'markPrice',
    markPrice: price,
    exchangeTime: t,
    receiveTime: t,
  });
  const step = data.intervalMs / 5;
  let k = 0;
  for (const c of candles) {
    if (!(c.open > 0 && c.high > 0 && c.low > 0 && c.close > 0)) continue;
    const t = c.time;
    const down = c.close < c.open;
    events.push(mark(c.open, t + 1));
    events.push(mark(down ? c.high : c.low, t + step));
    const vwap = c.quoteVolume && c.volume > 0 ? c.quoteVolume / c.volume : (c.high + c.low + c.close) / 3;
    const buy = c.takerBuyVolume ?? c.volume * (down ? 0.45 : 0.55);
    const sell = Math.max(0, c.volume - buy);
    if (buy > 0)
      events.push({
        ...base,
        kind: 'trade',
        takerSide: 'buy',
        price: vwap,
        baseQty: buy,
        notionalUsd: buy * vwap,
        exchangeTime: t + 2 * step,
        receiveTime: t + 2 * step,
      });
    if (sell > 0)
      events.push({
        ...base,
        kind: 'trade',
        takerSide: 'sell',
        price: vwap,
        baseQty: sell,
        notionalUsd: sell * vwap,
        exchangeTime: t + 2 * step + 1,
        receiveTime: t + 2 * step + 1,
      });
    events.push(mark(down ? c.low : c.high, t + 3 * step));
    events.push(mark(c.close, t + 4 * step));
    // The open-interest reading at (or just before) the candle's end.
    const end = t + data.intervalMs;
    while (k + 1 < oi.length && oi[k + 1].time <= end) k++;
    if (oi.length && oi[k].time <= end)
      events.push({ ...base, kind: 'openInterest', baseQty: oi[k].coins, exchangeTime: end - 1, receiveTime: end - 1 });
  }
  return events;
}

/** History older than this is refetched on start (after downtime); newer is fine as it is. */
export const BACKFILL_STALE_MS = 10 * 60_000;
/** How far back a first backfill reaches. */
export const BACKFILL_DEPTH_MS = 24 * 3_600_000;

/** From when an instrument needs backfill, given its last history column; undefined when it does not. */
export function backfillSince(lastColumn: number | undefined, now: number): number | undefined {
  if (lastColumn !== undefined && now - lastColumn < BACKFILL_STALE_MS) return undefined;
  return Math.max(lastColumn ?? 0, now - BACKFILL_DEPTH_MS);
}

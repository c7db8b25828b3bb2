/**
 * Builders for normalized events, shared by every venue parser: one place that decides field order
 * and optional fields (built without object spreads: these run for every trade of every venue).
 */
import { sizeFromContracts } from './specs';
import type { InstrumentKey, InstrumentSpec, MarkPriceEvent, OpenInterestEvent, TradeEvent, VenueId } from './types';

export function tradeEvent(
  venue: VenueId,
  instrument: InstrumentKey,
  takerSide: 'buy' | 'sell',
  price: number,
  size: { baseQty: number; notionalUsd: number },
  exchangeTime: number,
  receiveTime: number,
  tradeId?: string,
): TradeEvent {
  const e: TradeEvent = {
    kind: 'trade',
    venue,
    instrument,
    takerSide,
    price,
    baseQty: size.baseQty,
    notionalUsd: size.notionalUsd,
    exchangeTime,
    receiveTime,
  };
  if (tradeId !== undefined) e.tradeId = tradeId;
  return e;
}

/** A mark price, with index and funding where the venue gave valid ones. */
export function markEvent(
  venue: VenueId,
  instrument: InstrumentKey,
  markPrice: number,
  exchangeTime: number,
  receiveTime: number,
  indexPrice?: number,
  fundingRate?: number,
): MarkPriceEvent {
  const e: MarkPriceEvent = { kind: 'markPrice', venue, instrument, markPrice, exchangeTime, receiveTime };
  if (indexPrice !== undefined && indexPrice > 0 && Number.isFinite(indexPrice)) e.indexPrice = indexPrice;
  if (fundingRate !== undefined && Number.isFinite(fundingRate)) e.fundingRate = fundingRate;
  return e;
}

/** Open interest in the venue's quantity unit, sized into coins and USD at `price`. */
export function openInterestEvent(
  venue: VenueId,
  instrument: InstrumentKey,
  spec: InstrumentSpec,
  qty: number,
  price: number,
  exchangeTime: number,
  receiveTime: number,
): OpenInterestEvent {
  const { baseQty, notionalUsd } = sizeFromContracts(spec, qty, price);
  return { kind: 'openInterest', venue, instrument, baseQty, notionalUsd, exchangeTime, receiveTime };
}

/** The venue registry: every adapter LiqLens knows, by id. Add a venue here (docs/adding-a-venue.md). */
import { binance } from './binance';
import { bitget } from './bitget';
import { bitmex } from './bitmex';
import { bybit } from './bybit';
import { deribit } from './deribit';
import { dydx } from './dydx';
import { gate } from './gate';
import { hyperliquid } from './hyperliquid';
import { kraken } from './kraken';
import { okx } from './okx';
import type { VenueAdapter, VenueId } from './types';

export const venues: Record<VenueId, VenueAdapter> = { binance, bybit, okx, bitmex, deribit, hyperliquid, bitget, gate, dydx, kraken };

export function getVenue(id: string): VenueAdapter | undefined {
  return Object.hasOwn(venues, id) ? venues[id as VenueId] : undefined;
}

export function listVenues(): VenueAdapter[] {
  return Object.values(venues);
}

/**
 * Host permissions for the venues' default REST hosts (instrument lists, Binance open interest).
 * The manifest is built from this, so a new venue cannot forget its host.
 */
export function restHostPermissions(): string[] {
  return [...new Set(listVenues().map((v) => `${new URL(v.defaultEndpoints.rest).origin}/*`))].sort();
}

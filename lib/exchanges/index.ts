/** The venue registry: every adapter LiqLens knows, by id. Add a venue here (docs/adding-a-venue.md). */
import { binance } from './binance';
import type { VenueAdapter, VenueId } from './types';

export const venues: Partial<Record<VenueId, VenueAdapter>> = {
  binance,
};

export function getVenue(id: string): VenueAdapter | undefined {
  return Object.hasOwn(venues, id) ? venues[id as VenueId] : undefined;
}

export function listVenues(): VenueAdapter[] {
  return Object.values(venues).filter((v): v is VenueAdapter => v !== undefined);
}

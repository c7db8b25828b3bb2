/**
 * One answer to "is LiqLens live?", from the feeds' health: the popup header, the overlay handle's dot
 * and text, the docked ladder and the Feeds tab all say the same thing. Pure.
 */
import type { VenueHealth } from '../contract/health';
import { formatList, t } from '../i18n';

/** A connected venue that has sent nothing for this long is stale, not live. */
export const STALE_AFTER_MS = 30_000;

export type OverallState = 'live' | 'partial' | 'connecting' | 'down' | 'none';

export interface OverallHealth {
  state: OverallState;
  /** One line for a banner, the handle's tooltip or the ladder; empty when everything is live. */
  message: string;
  /** Venues streaming now, and those that are not (connecting, stale, down). */
  live: string[];
  notLive: string[];
}

/** The line every surface shows when no venue answers. */
export const nothingReachable = () => t('healthNothingReachable');

/** Whether one venue is live: connected (or partly) and heard from recently. */
export function venueLive(f: VenueHealth, now: number): boolean {
  if (f.state !== 'connected' && f.state !== 'degraded') return false;
  return f.lastMessageAt === undefined ? true : now - f.lastMessageAt <= STALE_AFTER_MS;
}

export function overallHealth(feeds: readonly VenueHealth[], now: number): OverallHealth {
  if (!feeds.length) return { state: 'none', message: t('healthNoVenue'), live: [], notLive: [] };
  const live = feeds.filter((f) => venueLive(f, now)).map((f) => f.label);
  const notLive = feeds.filter((f) => !venueLive(f, now)).map((f) => f.label);
  if (!notLive.length) return { state: 'live', message: '', live, notLive };
  if (live.length) return { state: 'partial', message: t('healthPartial', { venues: formatList(notLive) }), live, notLive };
  // Nothing live: still on its first attempts, or given up on every venue.
  const trying = feeds.every((f) => f.state === 'connecting' && f.reconnects === 0);
  return trying
    ? { state: 'connecting', message: t('healthConnecting'), live, notLive }
    : { state: 'down', message: nothingReachable(), live, notLive };
}

/**
 * Why the real-positions layer can show nothing, or null when it can: positions come from Hyperliquid
 * alone, read only while both the venue and position reading are on. (A switch that is on while its
 * source is off, with no word, reads as broken.)
 */
export function positionsLayerBlocked(settings: {
  venues: { hyperliquid?: { enabled: boolean } };
  positions: { enabled: boolean };
}): string | null {
  if (!settings.venues.hyperliquid?.enabled) return t('positionsBlockedVenueOff');
  if (!settings.positions.enabled) return t('positionsBlockedReadingOff');
  return null;
}

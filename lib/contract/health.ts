/**
 * Feed health as the popup and options page show it: each venue's sockets and polls, history
 * backfill, and the coins followed for open pages. Built in the worker, carried in every snapshot.
 */
import type { LiquidationCompleteness, VenueId } from '../exchanges/types';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'backoff' | 'stopped';

export interface Gap {
  /** Last frame before the loss, epoch ms. */
  from: number;
  /** First frame after recovery, epoch ms; absent while the gap is still open. */
  to?: number;
  reason: string;
}

export interface ConnectionStatus {
  id: string;
  state: ConnectionState;
  url: string;
  /** When the current socket opened. */
  openedAt?: number;
  lastFrameAt?: number;
  frames: number;
  /** Sockets opened after the first one (reconnects and rotations). */
  reconnects: number;
  /** Consecutive attempts that failed before any data arrived. */
  failedAttempts: number;
  /** Every connection failure and loss so far (refused, timed out, dropped, stale). */
  failures: number;
  nextRetryAt?: number;
  lastError?: string;
  gaps: Gap[];
}

export interface PollerStatus {
  id: string;
  requests: number;
  failures: number;
  /** Rounds not asked because nothing could have changed (PollerOptions.wanted). */
  skipped?: number;
  lastOkAt?: number;
  lastError?: string;
  nextAt?: number;
}

/** How a venue is doing, as the popup and options page show it. */
export interface VenueHealth {
  venue: VenueId;
  label: string;
  /** connected: every socket open; degraded: some open; connecting: first attempt; down: none open. */
  state: 'connected' | 'degraded' | 'connecting' | 'down';
  hasLiquidationFeed: boolean;
  /** How complete the venue's liquidation feed is (its docs): realized totals say so. */
  liquidationCompleteness: { kind: LiquidationCompleteness; note: string };
  /** How far back its public history fills the heatmap, in words. */
  historyDepth?: string;
  symbols: string[];
  /** Configured symbols the venue's instrument list does not name (a typo, a delisting): no data will come. */
  unlisted: string[];
  frames: number;
  events: number;
  skipped: number;
  /** Frames that could not be parsed (malformed, unknown). */
  errors: number;
  /** Connection failures and losses (refused, timed out, dropped, stale), all connections together. */
  connectionErrors: number;
  /** The latest few parse or REST errors, newest last. */
  recentErrors: string[];
  messagesPerSec: number;
  lastMessageAt?: number;
  /** Latest connection problem, with a hint for the user. */
  lastError?: string;
  nextRetryAt?: number;
  reconnects: number;
  gaps: Gap[];
  connections: ConnectionStatus[];
  rest: PollerStatus[];
  /** Instrument specs known (defaults plus the venue's list once loaded). */
  specs: { count: number; loadedAt?: number };
}

export interface BackfillProgress {
  state: 'idle' | 'running' | 'done';
  total: number;
  done: number;
  /** `instrument: reason` for each one that could not be backfilled. */
  failed: string[];
}

export interface FollowedCoin {
  coin: string;
  /** The instruments subscribed for it, `venue:SYMBOL`. */
  instruments: string[];
  /** Shown by a page or the popup now; else dropped at `until`. */
  shown: boolean;
  until?: number;
}

/** What LiqLens does for the coin a viewer shows (the answer to `watchCoin`). */
export interface FollowStatus {
  coin: string | null;
  /** Instruments subscribed for it because a page shows it (empty when the settings stream it, or none lists it). */
  followed: string[];
  /** Venues that list it but already follow their most coins for open pages. */
  capped: VenueId[];
  /** No enabled venue lists it (or their instrument lists have not loaded yet). */
  unlisted: boolean;
}

/** The coins followed for open pages, as a snapshot carries them (lib/worker/coin-follow.ts plans them). */
export interface FollowState {
  followed: FollowedCoin[];
  /** Coins shown that could not be added on some venue, because its share of followed coins is full. */
  capped: { coin: string; venues: VenueId[] }[];
  /** Coins shown that no enabled venue lists (yet: instrument lists may still be loading). */
  unlisted: string[];
}

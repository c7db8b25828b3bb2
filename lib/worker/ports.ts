/**
 * What the worker core needs from the world, as small interfaces. The background builds them from
 * browser APIs (entrypoints/background/ports.ts); tests build them from memory, a fake clock and
 * loopback servers. Nothing in lib/worker reaches a browser API any other way.
 */
import type { Clock } from '../clock';
import type { FiredAlert, RealizedLiquidation } from '../contract/market';
import type { InstrumentHistory } from '../model';
import type { LiqSnapshot } from '../contract/snapshot';
import type { WebSocketFactory } from '../net/feed-connection';
import type { FetchLike } from '../net/rest-poller';
import type { Settings } from '../settings';

/** A key-value area (the extension's session or local storage). Values are structured-cloneable. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /**
   * Several keys in one write. A write's cost in the browser is mostly its call into the storage API
   * (and the value's conversion), so a journal flush of many chunks is one call, not one per chunk.
   */
  setMany(values: Record<string, unknown>): Promise<void>;
}

/** The one settings item. The core is its only writer. */
export interface SettingsStore {
  /** The stored settings, migrated and validated (defaults when nothing is stored). */
  load(): Promise<Settings>;
  save(settings: Settings): Promise<void>;
}

/** Minute history on disk (IndexedDB in the worker): the adapter is lib/model/history-store.ts. */
export interface HistoryDatabase {
  loadAll(): Promise<{ histories: Map<string, InstrumentHistory>; skipped: number }>;
  /** Write what changed since `since` (epoch ms); 0 writes everything. */
  save(instrument: string, history: InstrumentHistory, since: number): Promise<void>;
  pruneBefore(time: number): Promise<void>;
  clear(): Promise<void>;
}

/**
 * Who listens for snapshots: `page` for extension pages (the popup), `tab:<id>` for a chart page's
 * overlay. A listener is dropped when a delivery is refused.
 */
export type ListenerId = 'page' | `tab:${number}`;

export interface WorkerPorts {
  socket: WebSocketFactory;
  fetch: FetchLike;
  clock: Clock;
  /** Survives worker restarts, not browser restarts: the engine snapshot, recent liquidations. */
  session: KeyValueStore;
  /** Survives browser restarts: instrument lists, alert history. */
  local: KeyValueStore;
  settings: SettingsStore;
  /** Opened once at start; a rejection is reported as a notice and history is kept in memory only. */
  openHistory(): Promise<HistoryDatabase>;
  /** Show a fired alert (a browser notification). */
  notify(alert: FiredAlert, options: { sound: boolean }): Promise<void>;
  /** Deliver a snapshot to one listener; resolves true while it wants more. */
  publish(snapshot: LiqSnapshot, listener: ListenerId): Promise<boolean>;
  /** Deliver new realized liquidations at once (between snapshots); resolves true while it wants more. */
  pushRealized(liquidations: RealizedLiquidation[], listener: ListenerId): Promise<boolean>;
  /**
   * Register the content scripts for exactly these patterns (local pages while on, the user's own
   * sites), those granted; resolves the patterns left out for lack of permission.
   */
  syncRunTimeSites(patterns: readonly string[]): Promise<string[]>;
  /** Diagnostics the user does not need to see (the browser console). */
  log?(message: string, error?: unknown): void;
}

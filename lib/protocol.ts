/**
 * Every message between the background and the popup, options page and overlay, typed in one map.
 * Data flows one way: the background owns feeds and the model; UIs ask for a snapshot once and then
 * receive throttled pushes (≤ 4 Hz). UIs never talk to exchanges.
 *
 * Listeners: `getSnapshot` and `getStatus` are answered only in the background (one listener per
 * message type); `snapshot` is received by the popup and by overlay content scripts that asked for
 * a snapshot; `settingsChanged` by extension pages (content scripts watch the settings item).
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { VenueHealth } from './net/feed-manager';
import type { LiqSnapshot } from './model/snapshot';
import type { Settings } from './settings';

export interface ProtocolMap {
  /** Latest snapshot; also subscribes the sending tab to `snapshot` pushes. */
  getSnapshot(): LiqSnapshot;
  /** Feed health per venue, without market data. */
  getStatus(): VenueHealth[];
  /** The last `minutes` of raw frames in the recording format (docs/recording.md), for bug reports. */
  exportRecording(data: { minutes: number }): { jsonl: string; frames: number };
  /**
   * Pushed by the background at most every SNAPSHOT_PUSH_INTERVAL_MS while data changes. A receiver
   * answers `true` while it wants more; anything else (including no receiver: messaging's tab path
   * resolves `undefined` then) unsubscribes that tab.
   */
  snapshot(data: LiqSnapshot): boolean;
  /** Pushed to extension pages (popup, options) after the background applied new settings. */
  settingsChanged(data: Settings): void;
}

export const { sendMessage, onMessage, removeAllListeners } = defineExtensionMessaging<ProtocolMap>();

/**
 * Every message between the background and the popup, options page and overlay, typed in one map.
 * Data flows one way: the background owns feeds and the model; UIs ask for a snapshot once and then
 * receive throttled pushes (≤ 4 Hz). UIs never talk to exchanges.
 *
 * Listeners: every request is answered only in the background (one listener per message type);
 * `snapshot` is received by the popup and by overlay content scripts that asked for a snapshot;
 * `pageInfo` by the overlay content script of the tab it is sent to. Settings are written only by
 * the background (`changeSettings`, `replaceSettings`); every UI watches the settings item.
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { FollowStatus, VenueHealth } from './health';
import type { LiqSnapshot } from './snapshot';
import type { Settings, SettingsPatch } from '../settings';
import type { HeatmapRequest, WireHeatmap } from './heatmap-wire';
import type { MarketViewReply, ViewRequest } from './view';
import type { VenueId } from '../exchanges/types';
import type { FiredAlert, RealizedLiquidation } from './market';
import type { CoinCalibration } from './positions';

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
  /**
   * New realized liquidations, pushed to the same receivers within a frame of arriving (snapshots
   * follow at ≤ 4 Hz). Same answer as `snapshot`.
   */
  realized(data: RealizedLiquidation[]): boolean;
  /**
   * Change some settings: objects merge, arrays and values replace, null removes (lib/settings/
   * `SettingsPatch`). The background validates the merged result and writes it, or writes nothing
   * and says why.
   */
  changeSettings(data: SettingsPatch): { settings: Settings } | { error: string };
  /** Replace the settings whole (import, reset to defaults), validated the same way. */
  replaceSettings(data: Settings): { settings: Settings } | { error: string };
  /** The time × price heatmap of one target (validated by `heatmapRequestError`). */
  getHeatmap(data: HeatmapRequest): WireHeatmap | { error: string };
  /** Asked of a tab's overlay (popup → content script): which site this page is and what it shows. */
  pageInfo(): PageInfo | null;
  /** The popup's quick view of one target and time range (validated by `viewRequestError`). */
  getView(data: ViewRequest): MarketViewReply | { error: string };
  /** Every instrument the running venues list (for the symbol picker), and which ones are followed. */
  listInstruments(): { venue: VenueId; symbol: string; coin: string; followed: boolean }[];
  /** Fired alerts, newest first. */
  getAlertHistory(): FiredAlert[];
  /** The estimate measured against real positions, per Hyperliquid coin (empty until positions are read). */
  getCalibration(): CoinCalibration[];
  /**
   * The sender (a tab's overlay, the popup) shows this coin now, or nothing (`null`); repeated every
   * VIEWER_HEARTBEAT_MS while it does. A coin no enabled venue streams is followed meanwhile.
   */
  watchCoin(data: { coin: string | null }): FollowStatus | { error: string };
  /** Fetch the history of instruments whose backfill failed, again. */
  retryBackfill(): void;
  /** Keep a followed coin: its instruments become the venues' symbols in the settings. */
  pinCoin(data: { coin: string }): { settings: Settings } | { error: string };
}

export interface PageInfo {
  /** Site id from lib/sites (`custom` for a user-added pattern). */
  siteId: string;
  label: string;
  host: string;
  /** How the overlay draws here. */
  mode: 'chart' | 'calibrated' | 'ladder' | 'hidden' | 'off';
  /** The instrument the overlay follows, when known. */
  instrument?: string;
}

export const { sendMessage, onMessage, removeAllListeners } = defineExtensionMessaging<ProtocolMap>();

/** Send a settings change to the background, the one writer; resolves the stored result or throws why not. */
export async function changeSettings(patch: SettingsPatch): Promise<Settings> {
  const result = await sendMessage('changeSettings', patch);
  if ('error' in result) throw new Error(result.error);
  return result.settings;
}

/**
 * User settings: the schema (documented in docs/settings.md; change both together), defaults,
 * and derived feeds. Pure: the storage item lives in ./storage.ts, and
 * only the worker core writes it (UIs send patches with `changeSettings`).
 *
 * Endpoint overrides store only what the user typed. Defaults live in the venue adapters, so when
 * a venue moves (as Binance did to `/market` in 2026) an update reaches everyone who did not override.
 */
import { listVenueInfo } from '../exchanges/catalog';
import type { MyPositionFields } from '../contract/market';
import type { VenueFeedConfig, VenueId } from '../exchanges/types';
import { DEFAULT_PARAMS, type ModelParams } from '../model/params';
import { sites } from '../sites';
import type { GradientPreset } from '../ui/gradients';
import { DEFAULT_HEATMAP_SCALE, type HeatmapScale } from '../ui/heatmap-scale';
import { DEFAULT_ALERTS, type AlertSettings } from './alert-rules';

export interface VenueSettingsV1 {
  enabled: boolean;
  /** Venue symbols as the venue spells them, e.g. `BTCUSDT`. */
  symbols: string[];
  /** Empty string = the venue's public default. */
  endpoints: { ws: string; rest: string };
}

export interface SettingsV1 {
  venues: Partial<Record<VenueId, VenueSettingsV1>>;
  overlay: {
    enabled: boolean;
    /** 0.1–1. */
    opacity: number;
    /** Per site id from lib/sites: true = draw on that site. */
    sites: Record<string, boolean>;
  };
}

export interface SettingsV2 extends SettingsV1 {
  /** The estimated-level model's assumptions (docs/model.md). */
  model: ModelParams;
  display: {
    /** true: one view per coin, all venues added up; false: each venue's instrument apart. */
    aggregateVenues: boolean;
  };
}

/** Two clicks on a page's price axis: how the docked ladder maps price to y on that page. */
export interface Calibration {
  /** Viewport y (CSS px) and the price the user read there; y1 < y2. */
  y1: number;
  price1: number;
  y2: number;
  price2: number;
  /** Viewport x of the page's price axis: bands are drawn left of it. */
  axisX: number;
  mode: 'linear' | 'log';
}

export interface SettingsV3 extends SettingsV2 {
  overlay: SettingsV2['overlay'] & {
    /** What the overlay draws. */
    layers: { estimated: boolean; realized: boolean; heatmap: boolean };
    /** Estimated zones and heatmap cells below this share of the strongest are not drawn (0–0.9). */
    threshold: number;
    /** Match patterns the user added (with a run-time host permission), e.g. `https://charts.example.com/*`. */
    customSites: string[];
    /** Per host (`example.com`): the two-click price-axis calibration for pages without a readable chart. */
    calibrations: Record<string, Calibration>;
  };
}

export interface SettingsV4 extends SettingsV3 {
  appearance: {
    /** Heatmap gradient: classic blue → yellow, or viridis (colour-blind safe). */
    gradient: GradientPreset;
    theme: 'system' | 'light' | 'dark';
  };
  alerts: AlertSettings;
}

export interface SettingsV5 extends SettingsV4 {
  overlay: SettingsV4['overlay'] & {
    /** Version 5 adds `positions`: real Hyperliquid positions at their liquidation prices. */
    layers: SettingsV4['overlay']['layers'] & { positions: boolean };
    /**
     * Per host (`example.com`): the instrument the user chose for pages that name no symbol, so the
     * overlay never shows a coin silently picked for them.
     */
    pageInstruments: Record<string, string>;
  };
  /** Real positions read from Hyperliquid's public wallets (docs/model.md#positions). */
  positions: {
    enabled: boolean;
    /**
     * Share of Hyperliquid's per-IP REST budget (1 200 weight a minute) that LiqLens may spend on
     * that host, position readings included: the trader's own Hyperliquid tab shares the same IP.
     */
    budgetShare: number;
  };
  /** The raw-frame recorder (Options → Recording): off unless the user wants a recording. */
  recording: { enabled: boolean };
}

export interface SettingsV6 extends SettingsV5 {
  /**
   * Following the coin a chart page (or the popup) shows when no enabled venue streams it: it is
   * subscribed on every enabled venue that lists it, and dropped `graceMinutes` after the last page
   * showing it closed or moved on (0: at once). Pinned coins are the venues' `symbols`.
   */
  follow: { enabled: boolean; graceMinutes: number };
}

export interface SettingsV7 extends SettingsV6 {
  appearance: SettingsV6['appearance'] & {
    /** The popup heatmap's colour scale: top colour (a share of the strongest cell, 1 = auto) and mapping. */
    heatmapScale: HeatmapScale;
  };
}

export interface SettingsV8 extends SettingsV7 {
  overlay: SettingsV7['overlay'] & {
    /**
     * Per host (`example.com`): where the trader dragged the overlay's handle, as shares of the
     * chart pane (x of its width, y of its height, 0–1). No entry: the middle of the pane's top edge.
     */
    handlePositions: Record<string, HandlePosition>;
  };
}

export interface SettingsV9 extends SettingsV8 {
  /**
   * The trader's own positions, kept in this browser only: typed in (any venue), and a Hyperliquid
   * address whose positions are read from its public `clearinghouseState` (the address goes to
   * Hyperliquid and nowhere else). Their liquidation prices are drawn against the crowd's estimate.
   */
  myPositions: {
    typed: TypedPosition[];
    /** A Hyperliquid account (0x + 40 hex digits, lower case), or '' for none. */
    hyperliquidAddress: string;
    /** Alert when the price comes within this % of a position's liquidation price (0: off). */
    alertWithinPct: number;
  };
}

/**
 * A position as a trader types it: venue, coin, side, entry and size (coins), and one of leverage,
 * margin (USD) or the liquidation price the venue shows (which then wins over the formula).
 */
export interface TypedPosition extends MyPositionFields {
  venue: VenueId;
  marginUsd?: number;
  liquidationPrice?: number;
}

/** At most this many typed positions. */
export const MAX_TYPED_POSITIONS = 20;
export const MY_ALERT_WITHIN_PCT = { min: 0, max: 50, default: 2 };

/** The handle's place in the pane, as shares of its width and height (0–1). */
export interface HandlePosition {
  x: number;
  y: number;
}

export type Settings = SettingsV9;
export const SETTINGS_VERSION = 9;
/** Most coins followed for open pages per venue, inside every venue's subscription limits. */
export const FOLLOW_PER_VENUE = 5;
export const FOLLOW_GRACE_MINUTES = { min: 0, max: 60, default: 5 };
/** Hyperliquid's REST limit per IP, weight per minute (its rate-limit docs). */
export const HYPERLIQUID_WEIGHT_PER_MINUTE = 1_200;
export const POSITIONS_BUDGET_SHARE = { min: 0.05, max: 0.5, default: 0.25 };

export function defaultOverlayExtras() {
  return {
    layers: { estimated: true, realized: true, heatmap: true, positions: true },
    threshold: 0.1,
    customSites: [] as string[],
    calibrations: {} as Record<string, Calibration>,
    pageInstruments: {} as Record<string, string>,
  };
}

export function defaultSettings(): Settings {
  return {
    venues: Object.fromEntries(
      listVenueInfo().map((v) => [v.id, { enabled: true, symbols: [...v.defaultSymbols], endpoints: { ws: '', rest: '' } }]),
    ),
    overlay: {
      enabled: true,
      opacity: 0.8,
      sites: Object.fromEntries(sites.map((s) => [s.id, s.defaultEnabled])),
      ...defaultOverlayExtras(),
      handlePositions: {},
    },
    model: structuredClone(DEFAULT_PARAMS),
    display: { aggregateVenues: true },
    appearance: { gradient: 'classic', theme: 'system', heatmapScale: { ...DEFAULT_HEATMAP_SCALE } },
    alerts: structuredClone(DEFAULT_ALERTS),
    positions: { enabled: true, budgetShare: POSITIONS_BUDGET_SHARE.default },
    recording: { enabled: false },
    follow: { enabled: true, graceMinutes: FOLLOW_GRACE_MINUTES.default },
    myPositions: { typed: [], hyperliquidAddress: '', alertWithinPct: MY_ALERT_WITHIN_PCT.default },
  };
}

/** The feeds the background should run for these settings. */
export function venueFeedConfigs(settings: Settings): VenueFeedConfig[] {
  const configs: VenueFeedConfig[] = [];
  for (const adapter of listVenueInfo()) {
    const v = settings.venues[adapter.id];
    if (!v?.enabled || v.symbols.length === 0) continue;
    configs.push({
      venue: adapter.id,
      symbols: v.symbols,
      endpoints: {
        ws: v.endpoints.ws || adapter.defaultEndpoints.ws,
        rest: v.endpoints.rest || adapter.defaultEndpoints.rest,
      },
    });
  }
  return configs;
}

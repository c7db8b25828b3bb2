/**
 * Settings migrations, keyed by the version they produce (lib/settings/storage.ts runs them). Every
 * old shape is a named type in schema.ts; a new setting arrives with its default.
 */
import {
  defaultOverlayExtras,
  FOLLOW_GRACE_MINUTES,
  POSITIONS_BUDGET_SHARE,
  type SettingsV1,
  type SettingsV2,
  type SettingsV3,
  type SettingsV4,
  type SettingsV5,
  type SettingsV6,
  type SettingsV7,
  type SettingsV8,
  type SettingsV9,
  MY_ALERT_WITHIN_PCT,
} from './schema';
import { DEFAULT_ALERTS } from './alert-rules';
import { DEFAULT_HEATMAP_SCALE } from '../ui/heatmap-scale';
import { DEFAULT_PARAMS } from '../model/params';
/** Version 1 → 2: the model parameters and display choices arrive with their defaults. */
export function migrateV1toV2(v1: SettingsV1): SettingsV2 {
  return { ...v1, model: structuredClone(DEFAULT_PARAMS), display: { aggregateVenues: true } };
}

/** Version 2 → 3: overlay layers, threshold, custom sites and calibrations arrive with their defaults. */
export function migrateV2toV3(v2: SettingsV2): SettingsV3 {
  return { ...v2, overlay: { ...v2.overlay, ...defaultOverlayExtras() } };
}

/** Version 3 → 4: appearance (gradient, theme) and alerts arrive with their defaults (alerts off). */
export function migrateV3toV4(v3: SettingsV3): SettingsV4 {
  return { ...v3, appearance: { gradient: 'classic', theme: 'system' }, alerts: structuredClone(DEFAULT_ALERTS) };
}

/**
 * Version 4 → 5: the positions layer and the Hyperliquid position reader arrive, on, at a quarter of
 * the budget; the raw-frame recorder becomes a choice, off.
 */
export function migrateV4toV5(v4: SettingsV4): SettingsV5 {
  return {
    ...v4,
    overlay: { ...v4.overlay, layers: { ...v4.overlay.layers, positions: true }, pageInstruments: {} },
    positions: { enabled: true, budgetShare: POSITIONS_BUDGET_SHARE.default },
    recording: { enabled: false },
  };
}

/** Version 5 → 6: following the page's coin arrives, on, with a five-minute grace period. */
export function migrateV5toV6(v5: SettingsV5): SettingsV6 {
  return { ...v5, follow: { enabled: true, graceMinutes: FOLLOW_GRACE_MINUTES.default } };
}

/** Version 6 → 7: the heatmap's colour scale arrives at its default (auto top, √ mapping: as before). */
export function migrateV6toV7(v6: SettingsV6): SettingsV7 {
  return { ...v6, appearance: { ...v6.appearance, heatmapScale: { ...DEFAULT_HEATMAP_SCALE } } };
}

/** Version 7 → 8: the overlay handle's dragged places per site arrive, none (it starts at its default). */
export function migrateV7toV8(v7: SettingsV7): SettingsV8 {
  return { ...v7, overlay: { ...v7.overlay, handlePositions: {} } };
}

/** Version 8 → 9: the trader's own positions arrive, none typed, no address, the alert at its default. */
export function migrateV8toV9(v8: SettingsV8): SettingsV9 {
  return { ...v8, myPositions: { typed: [], hyperliquidAddress: '', alertWithinPct: MY_ALERT_WITHIN_PCT.default } };
}

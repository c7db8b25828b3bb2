/**
 * User settings: the schema (documented in docs/settings.md; change both together), defaults,
 * migrations, validation and patches. Pure: the storage item lives in lib/settings-storage.ts, and
 * only the worker core writes it (UIs send patches with `changeSettings`).
 *
 * Endpoint overrides store only what the user typed. Defaults live in the venue adapters, so when
 * a venue moves (as Binance did to `/market` in 2026) an update reaches everyone who did not override.
 */
import { listVenueInfo, venueInfo } from './exchanges/catalog';
import type { VenueId } from './exchanges/types';
import type { VenueFeedConfig } from './net/feed-manager';
import { DEFAULT_PARAMS, paramsError, type ModelParams } from './model/params';
import { sites } from './sites';
import type { GradientPreset } from './gradients';
import { DEFAULT_HEATMAP_SCALE, HEATMAP_TOP, isHeatmapMapping, type HeatmapScale } from './heatmap-scale';
import { alertRuleError, DEFAULT_ALERTS, pickRule, type AlertRule, type AlertSettings } from './alerts';

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

export type Settings = SettingsV7;
export const SETTINGS_VERSION = 7;
/** Most coins followed for open pages per venue, inside every venue's subscription limits. */
export const FOLLOW_PER_VENUE = 5;
export const FOLLOW_GRACE_MINUTES = { min: 0, max: 60, default: 5 };
/** Hyperliquid's REST limit per IP, weight per minute (its rate-limit docs). */
export const HYPERLIQUID_WEIGHT_PER_MINUTE = 1_200;
export const POSITIONS_BUDGET_SHARE = { min: 0.05, max: 0.5, default: 0.25 };

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

function defaultOverlayExtras() {
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
    },
    model: structuredClone(DEFAULT_PARAMS),
    display: { aggregateVenues: true },
    appearance: { gradient: 'classic', theme: 'system', heatmapScale: { ...DEFAULT_HEATMAP_SCALE } },
    alerts: structuredClone(DEFAULT_ALERTS),
    positions: { enabled: true, budgetShare: POSITIONS_BUDGET_SHARE.default },
    recording: { enabled: false },
    follow: { enabled: true, graceMinutes: FOLLOW_GRACE_MINUTES.default },
  };
}

const SYMBOL = /^[A-Za-z0-9._:/-]{1,40}$/;

/**
 * Bring anything read from storage or an import file into a valid Settings, keeping every valid
 * value and reporting what was dropped. Never throws: bad input must not lose the good settings.
 */
export function sanitizeSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings = defaultSettings();
  if (!isObject(raw)) {
    if (raw !== undefined && raw !== null) problems.push('settings are not an object; defaults used');
    return { settings, problems };
  }
  if (isObject(raw.venues)) {
    for (const [id, value] of Object.entries(raw.venues)) {
      const adapter = venueInfo(id);
      if (!adapter) {
        problems.push(`unknown venue "${id}" ignored`);
        continue;
      }
      if (!isObject(value)) continue;
      const target = settings.venues[adapter.id]!;
      if (typeof value.enabled === 'boolean') target.enabled = value.enabled;
      if (Array.isArray(value.symbols)) {
        const good = value.symbols.filter((s): s is string => typeof s === 'string' && SYMBOL.test(s));
        if (good.length !== value.symbols.length) problems.push(`${id}: invalid symbols dropped`);
        target.symbols = [...new Set(good.map((s) => s.trim()))];
      }
      if (isObject(value.endpoints)) {
        for (const kind of ['ws', 'rest'] as const) {
          const url = value.endpoints[kind];
          if (typeof url !== 'string' || url === '') continue;
          const error = endpointError(kind, url);
          if (error) problems.push(`${id} ${kind} endpoint: ${error}`);
          else target.endpoints[kind] = url;
        }
      }
    }
  }
  if (isObject(raw.overlay)) {
    const o = raw.overlay;
    if (typeof o.enabled === 'boolean') settings.overlay.enabled = o.enabled;
    else if (o.enabled !== undefined) problems.push('overlay on/off must be true or false');
    if (typeof o.opacity === 'number' && o.opacity >= 0.1 && o.opacity <= 1) settings.overlay.opacity = o.opacity;
    else if (o.opacity !== undefined) problems.push('overlay opacity must be 0.1–1');
    if (isObject(o.sites)) {
      for (const [id, on] of Object.entries(o.sites)) {
        if (Object.hasOwn(settings.overlay.sites, id) && typeof on === 'boolean') settings.overlay.sites[id] = on;
      }
    }
    if (isObject(o.layers)) {
      for (const layer of ['estimated', 'realized', 'heatmap', 'positions'] as const) {
        if (typeof o.layers[layer] === 'boolean') settings.overlay.layers[layer] = o.layers[layer];
      }
    }
    if (typeof o.threshold === 'number' && o.threshold >= 0 && o.threshold <= 0.9) settings.overlay.threshold = o.threshold;
    else if (o.threshold !== undefined) problems.push('overlay threshold must be 0–0.9');
    if (Array.isArray(o.customSites)) {
      for (const pattern of o.customSites) {
        const error = typeof pattern === 'string' ? matchPatternError(pattern) : 'not a string';
        if (error) problems.push(`custom site ${JSON.stringify(pattern)}: ${error}`);
        else if (!settings.overlay.customSites.includes(pattern)) settings.overlay.customSites.push(pattern);
      }
    }
    if (isObject(o.pageInstruments)) {
      for (const [host, instrument] of Object.entries(o.pageInstruments)) {
        const venue = typeof instrument === 'string' ? instrument.slice(0, instrument.indexOf(':')) : '';
        if (HOST.test(host) && typeof instrument === 'string' && venueInfo(venue) && SYMBOL.test(instrument.slice(venue.length + 1)))
          settings.overlay.pageInstruments[host] = instrument;
        else problems.push(`page instrument for ${JSON.stringify(host)} dropped (invalid)`);
      }
    }
    if (isObject(o.calibrations)) {
      for (const [host, c] of Object.entries(o.calibrations)) {
        const calibration = validCalibration(c);
        if (HOST.test(host) && calibration) settings.overlay.calibrations[host] = calibration;
        else problems.push(`calibration for ${JSON.stringify(host)} dropped (invalid)`);
      }
    }
  }
  if (isObject(raw.model)) {
    const m = raw.model;
    const candidate: ModelParams = {
      gridStep: typeof m.gridStep === 'number' ? m.gridStep : settings.model.gridStep,
      stepMs: typeof m.stepMs === 'number' ? m.stepMs : settings.model.stepMs,
      leverage: Array.isArray(m.leverage)
        ? m.leverage.filter(isObject).map((l) => ({ leverage: Number(l.leverage), weight: Number(l.weight) }))
        : settings.model.leverage,
      decayHalfLifeHours: typeof m.decayHalfLifeHours === 'number' ? m.decayHalfLifeHours : settings.model.decayHalfLifeHours,
      typicalPositionUsd:
        typeof m.typicalPositionUsd === 'number' && m.typicalPositionUsd > 0 ? m.typicalPositionUsd : settings.model.typicalPositionUsd,
    };
    const error = paramsError(candidate);
    if (error) problems.push(`model: ${error}; defaults kept`);
    else settings.model = candidate;
  }
  if (isObject(raw.display) && typeof raw.display.aggregateVenues === 'boolean')
    settings.display.aggregateVenues = raw.display.aggregateVenues;
  if (isObject(raw.appearance)) {
    const a = raw.appearance;
    if (a.gradient === 'classic' || a.gradient === 'viridis') settings.appearance.gradient = a.gradient;
    else if (a.gradient !== undefined) problems.push('gradient must be classic or viridis');
    if (a.theme === 'system' || a.theme === 'light' || a.theme === 'dark') settings.appearance.theme = a.theme;
    else if (a.theme !== undefined) problems.push('theme must be system, light or dark');
    if (isObject(a.heatmapScale)) {
      const h = a.heatmapScale;
      if (isHeatmapMapping(h.mapping)) settings.appearance.heatmapScale.mapping = h.mapping;
      else if (h.mapping !== undefined) problems.push('the heatmap mapping must be linear, sqrt or log');
      if (typeof h.top === 'number' && h.top >= HEATMAP_TOP.min && h.top <= HEATMAP_TOP.max) settings.appearance.heatmapScale.top = h.top;
      else if (h.top !== undefined)
        problems.push(`the heatmap's top colour must be ${HEATMAP_TOP.min * 100}–${HEATMAP_TOP.max * 100} % of the strongest level`);
    } else if (a.heatmapScale !== undefined) problems.push('the heatmap colour scale must be an object');
  }
  if (isObject(raw.positions)) {
    const p = raw.positions;
    if (typeof p.enabled === 'boolean') settings.positions.enabled = p.enabled;
    else if (p.enabled !== undefined) problems.push('positions on/off must be true or false');
    const { min, max } = POSITIONS_BUDGET_SHARE;
    if (typeof p.budgetShare === 'number' && p.budgetShare >= min && p.budgetShare <= max) settings.positions.budgetShare = p.budgetShare;
    else if (p.budgetShare !== undefined) problems.push(`the Hyperliquid budget share must be ${min * 100}–${max * 100} %`);
  }
  if (isObject(raw.follow)) {
    const f = raw.follow;
    if (typeof f.enabled === 'boolean') settings.follow.enabled = f.enabled;
    else if (f.enabled !== undefined) problems.push('following the page’s coin must be on or off');
    const { min, max } = FOLLOW_GRACE_MINUTES;
    if (typeof f.graceMinutes === 'number' && Number.isInteger(f.graceMinutes) && f.graceMinutes >= min && f.graceMinutes <= max)
      settings.follow.graceMinutes = f.graceMinutes;
    else if (f.graceMinutes !== undefined) problems.push(`the grace period must be ${min}–${max} whole minutes`);
  }
  if (isObject(raw.recording)) {
    if (typeof raw.recording.enabled === 'boolean') settings.recording.enabled = raw.recording.enabled;
    else if (raw.recording.enabled !== undefined) problems.push('recording on/off must be true or false');
  }
  if (isObject(raw.alerts)) {
    const a = raw.alerts;
    if (typeof a.enabled === 'boolean') settings.alerts.enabled = a.enabled;
    if (typeof a.sound === 'boolean') settings.alerts.sound = a.sound;
    if (typeof a.cooldownMinutes === 'number' && a.cooldownMinutes >= 0 && a.cooldownMinutes <= 1440)
      settings.alerts.cooldownMinutes = a.cooldownMinutes;
    else if (a.cooldownMinutes !== undefined) problems.push('alert cooldown must be 0–1440 minutes');
    if (Array.isArray(a.rules)) {
      const rules: AlertRule[] = [];
      for (const r of a.rules.slice(0, 50)) {
        const error = alertRuleError(r);
        if (error) problems.push(`alert rule ${JSON.stringify(isObject(r) ? r.id : r)}: ${error}`);
        else if (!rules.some((x) => x.id === (r as AlertRule).id)) rules.push(pickRule(r as AlertRule));
      }
      settings.alerts.rules = rules;
    }
  }
  return { settings, problems };
}

const HOST = /^[a-z0-9.-]{1,253}(:\d{1,5})?$/;

function validCalibration(c: unknown): Calibration | null {
  if (!isObject(c)) return null;
  const { y1, price1, y2, price2, axisX, mode } = c;
  const nums = [y1, price1, y2, price2, axisX];
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < 1e12)) return null;
  if (!((y2 as number) > (y1 as number) && (price1 as number) > 0 && (price2 as number) > 0 && price1 !== price2)) return null;
  if (mode !== 'linear' && mode !== 'log') return null;
  return { y1, price1, y2, price2, axisX, mode } as Calibration;
}

/**
 * Why a custom-site match pattern is unusable, or undefined when it is fine. Only http(s) patterns
 * with a concrete host (a leading `*.` is allowed): LiqLens asks for exactly that host, never for all.
 */
export function matchPatternError(pattern: string): string | undefined {
  const m = /^(https?|\*):\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*)(:\d{1,5})?(\/.*)$/.exec(pattern);
  if (!m) return 'write it like https://charts.example.com/* (scheme, host, then a path that may end in *)';
  if (!m[3].includes('.') && m[3] !== 'localhost') return 'give a full host name, e.g. charts.example.com';
  if (pattern.length > 200) return 'too long';
  return undefined;
}

/** Why an endpoint override is unusable, or undefined when it is fine. */
export function endpointError(kind: 'ws' | 'rest', url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  const allowed = kind === 'ws' ? ['ws:', 'wss:'] : ['http:', 'https:'];
  if (!allowed.includes(parsed.protocol)) return `"${url}" must start with ${allowed.map((p) => `${p}//`).join(' or ')}`;
  return undefined;
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A change to the settings, as UIs send it: objects merge key by key, arrays and values replace, and
 * `null` removes a key (a calibration) or puts a field back to its default. Sending only what the
 * user changed means no UI can overwrite what another saved meanwhile.
 */
export type SettingsPatch = Patch<Settings>;
type Patch<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: Patch<T[K]> | null } : T;

/** Keys never merged from a patch: a UI is code we do not fully control. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `base` with `patch` merged in (a new object; `base` is not touched). */
export function mergeSettingsPatch(base: Settings, patch: SettingsPatch): unknown {
  return mergeValue(base, patch);
}

function mergeValue(base: unknown, patch: unknown): unknown {
  if (!isObject(patch) || !isObject(base)) return structuredClone(patch);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (UNSAFE_KEYS.has(key)) continue;
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = mergeValue(out[key], value);
  }
  return out;
}

/**
 * The smallest patch that turns `from` into `to`: what a UI sends after the user edited a copy.
 * Keys that `to` lacks become `null` (removed).
 */
export function settingsDiff(from: unknown, to: unknown): SettingsPatch | undefined {
  return diffValue(from, to) as SettingsPatch | undefined;
}

function diffValue(from: unknown, to: unknown): unknown {
  if (isObject(from) && isObject(to)) {
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
      if (!Object.hasOwn(to, key)) out[key] = null;
      else {
        const d = diffValue(from[key], to[key]);
        if (d !== undefined) out[key] = d;
      }
    }
    return Object.keys(out).length ? out : undefined;
  }
  return JSON.stringify(from) === JSON.stringify(to) ? undefined : structuredClone(to);
}

/** Dotted paths a patch touches (`overlay.opacity`), for "changed elsewhere" marks. */
export function patchPaths(patch: SettingsPatch | undefined, prefix = ''): string[] {
  if (!isObject(patch)) return prefix ? [prefix] : [];
  return Object.entries(patch).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isObject(value) ? patchPaths(value as SettingsPatch, path) : [path];
  });
}

/**
 * An editor's draft after the stored settings changed under it (another tab, the popup, the
 * keyboard command): the new stored value, with the user's own unsaved edits kept on top.
 * `conflicts` lists the edited fields that were also changed elsewhere (kept as the user typed them,
 * and marked so the user sees it).
 */
export function rebaseDraft(base: Settings, draft: Settings, stored: Settings): { draft: Settings; conflicts: string[] } {
  const edits = settingsDiff(base, draft);
  if (!edits) return { draft: structuredClone(stored), conflicts: [] };
  const elsewhere = patchPaths(settingsDiff(base, stored));
  const stillDifferent = patchPaths(settingsDiff(stored, draft));
  const overlaps = (p: string, list: string[]) => list.some((q) => q === p || q.startsWith(`${p}.`) || p.startsWith(`${q}.`));
  // An edit that the stored value now equals was saved (here); one changed elsewhere to another value is a conflict.
  const conflicts = patchPaths(edits).filter((p) => overlaps(p, elsewhere) && overlaps(p, stillDifferent));
  // Not sanitized: a draft may hold a half-typed value (an endpoint) that the editor shows as an error.
  return { draft: mergeSettingsPatch(stored, edits) as Settings, conflicts };
}

/**
 * Apply a patch to the stored settings: the merged value must validate, or nothing changes (a bad
 * field in a patch never costs the good ones already stored).
 */
export function applySettingsPatch(base: Settings, patch: unknown): { settings: Settings } | { error: string } {
  if (!isObject(patch)) return { error: 'a settings change must be an object' };
  const { settings, problems } = sanitizeSettings(mergeSettingsPatch(base, patch as SettingsPatch));
  if (problems.length) return { error: `not saved: ${problems.join('; ')}` };
  return { settings };
}

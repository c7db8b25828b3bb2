/**
 * Settings from outside (storage, an import file, a UI's patch) made valid: every valid field kept,
 * every bad one replaced by its default and named in `problems`.
 */
import {
  type Calibration,
  defaultSettings,
  FOLLOW_GRACE_MINUTES,
  MAX_TYPED_POSITIONS,
  MY_ALERT_WITHIN_PCT,
  POSITIONS_BUDGET_SHARE,
  type Settings,
  type TypedPosition,
} from './schema';
import { type AlertRule, alertRuleError, pickRule } from './alert-rules';
import { HEATMAP_TOP, isHeatmapMapping } from '../ui/heatmap-scale';
import { type ModelParams, paramsError } from '../model/params';
import { venueInfo } from '../exchanges/catalog';
import { formatCount, t } from '../i18n';
const SYMBOL = /^[A-Za-z0-9._:/-]{1,40}$/;
const COIN = /^[A-Z0-9]{1,20}$/;
/** What Hyperliquid calls an address: 0x and 40 hex digits. */
export const HYPERLIQUID_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

const positive = (v: unknown, max = 1e12): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max;

/** What is wrong with a typed position, in words a trader can act on; undefined when it is valid. */
export function typedPositionError(p: unknown): string | undefined {
  if (!isObject(p)) return t('positionNotAPosition');
  if (typeof p.id !== 'string' || !/^[\w-]{1,40}$/.test(p.id)) return t('settingsNoValidId');
  if (typeof p.venue !== 'string' || !venueInfo(p.venue)) return t('positionPickVenue');
  if (typeof p.coin !== 'string' || !COIN.test(p.coin)) return t('coinInvalid');
  if (p.side !== 'long' && p.side !== 'short') return t('positionSideInvalid');
  if (!positive(p.entry)) return t('positionEntryInvalid');
  if (!positive(p.size)) return t('positionSizeInvalid');
  if (p.leverage !== undefined && !(positive(p.leverage, 1000) && p.leverage >= 1)) return t('positionLeverageInvalid');
  if (p.marginUsd !== undefined && !positive(p.marginUsd)) return t('positionMarginInvalid');
  if (p.liquidationPrice !== undefined && !positive(p.liquidationPrice)) return t('positionLiquidationInvalid');
  if (p.leverage === undefined && p.marginUsd === undefined && p.liquidationPrice === undefined) return t('positionNeedsOneOf');
  return undefined;
}

/** A valid typed position with only its known fields. */
function pickPosition(p: TypedPosition): TypedPosition {
  return {
    id: p.id,
    venue: p.venue,
    coin: p.coin,
    side: p.side,
    entry: p.entry,
    size: p.size,
    ...(p.leverage !== undefined ? { leverage: p.leverage } : {}),
    ...(p.marginUsd !== undefined ? { marginUsd: p.marginUsd } : {}),
    ...(p.liquidationPrice !== undefined ? { liquidationPrice: p.liquidationPrice } : {}),
  };
}

/**
 * Bring anything read from storage or an import file into a valid Settings, keeping every valid
 * value and reporting what was dropped. Never throws: bad input must not lose the good settings.
 */
export function sanitizeSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings = defaultSettings();
  if (!isObject(raw)) {
    if (raw !== undefined && raw !== null) problems.push(t('settingsNotAnObject'));
    return { settings, problems };
  }
  if (isObject(raw.venues)) {
    for (const [id, value] of Object.entries(raw.venues)) {
      const adapter = venueInfo(id);
      if (!adapter) {
        problems.push(t('settingsUnknownVenue', { venue: id }));
        continue;
      }
      if (!isObject(value)) continue;
      const target = settings.venues[adapter.id]!;
      if (typeof value.enabled === 'boolean') target.enabled = value.enabled;
      if (Array.isArray(value.symbols)) {
        const good = value.symbols.filter((s): s is string => typeof s === 'string' && SYMBOL.test(s));
        if (good.length !== value.symbols.length) problems.push(t('settingsSymbolsDropped', { venue: id }));
        target.symbols = [...new Set(good.map((s) => s.trim()))];
      }
      if (isObject(value.endpoints)) {
        for (const kind of ['ws', 'rest'] as const) {
          const url = value.endpoints[kind];
          if (typeof url !== 'string' || url === '') continue;
          const error = endpointError(kind, url);
          if (error) problems.push(t('settingsEndpointProblem', { venue: id, kind: kind === 'ws' ? 'WebSocket' : 'REST', error }));
          else target.endpoints[kind] = url;
        }
      }
    }
  }
  if (isObject(raw.overlay)) {
    const o = raw.overlay;
    if (typeof o.enabled === 'boolean') settings.overlay.enabled = o.enabled;
    else if (o.enabled !== undefined) problems.push(t('settingsOverlayOnOff'));
    if (typeof o.opacity === 'number' && o.opacity >= 0.1 && o.opacity <= 1) settings.overlay.opacity = o.opacity;
    else if (o.opacity !== undefined) problems.push(t('settingsOverlayOpacity'));
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
    else if (o.threshold !== undefined) problems.push(t('settingsOverlayThreshold'));
    if (Array.isArray(o.customSites)) {
      for (const pattern of o.customSites) {
        const error = typeof pattern === 'string' ? matchPatternError(pattern) : t('settingsNotText');
        if (error) problems.push(t('settingsCustomSiteProblem', { site: JSON.stringify(pattern), error }));
        else if (!settings.overlay.customSites.includes(pattern)) settings.overlay.customSites.push(pattern);
      }
    }
    if (isObject(o.pageInstruments)) {
      for (const [host, instrument] of Object.entries(o.pageInstruments)) {
        const venue = typeof instrument === 'string' ? instrument.slice(0, instrument.indexOf(':')) : '';
        if (HOST.test(host) && typeof instrument === 'string' && venueInfo(venue) && SYMBOL.test(instrument.slice(venue.length + 1)))
          settings.overlay.pageInstruments[host] = instrument;
        else problems.push(t('settingsPageInstrumentDropped', { host: JSON.stringify(host) }));
      }
    }
    if (isObject(o.handlePositions)) {
      for (const [host, at] of Object.entries(o.handlePositions)) {
        if (HOST.test(host) && isObject(at) && isShare(at.x) && isShare(at.y))
          settings.overlay.handlePositions[host] = { x: at.x as number, y: at.y as number };
        else problems.push(t('settingsHandlePositionDropped', { host: JSON.stringify(host) }));
      }
    }
    if (isObject(o.calibrations)) {
      for (const [host, c] of Object.entries(o.calibrations)) {
        const calibration = validCalibration(c);
        if (HOST.test(host) && calibration) settings.overlay.calibrations[host] = calibration;
        else problems.push(t('settingsCalibrationDropped', { host: JSON.stringify(host) }));
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
      prior: m.prior === 'learned' ? 'learned' : 'default',
    };
    if (m.prior !== undefined && m.prior !== 'default' && m.prior !== 'learned')
      problems.push(t('settingsPriorUnknown', { prior: JSON.stringify(m.prior) }));
    const error = paramsError(candidate);
    if (error) problems.push(t('settingsModelProblem', { error }));
    else settings.model = candidate;
  }
  if (isObject(raw.display) && typeof raw.display.aggregateVenues === 'boolean')
    settings.display.aggregateVenues = raw.display.aggregateVenues;
  if (isObject(raw.appearance)) {
    const a = raw.appearance;
    if (a.gradient === 'classic' || a.gradient === 'viridis') settings.appearance.gradient = a.gradient;
    else if (a.gradient !== undefined) problems.push(t('settingsGradient'));
    if (a.theme === 'system' || a.theme === 'light' || a.theme === 'dark') settings.appearance.theme = a.theme;
    else if (a.theme !== undefined) problems.push(t('settingsTheme'));
    if (isObject(a.heatmapScale)) {
      const h = a.heatmapScale;
      if (isHeatmapMapping(h.mapping)) settings.appearance.heatmapScale.mapping = h.mapping;
      else if (h.mapping !== undefined) problems.push(t('settingsHeatmapMapping'));
      if (typeof h.top === 'number' && h.top >= HEATMAP_TOP.min && h.top <= HEATMAP_TOP.max) settings.appearance.heatmapScale.top = h.top;
      else if (h.top !== undefined)
        problems.push(t('settingsHeatmapTop', { min: formatCount(HEATMAP_TOP.min * 100), max: formatCount(HEATMAP_TOP.max * 100) }));
    } else if (a.heatmapScale !== undefined) problems.push(t('settingsHeatmapScale'));
  }
  if (isObject(raw.positions)) {
    const p = raw.positions;
    if (typeof p.enabled === 'boolean') settings.positions.enabled = p.enabled;
    else if (p.enabled !== undefined) problems.push(t('settingsPositionsOnOff'));
    const { min, max } = POSITIONS_BUDGET_SHARE;
    if (typeof p.budgetShare === 'number' && p.budgetShare >= min && p.budgetShare <= max) settings.positions.budgetShare = p.budgetShare;
    else if (p.budgetShare !== undefined)
      problems.push(t('settingsBudgetShare', { min: formatCount(min * 100), max: formatCount(max * 100) }));
  }
  if (isObject(raw.follow)) {
    const f = raw.follow;
    if (typeof f.enabled === 'boolean') settings.follow.enabled = f.enabled;
    else if (f.enabled !== undefined) problems.push(t('settingsFollowOnOff'));
    const { min, max } = FOLLOW_GRACE_MINUTES;
    if (typeof f.graceMinutes === 'number' && Number.isInteger(f.graceMinutes) && f.graceMinutes >= min && f.graceMinutes <= max)
      settings.follow.graceMinutes = f.graceMinutes;
    else if (f.graceMinutes !== undefined) problems.push(t('settingsGraceMinutes', { min: formatCount(min), max: formatCount(max) }));
  }
  if (isObject(raw.myPositions)) sanitizeMyPositions(raw.myPositions, settings.myPositions, problems);
  if (isObject(raw.recording)) {
    if (typeof raw.recording.enabled === 'boolean') settings.recording.enabled = raw.recording.enabled;
    else if (raw.recording.enabled !== undefined) problems.push(t('settingsRecordingOnOff'));
  }
  if (isObject(raw.alerts)) {
    const a = raw.alerts;
    if (typeof a.enabled === 'boolean') settings.alerts.enabled = a.enabled;
    if (typeof a.sound === 'boolean') settings.alerts.sound = a.sound;
    if (typeof a.cooldownMinutes === 'number' && a.cooldownMinutes >= 0 && a.cooldownMinutes <= 1440)
      settings.alerts.cooldownMinutes = a.cooldownMinutes;
    else if (a.cooldownMinutes !== undefined) problems.push(t('settingsAlertCooldown'));
    if (Array.isArray(a.rules)) {
      const rules: AlertRule[] = [];
      for (const r of a.rules.slice(0, 50)) {
        const error = alertRuleError(r);
        if (error) problems.push(t('settingsAlertRuleProblem', { rule: JSON.stringify(isObject(r) ? r.id : r), error }));
        else if (!rules.some((x) => x.id === (r as AlertRule).id)) rules.push(pickRule(r as AlertRule));
      }
      settings.alerts.rules = rules;
    }
  }
  return { settings, problems };
}

/** Settings → myPositions: each valid field kept into `out` (the defaults), each bad one named in `problems`. */
function sanitizeMyPositions(m: Record<string, unknown>, out: Settings['myPositions'], problems: string[]): void {
  if (typeof m.hyperliquidAddress === 'string' && (m.hyperliquidAddress === '' || HYPERLIQUID_ADDRESS.test(m.hyperliquidAddress)))
    out.hyperliquidAddress = m.hyperliquidAddress.toLowerCase();
  else if (m.hyperliquidAddress !== undefined) problems.push(t('settingsHyperliquidAddress'));
  const { min, max } = MY_ALERT_WITHIN_PCT;
  if (typeof m.alertWithinPct === 'number' && m.alertWithinPct >= min && m.alertWithinPct <= max) out.alertWithinPct = m.alertWithinPct;
  else if (m.alertWithinPct !== undefined)
    problems.push(t('settingsPositionAlertDistance', { min: formatCount(min), max: formatCount(max) }));
  if (Array.isArray(m.typed)) {
    for (const p of m.typed.slice(0, MAX_TYPED_POSITIONS)) {
      const error = typedPositionError(p);
      if (error) problems.push(t('settingsPositionProblem', { position: JSON.stringify(isObject(p) ? p.id : p), error }));
      else if (!out.typed.some((x) => x.id === (p as TypedPosition).id)) out.typed.push(pickPosition(p as TypedPosition));
    }
  }
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
  if (!m) return t('sitePatternShape');
  if (!m[3].includes('.') && m[3] !== 'localhost') return t('sitePatternHost');
  if (pattern.length > 200) return t('sitePatternTooLong');
  return undefined;
}

/** Why an endpoint override is unusable, or undefined when it is fine. */
export function endpointError(kind: 'ws' | 'rest', url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return t('endpointNotUrl', { url });
  }
  const allowed = kind === 'ws' ? ['ws:', 'wss:'] : ['http:', 'https:'];
  if (!allowed.includes(parsed.protocol)) return t(kind === 'ws' ? 'endpointNotWebSocket' : 'endpointNotHttp', { url });
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A share of something (0–1), e.g. of a chart pane's width. */
function isShare(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
}

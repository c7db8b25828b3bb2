/**
 * Alert rules as the trader sets them (Options → Alerts): a big zone near the price, a big realized
 * liquidation, a cascade. Their shape, defaults and validation; lib/worker/alert-engine.ts evaluates them.
 */
import { t } from '../i18n';

interface RuleBase {
  id: string;
  enabled: boolean;
  /** `*` any instrument; a coin (`BTC`: every venue added up); or an instrument (`binance:BTCUSDT`). */
  target: string;
  minUsd: number;
}
export type AlertRule =
  | (RuleBase & { kind: 'zone'; withinPct: number })
  | (RuleBase & { kind: 'liquidation' })
  | (RuleBase & { kind: 'cascade'; windowSec: number });

export interface AlertSettings {
  enabled: boolean;
  /** Notifications with the system's sound, or silent. */
  sound: boolean;
  cooldownMinutes: number;
  rules: AlertRule[];
}

export const DEFAULT_ALERTS: AlertSettings = {
  enabled: true,
  sound: false,
  cooldownMinutes: 10,
  rules: [
    { id: 'big-liquidation', kind: 'liquidation', enabled: false, target: '*', minUsd: 1_000_000 },
    { id: 'btc-cascade', kind: 'cascade', enabled: false, target: 'BTC', minUsd: 10_000_000, windowSec: 60 },
    { id: 'btc-zone', kind: 'zone', enabled: false, target: 'BTC', minUsd: 50_000_000, withinPct: 0.5 },
  ],
};

const TARGET = /^(\*|[A-Z0-9]{1,20}|[a-z]+:[A-Za-z0-9._/-]{1,40})$/;

/** Why a rule is unusable, or undefined. */
export function alertRuleError(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null) return t('ruleNotARule');
  const q = r as Record<string, unknown>;
  if (typeof q.id !== 'string' || !/^[\w-]{1,40}$/.test(q.id)) return t('settingsNoValidId');
  if (typeof q.target !== 'string' || !TARGET.test(q.target)) return t('ruleTarget');
  if (typeof q.minUsd !== 'number' || !(q.minUsd >= 0 && q.minUsd < 1e13)) return t('ruleMinUsd');
  if (typeof q.enabled !== 'boolean') return t('ruleEnabled');
  if (q.kind === 'zone') return typeof q.withinPct === 'number' && q.withinPct > 0 && q.withinPct <= 20 ? undefined : t('ruleDistance');
  if (q.kind === 'cascade') return typeof q.windowSec === 'number' && q.windowSec >= 5 && q.windowSec <= 3600 ? undefined : t('ruleWindow');
  if (q.kind === 'liquidation') return undefined;
  return t('ruleKind');
}

/** A valid rule's own fields only (an imported file may carry anything else). */
export function pickRule(r: AlertRule): AlertRule {
  const base = { id: r.id, enabled: r.enabled, target: r.target, minUsd: r.minUsd };
  if (r.kind === 'zone') return { ...base, kind: 'zone', withinPct: r.withinPct };
  if (r.kind === 'cascade') return { ...base, kind: 'cascade', windowSec: r.windowSec };
  return { ...base, kind: 'liquidation' };
}
